/**
 * Test data builders with valid defaults: each call gives a fresh, unique record; tests override what they care
 * about. Ids are deterministic (a counter) so failures are readable and reproducible.
 */
import type { AssetsObject } from '../../src/domain/assets-object';
import type { AtlassianAccount } from '../../src/domain/atlassian-account';
import type { EntraUser } from '../../src/domain/entra-user';

let sequence = 0;
function next(): number {
  sequence += 1;
  return sequence;
}

/** A GUID-shaped Entra object id, unique per call unless `n` is given. */
export function entraId(n: number = next()): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function entraUser(overrides: Partial<EntraUser> = {}): EntraUser {
  const n = next();
  return {
    id: entraId(n),
    displayName: `User ${n}`,
    mail: `user${n}@contoso.com`,
    userPrincipalName: `user${n}@contoso.onmicrosoft.com`,
    proxyAddresses: [`SMTP:user${n}@contoso.com`],
    otherMails: [],
    jobTitle: 'Engineer',
    department: 'Engineering',
    accountEnabled: true,
    managerId: null,
    ...overrides,
  };
}

export function atlassianAccount(overrides: Partial<AtlassianAccount> = {}): AtlassianAccount {
  const n = next();
  return {
    accountId: `5b10ac8d82e05b22cc7d${n.toString().padStart(4, '0')}`,
    accountType: 'atlassian',
    active: true,
    email: `someone${n}@contoso.com`,
    ...overrides,
  };
}

/** An account whose email is the user's mail (so they match at the first level). */
export function accountFor(user: EntraUser, overrides: Partial<AtlassianAccount> = {}): AtlassianAccount {
  return atlassianAccount({ email: user.mail ?? user.userPrincipalName, ...overrides });
}

/** The core Employee attributes, typed for tests (the app keys values by attribute key: attribute-catalogue.ts). */
export type EmployeeValues = {
  fullName: string | null;
  entraUserId: string | null;
  email: string | null;
  jobTitle: string | null;
  department: string | null;
  atlassianAccountId: string | null;
  jiraUser: string | null;
  active: boolean | null;
  /** Object id of the referenced manager object. */
  manager: string | null;
  managerAtlassianAccountId: string | null;
};

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
    manager: null,
    managerAtlassianAccountId: null,
  };
}

/** A stored value read as text (tests know which attributes hold text). */
export function str(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`expected a text value, got ${JSON.stringify(value)}`);
  return value;
}

export function employeeValues(overrides: Partial<EmployeeValues> = {}): EmployeeValues {
  return { ...emptyEmployeeValues(), ...overrides };
}

export function employeeObject(values: Partial<EmployeeValues> = {}, ids: { objectId?: string; objectKey?: string } = {}): AssetsObject {
  const n = next();
  const objectId = ids.objectId ?? String(1000 + n);
  return { objectId, objectKey: ids.objectKey ?? `ENTRA-${objectId}`, values: employeeValues(values) };
}

/** The Employee object a previous sync would have written for (user, account), manager aside. */
export function syncedEmployee(
  user: EntraUser,
  account: AtlassianAccount,
  extra: Partial<EmployeeValues> = {},
  ids: { objectId?: string; objectKey?: string } = {},
): AssetsObject {
  return employeeObject(
    {
      fullName: user.displayName,
      entraUserId: user.id,
      email: user.mail ?? account.email,
      jobTitle: user.jobTitle,
      department: user.department,
      atlassianAccountId: account.accountId,
      jiraUser: account.accountId,
      active: user.accountEnabled,
      ...extra,
    },
    ids,
  );
}
