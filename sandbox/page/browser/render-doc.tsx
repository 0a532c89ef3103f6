/**
 * Draws a UI Kit ForgeDoc (the tree @forge/react sends over the bridge: {type, props, children, key}, text in
 * 'String' nodes) with the Atlassian Design System components UI Kit uses in Jira. The tree is the live one the
 * app's reconciler mutates in place, so the whole view re-renders on every reconcile. Function props are the app's
 * own callbacks (same page, no serialisation): the host calls them with plain, serialisable arguments, as Jira's
 * host does across its frame boundary (a text field's onChange gets {target: {value, type, name}}, a Select's the
 * chosen option, a Tabs' the index, a Form's onSubmit nothing).
 *
 * A component type this renderer does not know is drawn as a red error box naming it (never dropped), and a
 * component that throws while drawing is replaced by such a box too.
 */
import Avatar from '@atlaskit/avatar';
import Badge from '@atlaskit/badge';
import Button from '@atlaskit/button/new';
import { Code, CodeBlock } from '@atlaskit/code';
import DynamicTable from '@atlaskit/dynamic-table';
import EmptyState from '@atlaskit/empty-state';
import { ErrorMessage, FormFooter, FormHeader, FormSection, HelperMessage, Label, RequiredAsterisk, ValidMessage } from '@atlaskit/form';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition } from '@atlaskit/modal-dialog';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives';
import ProgressBar from '@atlaskit/progress-bar';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import Spinner from '@atlaskit/spinner';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import Textfield from '@atlaskit/textfield';
import React, { Component, createContext, type ReactNode, useContext, useEffect, useState } from 'react';

import type { ForgeNode } from '../../ui/forge-doc';
import type { ControlTarget } from './dom';

/** Where the host reports what went wrong inside a callback of the app (shown on the page, read by the tests). */
export interface RenderReporter {
  problem(message: string): void;
}

const ReporterContext = createContext<RenderReporter>({ problem: () => undefined });
/** True inside a Text (a nested Text is a span, never a paragraph inside a paragraph). */
const InTextContext = createContext(false);

type Props = Readonly<Record<string, unknown>>;
type Loose = Record<string, never>;

const str = (props: Props, name: string): string | undefined => (typeof props[name] === 'string' ? (props[name] as string) : undefined);
const num = (props: Props, name: string): number | undefined => (typeof props[name] === 'number' ? (props[name] as number) : undefined);
const bool = (props: Props, name: string): boolean | undefined => (typeof props[name] === 'boolean' ? (props[name] as boolean) : undefined);
const fn = (props: Props, name: string): ((...args: unknown[]) => unknown) | undefined =>
  typeof props[name] === 'function' ? (props[name] as (...args: unknown[]) => unknown) : undefined;

/** Only the named props that are set: the design system components are strict about their props. */
function pick(props: Props, names: readonly string[]): Loose {
  const out: Record<string, unknown> = {};
  for (const name of names) if (props[name] !== undefined) out[name] = props[name];
  return out as Loose;
}

function useCall(): (callback: ((...args: unknown[]) => unknown) | undefined, ...args: unknown[]) => void {
  const reporter = useContext(ReporterContext);
  return (callback, ...args) => {
    if (callback === undefined) return;
    try {
      void Promise.resolve(callback(...args)).catch((error: unknown) =>
        reporter.problem(`A callback of the app failed: ${messageOf(error)}`),
      );
    } catch (error) {
      reporter.problem(`A callback of the app failed: ${messageOf(error)}`);
    }
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The red box for anything the page cannot draw. */
export function ProblemBox({ title, detail }: { title: string; detail: string }) {
  return (
    <div
      role="alert"
      data-testid="page-problem"
      style={{
        border: '2px solid #C9372C',
        background: '#FFECEB',
        color: '#5D1F1A',
        borderRadius: 4,
        padding: '8px 12px',
        margin: '4px 0',
        font: '14px/20px system-ui, sans-serif',
      }}
    >
      <strong>{title}</strong> {detail}
    </div>
  );
}

function UnknownComponent({ node }: { node: ForgeNode }) {
  return (
    <ProblemBox
      title={`Unknown UI Kit component: ${node.type}.`}
      detail="The sandbox page (sandbox/page/browser/render-doc.tsx) does not know how to draw it, so it is shown as this box instead of being left out."
    />
  );
}

class DrawingBoundary extends Component<{ type: string; children: ReactNode }, { error: string | null }> {
  override state = { error: null as string | null };
  static getDerivedStateFromError(error: unknown) {
    return { error: messageOf(error) };
  }
  override render() {
    if (this.state.error !== null) return <ProblemBox title={`The page could not draw ${this.props.type}.`} detail={this.state.error} />;
    return this.props.children;
  }
}

/** Extra props a parent hands to a child: the id of the message below a form field, for aria-describedby. */
interface Extra {
  readonly describedBy?: string;
  readonly messageId?: string;
}

const FIELD_TYPES = new Set(['Textfield', 'TextArea', 'Select']);
const MESSAGE_TYPES = new Set(['HelperMessage', 'ErrorMessage', 'ValidMessage']);

/** The children of a node, each drawn by ForgeView; a field and the message right below it are linked. */
function Children({ node }: { node: ForgeNode }) {
  const extras = new Map<number, Extra>();
  node.children.forEach((child, index) => {
    const next = node.children[index + 1];
    const id = str(child.props, 'id');
    if (FIELD_TYPES.has(child.type) && next !== undefined && MESSAGE_TYPES.has(next.type) && id !== undefined) {
      extras.set(index, { describedBy: `${id}-message` });
      extras.set(index + 1, { messageId: `${id}-message` });
    }
  });
  return (
    <>
      {node.children.map((child, index) => (
        <ForgeView key={child.key ?? `${child.type}-${index}`} node={child} extra={extras.get(index)} />
      ))}
    </>
  );
}

const kids = (node: ForgeNode) => <Children node={node} />;

/** Text of String children only (for props that take a string, such as a Tab label read by assistive tech). */
function plainText(node: ForgeNode): string {
  if (node.type === 'String') return String(node.props.text ?? '');
  return node.children.map(plainText).join('');
}

const HEADING_SIZES: Readonly<Record<string, string>> = {
  h1: 'xlarge',
  h2: 'large',
  h3: 'medium',
  h4: 'small',
  h5: 'xsmall',
  h6: 'xxsmall',
};

function TextView({ node }: { node: ForgeNode }) {
  const inText = useContext(InTextContext);
  const as = str(node.props, 'as') ?? (inText ? 'span' : 'p');
  return (
    <InTextContext.Provider value={true}>
      <Text {...pick(node.props, ['size', 'weight', 'color', 'align', 'maxLines', 'testId'])} as={as as never}>
        {kids(node)}
      </Text>
    </InTextContext.Provider>
  );
}

function ButtonView({ node }: { node: ForgeNode }) {
  const call = useCall();
  const onClick = fn(node.props, 'onClick');
  const type = str(node.props, 'type') ?? 'button';
  return (
    <Button
      {...pick(node.props, ['appearance', 'spacing', 'shouldFitContainer', 'autoFocus', 'testId', 'iconBefore', 'iconAfter'])}
      type={type as never}
      isDisabled={bool(node.props, 'isDisabled') ?? false}
      isLoading={bool(node.props, 'isLoading') ?? false}
      isSelected={bool(node.props, 'isSelected') ?? false}
      onClick={() => call(onClick, { preventDefault: () => undefined })}
    >
      {kids(node)}
    </Button>
  );
}

function TextfieldView({ node, extra }: { node: ForgeNode; extra: Extra | undefined }) {
  const call = useCall();
  const p = node.props;
  const controlled = 'value' in p && p.value !== undefined;
  return (
    <Textfield
      {...pick(p, [
        'id',
        'name',
        'type',
        'placeholder',
        'isInvalid',
        'isRequired',
        'isReadOnly',
        'isCompact',
        'min',
        'max',
        'maxLength',
        'minLength',
        'pattern',
        'autoFocus',
        'testId',
        'width',
      ])}
      {...(controlled ? { value: String(p.value) } : { defaultValue: p.defaultValue === undefined ? undefined : String(p.defaultValue) })}
      isDisabled={bool(p, 'isDisabled') ?? false}
      aria-invalid={p['aria-invalid'] === true ? true : undefined}
      aria-describedby={extra?.describedBy}
      onChange={(event) => {
        const target = event.target as unknown as ControlTarget;
        call(fn(p, 'onChange'), {
          target: { value: target.value, type: target.type, name: target.name },
          currentTarget: { value: target.value },
        });
      }}
      onBlur={() => call(fn(p, 'onBlur'))}
      onFocus={() => call(fn(p, 'onFocus'))}
    />
  );
}

/** UI Kit's Checkbox: a native checkbox with its label (the design-system package is not a dependency). */
function CheckboxView({ node }: { node: ForgeNode }) {
  const call = useCall();
  const p = node.props;
  const checked = bool(p, 'isChecked') ?? false;
  return (
    <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
      <input
        type="checkbox"
        id={str(p, 'id')}
        name={str(p, 'name')}
        value={str(p, 'value')}
        checked={checked}
        disabled={bool(p, 'isDisabled') ?? false}
        onChange={() => call(fn(p, 'onChange'), { target: { checked: !checked, value: str(p, 'value'), name: str(p, 'name') } })}
      />
      <span>{str(p, 'label')}</span>
    </label>
  );
}

/** UI Kit's TextArea: a native textarea (the design-system package is not a dependency). */
function TextAreaView({ node, extra }: { node: ForgeNode; extra: Extra | undefined }) {
  const call = useCall();
  const p = node.props;
  return (
    <textarea
      id={str(p, 'id')}
      name={str(p, 'name')}
      placeholder={str(p, 'placeholder')}
      {...(p.value === undefined
        ? { defaultValue: p.defaultValue === undefined ? undefined : String(p.defaultValue) }
        : { value: String(p.value) })}
      disabled={bool(p, 'isDisabled') ?? false}
      aria-describedby={extra?.describedBy}
      rows={4}
      style={{ width: '100%' }}
      onChange={(event) => {
        const target = event.target as unknown as ControlTarget;
        call(fn(p, 'onChange'), { target: { value: target.value, name: target.name }, currentTarget: { value: target.value } });
      }}
    />
  );
}

interface Option {
  readonly label: string;
  readonly value: unknown;
}

function SelectView({ node, extra }: { node: ForgeNode; extra: Extra | undefined }) {
  const call = useCall();
  const p = node.props;
  const options = Array.isArray(p.options) ? (p.options as Option[]) : [];
  const asOption = (value: unknown): Option | null | undefined => {
    if (value === undefined) return undefined;
    if (value === null) return null;
    if (typeof value === 'object') return value as Option;
    return options.find((o) => o.value === value) ?? null;
  };
  const value = asOption(p.value);
  const defaultValue = asOption(p.defaultValue);
  return (
    <Select
      {...pick(p, ['name', 'placeholder', 'isMulti', 'isSearchable', 'isClearable', 'isInvalid', 'testId', 'spacing', 'appearance'])}
      inputId={str(p, 'id')}
      options={options}
      {...(value === undefined ? {} : { value })}
      {...(defaultValue === undefined ? {} : { defaultValue })}
      isDisabled={bool(p, 'isDisabled') ?? false}
      aria-describedby={extra?.describedBy}
      aria-invalid={p['aria-invalid'] === true ? true : undefined}
      onChange={(chosen) => call(fn(p, 'onChange'), chosen === null ? null : JSON.parse(JSON.stringify(chosen)))}
      onBlur={() => call(fn(p, 'onBlur'))}
      menuPortalTarget={undefined}
    />
  );
}

function FormView({ node }: { node: ForgeNode }) {
  const call = useCall();
  return (
    <form
      noValidate
      id={str(node.props, 'id')}
      onSubmit={(event) => {
        event.preventDefault();
        call(fn(node.props, 'onSubmit'));
      }}
    >
      {kids(node)}
    </form>
  );
}

function MessageView({ node, extra }: { node: ForgeNode; extra: Extra | undefined }) {
  const Message = node.type === 'ErrorMessage' ? ErrorMessage : node.type === 'ValidMessage' ? ValidMessage : HelperMessage;
  return (
    <div id={extra?.messageId} data-field-message={node.type}>
      <Message testId={str(node.props, 'testId')}>{kids(node)}</Message>
    </div>
  );
}

function TabsView({ node }: { node: ForgeNode }) {
  const call = useCall();
  const selected = num(node.props, 'selected');
  const children = node.children.map((child, index) => <ForgeView key={child.key ?? index} node={child} extra={undefined} />);
  return (
    <Tabs
      id={str(node.props, 'id') ?? 'tabs'}
      {...(selected === undefined ? {} : { selected })}
      {...(num(node.props, 'defaultSelected') === undefined ? {} : { defaultSelected: num(node.props, 'defaultSelected') })}
      onChange={(index) => call(fn(node.props, 'onChange'), index)}
    >
      {children}
    </Tabs>
  );
}

function TabListView({ node }: { node: ForgeNode }) {
  return (
    <TabList>
      {node.children.map((child, index) => (
        <ForgeView key={child.key ?? index} node={child} extra={undefined} />
      ))}
    </TabList>
  );
}

function DynamicTableView({ node }: { node: ForgeNode }) {
  const call = useCall();
  const p = node.props;
  const wrapper = (name: string) => node.children.find((c) => c.type === 'ContentWrapper' && c.props.name === name);
  const cellOf = (cell: ForgeNode, index: number) => {
    const { cellKey, ...rest } = cell.props as Record<string, unknown>;
    return { ...rest, key: typeof cellKey === 'string' || typeof cellKey === 'number' ? cellKey : index, content: kids(cell) };
  };
  const headCells = wrapper('head')?.children ?? [];
  const rows = (wrapper('rows')?.children ?? [])
    .filter((r) => r.type === 'Row')
    .map((row, index) => {
      const { rowKey, ...rest } = row.props as Record<string, unknown>;
      return { ...rest, key: typeof rowKey === 'string' ? rowKey : String(index), cells: row.children.map(cellOf) };
    });
  const label = str(p, 'label') ?? str(p, 'caption') ?? 'Table';
  return (
    <DynamicTable
      {...pick(p, [
        'caption',
        'rowsPerPage',
        'defaultPage',
        'page',
        'isLoading',
        'isFixedSize',
        'sortKey',
        'sortOrder',
        'defaultSortKey',
        'defaultSortOrder',
        'highlightedRowIndex',
        'testId',
      ])}
      label={label}
      head={headCells.length === 0 ? undefined : { cells: headCells.map(cellOf) }}
      rows={rows as never}
      emptyView={typeof p.emptyView === 'string' ? <Text>{p.emptyView}</Text> : undefined}
      onSetPage={(page) => call(fn(p, 'onSetPage'), page)}
      onSort={(data) => call(fn(p, 'onSort'), JSON.parse(JSON.stringify({ key: data.key, sortOrder: data.sortOrder })))}
    />
  );
}

function ModalView({ node }: { node: ForgeNode }) {
  const call = useCall();
  return (
    <Modal
      {...pick(node.props, [
        'width',
        'height',
        'autoFocus',
        'shouldScrollInViewport',
        'shouldCloseOnEscapePress',
        'shouldCloseOnOverlayClick',
        'label',
        'testId',
      ])}
      onClose={() => call(fn(node.props, 'onClose'))}
    >
      {kids(node)}
    </Modal>
  );
}

/** Display names of Atlassian accounts, as Jira's User component shows them; the account id when unknown. */
const names = new Map<string, Promise<string | null>>();
function displayName(accountId: string): Promise<string | null> {
  let found = names.get(accountId);
  if (found === undefined) {
    found = fetch(`/api/users?accountId=${encodeURIComponent(accountId)}`)
      .then(async (response) => (response.ok ? ((await response.json()) as { displayName?: unknown }) : null))
      .then((body) => (typeof body?.displayName === 'string' ? body.displayName : null))
      .catch(() => null);
    names.set(accountId, found);
  }
  return found;
}

function UserView({ node }: { node: ForgeNode }) {
  const accountId = str(node.props, 'accountId') ?? '';
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void displayName(accountId).then((found) => {
      if (live) setName(found);
    });
    return () => {
      live = false;
    };
  }, [accountId]);
  const shown = name ?? `Unknown user (${accountId})`;
  return (
    <Inline as="span" space="space.050" alignBlock="center">
      <Avatar size="xsmall" name={shown} />
      <span data-account-id={accountId}>{shown}</span>
    </Inline>
  );
}

type Draw = (args: { node: ForgeNode; extra: Extra | undefined }) => ReactNode;

const DRAW: Readonly<Record<string, Draw>> = {
  Root: ({ node }) => kids(node),
  String: ({ node }) => String(node.props.text ?? ''),
  ContentWrapper: ({ node }) => kids(node),
  Text: ({ node }) => <TextView node={node} />,
  Strong: ({ node }) => <strong>{kids(node)}</strong>,
  Em: ({ node }) => <em>{kids(node)}</em>,
  Heading: ({ node }) => {
    const as = str(node.props, 'as') ?? 'h2';
    const size = str(node.props, 'size') ?? HEADING_SIZES[as] ?? 'medium';
    return (
      <Heading as={as as never} size={size as never} {...pick(node.props, ['color', 'id', 'testId'])}>
        {kids(node)}
      </Heading>
    );
  },
  Stack: ({ node }) => (
    <Stack {...pick(node.props, ['space', 'alignBlock', 'alignInline', 'spread', 'grow', 'testId'])}>{kids(node)}</Stack>
  ),
  Inline: ({ node }) => (
    <Inline
      {...pick(node.props, ['space', 'rowSpace', 'alignBlock', 'alignInline', 'spread', 'grow', 'shouldWrap', 'separator', 'testId'])}
    >
      {kids(node)}
    </Inline>
  ),
  Box: ({ node }) => (
    <Box {...pick(node.props, ['padding', 'paddingBlock', 'paddingInline', 'backgroundColor', 'testId'])}>{kids(node)}</Box>
  ),
  Button: ({ node }) => <ButtonView node={node} />,
  LoadingButton: ({ node }) => <ButtonView node={node} />,
  Lozenge: ({ node }) => <Lozenge {...pick(node.props, ['appearance', 'isBold', 'maxWidth', 'testId'])}>{kids(node)}</Lozenge>,
  Badge: ({ node }) => <Badge {...pick(node.props, ['appearance', 'max', 'testId'])}>{kids(node)}</Badge>,
  SectionMessage: ({ node }) => (
    <SectionMessage
      {...pick(node.props, ['appearance', 'title', 'testId'])}
      appearance={(str(node.props, 'appearance') ?? 'information') as never}
    >
      {kids(node)}
    </SectionMessage>
  ),
  ProgressBar: ({ node }) => (
    <ProgressBar
      {...pick(node.props, ['appearance', 'isIndeterminate', 'testId'])}
      value={num(node.props, 'value') ?? 0}
      ariaLabel={str(node.props, 'ariaLabel') ?? 'Progress'}
    />
  ),
  Spinner: ({ node }) => <Spinner {...pick(node.props, ['size', 'label', 'appearance', 'testId'])} />,
  EmptyState: ({ node }) => (
    <EmptyState header={str(node.props, 'header') ?? ''} {...pick(node.props, ['description', 'headingLevel', 'width', 'testId'])} />
  ),
  List: ({ node }) => (str(node.props, 'type') === 'ordered' ? <ol>{kids(node)}</ol> : <ul>{kids(node)}</ul>),
  ListItem: ({ node }) => <li>{kids(node)}</li>,
  Code: ({ node }) => <Code>{kids(node)}</Code>,
  CodeBlock: ({ node }) => (
    <CodeBlock text={str(node.props, 'text') ?? ''} {...pick(node.props, ['language', 'showLineNumbers', 'highlight', 'testId'])} />
  ),
  Link: ({ node }) => (
    <a href={str(node.props, 'href')} {...(node.props.openNewTab === true ? { target: '_blank', rel: 'noreferrer' } : {})}>
      {kids(node)}
    </a>
  ),
  User: ({ node }) => <UserView node={node} />,
  Form: ({ node }) => <FormView node={node} />,
  FormHeader: ({ node }) => <FormHeader {...pick(node.props, ['title', 'description'])}>{kids(node)}</FormHeader>,
  FormSection: ({ node }) => <FormSection {...pick(node.props, ['title', 'description'])}>{kids(node)}</FormSection>,
  FormFooter: ({ node }) => <FormFooter {...pick(node.props, ['align'])}>{kids(node)}</FormFooter>,
  Label: ({ node }) => (
    <Label htmlFor={str(node.props, 'labelFor') ?? ''} {...pick(node.props, ['id', 'testId'])}>
      {kids(node)}
    </Label>
  ),
  RequiredAsterisk: () => <RequiredAsterisk />,
  HelperMessage: ({ node, extra }) => <MessageView node={node} extra={extra} />,
  ErrorMessage: ({ node, extra }) => <MessageView node={node} extra={extra} />,
  ValidMessage: ({ node, extra }) => <MessageView node={node} extra={extra} />,
  Textfield: ({ node, extra }) => <TextfieldView node={node} extra={extra} />,
  TextArea: ({ node, extra }) => <TextAreaView node={node} extra={extra} />,
  Checkbox: ({ node }) => <CheckboxView node={node} />,
  Select: ({ node, extra }) => <SelectView node={node} extra={extra} />,
  Tabs: ({ node }) => <TabsView node={node} />,
  TabList: ({ node }) => <TabListView node={node} />,
  Tab: ({ node }) => <Tab testId={str(node.props, 'testId')}>{plainText(node)}</Tab>,
  TabPanel: ({ node }) => (
    <TabPanel testId={str(node.props, 'testId')}>{<div style={{ paddingTop: 16, width: '100%' }}>{kids(node)}</div>}</TabPanel>
  ),
  DynamicTable: ({ node }) => <DynamicTableView node={node} />,
  ModalTransition: ({ node }) => <ModalTransition>{node.children.length === 0 ? null : kids(node)}</ModalTransition>,
  Modal: ({ node }) => <ModalView node={node} />,
  ModalHeader: ({ node }) => <ModalHeader {...pick(node.props, ['hasCloseButton'])}>{kids(node)}</ModalHeader>,
  ModalTitle: ({ node }) => <ModalTitle {...pick(node.props, ['appearance', 'isMultiline'])}>{kids(node)}</ModalTitle>,
  ModalBody: ({ node }) => <ModalBody>{kids(node)}</ModalBody>,
  ModalFooter: ({ node }) => <ModalFooter>{kids(node)}</ModalFooter>,
};

/** The component types this renderer draws (anything else is an error box). */
export const KNOWN_TYPES: readonly string[] = Object.keys(DRAW);

export function ForgeView({ node, extra }: { node: ForgeNode; extra?: Extra | undefined }) {
  const draw = DRAW[node.type];
  if (draw === undefined) return <UnknownComponent node={node} />;
  if (node.type === 'String') return <>{draw({ node, extra })}</>;
  return <DrawingBoundary type={node.type}>{draw({ node, extra })}</DrawingBoundary>;
}

export function ForgeDocView({ doc, reporter }: { doc: ForgeNode; reporter: RenderReporter }) {
  return (
    <ReporterContext.Provider value={reporter}>
      <ForgeView node={doc} />
    </ReporterContext.Provider>
  );
}
