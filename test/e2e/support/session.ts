// One end-to-end session: a copy of examples/ served by code-server with the packaged VSIX installed,
// Chromium on its workbench, screenshots on failure, README screenshots published after a passing run.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, type LaunchedBrowser } from './browser';
import { Workbench } from './workbench';
import type { RunningCodeServer } from '../code-server.mjs';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const VSIX = join(ROOT, 'dist', 'fintech-k8s.vsix');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const ARTIFACTS = join(ROOT, 'test', 'e2e', '.artifacts');
export const DOCS_IMAGES = join(ROOT, 'docs', 'images');
const STAGED_DOCS = join(ARTIFACTS, 'docs-images');

export interface CliFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  fixable?: boolean;
}

export interface CliReport {
  summary: { files: number; findings: { error: number; warning: number; info: number } };
  files: { file: string; findings: CliFinding[] }[];
}

/** The engine's verdict through the CLI of the same build as the VSIX (exit 1 just means findings). */
export function cliScan(target: string): CliReport {
  const result = spawnSync(process.execPath, [CLI, 'scan', target, '--format', 'json'], { encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`fintech-k8s scan ${target} exited with ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as CliReport;
}

/**
 * The findings of one file. With `workspace`, the whole folder is scanned along, as the language server
 * sees it (rules that look across files: a LimitRange, a NetworkPolicy or a ServiceAccount elsewhere).
 */
export function cliFindings(file: string, workspace?: string): CliFinding[] {
  if (!workspace) return cliScan(file).files.flatMap((entry) => entry.findings);
  return cliScan(workspace)
    .files.filter((entry) => resolve(entry.file) === resolve(file))
    .flatMap((entry) => entry.findings);
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

/** Saves a screenshot of the workbench into test/e2e/.artifacts/ (never fails the caller). */
export async function failureShot(workbench: Workbench, name: string): Promise<string | undefined> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${slug(name)}.png`);
  try {
    await workbench.screenshot(path);
    console.log(`e2e: screenshot of the failure: ${path}`);
    return path;
  } catch {
    return undefined;
  }
}

/** Keeps code-server's log beside the screenshot. */
export function keepLog(server: RunningCodeServer, name: string): void {
  try {
    mkdirSync(ARTIFACTS, { recursive: true });
    copyFileSync(server.logFile, join(ARTIFACTS, `${slug(name)}-code-server.log`));
  } catch {
    // no log to keep
  }
}

/** What every e2e session shares: the running parts, failure artefacts and README screenshots. */
export abstract class SessionBase {
  private failures = 0;
  private passes = 0;

  protected constructor(
    readonly workbench: Workbench,
    /** The temp copy of examples/ that code-server serves. */
    readonly workspace: string,
    protected readonly server: RunningCodeServer,
    protected readonly browser: LaunchedBrowser,
    protected readonly tempDir: string,
    /** Where README screenshots wait until the suite has passed (one folder per suite). */
    private readonly stagedDocs: string,
  ) {}

  /** Runs a test body; on failure saves a screenshot (and code-server's log) into test/e2e/.artifacts/. */
  async guard(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
      this.passes++;
    } catch (error) {
      this.failures++;
      await failureShot(this.workbench, name);
      keepLog(this.server, name);
      throw error;
    }
  }

  /** A screenshot for the README, staged until the whole run has passed. */
  async docsShot(name: string): Promise<void> {
    mkdirSync(this.stagedDocs, { recursive: true });
    await this.workbench.screenshot(join(this.stagedDocs, `${name}.png`));
  }

  /** Copies the staged README screenshots into docs/images/ when all `expected` tests passed. */
  publishDocsShots(expected: number): string[] {
    if (this.failures > 0 || this.passes !== expected || process.env.FINTECH_K8S_E2E_DOCS_IMAGES === '0' || !existsSync(this.stagedDocs))
      return [];
    mkdirSync(DOCS_IMAGES, { recursive: true });
    const published = readdirSync(this.stagedDocs).filter((name) => name.endsWith('.png'));
    for (const name of published) copyFileSync(join(this.stagedDocs, name), join(DOCS_IMAGES, name));
    return published.map((name) => join('docs', 'images', name));
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.stop();
    rmSync(this.tempDir, { recursive: true, force: true });
  }
}

export class E2ESession extends SessionBase {
  private constructor(workbench: Workbench, workspace: string, server: RunningCodeServer, browser: LaunchedBrowser, tempDir: string) {
    super(workbench, workspace, server, browser, tempDir, STAGED_DOCS);
  }

  /** Settings for the test user: code-server saves after a delay by default, the tests save explicitly. */
  static readonly SETTINGS: Record<string, unknown> = { 'files.autoSave': 'off' };

  /** `folders`: more folders copied into the workspace beside the examples (name in the workspace → source). */
  static async start(settings: Record<string, unknown> = {}, folders: Record<string, string> = {}): Promise<E2ESession> {
    if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run package\` first`);
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run package\` first`);
    // Dynamic import: code-server.mjs is an ES module and these tests compile to CommonJS.
    const { startCodeServer, isProvisioned, codeServerDir } = await import('../code-server.mjs');
    if (!isProvisioned())
      throw new Error(`code-server is not provisioned in ${codeServerDir()}: run \`node test/e2e/code-server.mjs provision\``);

    rmSync(STAGED_DOCS, { recursive: true, force: true });
    const tempDir = mkdtempSync(join(tmpdir(), 'fintech-k8s-e2e-'));
    // Named "examples" so the window title and screenshots read as in the demo.
    const workspace = join(tempDir, 'examples');
    cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
    for (const [name, source] of Object.entries(folders)) cpSync(source, join(workspace, name), { recursive: true });

    let started = Date.now();
    const server = await startCodeServer({ workspace, vsix: VSIX, settings: { ...E2ESession.SETTINGS, ...settings } });
    const serverMs = Date.now() - started;
    let browser: LaunchedBrowser | undefined;
    try {
      started = Date.now();
      browser = await launchChromium();
      const workbench = new Workbench(browser.page);
      await workbench.open(server.url);
      console.log(
        `e2e: code-server ready (VSIX installed) in ${(serverMs / 1000).toFixed(1)} s; workbench loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      return new E2ESession(workbench, workspace, server, browser, tempDir);
    } catch (error) {
      if (browser) await failureShot(new Workbench(browser.page), 'session-start');
      keepLog(server, 'session-start');
      await browser?.close();
      await server.stop();
      rmSync(tempDir, { recursive: true, force: true });
      throw error;
    }
  }
}
