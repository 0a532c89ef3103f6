/** The daily personal data report of the account ids the app keeps (src/services/privacy-service.ts). */
import type { PipelineDeps } from '../pipeline/deps';
import { type PersonalDataReporter, reportStoredAccounts } from '../services/privacy-service';
import { noTriggerInput } from './inputs';
import { defineUseCase } from './use-case';

export interface PrivacyReportDeps extends PipelineDeps {
  /** Forge's personal data reporting API (src/adapters/forge-privacy.ts, built in src/functions/wiring.ts). */
  readonly privacy: PersonalDataReporter;
}

export const privacyReportUseCase = defineUseCase({
  name: 'privacyReport',
  input: noTriggerInput,
  access: 'scheduled-trigger',
  run: (deps: PrivacyReportDeps) => reportStoredAccounts(deps),
});
