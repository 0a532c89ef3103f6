/**
 * Starting, confirming and cancelling runs from any tab: one place that calls the backend, keeps the button's
 * working state and error, and refreshes the shared status afterwards (which resumes polling).
 */
import { useState } from 'react';

import type { Answer } from './invoke';
import type { StatusHandle } from './use-status';
import type { RunView } from './views';

export interface RunAction {
  readonly working: boolean;
  readonly failure: { code: string; message: string } | null;
  readonly perform: () => Promise<RunView | null>;
}

export function useRunAction(handle: StatusHandle, call: () => Promise<Answer<RunView>>): RunAction {
  const [working, setWorking] = useState(false);
  const [failure, setFailure] = useState<{ code: string; message: string } | null>(null);
  const perform = async (): Promise<RunView | null> => {
    setWorking(true);
    setFailure(null);
    const answer = await call();
    if (!answer.ok) setFailure(answer.error);
    await handle.refresh();
    // After the refresh: a run that already ended changes the idle key now (its results reload); one still moving
    // changes it when it ends.
    if (answer.ok) handle.noteRun(answer.data.runId);
    setWorking(false);
    return answer.ok ? answer.data : null;
  };
  return { working, failure, perform };
}
