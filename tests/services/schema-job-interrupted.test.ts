/**
 * Create Schema's result counts a change an attempt sent to Assets but was stopped before recording (Forge ends an
 * invocation at its time limit, or kills it, at any instant): the next attempt finds it applied and does not do it
 * again, so only the change sent before it (beforeChange) can tell. Before this, such a change was missing from the
 * result (the emulator test "resumes after invocations are stopped" failed now and then under load).
 */
import { AppError } from '../../src/domain/errors';
import type { SchemaLayout } from '../../src/domain/schema-layout';
import type { SchemaJobMessage } from '../../src/pipeline/schema-job-queue';
import { type EnsureSchema, readSchemaJob, runSchemaJob, startSchemaJob } from '../../src/services/schema-job';
import { MemoryStore } from '../support/memory-store';

const LAYOUT: SchemaLayout = { workspaceId: 'ws', schemaId: '1', objectTypes: { employee: { objectTypeId: '2', attributeIds: {} } } };
const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('Create Schema: a change applied by an interrupted attempt', () => {
  it('is in the result, in the order it happened, once a later attempt completes the schema', async () => {
    let now = Date.parse('2026-12-03T10:00:00Z');
    const deps = { store: new MemoryStore(() => now), clock: { now: () => now }, logger, newId: () => 'job-0001-interrupted' };
    const pushed: SchemaJobMessage[] = [];
    const job = await startSchemaJob(deps, async (message) => {
      pushed.push(message);
    });

    // Attempt 1: the schema is created and recorded; the object type's create is sent (Assets applies it) and the
    // invocation stops before the step is recorded.
    const first: EnsureSchema = async (onStep, beforeChange) => {
      await beforeChange({ kind: 'created', item: 'schema "Entra Directory" (key ENTRA)' });
      await onStep('Create schema "Entra Directory" (key ENTRA)', { kind: 'created', item: 'schema "Entra Directory" (key ENTRA)' });
      await beforeChange({ kind: 'created', item: 'object type "Employee"' });
      throw new AppError('ASSETS_REQUEST_FAILED', 'stopped', { retry: 'now' });
    };
    expect((await runSchemaJob(deps, pushed[0]!, first, 0)).kind).toBe('retry-later');
    expect((await readSchemaJob(deps.store))?.pending).toEqual([{ kind: 'created', item: 'object type "Employee"' }]);

    // Attempt 2 finds the object type there and creates only what is left.
    now += 60_000;
    const second: EnsureSchema = async (onStep, beforeChange) => {
      await beforeChange({ kind: 'created', item: 'attribute "Email"' });
      await onStep('Create attribute "Email"', { kind: 'created', item: 'attribute "Email"' });
      await onStep('Check the result');
      return { layout: LAYOUT, created: ['attribute "Email"'], repaired: [] };
    };
    expect((await runSchemaJob(deps, { ...pushed[0]!, jobId: job.jobId }, second, 1)).kind).toBe('done');
    const done = await readSchemaJob(deps.store);
    expect(done?.status).toBe('succeeded');
    expect(done?.result?.created).toEqual(['schema "Entra Directory" (key ENTRA)', 'object type "Employee"', 'attribute "Email"']);
  });
});
