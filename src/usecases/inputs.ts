/** Input schemas several use cases share. Anything else a use case accepts is declared in its own file. */
import { z } from 'zod';

import { runIdSchema } from '../pipeline/messages';

/** No input: the admin page sends {} or nothing; any field is refused. */
export const noInput = z.object({}).strict().optional();

/** One run, by id. */
export const runRef = z.object({ runId: runIdSchema }).strict();

/** A scheduled trigger's use cases take no input; the boundary passes none. */
export const noTriggerInput = z.undefined();
