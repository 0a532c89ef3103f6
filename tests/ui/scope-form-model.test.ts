/**
 * Issue 12 (scope builder): the Setup tab's builder model against the domain's own scope code. A saved scope opened in
 * the builder and saved again sends the same text form (so opening the page and saving changes nothing), "is one of"
 * lists split as the helper says, and the messages are the backend schema's.
 */
import { parseScopeText, printScope } from '../../src/domain/scope';
import { scopeBuilderValues, scopeMessages, scopeText, splitValues } from '../../src/ui/scope-form-model';

describe('scope builder model', () => {
  it.each([
    '',
    "userType eq 'Member'",
    'accountEnabled eq true',
    "userType eq 'Member' and accountEnabled eq true and department in ('Sales', 'Legal, EMEA') and (country eq 'DE' or startswith(usageLocation, 'A'))",
    "jobTitle ne 'Intern''s Helper' and employeeType eq null and memberOf('0badc0de-0000-4000-8000-000000000012')",
    "transitiveMemberOf('0badc0de-0000-4000-8000-000000000012', '0badc0de-0000-4000-8000-000000000013') and city eq 'Berlin'",
  ])('opens %j in the builder and sends it back unchanged', (text) => {
    const scope = parseScopeText(text);
    expect(scopeText(scopeBuilderValues(scope))).toBe(printScope(scope));
    expect(scopeMessages(scopeBuilderValues(scope))).toEqual({ fields: {} });
  });

  it('splits "is one of" by line when there is a line break, else by comma', () => {
    expect(splitValues('Sales, Legal')).toEqual(['Sales', 'Legal']);
    expect(splitValues('Sales\nLegal, EMEA\n\n')).toEqual(['Sales', 'Legal, EMEA']);
    expect(splitValues(' , ')).toEqual([]);
  });

  it('gives the backend schema messages per line and for the whole scope, and no text to send', () => {
    const values = {
      membersOnly: false,
      enabledOnly: false,
      rules: [{ key: 'a', kind: 'property' as const, lines: [{ key: 'a1', property: 'city' as const, op: 'eq' as const, text: ' ' }] }],
    };
    expect(scopeMessages(values).fields).toEqual({
      a1: 'A scope value cannot be empty: to test for an empty property use "is empty" (prop eq null).',
    });
    expect(scopeText(values)).toBeNull();
    const many = {
      ...values,
      rules: Array.from({ length: 21 }, (_, i) => ({
        key: `r${i}`,
        kind: 'property' as const,
        lines: [{ key: `l${i}`, property: 'city' as const, op: 'eq' as const, text: `City ${i}` }],
      })),
    };
    expect(scopeMessages(many).scope).toBe('A scope can have at most 20 property rules; this one has 21.');
  });
});
