/**
 * Resolver keys: `invoke('key')` for a key the resolver never defined fails only when an admin clicks, and
 * @forge/lint does not compare the two sides. Invoked keys are the first argument of `invoke(...)` calls under
 * src/ui plus the values of an exported RESOLVER_KEYS constant (the UI's typed contract). Defined keys are the
 * first argument of `.define(...)` in resolver code (src/functions, or any file importing @forge/resolver); a
 * resolver that defines keys from RESOLVER_KEYS without naming each one (a loop over its values) defines them all.
 */
import * as ts from 'typescript';

import type { Finding } from '../findings';
import {
  calleeName,
  isUnder,
  type Location,
  locationOf,
  moduleReferences,
  resolveString,
  type SourceFile,
  stringLeaves,
  walk,
} from '../source-index';
import type { CheckContext, ExtraCheck } from './check';
import { didYouMean } from './suggest';

export const RESOLVER_KEYS_NAME = 'RESOLVER_KEYS';

export interface KeySite {
  readonly key: string;
  readonly file: SourceFile;
  readonly location: Location;
  readonly node: ts.Node;
}

function isResolverFile(file: SourceFile): boolean {
  return isUnder(file, 'src/functions') || moduleReferences(file).some((r) => r.specifier === '@forge/resolver');
}

/** First-argument keys of calls named `name` in the given files, split into resolved and not resolvable. */
function callKeys(
  context: CheckContext,
  files: readonly SourceFile[],
  name: string,
  minArguments: number,
): { sites: KeySite[]; dynamic: KeySite[] } {
  const sites: KeySite[] = [];
  const dynamic: KeySite[] = [];
  for (const file of files) {
    walk(file.ast, (node) => {
      if (!ts.isCallExpression(node) || calleeName(node.expression) !== name || node.arguments.length < minArguments) return;
      const first = node.arguments[0];
      if (first === undefined) return;
      const key = resolveString(context.index, file, first);
      if (key === undefined) dynamic.push({ key: first.getText(file.ast), file, location: locationOf(file, first), node: first });
      else sites.push({ key, file, location: locationOf(file, first), node: first });
    });
  }
  return { sites, dynamic };
}

/**
 * Whether the file uses the registry other than by naming single keys in resolved define() calls (e.g. a loop over
 * its values). Imports, exports, types and the declaration itself do not count.
 */
function usesRegistryWholesale(file: SourceFile, resolvedDefineArguments: ReadonlySet<ts.Node>): boolean {
  let found = false;
  walk(file.ast, (node) => {
    if (found || !ts.isIdentifier(node) || node.text !== RESOLVER_KEYS_NAME) return;
    const parent = node.parent;
    if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isExportSpecifier(parent)) return;
    if (ts.isVariableDeclaration(parent) && parent.name === node) return;
    for (let current: ts.Node | undefined = node; current !== undefined; current = current.parent) {
      // Types derived from the registry (typeof RESOLVER_KEYS) define nothing.
      if (resolvedDefineArguments.has(current) || ts.isTypeNode(current)) return;
    }
    found = true;
  });
  return found;
}

export const resolverKeysCheck: ExtraCheck = {
  id: 'resolver-keys',
  title: 'invoked resolver keys are defined',
  run(context) {
    const { index } = context;
    const findings: Finding[] = [];
    const notes: string[] = [];
    const uiFiles = index.files.filter((f) => isUnder(f, 'src/ui'));
    const resolverFiles = index.files.filter((f) => isUnder(f, 'src') && isResolverFile(f));

    const registry = (index.constants.get(RESOLVER_KEYS_NAME) ?? []).filter(
      (c) => c.exported && c.value.kind === 'object' && isUnder(c.file, 'src'),
    );
    const registrySites: KeySite[] = registry.flatMap((c) =>
      stringLeaves(c.value).map((leaf) => ({ key: leaf.value, file: c.file, location: locationOf(c.file, leaf.node), node: leaf.node })),
    );

    const invoked = callKeys(context, uiFiles, 'invoke', 1);
    const defined = callKeys(context, resolverFiles, 'define', 2);
    const invokedSites = [...invoked.sites, ...registrySites];
    const definedKeys = new Set(defined.sites.map((s) => s.key));
    // The resolver defines keys from the registry (e.g. a loop over its values): all of them count as defined.
    const resolvedDefineArguments = new Set(defined.sites.map((site) => site.node));
    const definesFromRegistry = registry.length > 0 && resolverFiles.some((f) => usesRegistryWholesale(f, resolvedDefineArguments));
    if (definesFromRegistry) for (const site of registrySites) definedKeys.add(site.key);

    for (const site of invokedSites) {
      if (definedKeys.has(site.key)) continue;
      findings.push({
        check: 'resolver-keys',
        severity: 'error',
        file: site.file.path,
        ...site.location,
        message: `Resolver key "${site.key}" is invoked but no resolver defines it (.define('${site.key}', ...)): the call fails at run time.${didYouMean(site.key, [...definedKeys])}`,
      });
    }
    const invokedKeys = new Set(invokedSites.map((s) => s.key));
    for (const site of defined.sites) {
      if (invokedKeys.has(site.key)) continue;
      findings.push({
        check: 'resolver-keys',
        severity: 'warning',
        file: site.file.path,
        ...site.location,
        message: `Resolver key "${site.key}" is defined but nothing under src/ui invokes it (and it is not in ${RESOLVER_KEYS_NAME}): remove it or fix the caller's key.${didYouMean(site.key, [...invokedKeys])}`,
      });
    }

    notes.push(
      `${invokedKeys.size} invoked key(s), ${definedKeys.size} defined key(s)${definesFromRegistry ? ` (resolver defines from ${RESOLVER_KEYS_NAME})` : ''}`,
    );
    for (const d of invoked.dynamic)
      notes.push(`not checked: invoke(${d.key}) at ${d.file.path}:${d.location.line} (key not a literal or constant)`);
    if (!definesFromRegistry)
      for (const d of defined.dynamic)
        notes.push(`not checked: define(${d.key}) at ${d.file.path}:${d.location.line} (key not a literal or constant)`);
    return { findings, notes };
  },
};
