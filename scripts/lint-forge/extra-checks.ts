/**
 * Runs the checks for @forge/lint's blind spots over the parsed sources and the manifest, and applies the
 * `lint-forge-ignore-next-line <check> -- <reason>` directive: a comment on the line before a finding (in a source
 * file or in manifest.yml) silences that check there, so a deliberate exception is written down where it happens.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { CheckContext, ExtraCheck } from './checks/check';
import { egressCheck } from './checks/egress-check';
import { handlerExportsCheck } from './checks/handler-exports-check';
import { kvsScopeCheck } from './checks/kvs-scope-check';
import { queueKeysCheck } from './checks/queue-keys-check';
import { resolverKeysCheck } from './checks/resolver-keys-check';
import type { CheckOutcome, Finding } from './findings';
import type { ManifestFacts } from './manifest';
import { buildSourceIndex } from './source-index';

export const EXTRA_CHECKS: readonly ExtraCheck[] = [kvsScopeCheck, egressCheck, queueKeysCheck, resolverKeysCheck, handlerExportsCheck];

const IGNORE_DIRECTIVE = /lint-forge-ignore-next-line\b([^\n]*)/;

export interface ExtraChecksInput {
  readonly root: string;
  /** Files to lint, relative to root (see listLintFiles). */
  readonly files: readonly string[];
  readonly manifest: ManifestFacts;
  readonly manifestText: string;
}

export function runExtraChecks(input: ExtraChecksInput, checks: readonly ExtraCheck[] = EXTRA_CHECKS): CheckOutcome[] {
  const context: CheckContext = {
    index: buildSourceIndex(input.root, input.files),
    manifest: input.manifest,
    manifestText: input.manifestText,
  };
  const lines = fileLines(input.root);
  return checks.map((check) => {
    const result = check.run(context);
    const kept = result.findings.filter((finding) => !isIgnored(finding, lines));
    const ignored = result.findings.length - kept.length;
    const notes = ignored > 0 ? [...result.notes, `${ignored} finding(s) silenced by lint-forge-ignore-next-line`] : result.notes;
    return { check: check.id, title: check.title, status: 'ran', notes, findings: kept };
  });
}

function fileLines(root: string): (file: string) => readonly string[] {
  const cache = new Map<string, readonly string[]>();
  return (file) => {
    let lines = cache.get(file);
    if (lines === undefined) {
      const absolute = path.join(root, file);
      lines = fs.existsSync(absolute) ? fs.readFileSync(absolute, 'utf8').split(/\r?\n/) : [];
      cache.set(file, lines);
    }
    return lines;
  };
}

function isIgnored(finding: Finding, lines: (file: string) => readonly string[]): boolean {
  if (finding.line < 2) return false;
  const previous = lines(finding.file)[finding.line - 2];
  const match = previous === undefined ? null : IGNORE_DIRECTIVE.exec(previous);
  if (match === null) return false;
  // Grammar: lint-forge-ignore-next-line [check[, check...]] [-- reason]; no check named means every check.
  const named =
    (match[1] ?? '')
      .split('--')[0]
      ?.split(/[\s,]+/)
      .filter((word) => word !== '') ?? [];
  return named.length === 0 || named.includes(finding.check);
}
