/**
 * Setup: who is synced (the sync scope, src/domain/scope.ts), built without typing OData. Two choices (members only,
 * enabled accounts only) and rules combined with AND: a property rule is one or more lines (property, test, value)
 * combined with OR, the one level of OR the scope allows, drawn as "or" lines under the rule's first line; a group
 * membership rule takes group object ids, direct or including nested groups, and says it needs GroupMember.Read.All
 * (from the last Test connection, like the Group sync section). The saved scope is shown back in words and in its
 * text form (as the sandbox CLI's `configure --scope` takes it). The builder is checked with the backend's own
 * schemas before anything is sent (scope-form-model.ts); Save sends the stored connection values and the text form
 * only, so the backend contract is the one the sandbox uses; a refusal (an unknown group id, no permission to look
 * it up) is shown above the Save button. Text fields are uncontrolled (defaultValue), keyed per line, as in the
 * Group sync section: a controlled value's round trip through the bridge loses keys typed meanwhile.
 */
import {
  Button,
  CodeBlock,
  ErrorMessage,
  Heading,
  HelperMessage,
  Inline,
  Label,
  List,
  ListItem,
  LoadingButton,
  SectionMessage,
  Select,
  Stack,
  Text,
  TextArea,
  Textfield,
} from '@forge/react';
import React, { useRef, useState } from 'react';

import { GROUP_READ_PERMISSION, GROUP_READ_ROLES } from '../domain/group-sync';
import { SCOPE_MAX_GROUPS, SCOPE_MAX_RULES, SCOPE_MAX_VALUES } from '../domain/scope';
import { chosenValue, textOfChange } from './field-events';
import { formatDateTime } from './format';
import {
  describeScope,
  EMPTY_SCOPE_BUILDER,
  hasMembershipRule,
  savedScope,
  SCOPE_ACCOUNT_OPTIONS,
  SCOPE_MEMBERSHIP_OPTIONS,
  SCOPE_OPERATOR_OPTIONS,
  SCOPE_PROPERTY_OPTIONS,
  SCOPE_USER_TYPE_OPTIONS,
  type ScopeBuilderValues,
  scopeBuilderValues,
  type ScopeLineValues,
  scopeMessages,
  scopePayload,
  type ScopeRuleValues,
} from './scope-form-model';
import { SaveRefusalNotice, useSectionSave } from './section-save';
import { groupPermission } from './settings-form-model';
import type { ConnectionCheckView, PublicSettingsView } from './views';

export const SCOPE_SECTION_TITLE = 'Who is synced';

/** "Rule 2" for a rule's first line, "Rule 2, or 2" for its second. */
export function lineLabel(rule: number, line: number): string {
  return line === 0 ? `Rule ${rule + 1}` : `Rule ${rule + 1}, or ${line + 1}`;
}

function SavedScope({ settings }: { settings: PublicSettingsView }) {
  const scope = savedScope(settings);
  const lines = describeScope(scope);
  const text = settings.scope ?? '';
  return (
    <Stack space="space.050">
      {lines.length === 0 ? (
        <Text>Saved: no scope. Everyone the app registration can read is synced.</Text>
      ) : (
        <>
          <Text>Saved: only users who meet every one of these are synced:</Text>
          <List type="unordered">
            {lines.map((line, i) => (
              <ListItem key={i}>
                <Text>{line}</Text>
              </ListItem>
            ))}
          </List>
        </>
      )}
      <Text>{`Text form, as the sandbox CLI's configure --scope takes it (for support):`}</Text>
      <CodeBlock language="text" text={text === '' ? "''  (empty: everyone)" : text} shouldWrapLongLines showLineNumbers={false} />
    </Stack>
  );
}

function MembershipPermission({ lastCheck }: { lastCheck: ConnectionCheckView | null }) {
  const permission = groupPermission(lastCheck);
  const needs =
    `Group membership rules read the tenant's groups and their members as the app registration, with the Microsoft Graph application ` +
    `permission ${GROUP_READ_PERMISSION} (${GROUP_READ_ROLES.slice(1).join(' or ')} also work), with admin consent.`;
  if (permission.state === 'granted')
    return (
      <SectionMessage appearance="success" title={`${GROUP_READ_PERMISSION} is granted`}>
        <Text>{`${needs} The last connection test (${formatDateTime(permission.at)}) found it.`}</Text>
      </SectionMessage>
    );
  if (permission.state === 'missing')
    return (
      <SectionMessage appearance="error" title={`${GROUP_READ_PERMISSION} is not granted`}>
        <Text>
          {`${needs} The last connection test (${formatDateTime(permission.at)}) did not find it: saving a group membership rule is refused. ` +
            `In the Microsoft Entra admin center open the app registration > API permissions > Add a permission > Microsoft Graph > ` +
            `Application permissions > ${GROUP_READ_PERMISSION}, then Grant admin consent, and use Test connection again.`}
        </Text>
      </SectionMessage>
    );
  return (
    <SectionMessage appearance="warning" title={`Group membership rules need the permission ${GROUP_READ_PERMISSION}`}>
      <Text>{`${needs} Use Test connection above to see whether it is granted.`}</Text>
    </SectionMessage>
  );
}

function valueField(rule: number, index: number, line: ScopeLineValues, onText: (text: string) => void, message: string | undefined) {
  const id = `scope-value-${rule + 1}-${index + 1}`;
  const label = `${lineLabel(rule, index)}: value`;
  if (line.op === 'empty') return <Text>{`${lineLabel(rule, index)}: no value (matches users whose property is not set).`}</Text>;
  const field =
    line.op === 'in' ? (
      <TextArea
        key={`${line.key}:list`}
        id={id}
        name={id}
        defaultValue={line.text}
        placeholder={'Sales\nLegal'}
        onChange={(event) => onText(textOfChange(event))}
      />
    ) : (
      <Textfield key={`${line.key}:one`} id={id} name={id} defaultValue={line.text} onChange={(event) => onText(textOfChange(event))} />
    );
  return (
    <Stack space="space.050">
      <Label labelFor={id}>{line.op === 'in' ? `${lineLabel(rule, index)}: values` : label}</Label>
      {field}
      {message !== undefined ? (
        <ErrorMessage>{message}</ErrorMessage>
      ) : line.op === 'in' ? (
        <HelperMessage>{`One per line, or separated by commas on one line (at most ${SCOPE_MAX_VALUES}).`}</HelperMessage>
      ) : (
        <HelperMessage>Compared ignoring case and spaces at either end.</HelperMessage>
      )}
    </Stack>
  );
}

export function ScopeSection(props: {
  settings: PublicSettingsView | null;
  lastCheck: ConnectionCheckView | null;
  onSaved: (saved: PublicSettingsView) => void;
}) {
  const { settings, onSaved } = props;
  const [values, setValues] = useState<ScopeBuilderValues>(() => scopeBuilderValues(savedScope(settings)));
  // The builder as last changed, for Save: a click can arrive through the bridge before the render that follows the
  // last key typed, and a handler from that older render would send the value without that key.
  const latest = useRef(values);
  const { saving, failure, saved, edited, save } = useSectionSave(settings, onSaved);
  // New lines and rules get keys of their own (the saved ones are s<n>), so an uncontrolled field keeps its text.
  const counter = useRef(0);
  const nextKey = () => `n${++counter.current}`;
  const messages = scopeMessages(values);
  const invalid = Object.keys(messages.fields).length > 0 || messages.scope !== undefined;

  const change = (update: (current: ScopeBuilderValues) => ScopeBuilderValues) => {
    edited();
    latest.current = update(latest.current);
    setValues(latest.current);
  };
  const changeRule = (key: string, update: (rule: ScopeRuleValues) => ScopeRuleValues | null) =>
    change((current) => ({
      ...current,
      rules: current.rules.flatMap((rule) => {
        if (rule.key !== key) return [rule];
        const next = update(rule);
        return next === null ? [] : [next];
      }),
    }));
  const changeLine = (ruleKey: string, lineKey: string, update: (line: ScopeLineValues) => ScopeLineValues | null) =>
    changeRule(ruleKey, (rule) => {
      if (rule.kind !== 'property') return rule;
      const lines = rule.lines.flatMap((line) => {
        if (line.key !== lineKey) return [line];
        const next = update(line);
        return next === null ? [] : [next];
      });
      return lines.length === 0 ? null : { ...rule, lines };
    });
  const newLine = (): ScopeLineValues => ({ key: nextKey(), property: 'department', op: 'eq', text: '' });

  const propertyRule = (rule: Extract<ScopeRuleValues, { kind: 'property' }>, r: number) => (
    <Stack key={rule.key} space="space.100">
      {rule.lines.map((line, l) => {
        const name = (part: string) => `scope-${part}-${r + 1}-${l + 1}`;
        return (
          <Stack key={line.key} space="space.050">
            {l > 0 ? <Text>or</Text> : null}
            <Inline space="space.150" alignBlock="start" shouldWrap>
              <Stack space="space.050">
                <Label labelFor={name('property')}>{`${lineLabel(r, l)}: property`}</Label>
                <Select
                  id={name('property')}
                  name={name('property')}
                  options={[...SCOPE_PROPERTY_OPTIONS]}
                  value={SCOPE_PROPERTY_OPTIONS.find((o) => o.value === line.property)}
                  onChange={(option: unknown) => {
                    const property = SCOPE_PROPERTY_OPTIONS.find((o) => o.value === chosenValue(option))?.value;
                    if (property !== undefined) changeLine(rule.key, line.key, (current) => ({ ...current, property }));
                  }}
                />
              </Stack>
              <Stack space="space.050">
                <Label labelFor={name('test')}>{`${lineLabel(r, l)}: test`}</Label>
                <Select
                  id={name('test')}
                  name={name('test')}
                  options={[...SCOPE_OPERATOR_OPTIONS]}
                  value={SCOPE_OPERATOR_OPTIONS.find((o) => o.value === line.op)}
                  onChange={(option: unknown) => {
                    const op = SCOPE_OPERATOR_OPTIONS.find((o) => o.value === chosenValue(option))?.value;
                    if (op !== undefined) changeLine(rule.key, line.key, (current) => ({ ...current, op }));
                  }}
                />
              </Stack>
              {valueField(
                r,
                l,
                line,
                (text) => changeLine(rule.key, line.key, (current) => ({ ...current, text })),
                messages.fields[line.key],
              )}
              {l > 0 ? (
                <Button appearance="subtle" onClick={() => changeLine(rule.key, line.key, () => null)}>
                  {`Remove ${lineLabel(r, l).toLowerCase()}`}
                </Button>
              ) : null}
            </Inline>
          </Stack>
        );
      })}
      <Inline space="space.100">
        <Button
          onClick={() =>
            changeRule(rule.key, (current) =>
              current.kind === 'property' ? { ...current, lines: [...current.lines, newLine()] } : current,
            )
          }
        >
          {`Add "or" to rule ${r + 1}`}
        </Button>
        <Button appearance="subtle" onClick={() => changeRule(rule.key, () => null)}>
          {`Remove rule ${r + 1}`}
        </Button>
      </Inline>
    </Stack>
  );

  const membershipRule = (rule: Extract<ScopeRuleValues, { kind: 'membership' }>, r: number) => {
    const ids = `scope-groups-${r + 1}`;
    const membership = `scope-membership-${r + 1}`;
    const message = messages.fields[rule.key];
    return (
      <Stack key={rule.key} space="space.050">
        <Label labelFor={ids}>{`Rule ${r + 1}: member of the groups (object IDs)`}</Label>
        <TextArea
          id={ids}
          name={ids}
          defaultValue={rule.ids}
          placeholder="00000000-0000-0000-0000-000000000000"
          onChange={(event) => changeRule(rule.key, (current) => ({ ...current, ids: textOfChange(event) }) as ScopeRuleValues)}
        />
        {message === undefined ? (
          <HelperMessage>
            {`One per line or separated by commas (at most ${SCOPE_MAX_GROUPS}): the Object ID from the group’s Overview page in the ` +
              'Microsoft Entra admin center. A user in at least one of them meets the rule. Saving checks that Entra ID has each of them.'}
          </HelperMessage>
        ) : (
          <ErrorMessage>{message}</ErrorMessage>
        )}
        <Label labelFor={membership}>{`Rule ${r + 1}: membership`}</Label>
        <Select
          id={membership}
          name={membership}
          options={[...SCOPE_MEMBERSHIP_OPTIONS]}
          value={SCOPE_MEMBERSHIP_OPTIONS.find((o) => o.value === (rule.transitive ? 'transitive' : 'direct'))}
          onChange={(option: unknown) => {
            const chosen = chosenValue(option);
            if (chosen === 'direct' || chosen === 'transitive')
              changeRule(rule.key, (current) => ({ ...current, transitive: chosen === 'transitive' }) as ScopeRuleValues);
          }}
        />
        <Inline space="space.100">
          <Button appearance="subtle" onClick={() => changeRule(rule.key, () => null)}>
            {`Remove rule ${r + 1}`}
          </Button>
        </Inline>
      </Stack>
    );
  };

  return (
    <Stack space="space.150">
      <Heading as="h3">{SCOPE_SECTION_TITLE}</Heading>
      <Text>
        By default every Entra ID user the app registration can read is synced. Here you can narrow that down. A user who leaves the scope
        is handled like a leaver: the Employee object is made inactive (reason “Outside the sync scope”), never deleted, and counts towards
        the safety threshold. Use Preview after a change: it shows how many users each rule leaves out and who would leave or enter the
        sync.
      </Text>
      {settings === null ? (
        <SectionMessage appearance="information" title="Connect Microsoft Entra ID first">
          <Text>Save the connection settings above, then choose who is synced.</Text>
        </SectionMessage>
      ) : (
        <Stack space="space.150">
          {saved ? (
            <SectionMessage appearance="success" title="Scope saved">
              <Text>The next preview or sync uses it.</Text>
            </SectionMessage>
          ) : null}
          <SavedScope settings={settings} />
          <Label labelFor="scope-user-type">User type</Label>
          <Select
            id="scope-user-type"
            name="scopeUserType"
            options={[...SCOPE_USER_TYPE_OPTIONS]}
            value={SCOPE_USER_TYPE_OPTIONS.find((o) => o.value === (values.membersOnly ? 'members' : 'all'))}
            onChange={(option: unknown) => {
              const chosen = chosenValue(option);
              if (chosen === 'all' || chosen === 'members') change((current) => ({ ...current, membersOnly: chosen === 'members' }));
            }}
          />
          <Label labelFor="scope-accounts">Account status</Label>
          <Select
            id="scope-accounts"
            name="scopeAccounts"
            options={[...SCOPE_ACCOUNT_OPTIONS]}
            value={SCOPE_ACCOUNT_OPTIONS.find((o) => o.value === (values.enabledOnly ? 'enabled' : 'all'))}
            onChange={(option: unknown) => {
              const chosen = chosenValue(option);
              if (chosen === 'all' || chosen === 'enabled') change((current) => ({ ...current, enabledOnly: chosen === 'enabled' }));
            }}
          />
          <HelperMessage>
            A disabled account that stays in the scope keeps its Employee object, made inactive because the account is disabled.
          </HelperMessage>
          <Heading as="h4">Rules</Heading>
          <Text>
            {values.rules.length === 0
              ? 'No rules: every user of the chosen type and status is synced.'
              : `A user is synced only when every rule holds; a rule with "or" lines holds when any one of its lines does (at most ${SCOPE_MAX_RULES} lines in all). Values compare ignoring case and spaces at either end.`}
          </Text>
          {values.rules.map((rule, r) => (rule.kind === 'property' ? propertyRule(rule, r) : membershipRule(rule, r)))}
          {hasMembershipRule(values) ? <MembershipPermission lastCheck={props.lastCheck} /> : null}
          <Inline space="space.100" shouldWrap>
            <Button
              onClick={() =>
                change((current) => ({ ...current, rules: [...current.rules, { key: nextKey(), kind: 'property', lines: [newLine()] }] }))
              }
            >
              Add a property rule
            </Button>
            <Button
              onClick={() =>
                change((current) => ({
                  ...current,
                  rules: [...current.rules, { key: nextKey(), kind: 'membership', ids: '', transitive: false }],
                }))
              }
            >
              Add a group membership rule
            </Button>
          </Inline>
          {messages.scope !== undefined ? <ErrorMessage>{messages.scope}</ErrorMessage> : null}
          <SaveRefusalNotice failure={failure} invalidTitle="Scope not saved" />
          <Inline space="space.100">
            <LoadingButton
              appearance="primary"
              isLoading={saving}
              isDisabled={invalid}
              onClick={() => save((stored) => scopePayload(stored, latest.current))}
            >
              Save scope
            </LoadingButton>
            <Button
              appearance="subtle"
              isDisabled={values.rules.length === 0 && !values.membersOnly && !values.enabledOnly}
              onClick={() => change(() => EMPTY_SCOPE_BUILDER)}
            >
              Clear the scope (everyone)
            </Button>
          </Inline>
        </Stack>
      )}
    </Stack>
  );
}
