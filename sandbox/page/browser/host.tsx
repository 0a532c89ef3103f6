/**
 * The page host (host.js, loaded before the app's bundle): installs the frontend bridge first, so the unmodified
 * @forge/react and @forge/bridge in app.js find it when they load, then draws the Jira-like frame and, inside it,
 * every ForgeDoc the app's reconciler sends. Problems (an app callback that failed, a bridge command the host does
 * not implement, an error the app reported) are shown on the page as red boxes, never swallowed.
 */
import { setGlobalTheme } from '@atlaskit/tokens/dist/esm/set-global-theme';
import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

import type { ForgeNode } from '../../ui/forge-doc';
import { installBridge } from './bridge-client';
import { browser } from './dom';
import { JiraFrame } from './frame';
import { ForgeDocView, ProblemBox, type RenderReporter } from './render-doc';

// First, before anything renders: the app's bundle (the next script) captures the bridge when it loads.
const host = installBridge();

interface PageConfig {
  readonly accountName: string;
}

function readConfig(): PageConfig {
  const text = browser.document.getElementById('page-config')?.textContent ?? '{}';
  const parsed = JSON.parse(text) as { accountName?: unknown };
  return { accountName: typeof parsed.accountName === 'string' ? parsed.accountName : 'Jira administrator' };
}

function Page({ config }: { config: PageConfig }) {
  const [doc, setDoc] = useState<ForgeNode | null>(null);
  const [, setVersion] = useState(0);
  const [problems, setProblems] = useState<readonly string[]>([]);

  useEffect(() => {
    let scheduled = false;
    host.onDoc((next) => {
      setDoc(next);
      // The tree is mutated in place: redraw on every reconcile, at most once a frame.
      if (scheduled) return;
      scheduled = true;
      browser.requestAnimationFrame(() => {
        scheduled = false;
        setVersion((v) => v + 1);
      });
    });
  }, []);

  useEffect(() => {
    // Problems reported by the bridge (outside React) are picked up here.
    const timer = setInterval(
      () => setProblems((shown) => (shown.length === host.record.problems.length ? shown : [...host.record.problems])),
      250,
    );
    return () => clearInterval(timer);
  }, []);

  const reporter: RenderReporter = {
    problem(message) {
      host.record.problems.push(message);
      setProblems([...host.record.problems]);
    },
  };

  return (
    <JiraFrame accountName={config.accountName}>
      {problems.map((problem, index) => (
        <ProblemBox key={index} title="Problem on the page:" detail={problem} />
      ))}
      {doc === null ? <p>Loading the app...</p> : <ForgeDocView doc={doc} reporter={reporter} />}
    </JiraFrame>
  );
}

void setGlobalTheme({ colorMode: 'light', light: 'light', spacing: 'spacing', typography: 'typography', shape: 'shape' }).catch(
  () => undefined,
);
const container = browser.document.getElementById('root');
if (container === null) throw new Error('The page has no #root element.');
createRoot(container as never).render(<Page config={readConfig()} />);
