/**
 * @atlaskit/tokens 20 exports only `token` from its index; setGlobalTheme (which Jira calls to load the design
 * tokens' theme CSS) is in its own module without an entry point, typed here from its dist/types declaration.
 */
declare module '@atlaskit/tokens/dist/esm/set-global-theme' {
  export function setGlobalTheme(themeState: {
    colorMode?: 'light' | 'dark' | 'auto';
    light?: string;
    dark?: string;
    spacing?: string;
    typography?: string;
    shape?: string;
  }): Promise<unknown>;
}
