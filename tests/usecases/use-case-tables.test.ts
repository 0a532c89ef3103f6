/**
 * The entry points' tables are complete: every resolver key has exactly one use case and every admin use case
 * (access 'jira-admin') in src/usecases has a resolver key; every scheduled-trigger use case is a handler of
 * src/functions/scheduled.ts that manifest.yml names. A use case file added without an entry point fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { RESOLVER_USE_CASES } from '../../src/functions/resolver';
import { RESOLVER_KEYS } from '../../src/functions/resolver-keys';
import * as scheduled from '../../src/functions/scheduled';
import type { Access, EntryUseCase } from '../../src/usecases/use-case';

const USE_CASE_DIR = join(__dirname, '../../src/usecases');

function isUseCase(value: unknown): value is EntryUseCase<unknown, Access> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { prepare?: unknown }).prepare === 'function' &&
    typeof (value as { access?: unknown }).access === 'string'
  );
}

/** Every use case exported by a file of src/usecases, with the file it came from. */
function allUseCases(): { file: string; useCase: EntryUseCase<unknown, Access> }[] {
  const found: { file: string; useCase: EntryUseCase<unknown, Access> }[] = [];
  for (const file of readdirSync(USE_CASE_DIR)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(join(USE_CASE_DIR, file)) as Record<string, unknown>;
    for (const value of Object.values(exports)) if (isUseCase(value)) found.push({ file, useCase: value });
  }
  return found;
}

describe('the use case tables', () => {
  it('has exactly one use case per resolver key, named after it', () => {
    expect(Object.keys(RESOLVER_USE_CASES).sort()).toEqual(Object.values(RESOLVER_KEYS).sort());
    for (const [key, useCase] of Object.entries(RESOLVER_USE_CASES))
      expect({ key, name: useCase.name, access: useCase.access }).toEqual({ key, name: key, access: 'jira-admin' });
    expect(new Set(Object.values(RESOLVER_USE_CASES)).size).toBe(Object.keys(RESOLVER_USE_CASES).length);
  });

  it('serves every admin use case in src/usecases through the resolver, and each lives in its own kebab-case file', () => {
    const found = allUseCases();
    const admin = found.filter((f) => f.useCase.access === 'jira-admin');
    expect(admin.map((f) => f.useCase.name).sort()).toEqual(Object.values(RESOLVER_KEYS).sort());
    for (const { file, useCase } of found)
      expect({ file, name: useCase.name }).toEqual({
        file: `${useCase.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.ts`,
        name: useCase.name,
      });
    for (const { useCase } of admin) expect(RESOLVER_USE_CASES[useCase.name as keyof typeof RESOLVER_USE_CASES]).toBe(useCase);
  });

  it('has a scheduled handler named in manifest.yml for every scheduled-trigger use case, and no other', () => {
    const triggers = allUseCases()
      .filter((f) => f.useCase.access === 'scheduled-trigger')
      .map((f) => f.useCase.name)
      .sort();
    expect(triggers).toEqual(['privacyReport', 'scheduledSync', 'watchdog']);
    expect(Object.keys(scheduled).sort()).toEqual(triggers);
    const manifest = readFileSync(join(__dirname, '../../manifest.yml'), 'utf8');
    const handlers = [...manifest.matchAll(/handler: functions\/scheduled\.(\w+)/g)].map((m) => m[1]).sort();
    expect(handlers).toEqual(triggers);
    for (const name of triggers) expect(typeof (scheduled as Record<string, unknown>)[name]).toBe('function');
  });
});
