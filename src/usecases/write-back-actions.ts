/**
 * The write-back Automation actions (issue 17): "Disable Entra account", "Enable Entra account", "Revoke Entra
 * sessions", "Update Entra user", "Add to Entra group", "Remove from Entra group". Each names the person like Look up
 * employee (accountId or email) and runs src/services/write-back.ts, which applies every safety rule and records the
 * attempt in the audit trail. Answers outputs for the rule's smart values; a refusal stops the rule with its message.
 */
import { z } from 'zod';

import { runWriteBack, type WriteBackAction, type WriteBackAnswer, type WriteBackDeps } from '../services/write-back';
import { optionalAccountId, optionalEmail } from './action-inputs';
import { defineUseCase } from './use-case';

const blank = (raw: unknown) => (typeof raw === 'string' && raw.trim() === '' ? undefined : raw);
const ruleInput = z.preprocess(
  blank,
  z.string({ error: 'rule must be text, e.g. {{rule.name}}.' }).max(255, { error: 'rule can have at most 255 characters.' }).optional(),
);
const oneOf = { error: 'Give exactly one of accountId or email (for example accountId = {{reporter.accountId}}).' };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const personInput = z
  .object({ accountId: optionalAccountId, email: optionalEmail, rule: ruleInput })
  .strict()
  .refine((input) => (input.accountId === undefined) !== (input.email === undefined), oneOf);

export const groupInput = z
  .object({
    accountId: optionalAccountId,
    email: optionalEmail,
    rule: ruleInput,
    groupId: z
      .string({ error: 'groupId must be the Entra group object id (a GUID).' })
      .trim()
      .regex(GUID, { error: 'groupId must be the Entra group object id (a GUID).' }),
  })
  .strict()
  .refine((input) => (input.accountId === undefined) !== (input.email === undefined), oneOf);

/** An attribute input: absent or "" (Automation's unset) leaves it; "-" clears it (the only way to ask for empty). */
const attribute = z.preprocess(
  blank,
  z
    .string({ error: 'attribute values must be text.' })
    .max(256, { error: 'an attribute value can have at most 256 characters.' })
    .optional(),
);

export const updateInput = z
  .object({
    accountId: optionalAccountId,
    email: optionalEmail,
    rule: ruleInput,
    jobTitle: attribute,
    department: attribute,
    officeLocation: attribute,
    businessPhone: attribute,
    mobilePhone: attribute,
    employeeId: attribute,
    managerAccountId: optionalAccountId,
  })
  .strict()
  .refine((input) => (input.accountId === undefined) !== (input.email === undefined), oneOf);

export const person = (input: { accountId?: string | undefined; email?: string | undefined }) => ({
  accountId: input.accountId,
  email: input.email,
});

export function simpleWriteBack(name: string, action: WriteBackAction) {
  return defineUseCase({
    name,
    input: personInput,
    access: 'automation-rule',
    run: async (deps: WriteBackDeps, input, caller): Promise<WriteBackAnswer> =>
      runWriteBack(deps, { action, person: person(input), rule: input.rule }, caller),
  });
}

export function groupWriteBack(name: string, action: 'addToGroup' | 'removeFromGroup') {
  return defineUseCase({
    name,
    input: groupInput,
    access: 'automation-rule',
    run: async (deps: WriteBackDeps, input, caller): Promise<WriteBackAnswer> =>
      runWriteBack(deps, { action, person: person(input), rule: input.rule, groupId: input.groupId }, caller),
  });
}
