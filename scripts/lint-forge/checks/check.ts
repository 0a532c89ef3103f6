/**
 * The contract every extra check implements: it reads the parsed sources and the manifest facts and returns its
 * findings plus short notes for the summary (what it looked at, what it could not resolve).
 */
import type { CheckId, Finding } from '../findings';
import type { ManifestFacts } from '../manifest';
import type { SourceIndex } from '../source-index';

export interface CheckContext {
  readonly index: SourceIndex;
  readonly manifest: ManifestFacts;
  /** manifest.yml as written, to point findings at the right line. */
  readonly manifestText: string;
}

export interface CheckResult {
  readonly findings: Finding[];
  readonly notes: string[];
}

export interface ExtraCheck {
  readonly id: CheckId;
  readonly title: string;
  run(context: CheckContext): CheckResult;
}
