// The suite in a desktop VS Code through @vscode/test-electron: the executable named by
// FINTECH_K8S_VSCODE_EXECUTABLE, or one it downloads where a display and the network allow. The check is
// quick (a display server, then one request with a short timeout), so a machine without either moves on
// to code-server at once instead of hanging in a download.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import type { HostRun } from './code-server-host';

/** The VS Code the desktop path downloads: the one code-server 4.100.3 carries, the oldest engines.vscode allows. */
export const DESKTOP_VSCODE_VERSION = '1.100.3';
const UPDATE_SERVER = 'https://update.code.visualstudio.com/api/releases/stable';
const PROBE_TIMEOUT_MS = 5_000;

export type DesktopChoice = { executable: string } | { unavailable: string };

export async function findDesktopVSCode(cacheDir: string): Promise<DesktopChoice> {
  const named = process.env.FINTECH_K8S_VSCODE_EXECUTABLE;
  if (named) {
    if (!existsSync(named)) throw new Error(`FINTECH_K8S_VSCODE_EXECUTABLE=${named} does not exist`);
    return { executable: named };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { unavailable: 'no display server (DISPLAY) for a desktop VS Code; set FINTECH_K8S_VSCODE_EXECUTABLE or run under xvfb-run' };
  if (!(await reachable(UPDATE_SERVER))) return { unavailable: `cannot download VS Code: ${new URL(UPDATE_SERVER).host} is not reachable` };
  const executable = await downloadAndUnzipVSCode({ version: DESKTOP_VSCODE_VERSION, cachePath: cacheDir, timeout: 60_000 });
  return { executable };
}

function reachable(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'HEAD', timeout: PROBE_TIMEOUT_MS }, (response) => {
      response.resume();
      resolve((response.statusCode ?? 500) < 500);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Runs one window of the suite in the desktop VS Code; resolves with its exit code. */
export async function runOnDesktop(executable: string, run: HostRun, profileDir: string): Promise<number> {
  const userDataDir = join(profileDir, 'user-data');
  const extensionsDir = join(profileDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const { BASE_SETTINGS, UNTRUSTED_SETTINGS } = await import('../../e2e/code-server.mjs');
  const settings = { ...BASE_SETTINGS, ...(run.trusted ? {} : UNTRUSTED_SETTINGS), 'files.autoSave': 'off' };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  const profile = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const suite = join(run.suiteDir, 'index.js');

  if (run.trusted) {
    try {
      return await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: run.extensionDir,
        extensionTestsPath: suite,
        extensionTestsEnv: run.env,
        launchArgs: [run.workspace, ...profile],
      });
    } catch (error) {
      // runTests rejects with the exit code when tests fail.
      const code = (error as { code?: number }).code;
      if (typeof code === 'number') return code;
      throw error;
    }
  }
  // runTests always adds --disable-workspace-trust; Restricted Mode needs the same launch without it.
  const args = [
    run.workspace,
    ...profile,
    '--no-sandbox',
    '--disable-gpu-sandbox',
    '--disable-updates',
    '--skip-welcome',
    '--skip-release-notes',
    `--extensionDevelopmentPath=${run.extensionDir}`,
    `--extensionTestsPath=${suite}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { env: { ...process.env, ...run.env }, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
