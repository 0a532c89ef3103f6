/** The admin page's resolver keys: the resolver defines exactly these and the UI's invoke module calls only these. */
export const RESOLVER_KEYS = {
  getSettings: 'getSettings',
  saveSettings: 'saveSettings',
  testConnection: 'testConnection',
  createSchema: 'createSchema',
  getSchemaJob: 'getSchemaJob',
  getSchemaStatus: 'getSchemaStatus',
  getOverview: 'getOverview',
  startPreview: 'startPreview',
  startSync: 'startSync',
  cancelRun: 'cancelRun',
  confirmRun: 'confirmRun',
  getStatus: 'getStatus',
  getHistory: 'getHistory',
  getRun: 'getRun',
  getReport: 'getReport',
  runDiagnostics: 'runDiagnostics',
  syncUser: 'syncUser',
  getWriteBackAudit: 'getWriteBackAudit',
} as const;

export type ResolverKey = (typeof RESOLVER_KEYS)[keyof typeof RESOLVER_KEYS];

/** The largest payload (as JSON text) a resolver accepts; the settings form, the biggest, stays far below it. */
export const MAX_RESOLVER_PAYLOAD_CHARS = 8 * 1024;
