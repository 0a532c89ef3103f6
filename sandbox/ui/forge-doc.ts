/**
 * Reading a ForgeDoc (the tree @forge/react sends over the bridge: {type, props, children}, text in 'String' nodes)
 * the way an admin sees the page: visible text, buttons, fields and table rows. Pure functions over the tree.
 */

export interface ForgeNode {
  readonly type: string;
  readonly props: Readonly<Record<string, unknown>>;
  readonly children: readonly ForgeNode[];
  readonly key?: string;
}

/** Props whose string values the product renders as visible text. */
const TEXT_PROPS = ['title', 'header', 'description', 'caption'] as const;
const BUTTON_TYPES = new Set(['Button', 'LoadingButton', 'LinkButton']);
const FIELD_TYPES = new Set(['Textfield', 'TextArea']);

export function isForgeNode(value: unknown): value is ForgeNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    Array.isArray((value as { children?: unknown }).children)
  );
}

/** Depth-first, document order; `visit` returning false skips the node's children. */
export function walk(
  node: ForgeNode,
  visit: (node: ForgeNode, ancestors: readonly ForgeNode[]) => boolean | void,
  ancestors: readonly ForgeNode[] = [],
): void {
  if (visit(node, ancestors) === false) return;
  const next = [...ancestors, node];
  for (const child of node.children) walk(child, visit, next);
}

export function findAll(root: ForgeNode, predicate: (node: ForgeNode) => boolean): ForgeNode[] {
  const found: ForgeNode[] = [];
  walk(root, (node) => {
    if (predicate(node)) found.push(node);
  });
  return found;
}

export function ancestorsOf(root: ForgeNode, target: ForgeNode): readonly ForgeNode[] | null {
  let result: readonly ForgeNode[] | null = null;
  walk(root, (node, ancestors) => {
    if (result !== null) return false;
    if (node === target) result = ancestors;
  });
  return result;
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function ownText(node: ForgeNode): string[] {
  const parts: string[] = [];
  for (const prop of TEXT_PROPS) {
    const value = node.props[prop];
    if (typeof value === 'string' && value !== '') parts.push(value);
  }
  if (node.type === 'User' && typeof node.props.accountId === 'string') parts.push(`@user(${node.props.accountId})`);
  if (node.type === 'Select') {
    const value = node.props.value ?? node.props.defaultValue;
    if (typeof value === 'object' && value !== null && typeof (value as { label?: unknown }).label === 'string')
      parts.push((value as { label: string }).label);
  }
  return parts;
}

/** Visible text of a node: String nodes (adjacent ones joined as rendered) and text-bearing props. */
export function textOf(node: ForgeNode): string {
  if (node.type === 'String') return typeof node.props.text === 'string' ? node.props.text : String(node.props.text ?? '');
  const parts = ownText(node);
  let run = '';
  for (const child of node.children) {
    if (child.type === 'String') {
      run += textOf(child);
      continue;
    }
    if (run !== '') parts.push(run);
    run = '';
    parts.push(textOf(child));
  }
  if (run !== '') parts.push(run);
  return normalise(parts.join(' '));
}

/** The deepest nodes whose text contains `text` (no child of theirs contains it too). */
export function findByText(root: ForgeNode, text: string | RegExp): ForgeNode[] {
  const matches = (node: ForgeNode) => (typeof text === 'string' ? textOf(node).includes(text) : text.test(textOf(node)));
  const found: ForgeNode[] = [];
  const visit = (node: ForgeNode): boolean => {
    if (!matches(node)) return false;
    const deeper = node.children.map(visit).some(Boolean);
    if (!deeper) found.push(node);
    return true;
  };
  visit(root);
  return found;
}

export function isButton(node: ForgeNode): boolean {
  return BUTTON_TYPES.has(node.type);
}

export function isField(node: ForgeNode): boolean {
  return FIELD_TYPES.has(node.type);
}

export interface ButtonState {
  readonly text: string;
  readonly disabled: boolean;
  readonly loading: boolean;
}

export function buttonState(node: ForgeNode): ButtonState {
  return { text: textOf(node), disabled: node.props.isDisabled === true, loading: node.props.isLoading === true };
}

export interface TableView {
  /** The table's accessible label (`label`), else its visible caption. */
  readonly caption: string | null;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly rowNodes: readonly ForgeNode[];
  readonly rowsPerPage: number | null;
}

/** A DynamicTable as its head and rows of cell texts (every row: the product paginates, the tree holds them all). */
export function tableView(table: ForgeNode): TableView {
  const wrapper = (name: string) => table.children.find((c) => c.type === 'ContentWrapper' && c.props.name === name);
  const headCells = wrapper('head')?.children ?? [];
  const rowNodes = (wrapper('rows')?.children ?? []).filter((r) => r.type === 'Row');
  return {
    caption:
      typeof table.props.label === 'string' ? table.props.label : typeof table.props.caption === 'string' ? table.props.caption : null,
    head: headCells.map(textOf),
    rows: rowNodes.map((r) => r.children.map(textOf)),
    rowNodes,
    rowsPerPage: typeof table.props.rowsPerPage === 'number' ? table.props.rowsPerPage : null,
  };
}

/** JSON of a tree for the record: functions dropped, cycles cut (a React element in a prop carries its owner fiber). */
export function serialise(value: unknown): string {
  const seen = new WeakSet<object>();
  return (
    JSON.stringify(value, (key, v: unknown) => {
      if (typeof v === 'function' || key === '_owner' || key === '_store') return undefined;
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[seen]';
        seen.add(v);
      }
      return v;
    }) ?? 'null'
  );
}
