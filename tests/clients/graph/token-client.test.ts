import { type FakeEntra, startFakeEntra } from '../../../fakes/entra/fake-entra-server';
import { createTokenProvider, TOKEN_REFRESH_MARGIN_MS, type TokenProviderDeps } from '../../../src/clients/graph/token-client';
import { AppError } from '../../../src/domain/errors';
import {
  failureOf,
  type FakeClock,
  fakeClock,
  type MemoryTokenCache,
  memoryTokenCache,
  nodeFetch,
  T0,
  TENANT,
  testPolicy,
} from './graph-test-kit';

let fake: FakeEntra;
let clock: FakeClock;

beforeEach(async () => {
  clock = fakeClock();
  fake = await startFakeEntra({ tenant: TENANT, now: clock.now });
});

afterEach(async () => {
  fake.expectNoUnexpected();
  await fake.close();
});

function provider(overrides: Partial<TokenProviderDeps> = {}, cache: MemoryTokenCache = memoryTokenCache()) {
  let secretReads = 0;
  const tokens = createTokenProvider({
    fetch: nodeFetch,
    endpoints: fake.endpoints,
    tenantId: TENANT.tenantId,
    clientId: TENANT.clientId,
    clientSecret: async () => {
      secretReads++;
      return TENANT.clientSecret;
    },
    cache,
    now: clock.now,
    policy: testPolicy(clock),
    fingerprint: 'settings-v1',
    ...overrides,
  });
  return { tokens, cache, secretReads: () => secretReads };
}

const tokenRequests = () => fake.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'));
/** header.payload.signature, each base64url (the fake issues JWT-shaped tokens as Entra does). */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

describe('token provider: success and cache', () => {
  it('signs in with the client-credentials form and reuses the token', async () => {
    const { tokens, cache } = provider();
    const first = await tokens.getToken();
    const second = await tokens.getToken();
    expect(second).toBe(first);
    expect(tokenRequests()).toHaveLength(1);
    expect(tokenRequests()[0]).toMatchObject({
      method: 'POST',
      path: `/${TENANT.tenantId}/oauth2/v2.0/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      status: 200,
    });
    expect(cache.writes).toEqual([{ accessToken: first, expiresAt: T0 + 3599 * 1000, fingerprint: 'settings-v1' }]);
  });

  it('reuses a token cached by an earlier invocation without reading the secret', async () => {
    const cache = memoryTokenCache();
    const token = await provider({}, cache).tokens.getToken();
    const later = provider({}, cache);
    expect(await later.tokens.getToken()).toBe(token);
    expect(later.secretReads()).toBe(0);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('replaces the token 5 minutes before expires_in runs out', async () => {
    const { tokens } = provider();
    const first = await tokens.getToken();
    clock.advance(3599 * 1000 - TOKEN_REFRESH_MARGIN_MS - 1);
    expect(await tokens.getToken()).toBe(first);
    clock.advance(1);
    const second = await tokens.getToken();
    expect(second).not.toBe(first);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('honours the lifetime Microsoft gives instead of assuming an hour', async () => {
    await fake.close();
    fake = await startFakeEntra({ tenant: { ...TENANT, tokenLifetimeSeconds: 4_500 }, now: clock.now });
    const { tokens, cache } = provider();
    await tokens.getToken();
    expect(cache.writes[0]?.expiresAt).toBe(T0 + 4_500_000);
    clock.advance(4_500_000 - TOKEN_REFRESH_MARGIN_MS - 1_000);
    await tokens.getToken();
    expect(tokenRequests()).toHaveLength(1);
  });

  it('ignores a cached token issued for other settings (fingerprint changed)', async () => {
    const cache = memoryTokenCache();
    const old = await provider({}, cache).tokens.getToken();
    const changed = provider({ fingerprint: 'settings-v2' }, cache);
    const token = await changed.tokens.getToken();
    expect(token).not.toBe(old);
    expect(cache.value).toMatchObject({ accessToken: token, fingerprint: 'settings-v2' });
  });

  it('ignores cache content it cannot read', async () => {
    const { tokens } = provider({}, memoryTokenCache({ accessToken: 42, expiresAt: 'soon' }));
    await expect(tokens.getToken()).resolves.toMatch(JWT_SHAPE);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('signs in again after invalidate, and clears the stored token', async () => {
    const { tokens, cache } = provider();
    const first = await tokens.getToken();
    await tokens.invalidate();
    expect(cache.value).toBeUndefined();
    expect(await tokens.getToken()).not.toBe(first);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('shares one sign-in between concurrent callers', async () => {
    const { tokens } = provider();
    const all = await Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()]);
    expect(new Set(all).size).toBe(1);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('accepts a verified domain name as tenant', async () => {
    const { tokens } = provider({ tenantId: 'contoso.onmicrosoft.com' });
    await expect(tokens.getToken()).resolves.toMatch(JWT_SHAPE);
    expect(tokenRequests()[0]?.path).toBe('/contoso.onmicrosoft.com/oauth2/v2.0/token');
  });

  it('waits out a 503 from the token endpoint and then succeeds', async () => {
    fake.failNext({ path: /\/token$/, status: 503, headers: { 'Retry-After': '2' } });
    const { tokens } = provider();
    await expect(tokens.getToken()).resolves.toMatch(JWT_SHAPE);
    expect(clock.slept).toEqual([2000]);
    expect(tokenRequests().map((r) => r.status)).toEqual([503, 200]);
  });
});

describe('token provider: AADSTS errors become actionable codes', () => {
  const cases: { name: string; setup?: () => void; deps: () => Partial<TokenProviderDeps>; code: string; aadsts: string; says: RegExp }[] =
    [
      {
        name: 'unknown tenant',
        deps: () => ({ tenantId: '11111111-2222-4333-8444-555555555555' }),
        code: 'ENTRA_TENANT_NOT_FOUND',
        aadsts: 'AADSTS90002',
        says: /Directory \(tenant\) ID.*Overview page.*Microsoft cloud/,
      },
      {
        name: 'malformed tenant',
        deps: () => ({ tenantId: 'not a tenant!' }),
        code: 'ENTRA_TENANT_INVALID',
        aadsts: 'AADSTS900023',
        says: /GUID/,
      },
      {
        name: 'wrong client id',
        deps: () => ({ clientId: '33333333-2222-4333-8444-555555555555' }),
        code: 'ENTRA_CLIENT_ID_INVALID',
        aadsts: 'AADSTS700016',
        says: /Application \(client\) ID/,
      },
      {
        name: 'wrong secret',
        deps: () => ({ clientSecret: async () => 'not-the-secret-value' }),
        code: 'ENTRA_SECRET_INVALID',
        aadsts: 'AADSTS7000215',
        says: /paste the secret's Value, not its Secret ID/i,
      },
      {
        name: 'secret ID pasted instead of its value',
        deps: () => ({ clientSecret: async () => TENANT.secretId }),
        code: 'ENTRA_SECRET_INVALID',
        aadsts: 'AADSTS7000215',
        says: /Value, not its Secret ID/,
      },
      {
        name: 'expired secret',
        setup: () => fake.expireSecret(),
        deps: () => ({}),
        code: 'ENTRA_SECRET_EXPIRED',
        aadsts: 'AADSTS7000222',
        says: /create a new client secret in Certificates & secrets and save it here/i,
      },
      {
        name: 'scope without /.default',
        deps: () => ({ endpoints: { ...fake.endpoints, scope: 'https://graph.microsoft.com/User.Read.All' } }),
        code: 'ENTRA_SCOPE_INVALID',
        aadsts: 'AADSTS1002012',
        says: /Microsoft cloud/,
      },
      {
        name: 'scope of another cloud',
        deps: () => ({ endpoints: { ...fake.endpoints, scope: 'https://graph.microsoft.us/.default' } }),
        code: 'ENTRA_SCOPE_INVALID',
        aadsts: 'AADSTS500011',
        says: /Microsoft cloud/,
      },
    ];

  it.each(cases)('$name -> $code', async ({ setup, deps, code, aadsts, says }) => {
    setup?.();
    const overrides = deps();
    const { tokens } = provider(overrides);
    const sentSecret = overrides.clientSecret === undefined ? TENANT.clientSecret : await overrides.clientSecret();
    const error = await failureOf(tokens.getToken());
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code, retry: 'permanent', context: { aadsts } });
    expect((error as AppError).message).toMatch(says);
    const visible = JSON.stringify({ message: (error as AppError).message, context: (error as AppError).context });
    expect(visible).not.toContain(sentSecret);
    expect(visible).not.toContain(TENANT.clientSecret);
    expect(visible).not.toContain('Trace ID');
    expect((error as AppError).cause).toBeUndefined();
  });

  // Microsoft's AADSTS list (https://learn.microsoft.com/entra/identity-platform/reference-error-codes): the tenant
  // lives in another national cloud than the authority asked.
  it.each([
    [90038, 400, 'invalid_request', "NationalCloudTenantRedirection - The specified tenant 'x' belongs to the National Cloud 'USGov'."],
    [900382, 400, 'invalid_client', 'Confidential Client is not supported in Cross Cloud request.'],
    [900432, 400, 'invalid_client', 'Confidential Client is not supported in Cross Cloud request.'],
  ])(
    'AADSTS%s (tenant in another Microsoft cloud) -> ENTRA_WRONG_CLOUD: choose the right Microsoft cloud',
    async (code, status, oauthError, text) => {
      fake.failNext({
        path: /\/token$/,
        status,
        body: { error: oauthError, error_description: `AADSTS${code}: ${text} Trace ID: t Correlation ID: c`, error_codes: [code] },
      });
      const error = (await failureOf(provider().tokens.getToken())) as AppError;
      expect(error).toMatchObject({ code: 'ENTRA_WRONG_CLOUD', retry: 'permanent', context: { aadsts: `AADSTS${code}` } });
      expect(error.message).toMatch(/choose the Microsoft cloud the tenant lives in/);
      expect(error.message).not.toContain('Trace ID');
    },
  );

  it('an unknown AADSTS code -> ENTRA_AUTH_FAILED naming the code, never echoing the description', async () => {
    fake.failNext({
      path: /\/token$/,
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: `AADSTS50034: The user account ${TENANT.clientSecret} does not exist. Trace ID: x`,
        error_codes: [50034],
      },
    });
    const error = (await failureOf(provider().tokens.getToken())) as AppError;
    expect(error.code).toBe('ENTRA_AUTH_FAILED');
    expect(error.message).toContain('AADSTS50034');
    expect(JSON.stringify({ m: error.message, c: error.context })).not.toContain(TENANT.clientSecret);
    expect(error.message).not.toContain('does not exist');
  });

  it('reads the AADSTS code from the description when error_codes is missing', async () => {
    fake.failNext({ path: /\/token$/, status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000222: expired.' } });
    await expect(provider().tokens.getToken()).rejects.toMatchObject({ code: 'ENTRA_SECRET_EXPIRED' });
  });

  it('falls back on the OAuth error and status when no AADSTS code is given', async () => {
    fake.failNext({ path: /\/token$/, status: 401, body: { error: 'invalid_client' } });
    await expect(provider().tokens.getToken()).rejects.toMatchObject({ code: 'ENTRA_SECRET_INVALID', context: { aadsts: null } });
  });

  it('an error page that is not JSON -> ENTRA_AUTH_FAILED with the status', async () => {
    fake.failNext({ path: /\/token$/, status: 400, body: '<html>Bad Request</html>' });
    const error = (await failureOf(provider().tokens.getToken())) as AppError;
    expect(error).toMatchObject({ code: 'ENTRA_AUTH_FAILED', context: { status: 400 } });
  });

  it('a success body of the wrong shape -> RESPONSE_MALFORMED without the body as cause', async () => {
    fake.failNext({ path: /\/token$/, status: 200, body: { token_type: 'Bearer', access_token: 'leaked-token-value' } });
    const error = (await failureOf(provider().tokens.getToken())) as AppError;
    expect(error.code).toBe('RESPONSE_MALFORMED');
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify({ m: error.message, c: error.context })).not.toContain('leaked-token-value');
  });

  it('an unreachable authority -> MICROSOFT_UNREACHABLE after the policy attempts', async () => {
    const closed = await startFakeEntra({ tenant: TENANT });
    const endpoints = closed.endpoints;
    await closed.close();
    const error = await failureOf(provider({ endpoints }).tokens.getToken());
    expect(error).toMatchObject({ code: 'MICROSOFT_UNREACHABLE' });
    expect(clock.slept).toHaveLength(3);
  });
});

describe('token provider: the roles claim', () => {
  it('reads the application permissions from the token payload: the built-in tenant grants User.Read.All and GroupMember.Read.All', async () => {
    await expect(provider().tokens.grantedRoles()).resolves.toEqual(['User.Read.All', 'GroupMember.Read.All']);
  });

  it('a token issued without consent has no roles claim: []', async () => {
    fake.setConsent(false);
    await expect(provider().tokens.grantedRoles()).resolves.toEqual([]);
  });

  it('lists every role consent granted', async () => {
    fake.setConsent(true, ['Directory.Read.All', 'Mail.Read']);
    await expect(provider().tokens.grantedRoles()).resolves.toEqual(['Directory.Read.All', 'Mail.Read']);
  });

  it('a token that is not a JWT -> null (unknown), never an error', async () => {
    fake.failNext({ path: /\/token$/, status: 200, body: { token_type: 'Bearer', expires_in: 3599, access_token: 'opaque-token' } });
    await expect(provider().tokens.grantedRoles()).resolves.toBeNull();
  });
});
