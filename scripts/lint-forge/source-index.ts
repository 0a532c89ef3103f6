/**
 * The app's source files parsed once with the TypeScript compiler API (syntax only: no program, no type checker,
 * so it is fast and works on code that does not compile yet), plus the top-level constants the checks use to
 * resolve keys written as `QUEUES.plan` or `RESOLVER_KEYS.getSettings` instead of string literals.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as ts from 'typescript';

const PARSED_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

export interface SourceFile {
  /** Relative to the project root, '/'-separated. */
  readonly path: string;
  readonly ast: ts.SourceFile;
}

/** A top-level `const` whose value is a string or an object literal of such values (nested objects allowed). */
export type ConstValue =
  | { readonly kind: 'string'; readonly value: string; readonly node: ts.Node }
  | { readonly kind: 'object'; readonly entries: ReadonlyMap<string, ConstValue>; readonly node: ts.Node };

export interface ConstDeclaration {
  readonly name: string;
  readonly file: SourceFile;
  readonly exported: boolean;
  readonly value: ConstValue;
}

export interface SourceIndex {
  readonly root: string;
  readonly files: readonly SourceFile[];
  /** Top-level constants by name (several files may declare the same name). */
  readonly constants: ReadonlyMap<string, readonly ConstDeclaration[]>;
}

export interface Location {
  readonly line: number;
  readonly column: number;
}

export function buildSourceIndex(root: string, relativePaths: readonly string[]): SourceIndex {
  const files: SourceFile[] = [];
  for (const relative of relativePaths) {
    if (!PARSED_EXTENSIONS.has(path.extname(relative))) continue;
    const text = fs.readFileSync(path.join(root, relative), 'utf8');
    files.push({ path: relative, ast: ts.createSourceFile(relative, text, ts.ScriptTarget.Latest, true, scriptKind(relative)) });
  }
  const constants = new Map<string, ConstDeclaration[]>();
  for (const file of files) {
    for (const declaration of topLevelConstants(file)) {
      const list = constants.get(declaration.name) ?? [];
      list.push(declaration);
      constants.set(declaration.name, list);
    }
  }
  return { root, files, constants };
}

function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

export function locationOf(file: SourceFile, node: ts.Node): Location {
  const { line, character } = file.ast.getLineAndCharacterOfPosition(node.getStart(file.ast));
  return { line: line + 1, column: character + 1 };
}

export function isUnder(file: SourceFile, folder: string): boolean {
  return file.path.startsWith(`${folder.replace(/\/$/, '')}/`);
}

/** Calls `visit` for every node of the file, depth first. */
export function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

/** Strips what does not change a value: `as const`, `satisfies`, parentheses, `Object.freeze(...)`. */
export function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    if (
      ts.isAsExpression(current) ||
      ts.isSatisfiesExpression(current) ||
      ts.isParenthesizedExpression(current) ||
      ts.isTypeAssertionExpression(current)
    ) {
      current = current.expression;
    } else if (
      ts.isCallExpression(current) &&
      ts.isPropertyAccessExpression(current.expression) &&
      current.expression.getText() === 'Object.freeze' &&
      current.arguments[0] !== undefined
    ) {
      current = current.arguments[0];
    } else {
      return current;
    }
  }
}

function topLevelConstants(file: SourceFile): ConstDeclaration[] {
  const result: ConstDeclaration[] = [];
  for (const statement of file.ast.statements) {
    if (!ts.isVariableStatement(statement) || (statement.declarationList.flags & ts.NodeFlags.Const) === 0) continue;
    const exported = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.initializer === undefined) continue;
      const value = literalValue(declaration.initializer);
      if (value !== undefined) result.push({ name: declaration.name.text, file, exported, value });
    }
  }
  return result;
}

/** The value of a literal expression (string, or object literal of literals); undefined for anything computed. */
function literalValue(expression: ts.Expression): ConstValue | undefined {
  const node = unwrap(expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { kind: 'string', value: node.text, node };
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  const entries = new Map<string, ConstValue>();
  for (const property of node.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const name = propertyName(property.name);
    const value = literalValue(property.initializer);
    if (name !== undefined && value !== undefined) entries.set(name, value);
  }
  return { kind: 'object', entries, node };
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

/** Every string in a constant (all leaves of an object), with the node that holds it. */
export function stringLeaves(value: ConstValue): { value: string; node: ts.Node }[] {
  if (value.kind === 'string') return [{ value: value.value, node: value.node }];
  return [...value.entries.values()].flatMap(stringLeaves);
}

/** The constant a name refers to: the one declared in the same file first, else the first exported one. */
export function findConstant(index: SourceIndex, name: string, from: SourceFile): ConstDeclaration | undefined {
  const candidates = index.constants.get(name) ?? [];
  return candidates.find((c) => c.file === from) ?? candidates.find((c) => c.exported);
}

/**
 * The string an expression stands for, when it can be known without running code: a literal, a constant, or a
 * property of a constant object (`QUEUES.plan`, `KEYS['get-settings']`). Undefined otherwise.
 */
export function resolveString(index: SourceIndex, from: SourceFile, expression: ts.Expression): string | undefined {
  const value = resolveValue(index, from, expression);
  return value?.kind === 'string' ? value.value : undefined;
}

function resolveValue(index: SourceIndex, from: SourceFile, expression: ts.Expression): ConstValue | undefined {
  const node = unwrap(expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { kind: 'string', value: node.text, node };
  if (ts.isIdentifier(node)) return findConstant(index, node.text, from)?.value;
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    const owner = resolveValue(index, from, node.expression);
    if (owner?.kind !== 'object') return undefined;
    const key = ts.isPropertyAccessExpression(node) ? node.name.text : literalKey(node.argumentExpression);
    return key === undefined ? undefined : owner.entries.get(key);
  }
  return undefined;
}

function literalKey(expression: ts.Expression): string | undefined {
  const node = unwrap(expression);
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node) ? node.text : undefined;
}

/** Module specifiers a file imports or re-exports, with where: static, `require('x')` and `import('x')` forms. */
export function moduleReferences(file: SourceFile): { specifier: string; node: ts.Node }[] {
  const references: { specifier: string; node: ts.Node }[] = [];
  walk(file.ast, (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      references.push({ specifier: node.moduleSpecifier.text, node });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const target = node.moduleReference.expression;
      if (ts.isStringLiteral(target)) references.push({ specifier: target.text, node });
    } else if (ts.isCallExpression(node) && node.arguments.length === 1) {
      const argument = node.arguments[0];
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      if ((isRequire || isDynamicImport) && argument !== undefined && ts.isStringLiteral(argument)) {
        references.push({ specifier: argument.text, node });
      }
    }
  });
  return references;
}

/** The last name of a callee or constructor: `invoke` for `invoke(...)` and `bridge.invoke(...)`. */
export function calleeName(expression: ts.Expression): string | undefined {
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  return undefined;
}
