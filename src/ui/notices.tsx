/** The page's loading and error states, so every tab shows them the same way. */
import { Inline, SectionMessage, Spinner, Text } from '@forge/react';
import React from 'react';

import { errorTitle } from './error-titles';

export function Loading({ label }: { label: string }) {
  return (
    <Inline space="space.100" alignBlock="center">
      <Spinner label={label} size="small" />
      <Text>{label}</Text>
    </Inline>
  );
}

export function ErrorNotice({ message, code, title }: { message: string; code?: string | null; title?: string }) {
  return (
    <SectionMessage appearance="error" title={title ?? errorTitle(code)}>
      <Text>{message}</Text>
    </SectionMessage>
  );
}
