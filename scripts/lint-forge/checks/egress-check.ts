/**
 * Egress: @forge/lint only sees URLs passed straight to fetch(), so a host kept in a constant or built in a
 * template literal (`${cloud.graph}/v1.0/users`) escapes it, and Forge blocks the call at run time. This check
 * takes every https://host written in any string or template literal under src/ as a host the app may call, and
 * requires it under permissions.external.fetch.backend. It also flags declared hosts no code mentions (stale
 * egress is shown to admins at install) and entries in the deprecated plain-string form.
 */
import * as ts from 'typescript';

import type { Finding } from '../findings';
import { type EgressEntry, MANIFEST_FILE, manifestLine } from '../manifest';
import { isUnder, type Location, locationOf, type SourceFile, walk } from '../source-index';
import type { ExtraCheck } from './check';

/** `https://` then a host name; the host ends at '/', ':', '?', '#', '$' (a substitution), quotes or spaces. */
const HTTPS_HOST = /https:\/\/([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)/gi;

export interface HostUse {
  readonly host: string;
  readonly file: SourceFile;
  readonly location: Location;
}

/** Every https host written in a string or template literal of the file. */
export function hostsInLiterals(file: SourceFile): HostUse[] {
  const uses: HostUse[] = [];
  walk(file.ast, (node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      for (const match of node.text.matchAll(HTTPS_HOST)) {
        if (match[1] !== undefined) uses.push({ host: match[1].toLowerCase(), file, location: locationOf(file, node) });
      }
    }
  });
  return uses;
}

/** The host pattern of a declared egress address: 'https://graph.microsoft.com/x' -> 'graph.microsoft.com'. */
export function declaredHost(address: string): string {
  const withoutScheme = address.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const host = withoutScheme.split(/[/?#]/, 1)[0] ?? withoutScheme;
  return host.replace(/:\d+$/, '').toLowerCase();
}

export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

export function entryAddress(entry: EgressEntry): string {
  return typeof entry === 'string' ? entry : entry.address;
}

export const egressCheck: ExtraCheck = {
  id: 'egress',
  title: 'https hosts in code are declared egress',
  run({ index, manifest, manifestText }) {
    const findings: Finding[] = [];
    const declared = manifest.backendEgress.map((entry) => ({
      entry,
      address: entryAddress(entry),
      pattern: declaredHost(entryAddress(entry)),
    }));
    const uses = index.files.filter((f) => isUnder(f, 'src')).flatMap(hostsInLiterals);

    for (const use of uses) {
      if (declared.some((d) => hostMatches(d.pattern, use.host))) continue;
      findings.push({
        check: 'egress',
        severity: 'error',
        file: use.file.path,
        ...use.location,
        message: `https://${use.host} is not declared egress: add "- address: https://${use.host}" under permissions.external.fetch.backend in ${MANIFEST_FILE} (or mark the line with "lint-forge-ignore-next-line egress" if it is never fetched).`,
      });
    }

    for (const d of declared) {
      const line = manifestLine(manifestText, typeof d.entry === 'string' ? undefined : 'address', d.address);
      if (typeof d.entry === 'string') {
        findings.push({
          check: 'egress',
          severity: 'warning',
          file: MANIFEST_FILE,
          line,
          column: 0,
          message: `Egress "${d.address}" uses the deprecated plain-string form: write it as "- address: ${d.address}".`,
        });
      }
      if (!uses.some((use) => hostMatches(d.pattern, use.host))) {
        findings.push({
          check: 'egress',
          severity: 'warning',
          file: MANIFEST_FILE,
          line,
          column: 0,
          message: `Egress "${d.address}" is declared but no https://${d.pattern} appears in src/: remove it, or keep the host in code where it is used.`,
        });
      }
    }
    const hosts = new Set(uses.map((u) => u.host));
    return {
      findings,
      notes: [
        `${hosts.size} distinct https host(s) in src/, ${declared.length} declared backend egress entr${declared.length === 1 ? 'y' : 'ies'}`,
      ],
    };
  },
};
