/**
 * An Employee object as read from Assets, with its attribute values decoded into the domain's terms.
 * Values the object does not have are null. The manager is the referenced Employee object's id.
 */
import { z } from 'zod';

export const employeeValuesSchema = z.object({
  fullName: z.string().nullable(),
  entraUserId: z.string().nullable(),
  email: z.string().nullable(),
  jobTitle: z.string().nullable(),
  department: z.string().nullable(),
  atlassianAccountId: z.string().nullable(),
  /** accountId held by the Jira User attribute. */
  jiraUser: z.string().nullable(),
  active: z.boolean().nullable(),
  /** Assets object id of the referenced manager Employee object. */
  managerObjectId: z.string().nullable(),
  managerAtlassianAccountId: z.string().nullable(),
});

export type EmployeeValues = z.infer<typeof employeeValuesSchema>;

/** An object with none of the app's attributes set. */
export function emptyEmployeeValues(): EmployeeValues {
  return {
    fullName: null,
    entraUserId: null,
    email: null,
    jobTitle: null,
    department: null,
    atlassianAccountId: null,
    jiraUser: null,
    active: null,
    managerObjectId: null,
    managerAtlassianAccountId: null,
  };
}

export const employeeObjectSchema = z.object({
  objectId: z.string().min(1),
  objectKey: z.string(),
  values: employeeValuesSchema,
});

export type EmployeeObject = z.infer<typeof employeeObjectSchema>;

/** The attribute keys the app owns, in the order the schema declares them. */
export const EMPLOYEE_ATTRIBUTE_KEYS = [
  'fullName',
  'entraUserId',
  'email',
  'jobTitle',
  'department',
  'atlassianAccountId',
  'jiraUser',
  'active',
  'manager',
  'managerAtlassianAccountId',
] as const;

export type EmployeeAttributeKey = (typeof EMPLOYEE_ATTRIBUTE_KEYS)[number];
