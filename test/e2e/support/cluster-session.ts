// An end-to-end session for the cluster side: like E2ESession (a copy of examples/ served by code-server
// with the packaged VSIX, Chromium on its workbench, screenshots on failure, README screenshots after a
// passing run), plus KUBECONFIG pointing at a COPY of the test cluster's kubeconfig in a temp dir, so the
// tests can check that the extension never writes it. README screenshots are staged in their own folder
// so that this suite and lint.e2e.test.ts never publish or wipe each other's.
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, type LaunchedBrowser } from './browser';
import { ARTIFACTS, CLI, failureShot, keepLog, ROOT, SessionBase, VSIX } from './session';
import { Workbench } from './workbench';
import type { RunningCodeServer } from '../code-server.mjs';

const STAGED_DOCS = join(ARTIFACTS, 'docs-images-cluster');

export interface KubeconfigSnapshot {
  bytes: Buffer;
  mtimeMs: number;
}

export class ClusterE2ESession extends SessionBase {
  private constructor(
    workbench: Workbench,
    workspace: string,
    /** The kubeconfig copy that KUBECONFIG points at, and its bytes when the session started. */
    readonly kubeconfig: string,
    readonly kubeconfigAtStart: KubeconfigSnapshot,
    server: RunningCodeServer,
    browser: LaunchedBrowser,
    tempDir: string,
  ) {
    super(workbench, workspace, server, browser, tempDir, STAGED_DOCS);
  }

  static readonly SETTINGS: Record<string, unknown> = {
    'files.autoSave': 'off',
    // Sticky rows repeat tree nodes above the list; the tests read and click the real rows only.
    'workbench.tree.enableStickyScroll': false,
  };

  /** Starts code-server with KUBECONFIG = a copy of `sourceKubeconfig`, and Chromium on it. */
  static async start(sourceKubeconfig: string, settings: Record<string, unknown> = {}): Promise<ClusterE2ESession> {
    if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run package\` first`);
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run package\` first`);
    const { startCodeServer, isProvisioned, codeServerDir } = await import('../code-server.mjs');
    if (!isProvisioned())
      throw new Error(`code-server is not provisioned in ${codeServerDir()}: run \`node test/e2e/code-server.mjs provision\``);

    rmSync(STAGED_DOCS, { recursive: true, force: true });
    const tempDir = mkdtempSync(join(tmpdir(), 'fintech-k8s-e2e-cluster-'));
    const workspace = join(tempDir, 'examples');
    cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
    const kubeDir = join(tempDir, 'kube');
    mkdirSync(kubeDir);
    const kubeconfig = join(kubeDir, 'config');
    copyFileSync(sourceKubeconfig, kubeconfig);
    const snapshot = ClusterE2ESession.snapshot(kubeconfig);

    let started = Date.now();
    const server = await startCodeServer({
      workspace,
      vsix: VSIX,
      settings: { ...ClusterE2ESession.SETTINGS, ...settings },
      env: { KUBECONFIG: kubeconfig },
    });
    const serverMs = Date.now() - started;
    let browser: LaunchedBrowser | undefined;
    try {
      started = Date.now();
      browser = await launchChromium();
      // The New Manifest test reads an untitled editor's text through the clipboard (Ctrl+A, Ctrl+C).
      await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
      const workbench = new Workbench(browser.page);
      await workbench.open(server.url);
      console.log(
        `e2e: code-server ready (VSIX installed, KUBECONFIG=${kubeconfig}) in ${(serverMs / 1000).toFixed(1)} s; workbench loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      return new ClusterE2ESession(workbench, workspace, kubeconfig, snapshot, server, browser, tempDir);
    } catch (error) {
      if (browser) await failureShot(new Workbench(browser.page), 'cluster-session-start');
      keepLog(server, 'cluster-session-start');
      await browser?.close();
      await server.stop();
      rmSync(tempDir, { recursive: true, force: true });
      throw error;
    }
  }

  static snapshot(file: string): KubeconfigSnapshot {
    return { bytes: readFileSync(file), mtimeMs: statSync(file).mtimeMs };
  }

  /** Throws unless the kubeconfig copy is byte-identical to what the session started with (and not rewritten). */
  assertKubeconfigUntouched(): void {
    const now = ClusterE2ESession.snapshot(this.kubeconfig);
    if (!now.bytes.equals(this.kubeconfigAtStart.bytes))
      throw new Error(`the extension modified the kubeconfig ${this.kubeconfig} (KUBECONFIG): its bytes changed`);
    if (now.mtimeMs !== this.kubeconfigAtStart.mtimeMs)
      throw new Error(`the extension rewrote the kubeconfig ${this.kubeconfig} (KUBECONFIG): same bytes, new mtime`);
  }
}
