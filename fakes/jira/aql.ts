/**
 * The AQL subset the app's client sends, parsed strictly: `objectTypeId = N`, optionally followed by
 * `AND "Attribute" = "value"` or `AND "Attribute" IN ("a", "b")`. Anything else is refused so a client that starts
 * sending other queries fails loudly in tests instead of silently matching nothing.
 */

export interface AqlQuery {
  readonly objectTypeId: string;
  readonly conditions: readonly { readonly attribute: string; readonly values: readonly string[] }[];
}

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
  for (;;) {
    const head = next();
    if (head === undefined || head.kind === 'punct') return { error: `expected an attribute at token ${pos}` };
    if (head.kind === 'word' && head.text.toLowerCase() === 'objecttypeid') {
      if (!expectPunct('=')) return { error: 'objectTypeId must be followed by =' };
      const id = value();
      if (id === null) return { error: 'objectTypeId needs a value' };
      objectTypeId = id;
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
  return { objectTypeId, conditions };
}

function tokenize(input: string): Token[] | { error: string } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if ('(),='.includes(c)) {
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
