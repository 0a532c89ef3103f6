/** Forge async event queues behind the pipeline's queue port. */
import { Queue } from '@forge/events';

import { AppError } from '../domain/errors';
import type { QueueKey, StageMessage } from '../pipeline/messages';
import type { QueuePort } from '../pipeline/ports';

export function createForgeQueue(): QueuePort {
  const queues = new Map<QueueKey, Queue>();
  return {
    async push(queue, message: StageMessage, options) {
      let target = queues.get(queue);
      if (target === undefined) {
        target = new Queue({ key: queue });
        queues.set(queue, target);
      }
      try {
        await target.push({ body: { ...message }, ...(options?.delaySeconds ? { delayInSeconds: options.delaySeconds } : {}) });
      } catch (cause) {
        throw new AppError('QUEUE_PUSH_FAILED', 'The next sync step could not be queued; the app will retry.', {
          context: { queue, runId: message.runId, stage: message.stage },
          cause,
          retry: 'now',
        });
      }
    },
  };
}
