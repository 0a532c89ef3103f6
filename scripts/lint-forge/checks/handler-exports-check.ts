/**
 * Function handlers: every manifest `handler: file.export` must name src/<file>.ts(x) exporting <export>.
 * @forge/lint only warns about a missing export when the file exists, and says nothing when the file is missing
 * (a renamed or not yet written entry point), which Forge reports only at deploy or invocation.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as ts from 'typescript';

import type { Finding } from '../findings';
import { MANIFEST_FILE, manifestLine } from '../manifest';
import { SOURCE_DIRECTORY, toPosix } from '../paths';
import type { SourceFile, SourceIndex } from '../source-index';
import type { ExtraCheck } from './check';

/** The extensions Forge accepts for a handler file, in its order of preference. */
const HANDLER_EXTENSIONS = ['.tsx', '.jsx', '.ts', '.js', '.cjs'];
const MODULE_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mts', '.cts', '.mjs', '.cjs'];

export const handlerExportsCheck: ExtraCheck = {
  id: 'handler-exports',
  title: 'manifest handlers resolve to exports',
  run({ index, manifest, manifestText }) {
    const findings: Finding[] = [];
    for (const fn of manifest.functions) {
      const line = manifestLine(manifestText, 'handler', fn.handler);
      const fail = (message: string): void => {
        findings.push({ check: 'handler-exports', severity: 'error', file: MANIFEST_FILE, line, column: 0, message });
      };
      const parts = fn.handler.split('.');
      const [modulePath, exportName] = parts;
      if (parts.length !== 2 || modulePath === undefined || exportName === undefined || modulePath === '' || exportName === '') {
        fail(`Function ${fn.key}: handler "${fn.handler}" must be "<file>.<export>", e.g. "functions/resolver.handler".`);
        continue;
      }
      const file = findHandlerFile(index.root, modulePath);
      if (file === undefined) {
        fail(`Function ${fn.key}: handler file ${SOURCE_DIRECTORY}/${modulePath}.ts(x) does not exist.`);
        continue;
      }
      const exported = exportedNames(index, file, new Set());
      if (!exported.has(exportName)) {
        fail(`Function ${fn.key}: ${file} does not export "${exportName}" (handler "${fn.handler}").`);
      }
    }
    return { findings, notes: [`${manifest.functions.length} function handler(s) checked`] };
  },
};

function findHandlerFile(root: string, modulePath: string): string | undefined {
  for (const extension of HANDLER_EXTENSIONS) {
    const candidate = `${SOURCE_DIRECTORY}/${modulePath}${extension}`;
    if (fs.existsSync(path.join(root, candidate))) return candidate;
  }
  return undefined;
}

/** Names a module exports, following `export * from` and `export { x } from` into relative modules. */
export function exportedNames(index: SourceIndex, relativePath: string, visiting: Set<string>): Set<string> {
  const names = new Set<string>();
  if (visiting.has(relativePath)) return names;
  visiting.add(relativePath);
  const file = sourceFor(index, relativePath);
  if (file === undefined) return names;
  for (const statement of file.ast.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
    const isExported = modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
    const isDefault = modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ?? false;
    if (isExported) {
      if (isDefault) names.add('default');
      else if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) bindingNames(d.name, names);
      else if (
        (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) &&
        statement.name !== undefined
      ) {
        names.add(statement.name.text);
      }
    } else if (ts.isExportAssignment(statement) && !statement.isExportEquals) {
      names.add('default');
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
      const target =
        statement.moduleSpecifier !== undefined && ts.isStringLiteral(statement.moduleSpecifier)
          ? resolveRelative(index, file, statement.moduleSpecifier.text)
          : undefined;
      if (statement.exportClause === undefined) {
        if (target !== undefined) for (const name of exportedNames(index, target, visiting)) if (name !== 'default') names.add(name);
      } else if (ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) if (!element.isTypeOnly) names.add(element.name.text);
      } else {
        names.add(statement.exportClause.name.text);
      }
    }
  }
  return names;
}

function bindingNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindingNames(element.name, into);
}

function sourceFor(index: SourceIndex, relativePath: string): SourceFile | undefined {
  const listed = index.files.find((f) => f.path === relativePath);
  if (listed !== undefined) return listed;
  const absolute = path.join(index.root, relativePath);
  if (!fs.existsSync(absolute)) return undefined;
  const text = fs.readFileSync(absolute, 'utf8');
  return { path: relativePath, ast: ts.createSourceFile(relativePath, text, ts.ScriptTarget.Latest, true) };
}

function resolveRelative(index: SourceIndex, from: SourceFile, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = toPosix(path.join(path.dirname(from.path), specifier)).replace(/\.js$/, '');
  const candidates = [base, ...MODULE_EXTENSIONS.map((e) => `${base}${e}`), ...MODULE_EXTENSIONS.map((e) => `${base}/index${e}`)];
  return candidates.find((c) => fs.existsSync(path.join(index.root, c)) && fs.statSync(path.join(index.root, c)).isFile());
}
