/**
 * The Microsoft clouds an Entra tenant can live in, and the hosts the app talks to in each. Every host here is
 * declared as egress in manifest.yml (checked by `npm run lint:forge`).
 */
import { z } from 'zod';

export const MICROSOFT_CLOUD_IDS = ['global', 'usgov', 'usgovdod', 'china'] as const;
export const microsoftCloudSchema = z.enum(MICROSOFT_CLOUD_IDS, {
  error: () => `Microsoft cloud must be one of: ${MICROSOFT_CLOUD_IDS.join(', ')}.`,
});
export type MicrosoftCloud = z.infer<typeof microsoftCloudSchema>;

export interface MicrosoftCloudEndpoints {
  readonly label: string;
  /** Token authority origin; the token endpoint is `${login}/${tenant}/oauth2/v2.0/token`. */
  readonly login: string;
  /** Graph origin; requests go to `${graph}/v1.0/...`. */
  readonly graph: string;
  /** The client-credentials scope. */
  readonly scope: string;
}

export const MICROSOFT_CLOUDS: Readonly<Record<MicrosoftCloud, MicrosoftCloudEndpoints>> = {
  global: {
    label: 'Global (microsoft.com)',
    login: 'https://login.microsoftonline.com',
    graph: 'https://graph.microsoft.com',
    scope: 'https://graph.microsoft.com/.default',
  },
  usgov: {
    label: 'US Government L4 (GCC High)',
    login: 'https://login.microsoftonline.us',
    graph: 'https://graph.microsoft.us',
    scope: 'https://graph.microsoft.us/.default',
  },
  usgovdod: {
    label: 'US Government L5 (DoD)',
    login: 'https://login.microsoftonline.us',
    graph: 'https://dod-graph.microsoft.us',
    scope: 'https://dod-graph.microsoft.us/.default',
  },
  china: {
    label: 'China (operated by 21Vianet)',
    login: 'https://login.partner.microsoftonline.cn',
    graph: 'https://microsoftgraph.chinacloudapi.cn',
    scope: 'https://microsoftgraph.chinacloudapi.cn/.default',
  },
};
