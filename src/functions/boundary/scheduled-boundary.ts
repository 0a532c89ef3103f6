/**
 * The boundary between Forge's scheduled triggers (manifest.yml scheduledTrigger) and their use cases. A trigger
 * never throws: Forge does not retry it, so a failure is logged with its code (never its message) under the event
 * the trigger names, and the next tick tries again. Only Forge invokes a trigger, so the caller is the app itself;
 * the trigger's event is not input (the use cases take none).
 */
import { AppError, toAppError } from '../../domain/errors';
import type { Logger } from '../../pipeline/ports';
import type { EntryUseCase } from '../../usecases/use-case';

export interface ScheduledBoundaryDeps {
  readonly logger: Logger;
}

export interface ScheduledOptions<D> {
  /** Built once per invocation. */
  readonly createDeps: () => D;
  /** The log event of a failure, e.g. 'schedule.failed' (read by sandbox/cli-schedule.ts and docs/operations.md). */
  readonly failedEvent: string;
}

/** The trigger's handler (the function manifest.yml names). */
export function scheduledFunction<D extends ScheduledBoundaryDeps>(
  useCase: EntryUseCase<D, 'scheduled-trigger'>,
  options: ScheduledOptions<D>,
): () => Promise<void> {
  return async () => {
    const deps = options.createDeps();
    try {
      const prepared = useCase.prepare(undefined);
      if (prepared === null)
        throw new AppError('INTERNAL', 'The scheduled trigger could not start its work.', {
          context: { trigger: useCase.name },
          retry: 'permanent',
        });
      await prepared(deps, { kind: 'scheduled-trigger' });
    } catch (error) {
      deps.logger.error(options.failedEvent, { code: toAppError(error).code });
    }
  };
}
