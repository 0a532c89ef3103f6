/**
 * @forge/kvs used without the storage:app scope: @forge/lint's permission linter does not notice (it only knows
 * the legacy storage API), and the app would fail at run time on every KVS call.
 */
import type { Finding } from '../findings';
import { isUnder, locationOf, moduleReferences } from '../source-index';
import type { ExtraCheck } from './check';

export const STORAGE_SCOPE = 'storage:app';

export const kvsScopeCheck: ExtraCheck = {
  id: 'kvs-scope',
  title: '@forge/kvs needs storage:app',
  run({ index, manifest }) {
    const findings: Finding[] = [];
    let importers = 0;
    const hasScope = manifest.scopes.includes(STORAGE_SCOPE);
    for (const file of index.files) {
      if (!isUnder(file, 'src')) continue;
      const imports = moduleReferences(file).filter((r) => r.specifier === '@forge/kvs' || r.specifier.startsWith('@forge/kvs/'));
      if (imports.length > 0) importers += 1;
      if (hasScope) continue;
      for (const reference of imports) {
        findings.push({
          check: 'kvs-scope',
          severity: 'error',
          file: file.path,
          ...locationOf(file, reference.node),
          message: `Imports @forge/kvs, but manifest.yml permissions.scopes lacks ${STORAGE_SCOPE}: add "- ${STORAGE_SCOPE}" under permissions.scopes.`,
        });
      }
    }
    return { findings, notes: [`${importers} file(s) import @forge/kvs; storage:app is ${hasScope ? 'declared' : 'NOT declared'}`] };
  },
};
