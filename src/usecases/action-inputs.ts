/**
 * Input pieces the Automation actions and the Directory assistant share. Automation renders smart values as text, so
 * a number may arrive as "2" and an unset input as "": both are read the way a rule author means them. Every message
 * says which input is wrong and what it must be: it is what the rule's audit log (or the agent) shows.
 */
import { z } from 'zod';

/** An unset Automation input arrives as "" (or only spaces): read as absent. */
const blankToUndefined = (raw: unknown) => (typeof raw === 'string' && raw.trim() === '' ? undefined : raw);

/** Atlassian account ids: "557058:..." / "712020:..." or the older 24 hex digits (letters, digits, ':' and '-'). */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9:-]{1,128}$/;

export const accountIdInput = z.preprocess(
  (raw) => (typeof raw === 'string' ? raw.trim() : raw),
  z
    .string({ error: 'accountId must be an Atlassian account id (text), e.g. {{reporter.accountId}}.' })
    .min(1, { error: 'accountId is empty: give an Atlassian account id, e.g. {{reporter.accountId}}.' })
    .regex(ACCOUNT_ID_PATTERN, {
      error: 'accountId is not an Atlassian account id (letters, digits, ":" and "-", at most 128 characters).',
    }),
);

export const optionalAccountId = z.preprocess(blankToUndefined, accountIdInput.optional());

export const optionalEmail = z.preprocess(
  blankToUndefined,
  z
    .string({ error: 'email must be an email address (text).' })
    .trim()
    .max(254, { error: 'email is longer than an email address can be (254 characters).' })
    .regex(/^[^\s@]+@[^\s@]+$/, { error: 'email is not an email address (name@domain).' })
    .optional(),
);

/** true/false, also as the text Automation renders. */
export const optionalFlag = z.preprocess(
  (raw) => (raw === 'true' ? true : raw === 'false' ? false : blankToUndefined(raw)),
  z.boolean({ error: 'includeInactive must be true or false.' }).optional(),
);

/** Formats zod's issues as one line per input, for the audit log and the agent. */
export function describeInputIssues(error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return issue.code === 'unrecognized_keys'
      ? `unknown input ${issue.keys.map((k) => `"${k}"`).join(', ')}`
      : path === '' || issue.message.startsWith(path)
        ? issue.message
        : `${path}: ${issue.message}`;
  });
  return lines.join('; ');
}
