/** What the Automation and Rovo action use cases need from an invocation's deps (src/functions/wiring.ts AppDeps). */
import type { JiraFetch } from '../clients/http';
import type { PipelineDeps } from '../pipeline/deps';
import type { ConnectionDeps } from '../services/connections';

export interface ActionDeps extends Pick<PipelineDeps, 'store' | 'logger'> {
  /** requestJira as the app, and the retry policy. */
  readonly connectionDeps: Pick<ConnectionDeps, 'jiraFetch' | 'policy'>;
  /** requestJira as the invocation's user (api.asUser()): the Directory assistant reads Assets with it. */
  readonly userJiraFetch: JiraFetch;
}
