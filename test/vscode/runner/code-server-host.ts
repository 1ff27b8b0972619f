// The suite inside code-server's extension host (VS Code in the browser, the same Node extension host as
// the desktop): code-server serves the workspace, headless Chromium opens the workbench with the
// extensionDevelopmentPath/extensionTestsPath payload (code-server refuses them as flags), and the suite's
// exit code comes back through window.codeAutomationExit. One code-server per window kind: Workspace
// Trust is a server flag.
import { join } from 'node:path';
import { launchChromium } from '../../e2e/support/browser';
import type { RunningCodeServer } from '../../e2e/code-server.mjs';

export interface HostRun {
  /** The folder the window opens. */
  workspace: string;
  /** The bundled suite (its index.js). */
  suiteDir: string;
  /** The extension under test (package.json, dist/). */
  extensionDir: string;
  /** Environment of the extension host. */
  env: Record<string, string>;
  /** false: Workspace Trust on and the folder untrusted (Restricted Mode). */
  trusted: boolean;
  /** Where code-server's log is copied when the run fails. */
  artifacts: string;
}

/** Ends a run that never reports back (a hung extension host): far above a slow run's few minutes. */
const RUN_TIMEOUT_MS = 20 * 60_000;

export async function runInCodeServer(run: HostRun): Promise<number> {
  const { startCodeServer } = await import('../../e2e/code-server.mjs');
  const server = await startCodeServer({
    workspace: run.workspace,
    env: run.env,
    workspaceTrust: !run.trusted,
    settings: { 'files.autoSave': 'off', 'workbench.tree.enableStickyScroll': false },
  });
  const browser = await launchChromium();
  try {
    const exitCode = new Promise<number>((resolve, reject) => {
      void browser.page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
      browser.page.on('crash', () => reject(new Error('the Chromium page crashed')));
      setTimeout(
        () => reject(new Error(`no result from the extension host within ${RUN_TIMEOUT_MS / 60_000} min`)),
        RUN_TIMEOUT_MS,
      ).unref();
    });
    // The workbench's own log (gallery lookups that fail offline and the like): shown only when the run fails.
    const workbenchLog: string[] = [];
    await browser.page.exposeFunction('codeAutomationLog', (level: string, message: string) => {
      if (level === 'error' || level === 'warn') workbenchLog.push(`[workbench ${level}] ${message}`);
    });
    await browser.page.goto(workbenchUrl(server, run));
    const code = await exitCode;
    if (code !== 0) {
      console.log(workbenchLog.join('\n'));
      await keepLog(server, run.artifacts, run.trusted);
    }
    return code;
  } catch (error) {
    await keepLog(server, run.artifacts, run.trusted);
    throw error;
  } finally {
    await browser.close();
    await server.stop();
  }
}

function workbenchUrl(server: RunningCodeServer, run: HostRun): string {
  const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(run.extensionDir)],
    ['extensionTestsPath', remote(join(run.suiteDir, 'index.js'))],
  ];
  return `${server.url}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function keepLog(server: RunningCodeServer, artifacts: string, trusted: boolean): Promise<void> {
  const { copyFileSync, mkdirSync } = await import('node:fs');
  try {
    mkdirSync(artifacts, { recursive: true });
    const target = join(artifacts, `code-server-${trusted ? 'trusted' : 'untrusted'}.log`);
    copyFileSync(server.logFile, target);
    console.log(`test:vscode: code-server's log kept in ${target}`);
  } catch {
    // no log to keep
  }
}
