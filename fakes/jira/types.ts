/**
 * Options, records and the control surface of the fake Jira site (Jira platform users + email API, the JSM
 * workspace endpoint, and the Assets REST API), so tests and the sandbox can build one and inspect it.
 */
import type { AssetsObject } from '../../src/domain/assets-object';
import type { FakeJiraUser } from '../world/types';
import type { SiteSnapshot } from './site-snapshot';

/** Endpoint classes the fake rate-limits separately (Assets limits are per endpoint per minute). */
export type FakeEndpoint =
  | 'users/search'
  | 'user/email'
  | 'user/email/bulk'
  | 'assets/workspace'
  | 'object/create'
  | 'object/get'
  | 'object/update'
  | 'object/aql'
  | 'assets/config';

export interface FakeRateLimits {
  readonly enabled: boolean;
  /** Requests per rolling minute per endpoint; unset endpoints use DEFAULT_PER_MINUTE. */
  readonly perMinute?: Partial<Record<FakeEndpoint, number>>;
  /**
   * Whether an Assets 429 carries Retry-After. Default false: JSDCLOUD-11605 says Assets sends none (true is the old
   * friendly fake). Jira platform 429s follow `jira429`.
   */
  readonly sendRetryAfter?: boolean;
  /** All Assets endpoints together, per rolling minute (default 10,000: JSDCLOUD-11605 quoting the Assets docs). */
  readonly assetsTotalPerMinute?: number;
  /** The form of a Jira platform 429 (see Jira429Headers in rate-limiter.ts); default 'gateway' (no Retry-After). */
  readonly jira429?: FakeJira429Variant;
}

export type FakeJira429Variant = 'gateway' | 'burst' | 'cost-based' | 'quota' | 'beta' | 'mixed';

/**
 * Who a request comes from, from its Authorization header (the sandbox contract, docs/sandbox.md):
 * `Bearer forge-app` (asApp) or `Bearer forge-user:<accountId>` (asUser).
 */
export type FakePrincipal = { readonly kind: 'app' } | { readonly kind: 'user'; readonly accountId: string };

/** An Assets schema that exists before the app arrives (e.g. another one already using the key ENTRA). */
export interface PreexistingSchema {
  readonly name: string;
  readonly key: string;
  readonly description?: string;
}

export interface FakeJiraSiteOptions {
  readonly users?: readonly FakeJiraUser[];
  readonly assetsEnabled?: boolean;
  readonly emailApi?: 'ok' | 'not-approved' | 'disabled';
  /** 'object': a lookup of exactly one id answers a single {accountId, email} object, as the spec types it. */
  readonly emailBulkShape?: 'array' | 'object';
  readonly preexistingSchemas?: readonly PreexistingSchema[];
  readonly rateLimits?: FakeRateLimits;
  /** Epoch ms; recorded request times and rate-limit windows use it. Defaults to Date.now. */
  readonly now?: () => number;
  readonly latencyMs?: number;
  readonly assetsAuth?: 'ok' | 'unauthorized';
  /**
   * Assets answers with redirects the app must follow itself (Atlassian, "Assets scopes for OAuth 2.0 (3LO) and
   * Forge apps", Redirect response codes: Forge does not handle Assets 3xx). Which requests redirect is undocumented,
   * so by default ('some') the first request of each Assets endpoint class and every 7th after it answers
   * 307/308 (writes, AQL: absolute Location) or 303 (GET: relative Location) to an equivalent path the fake serves;
   * 'all' redirects every Assets request once; 'off' is the old friendly fake.
   */
  readonly assetsRedirects?: 'some' | 'all' | 'off';
  /**
   * A Date attribute's value: by default only an ISO 8601 calendar date (2021-03-01) is accepted, anything else is
   * refused with Assets' "is not valid (Date)" answer (Atlassian KB "Creating Asset object via REST API fails with
   * error": Assets requires ISO 8601 for date and date-time attributes; the exact Cloud rule for Date is not
   * documented, so the strict reading is the default). true also accepts an ISO date-time and keeps its date part.
   */
  readonly assetsDateAcceptsDateTime?: boolean;
  /**
   * The form of a Date attribute's `value` on read (AQL, GET object). Not documented (platform assumption A9; the KB
   * above covers writes only). 'iso' (default): the ISO date as written, which the app compares against (the
   * fake's reading since Date attributes were modelled; a display form as default would make every run rewrite
   * Hire Date, which the app cannot avoid, only detect). 'display': `value` carries the site's display form
   * (dd/MMM/yy), the case Diagnostics' assets-date-format check exists to catch.
   */
  readonly assetsDateReadForm?: 'iso' | 'display';
  /**
   * How an object update treats a many-valued object reference (maximumCardinality -1, an Employee's Groups): not
   * documented for Cloud (jira-and-assets.md "Checked later": documented for Data Center only). 'replace' (default):
   * the attribute holds exactly the values sent, so the app must always send the whole list. 'merge': the values
   * sent are added to the ones the object holds and a value left out stays (removals need an empty list first).
   */
  readonly assetsMultiReferenceUpdate?: 'replace' | 'merge';
  /** The largest AQL page the fake serves (Assets' maximum is undocumented); larger requests are cut and echoed. */
  readonly aqlMaxResults?: number;
  /**
   * Whether AQL accepts `Updated > now(-<n>m)` (fakes/jira/aql.ts cites the syntax; its support on Assets Cloud is not
   * documented: jira-and-assets.md "Checked later"). 'refused' (default, the less friendly reading): AQL answers 400
   * and the app reads every object. 'supported': the objects updated since then on the site's clock.
   */
  readonly assetsAqlUpdatedFilter?: 'refused' | 'supported';
  readonly workspaceId?: string;
  /**
   * Atlassian accounts that hold no Assets role on the site's schemas (issue 15: the Rovo agent reads as the user).
   * Assets grants reading object data by role: "A role is a set of permissions granted to Jira users or groups to view
   * or modify data with Assets" (https://support.atlassian.com/jira-service-management-cloud/docs/what-are-roles/).
   * Requests as the app are not affected. How Assets Cloud answers such a user is not documented: see
   * `assetsNoAccessAnswer`.
   */
  readonly assetsUsersWithoutAccess?: readonly string[];
  /**
   * What a user in `assetsUsersWithoutAccess` gets from Assets (undocumented). 'empty' (default, the less friendly
   * reading: the app cannot tell "no access" from "nobody there"): AQL answers an empty page and GET object/{id} 404;
   * other Assets calls 403. 'forbidden': every Assets call answers 403 with Jira's error body.
   */
  readonly assetsNoAccessAnswer?: 'empty' | 'forbidden';
  /** accountIds that hold the Jira global permission ADMINISTER (mypermissions, permissions/check). */
  readonly administrators?: readonly string[];
  /**
   * 'jira' (default): every request needs `Authorization: Bearer forge-app` or `Bearer forge-user:<accountId>` (else
   * 401), and Jira's permission model applies (permissions/check spec: checking another user's permissions needs
   * Administer Jira, which the app's user lacks -> 403; mypermissions answers the caller's own). 'lenient': the old
   * friendly fake: no Authorization needed (read as the app) and the app may check anyone.
   */
  readonly permissionModel?: 'jira' | 'lenient';
  /**
   * The most accounts one users/search page holds (default 100). The spec's maxResults is "The maximum number of
   * items to return (limited to 1000)": a maximum, not a promise, so pages may be short before the end. null: no cap
   * below 1000 (the old fake).
   */
  readonly usersPageCap?: number | null;
  /**
   * Every Nth users/search request answers 409 ("Returned if the request takes longer than 10 seconds or is
   * interrupted", the spec). Default 0: off (the fake's searches are never slow); failNext can inject one too.
   */
  readonly usersSearch409Every?: number;
  /** user/search?query= matches emails hidden by profile visibility: 'unmatched' (default) or 'matched' (jira-routes.ts). */
  readonly userSearchHiddenEmails?: 'unmatched' | 'matched';
  /** Index the Assets objects between requests (benchmarks with large workspaces): same answers, far less CPU. */
  readonly indexes?: boolean;
  /** Keep request bodies in `requests` (default true); benchmarks with many writes turn it off to save memory. */
  readonly recordBodies?: boolean;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The raw query string, without '?'. */
  readonly query: string;
  /** Path and query as sent, for length checks. */
  readonly url: string;
  readonly endpoint: FakeEndpoint | null;
  readonly status: number;
  readonly time: number;
  readonly body: unknown;
}

export interface UnexpectedRequest {
  readonly method: string;
  readonly url: string;
  readonly reason: string;
}

export interface FailNextRule {
  readonly method?: string;
  /** Matched against the path (without query): a RegExp, or a substring. */
  readonly path: RegExp | string;
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON-serialised unless a string. */
  readonly body?: unknown;
  /** How many matching requests get this answer (default 1). */
  readonly times?: number;
}

/** A hand-made object for tests: attribute values by attribute name; a User value is an accountId, a reference an object id. */
export interface FakeObjectInput {
  readonly objectTypeName?: string;
  /** A list: a many-valued attribute (Groups: the referenced objects' ids). */
  readonly attributes: Readonly<Record<string, string | readonly string[] | null>>;
}

export interface FakeJiraSite {
  /** Origin, e.g. http://127.0.0.1:12345 */
  readonly url: string;
  readonly workspaceId: string;
  readonly requests: readonly RecordedRequest[];
  readonly unexpected: readonly UnexpectedRequest[];
  expectNoUnexpected(): void;
  close(): Promise<void>;
  /** The Employee objects of the ENTRA schema, decoded by attribute name. */
  employees(): AssetsObject[];
  editObject(objectId: string, attributeName: string, value: string | null): void;
  addObject(input: FakeObjectInput): { objectId: string; objectKey: string };
  deleteObject(objectId: string): void;
  setUser(user: FakeJiraUser): void;
  /** Schema surgery for repair tests (as an admin would do in the Assets UI). */
  renameAttribute(objectTypeName: string, from: string, to: string): void;
  deleteAttribute(objectTypeName: string, name: string): void;
  failNext(rule: FailNextRule): void;
  /** Requests of one endpoint class, in order. */
  requestsTo(endpoint: FakeEndpoint): RecordedRequest[];
  /** The site's accounts and Assets workspace as JSON, e.g. to keep them across processes. */
  exportState(): SiteSnapshot;
  /** Replaces the accounts and the Assets workspace with an exported state. */
  importState(snapshot: SiteSnapshot): void;
}
