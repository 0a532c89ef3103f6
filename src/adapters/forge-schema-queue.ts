/** The Create Schema job's Forge queue behind the SchemaJobQueue port. */
import { Queue } from '@forge/events';

import { AppError } from '../domain/errors';
import { SCHEMA_JOB_QUEUE, type SchemaJobQueue } from '../pipeline/schema-job-queue';

export function createForgeSchemaJobQueue(): SchemaJobQueue {
  const queue = new Queue({ key: SCHEMA_JOB_QUEUE });
  return async (message) => {
    try {
      await queue.push({ body: { ...message } });
    } catch (cause) {
      throw new AppError('QUEUE_PUSH_FAILED', 'Create Schema could not be queued. Try again in a minute.', {
        context: { queue: SCHEMA_JOB_QUEUE },
        cause,
        retry: 'now',
      });
    }
  };
}
