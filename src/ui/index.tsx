/**
 * The admin page's entry point (manifest resource admin-ui, jira:adminPage, UI Kit): renders the App through the
 * Forge reconciler, which sends the component tree to Jira over the bridge.
 */
import ForgeReconciler from '@forge/react';
import React from 'react';

import { App } from './app';

ForgeReconciler.render(
  <React.StrictMode>
    <App />
  </React.StrictMode>,
);
