/** The Forge personal data reporting API behind the privacy service's port. */
import { privacy } from '@forge/api';

import type { PersonalDataReporter } from '../services/privacy-service';

export function createForgePrivacyReporter(): PersonalDataReporter {
  return {
    async report(accounts) {
      const closed: string[] = [];
      for (let i = 0; i < accounts.length; i += 90) {
        const updates = await privacy.reportPersonalData(
          accounts.slice(i, i + 90).map((a) => ({ accountId: a.accountId, updatedAt: a.updatedAt })),
        );
        for (const update of updates ?? []) if (update.status === 'closed') closed.push(update.accountId);
      }
      return closed;
    },
  };
}
