/**
 * Everything the sandbox prints. With --json, stdout gets exactly one JSON object and nothing else; without it,
 * readable lines, and a progress bar while a run goes only when stdout is a terminal. Errors go to stderr as one
 * line. Every string passes through `redact` first, so a client secret given on the command line (or the built-in
 * tenant's) can never be printed, whatever produced the text.
 */

export interface OutputOptions {
  readonly json: boolean;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /** Values that must never be printed. */
  readonly secrets: readonly string[];
}

export class Output {
  private progressShown = false;
  private jsonPrinted = false;
  private readonly secrets: readonly string[];

  constructor(private readonly options: OutputOptions) {
    this.secrets = options.secrets.filter((s) => s.trim().length >= 4);
  }

  get json(): boolean {
    return this.options.json;
  }

  /** A line of human output (ignored in --json mode). */
  line(text = ''): void {
    if (this.options.json) return;
    this.clearProgress();
    this.options.stdout.write(`${this.redact(text)}\n`);
  }

  /** The one JSON object of --json mode. */
  result(value: unknown): void {
    if (!this.options.json) return;
    if (this.jsonPrinted) throw new Error('The sandbox tried to print a second JSON object.');
    this.jsonPrinted = true;
    this.options.stdout.write(`${this.redact(JSON.stringify(value, null, 2))}\n`);
  }

  /** One line on stderr. */
  error(text: string): void {
    this.clearProgress();
    this.options.stderr.write(`${this.redact(text.replace(/\s*\n\s*/g, ' '))}\n`);
  }

  /** A note on stderr that is not an error (e.g. resumed work), kept off stdout so --json stays clean. */
  notice(text: string): void {
    this.clearProgress();
    this.options.stderr.write(`${this.redact(text)}\n`);
  }

  progress(label: string, processed: number, total: number | null): void {
    if (this.options.json || !this.options.stdout.isTTY) return;
    const width = 28;
    const ratio = total !== null && total > 0 ? Math.min(1, processed / total) : null;
    const filled = ratio === null ? 0 : Math.round(ratio * width);
    const bar = ratio === null ? '░'.repeat(width) : `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const figures = ratio === null ? (processed > 0 ? ` ${processed}` : '') : ` ${Math.round(ratio * 100)}% (${processed}/${total})`;
    const columns = this.options.stdout.columns || 100;
    const text = `  ${bar}${figures} ${label}`.slice(0, Math.max(20, columns - 1));
    this.options.stdout.write(`\r\x1b[K${this.redact(text)}`);
    this.progressShown = true;
  }

  clearProgress(): void {
    if (!this.progressShown) return;
    this.options.stdout.write('\r\x1b[K');
    this.progressShown = false;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }
}
