/**
 * Issue 12, scope points 1 and 2: the scope rule model (limits, messages) and its text form, parsed and printed
 * both ways (round trip with fast-check), and the evaluation rules (case-insensitive, trimmed).
 */
import fc from 'fast-check';

import { isAppError } from '../../src/domain/errors';
import {
  evaluateScope,
  parseScope,
  parseScopeText,
  printScope,
  type Scope,
  SCOPE_MAX_RULES,
  SCOPE_MAX_VALUE_LENGTH,
  SCOPE_MAX_VALUES,
  SCOPE_OPERATORS,
  SCOPE_PROPERTIES,
  SCOPE_TEXT_MAX_LENGTH,
  type ScopeClause,
  type ScopedUser,
  scopeGroupIds,
  scopeProfileProperties,
  type ScopeRule,
} from '../../src/domain/scope';

function failure(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an error');
}

const user = (overrides: Partial<ScopedUser> & { profile?: Record<string, string | null> } = {}): ScopedUser => ({
  id: 'u-0',
  accountEnabled: true,
  department: null,
  jobTitle: null,
  profile: {},
  ...overrides,
});

describe('the text form', () => {
  it('reads the example of the issue and prints it back', () => {
    const text =
      "userType eq 'Member' and accountEnabled eq true and department in ('Sales','Legal') and (country eq 'DE' or country eq 'AT')";
    const scope = parseScopeText(text);
    expect(scope).toEqual({
      v: 1,
      membersOnly: true,
      enabledOnly: true,
      clauses: [
        { property: 'department', op: 'in', values: ['Sales', 'Legal'] },
        {
          anyOf: [
            { property: 'country', op: 'eq', values: ['DE'] },
            { property: 'country', op: 'eq', values: ['AT'] },
          ],
        },
      ],
    });
    expect(printScope(scope)).toBe(
      "userType eq 'Member' and accountEnabled eq true and department in ('Sales', 'Legal') and (country eq 'DE' or country eq 'AT')",
    );
  });

  it('reads every operator, keywords and property names in any case, and doubled quotes', () => {
    const scope = parseScopeText(
      "STARTSWITH(JobTitle, 'Eng''r') AND City EQ NULL and companyName NE 'O''Brien & Co' and usageLocation in ('DE')",
    );
    expect(scope?.clauses).toEqual([
      { property: 'jobTitle', op: 'startsWith', values: ["Eng'r"] },
      { property: 'city', op: 'empty', values: [] },
      { property: 'companyName', op: 'ne', values: ["O'Brien & Co"] },
      { property: 'usageLocation', op: 'in', values: ['DE'] },
    ]);
    expect(printScope(scope)).toBe(
      "startswith(jobTitle, 'Eng''r') and city eq null and companyName ne 'O''Brien & Co' and usageLocation in ('DE')",
    );
  });

  it("'' and spaces clear the scope (everyone); null prints as ''", () => {
    expect(parseScopeText('')).toBeNull();
    expect(parseScopeText('   ')).toBeNull();
    expect(printScope(null)).toBe('');
  });

  const badInputs: [string, RegExp][] = [
    ["foo eq 'x'", /unknown property "foo" at character 1/],
    ['department in ()', /"in" list of department is empty/],
    ["department eq ''", /cannot be empty/],
    ["department eq 'a' or city eq 'b'", /"or" at character 19 must be inside parentheses/],
    ["memberOf('0000')", /"0000" is not an Entra group object id/],
    ['memberOf()', /the group list at character 10 is empty/],
    ["(memberOf('6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d') or city eq 'x')", /memberOf\(\.\.\.\) at character 2 cannot be inside an OR group/],
    [
      `memberOf(${Array.from({ length: 21 }, (_, i) => `'6f1b2c3d-4e5f-4a6b-8c7d-${String(i).padStart(12, '0')}'`).join(',')})`,
      /at most 20 groups/,
    ],
    ["department eq 'open", /no closing quote/],
    ["userType eq 'Guest'", /userType can only be compared with 'Member'/],
    ['accountEnabled eq false', /accountEnabled can only be compared with true/],
    ['department ne null', /"ne null" is not a scope rule/],
    ["department gt 'a'", /expected eq, ne or in after department/],
    ["department eq 'a' and", /expected a property name at the end/],
    ["department eq 'a' ; city eq 'b'", /unexpected character ";"/],
    [`department eq '${'x'.repeat(SCOPE_MAX_VALUE_LENGTH + 1)}'`, /at most 200 characters/],
    [`department in (${Array.from({ length: SCOPE_MAX_VALUES + 1 }, (_, i) => `'v${i}'`).join(',')})`, /at most 50 values/],
    [Array.from({ length: SCOPE_MAX_RULES + 1 }, (_, i) => `city eq 'c${i}'`).join(' and '), /at most 20 property rules; this one has 21/],
    [`city eq '${'x'.repeat(SCOPE_TEXT_MAX_LENGTH)}'`, /at most 4000 characters/],
  ];
  it.each(badInputs.map(([text, message]) => [text.length > 70 ? `${text.slice(0, 70)}...` : text, text, message] as const))(
    '%s -> INPUT_INVALID with a clear message',
    (_label, text, message) => {
      const error = failure(() => parseScopeText(text));
      expect(error.code).toBe('INPUT_INVALID');
      expect(error.message).toMatch(/^The sync scope was not saved: /);
      expect(error.message).toMatch(message);
    },
  );

  it('the structured form (Setup tab) is checked by the same schema', () => {
    const base = { v: 1, membersOnly: false, enabledOnly: false };
    expect(failure(() => parseScope({ ...base, clauses: [{ property: 'manager', op: 'eq', values: ['x'] }] })).message).toMatch(
      /Unknown scope property "manager"/,
    );
    expect(failure(() => parseScope({ ...base, clauses: [{ property: 'city', op: 'in', values: [] }] })).message).toMatch(
      /needs at least one value/,
    );
    expect(failure(() => parseScope({ ...base, clauses: [{ anyOf: [{ property: 'city', op: 'eq', values: ['a'] }] }] })).message).toMatch(
      /at least two rules/,
    );
  });
});

// ---- round trip ----

const valueArb = fc
  .string({ minLength: 1, maxLength: 30 })
  .map((value) => value.trim())
  .filter((value) => value.length > 0);
const propertyArb = fc.constantFrom(...SCOPE_PROPERTIES);
const ruleArb: fc.Arbitrary<ScopeRule> = fc.oneof(
  fc.record({
    property: propertyArb,
    op: fc.constantFrom('eq' as const, 'ne' as const, 'startsWith' as const),
    values: fc.tuple(valueArb),
  }),
  fc.record({ property: propertyArb, op: fc.constant('in' as const), values: fc.array(valueArb, { minLength: 1, maxLength: 5 }) }),
  fc.record({ property: propertyArb, op: fc.constant('empty' as const), values: fc.constant([] as string[]) }),
);
const groupIdArb = fc.uuid().map((id) => id.toLowerCase());
const clauseArb: fc.Arbitrary<ScopeClause> = fc.oneof(
  { weight: 3, arbitrary: ruleArb },
  { weight: 1, arbitrary: fc.record({ memberOf: fc.uniqueArray(groupIdArb, { minLength: 1, maxLength: 3 }), transitive: fc.boolean() }) },
  { weight: 1, arbitrary: fc.array(ruleArb, { minLength: 2, maxLength: 3 }).map((anyOf) => ({ anyOf })) },
);
const scopeArb: fc.Arbitrary<Scope> = fc
  .record({ membersOnly: fc.boolean(), enabledOnly: fc.boolean(), clauses: fc.array(clauseArb, { maxLength: 5 }) })
  .map((scope) => ({ v: 1 as const, ...scope }))
  .filter((scope) => scope.membersOnly || scope.enabledOnly || scope.clauses.length > 0);

describe('round trip (fast-check)', () => {
  it('parse(print(scope)) is the scope, for any scope', () => {
    fc.assert(
      fc.property(scopeArb, (scope) => {
        expect(parseScopeText(printScope(scope))).toEqual(scope);
      }),
      { numRuns: 300 },
    );
  });

  it('print(parse(text)) reads back to the same scope whatever the spacing and case of the keywords', () => {
    fc.assert(
      fc.property(scopeArb, fc.boolean(), (scope, upper) => {
        const printed = printScope(scope);
        // Spaces around punctuation and keyword case are free; values (inside quotes) are kept as they are.
        const loose = printed
          .split(/('(?:[^']|'')*')/)
          .map((part, i) => (i % 2 === 1 ? part : part.replace(/ and /g, upper ? '  AND  ' : ' and ').replace(/, /g, ' ,')))
          .join('');
        expect(printScope(parseScopeText(loose))).toBe(printed);
      }),
      { numRuns: 200 },
    );
  });
});

// ---- evaluation ----

describe('group membership rules', () => {
  const sales = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  const legal = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4e';

  it('reads memberOf and transitiveMemberOf (ids lower-cased), prints them back, and lists the groups the run must read', () => {
    const scope = parseScopeText(
      `accountEnabled eq true and memberOf('${sales.toUpperCase()}', '${legal}') and transitiveMemberOf('${legal}')`,
    );
    expect(scope?.clauses).toEqual([
      { memberOf: [sales, legal], transitive: false },
      { memberOf: [legal], transitive: true },
    ]);
    expect(printScope(scope)).toBe(`accountEnabled eq true and memberOf('${sales}', '${legal}') and transitiveMemberOf('${legal}')`);
    expect(scopeGroupIds(scope)).toEqual([legal, sales].sort());
    expect(scopeGroupIds(parseScopeText("department eq 'x'"))).toEqual([]);
    // Membership needs no user property: nothing more to $select.
    expect(scopeProfileProperties(scope)).toEqual([]);
  });

  it('keeps users who are members of any of the groups, asking direct or transitive as the rule says', () => {
    const asked: string[] = [];
    const lookup = (userId: string, groupIds: readonly string[], transitive: boolean) => {
      asked.push(`${userId}:${transitive ? 't' : 'd'}`);
      return (userId === 'in-sales' && groupIds.includes(sales)) || (userId === 'nested' && transitive);
    };
    const users = [user({ id: 'in-sales' }), user({ id: 'nested' }), user({ id: 'outside' })];
    const direct = evaluateScope(parseScopeText(`memberOf('${sales}')`), users, lookup);
    expect([...direct.inScope]).toEqual([1, 0, 0]);
    expect(direct.clauses).toEqual([{ rule: `memberOf('${sales}')`, excluded: 2 }]);
    const transitive = evaluateScope(parseScopeText(`transitiveMemberOf('${legal}')`), users, lookup);
    expect([...transitive.inScope]).toEqual([0, 1, 0]);
    expect(asked).toContain('nested:t');
    expect(() => evaluateScope(parseScopeText(`memberOf('${sales}')`), users)).toThrow(/read no groups/);
  });
});

describe('evaluation', () => {
  it('every operator compares case-insensitively and trimmed; is-empty takes null and blanks', () => {
    const scope = (clause: string) => parseScopeText(clause);
    const sales = user({ department: '  SALES ', profile: { country: 'de', city: '   ', companyName: 'Contoso Ltd' } });
    const none = user({ department: null, profile: { country: null, city: null, companyName: null } });
    const cases: [string, boolean, boolean][] = [
      ["department eq 'sales'", true, false],
      ["department ne 'Sales'", false, true],
      ["department in ('Legal', ' sales ')", true, false],
      ["startswith(companyName, 'contoso')", true, false],
      ['city eq null', true, true],
      ['country eq null', false, true],
      ["(country eq 'AT' or department eq 'Sales')", true, false],
    ];
    for (const [text, forSales, forNone] of cases) {
      const result = evaluateScope(scope(text), [sales, none]);
      expect([text, [...result.inScope]]).toEqual([text, [forSales ? 1 : 0, forNone ? 1 : 0]]);
    }
  });

  it('members only keeps userType Member (any case), not guests or a missing userType; enabled only drops disabled users', () => {
    const scope = parseScopeText("userType eq 'Member' and accountEnabled eq true");
    const users = [
      user({ profile: { userType: 'Member' } }),
      user({ profile: { userType: ' member ' } }),
      user({ profile: { userType: 'Guest' } }),
      user({ profile: { userType: null } }),
      user({ accountEnabled: false, profile: { userType: 'Member' } }),
    ];
    const result = evaluateScope(scope, users);
    expect([...result.inScope]).toEqual([1, 1, 0, 0, 0]);
    expect(result.outOfScope).toBe(3);
    expect(result.clauses).toEqual([
      { rule: "userType eq 'Member'", excluded: 2 },
      { rule: 'accountEnabled eq true', excluded: 1 },
    ]);
  });

  it('no scope keeps everyone; the properties it needs besides the core ones are listed for $select', () => {
    expect([...evaluateScope(null, [user(), user()]).inScope]).toEqual([1, 1]);
    expect(scopeProfileProperties(null)).toEqual([]);
    expect(
      scopeProfileProperties(
        parseScopeText("userType eq 'Member' and department eq 'a' and (city eq 'x' or country eq null) and jobTitle ne 'b'"),
      ),
    ).toEqual(['city', 'country', 'userType']);
  });

  it('operators and properties are the ones the issue names', () => {
    expect([...SCOPE_OPERATORS]).toEqual(['eq', 'ne', 'startsWith', 'in', 'empty']);
    expect([...SCOPE_PROPERTIES].sort()).toEqual(
      ['department', 'companyName', 'employeeType', 'country', 'officeLocation', 'jobTitle', 'city', 'usageLocation'].sort(),
    );
  });
});
