/** The page's tabs, in order; Overview is where the page opens. */
export const TAB_NAMES = ['Overview', 'Setup', 'Preview', 'Sync', 'History'] as const;
export type TabName = (typeof TAB_NAMES)[number];
