// An end-to-end session for the cluster side: like E2ESession (a copy of examples/ served by code-server
// with the packaged VSIX, Chromium on its workbench, screenshots on failure, README screenshots after a
// passing run), plus KUBECONFIG pointing at a COPY of the test cluster's kubeconfig in a temp dir, so the
// tests can check that the extension never writes it. README screenshots are staged in their own folder
// so that this suite and lint.e2e.test.ts never publish or wipe each other's.
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, type LaunchedBrowser } from './browser';
import { ARTIFACTS, CLI, DOCS_IMAGES, ROOT, VSIX } from './session';
import { Workbench } from './workbench';
import type { RunningCodeServer } from '../code-server.mjs';

const STAGED_DOCS = join(ARTIFACTS, 'docs-images-cluster');

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

export interface KubeconfigSnapshot {
  bytes: Buffer;
  mtimeMs: number;
}

export class ClusterE2ESession {
  private failures = 0;
  private passes = 0;

  private constructor(
    readonly workbench: Workbench,
    /** The temp copy of examples/ that code-server serves. */
    readonly workspace: string,
    /** The kubeconfig copy that KUBECONFIG points at, and its bytes when the session started. */
    readonly kubeconfig: string,
    readonly kubeconfigAtStart: KubeconfigSnapshot,
    private readonly server: RunningCodeServer,
    private readonly browser: LaunchedBrowser,
    private readonly tempDir: string,
  ) {}

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
      if (browser) await ClusterE2ESession.failureShot(new Workbench(browser.page), 'cluster-session-start');
      ClusterE2ESession.keepLog(server, 'cluster-session-start');
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

  private static async failureShot(workbench: Workbench, name: string): Promise<void> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${slug(name)}.png`);
    try {
      await workbench.screenshot(path);
      console.log(`e2e: screenshot of the failure: ${path}`);
    } catch {
      // the page is gone
    }
  }

  private static keepLog(server: RunningCodeServer, name: string): void {
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      copyFileSync(server.logFile, join(ARTIFACTS, `${slug(name)}-code-server.log`));
    } catch {
      // no log to keep
    }
  }

  /** Runs a test body; on failure saves a screenshot (and code-server's log) into test/e2e/.artifacts/. */
  async guard(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
      this.passes++;
    } catch (error) {
      this.failures++;
      await ClusterE2ESession.failureShot(this.workbench, name);
      ClusterE2ESession.keepLog(this.server, name);
      throw error;
    }
  }

  /** A screenshot for the README, staged until the whole run has passed. */
  async docsShot(name: string): Promise<void> {
    mkdirSync(STAGED_DOCS, { recursive: true });
    await this.workbench.screenshot(join(STAGED_DOCS, `${name}.png`));
  }

  /** Copies the staged README screenshots into docs/images/ when all `expected` tests passed. */
  publishDocsShots(expected: number): string[] {
    if (this.failures > 0 || this.passes !== expected || process.env.FINTECH_K8S_E2E_DOCS_IMAGES === '0' || !existsSync(STAGED_DOCS))
      return [];
    mkdirSync(DOCS_IMAGES, { recursive: true });
    const published = readdirSync(STAGED_DOCS).filter((name) => name.endsWith('.png'));
    for (const name of published) copyFileSync(join(STAGED_DOCS, name), join(DOCS_IMAGES, name));
    return published.map((name) => join('docs', 'images', name));
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.stop();
    rmSync(this.tempDir, { recursive: true, force: true });
  }
}
