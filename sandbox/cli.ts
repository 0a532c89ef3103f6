/**
 * `npm start` / `npm run sandbox -- <command>`: the local sandbox (the app's real code on an emulated Forge runtime
 * against simulated Entra and Jira sites). The emulator is not built yet, so this says what it will do and exits
 * non-zero for every command: it never pretends a sync happened.
 */
const command = process.argv[2] ?? 'demo';

const plan = [
  'The local sandbox is not available yet in this version.',
  '',
  `You asked for: ${command}`,
  'When it lands, `npm start` will:',
  '  1. start a simulated Entra tenant (~500 users with every real-world quirk) and a simulated Jira site with Assets,',
  '  2. load the real manifest.yml and handlers on an emulated Forge runtime (KVS, secret store, queues, limits),',
  '  3. create the Entra Directory (ENTRA) schema through the app resolver,',
  '  4. run a preview, then a sync, then a second sync that has nothing to do, and print a readable summary.',
  '',
  'Today you can run the test suite (`npm test`), the offline Forge lint (`npm run lint:forge`) and the planning',
  'benchmark (`npm run bench:plan`).',
];
process.stderr.write(`${plan.join('\n')}\n`);
process.exitCode = 2;
