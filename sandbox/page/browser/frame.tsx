/**
 * A frame that looks like Jira's settings pages, around the app's admin page: a top bar with the product and the
 * signed-in account, an "Apps" sidebar with "Entra ID Sync" selected, and the page. Landmarks (banner, navigation,
 * main) as Jira has them. Only the app's page is live; the frame's other entries are inert text, as the sandbox
 * has no other Jira pages.
 */
import Avatar from '@atlaskit/avatar';
import Heading from '@atlaskit/heading';
import React, { type ReactNode } from 'react';

export interface FrameProps {
  readonly accountName: string;
  readonly children: ReactNode;
}

const BAR: React.CSSProperties = {
  display: 'flex',
  alignItems: 'center',
  gap: 16,
  height: 56,
  padding: '0 16px',
  borderBottom: '1px solid var(--ds-border, #0B120E24)',
  background: 'var(--ds-surface, #FFFFFF)',
  position: 'sticky',
  top: 0,
  zIndex: 10,
};

const SIDEBAR: React.CSSProperties = {
  width: 240,
  flexShrink: 0,
  borderRight: '1px solid var(--ds-border, #0B120E24)',
  padding: '16px 8px',
  background: 'var(--ds-surface, #FFFFFF)',
  minHeight: 'calc(100vh - 57px)',
  boxSizing: 'border-box',
};

const SIDE_ITEM: React.CSSProperties = {
  display: 'block',
  padding: '6px 8px',
  borderRadius: 4,
  color: 'var(--ds-text-subtle, #505258)',
  font: 'var(--ds-font-body, 14px/20px system-ui)',
};
const SIDE_SELECTED: React.CSSProperties = {
  ...SIDE_ITEM,
  background: 'var(--ds-background-selected, #E9F2FE)',
  color: 'var(--ds-text-selected, #1868DB)',
  fontWeight: 600,
  textDecoration: 'none',
};

const SETTINGS_ENTRIES = ['System', 'Products', 'Projects', 'Issues'];
const APP_ENTRIES = ['Explore apps', 'Manage apps'];

export function JiraFrame({ accountName, children }: FrameProps) {
  return (
    <div style={{ minHeight: '100vh', background: 'var(--ds-surface, #FFFFFF)', color: 'var(--ds-text, #292A2E)' }}>
      <header style={BAR} role="banner">
        <span aria-hidden="true" style={{ width: 24, height: 24, borderRadius: 6, background: '#1868DB', display: 'inline-block' }} />
        <span style={{ font: 'var(--ds-font-heading-small, 600 16px/20px system-ui)' }}>Jira</span>
        <span style={{ color: 'var(--ds-text-subtle, #505258)', font: 'var(--ds-font-body, 14px/20px system-ui)' }}>Settings</span>
        <span style={{ flexGrow: 1 }} />
        <span
          style={{ font: 'var(--ds-font-body-small, 12px/16px system-ui)', color: 'var(--ds-text-subtle, #505258)' }}
          data-testid="signed-in-account"
        >
          Sandbox site · signed in as {accountName}
        </span>
        <Avatar size="small" name={accountName} />
      </header>
      <div style={{ display: 'flex' }}>
        <nav aria-label="Settings" style={SIDEBAR}>
          <div style={{ padding: '0 8px 8px' }}>
            <Heading as="h2" size="xsmall">
              Jira settings
            </Heading>
          </div>
          {SETTINGS_ENTRIES.map((entry) => (
            <span key={entry} style={SIDE_ITEM}>
              {entry}
            </span>
          ))}
          <div style={{ padding: '16px 8px 8px' }}>
            <Heading as="h2" size="xsmall">
              Apps
            </Heading>
          </div>
          {APP_ENTRIES.map((entry) => (
            <span key={entry} style={SIDE_ITEM}>
              {entry}
            </span>
          ))}
          <a href="/" aria-current="page" style={SIDE_SELECTED}>
            Entra ID Sync
          </a>
        </nav>
        <main style={{ flexGrow: 1, padding: '24px 40px', maxWidth: 1200, boxSizing: 'border-box', minWidth: 0 }}>{children}</main>
      </div>
    </div>
  );
}
