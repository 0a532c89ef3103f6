/**
 * The few browser APIs the page host uses, typed here: the project compiles without the DOM library (the app and
 * the sandbox run on Node), so this file is the one place that reaches the browser's globals.
 */

export interface HostElement {
  textContent: string | null;
}

interface BrowserGlobals {
  readonly document: {
    getElementById(id: string): HostElement | null;
    title: string;
  };
  readonly location: { readonly search: string };
  requestAnimationFrame(callback: () => void): number;
}

export const browser = globalThis as unknown as BrowserGlobals;

/** What a form control event carries, read from React's event target. */
export interface ControlTarget {
  readonly value: string;
  readonly type: string;
  readonly name: string;
  readonly checked?: boolean;
}
