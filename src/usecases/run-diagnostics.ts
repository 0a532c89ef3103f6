/** Read-only checks of what only the live site and tenant can answer; see docs/platform-assumptions.md. */
import { runDiagnostics } from '../services/diagnostics';
import { createDiagnosticsProbes, type DiagnosticsProbeDeps } from '../services/diagnostics-probes';
import { noInput } from './inputs';
import { defineUseCase } from './use-case';

export const runDiagnosticsUseCase = defineUseCase({
  name: 'runDiagnostics',
  input: noInput,
  access: 'jira-admin',
  run: (deps: Omit<DiagnosticsProbeDeps, 'accountId'>, _input, caller) =>
    runDiagnostics(
      createDiagnosticsProbes({ connectionDeps: deps.connectionDeps, userJiraFetch: deps.userJiraFetch, accountId: caller.accountId }),
    ),
});
