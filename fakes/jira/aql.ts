/**
 * The AQL subset the app's client sends, parsed strictly: `objectTypeId = N`, optionally followed by
 * `AND "Attribute" = "value"`, `AND "Attribute" IN ("a", "b")` or `AND Updated > now(-<n>m)`. Anything else is
 * refused so a client that starts sending other queries fails loudly in tests instead of silently matching nothing.
 *
 * `Updated > now(-<n>m)`: AQL's syntax is `<attribute> <operator> <value/function>` ("Use Assets Query Language",
 * https://support.atlassian.com/jira-service-management-cloud/docs/use-assets-query-language-aql/), Updated is a
 * system attribute of every object type, and `now()` with a signed offset in minutes (m), hours (h) or days (d) is the
 * date function Atlassian's query languages share (JQL: https://confluence.atlassian.com/display/ADMINJIRASERVER084/__JQL+Functions+supported+by+Date+Fields).
 * Whether Assets Cloud accepts it on Updated is not documented (jira-and-assets.md "Checked later"): the fake refuses
 * it by default (FakeJiraSiteOptions.assetsAqlUpdatedFilter). A relative `now()` is evaluated on the site's clock,
 * so neither a date format nor a timezone is involved.
 */

export interface AqlQuery {
  readonly objectTypeId: string;
  readonly conditions: readonly { readonly attribute: string; readonly values: readonly string[] }[];
  /** `Updated > now(-<n><unit>)`: objects updated within this many milliseconds of the site's now. */
  readonly updatedWithinMs?: number;
}

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

type Token = { kind: 'string' | 'word' | 'punct'; text: string };

export function parseAql(input: string): AqlQuery | { error: string } {
  const tokens = tokenize(input);
  if ('error' in tokens) return tokens;
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token | undefined => tokens[pos++];
  const expectPunct = (text: string): boolean => {
    const t = next();
    return t !== undefined && t.kind === 'punct' && t.text === text;
  };
  const value = (): string | null => {
    const t = next();
    return t !== undefined && t.kind !== 'punct' ? t.text : null;
  };

  let objectTypeId: string | null = null;
  const conditions: { attribute: string; values: string[] }[] = [];
  let updatedWithinMs: number | undefined;
  for (;;) {
    const head = next();
    if (head === undefined || head.kind === 'punct') return { error: `expected an attribute at token ${pos}` };
    if (head.kind === 'word' && head.text.toLowerCase() === 'objecttypeid') {
      if (!expectPunct('=')) return { error: 'objectTypeId must be followed by =' };
      const id = value();
      if (id === null) return { error: 'objectTypeId needs a value' };
      objectTypeId = id;
    } else if (head.kind === 'word' && head.text.toLowerCase() === 'updated' && peek()?.text === '>') {
      pos++;
      const fn = next();
      if (fn?.kind !== 'word' || fn.text.toLowerCase() !== 'now' || !expectPunct('(')) return { error: 'Updated > needs now(-<n>m)' };
      const offset = /^-(\d+)([mhd])$/.exec(next()?.text ?? '');
      if (offset === null || !expectPunct(')')) return { error: 'now() needs one negative offset such as -90m' };
      updatedWithinMs = Number(offset[1]) * (UNIT_MS[offset[2] ?? 'm'] ?? 60_000);
    } else {
      const operator = next();
      if (operator?.kind === 'punct' && operator.text === '=') {
        const v = value();
        if (v === null) return { error: `"${head.text}" = needs a value` };
        conditions.push({ attribute: head.text, values: [v] });
      } else if (operator?.kind === 'word' && operator.text.toUpperCase() === 'IN') {
        if (!expectPunct('(')) return { error: 'IN must be followed by (' };
        const values: string[] = [];
        for (;;) {
          const v = value();
          if (v === null) return { error: 'IN list needs values' };
          values.push(v);
          const sep = next();
          if (sep?.kind === 'punct' && sep.text === ')') break;
          if (!(sep?.kind === 'punct' && sep.text === ',')) return { error: 'IN list values must be separated by commas' };
        }
        conditions.push({ attribute: head.text, values });
      } else {
        return { error: `unsupported operator after "${head.text}" (the fake understands = and IN)` };
      }
    }
    const joiner = peek();
    if (joiner === undefined) break;
    if (joiner.kind === 'word' && joiner.text.toUpperCase() === 'AND') {
      pos++;
      continue;
    }
    return { error: `unsupported token "${joiner.text}" (the fake understands AND only)` };
  }
  if (objectTypeId === null) return { error: 'the query must restrict objectTypeId' };
  return updatedWithinMs === undefined ? { objectTypeId, conditions } : { objectTypeId, conditions, updatedWithinMs };
}

function tokenize(input: string): Token[] | { error: string } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if ('(),=>'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else if (c === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= input.length) return { error: 'unterminated string' };
        const d = input.charAt(i);
        if (d === '\\') {
          if (i + 1 >= input.length) return { error: 'dangling backslash' };
          text += input.charAt(i + 1);
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          text += d;
          i++;
        }
      }
      tokens.push({ kind: 'string', text });
    } else {
      const match = /^[A-Za-z0-9_.-]+/.exec(input.slice(i));
      if (!match) return { error: `unexpected character "${c}"` };
      tokens.push({ kind: 'word', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}
