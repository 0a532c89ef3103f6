/**
 * docs/errors.md is the admin's list of error codes: it must name exactly the codes the app can raise, no more
 * and no fewer, so a new code cannot ship undocumented and a removed one cannot linger in the docs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ERROR_CODES } from '../../src/domain/errors';

const DOC = readFileSync(join(__dirname, '..', '..', 'docs', 'errors.md'), 'utf8');

/** The first cell of every table row that names a code: | `CODE` | ... */
function documentedCodes(markdown: string): string[] {
  return [...markdown.matchAll(/^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1]!);
}

describe('docs/errors.md', () => {
  it('lists every error code the app raises, and only those', () => {
    const documented = documentedCodes(DOC);
    expect([...documented].sort()).toEqual([...ERROR_CODES].sort());
  });

  it('lists each code once', () => {
    const documented = documentedCodes(DOC);
    expect(documented.filter((code, i) => documented.indexOf(code) !== i)).toEqual([]);
  });
});
