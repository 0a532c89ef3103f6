/**
 * The time limits of the stage consumers, as declared in manifest.yml (timeoutSeconds; a test keeps the two in
 * step). Each invocation stops at YIELD_FRACTION of its limit and continues in a new invocation, so no invocation
 * comes near the limit even when a request is slow.
 */
import type { StageName } from '../pipeline/messages';

export const STAGE_TIMEOUT_SECONDS: Readonly<Record<StageName, number>> = {
  atlassianUsers: 300,
  entraDirectory: 300,
  entraGroups: 300,
  assetsSnapshot: 300,
  plan: 300,
  writeAssets: 900,
  finish: 120,
};

export const YIELD_FRACTION = 0.4;
