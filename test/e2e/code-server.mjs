#!/usr/bin/env node
// VS Code for the end-to-end tests, offline: code-server 4.100.3 (VS Code 1.100.3 on Node 20) built by the
// recipe in DESIGN.md ("Offline recipes") and cached outside the repo, plus Debian's Chromium to drive it.
// Node built-ins only, so it runs before `npm ci`.
//
//   node test/e2e/code-server.mjs provision          build code-server into the cache (idempotent)
//   node test/e2e/code-server.mjs ensure-chromium    apt-get install chromium when /usr/bin/chromium is missing
//   node test/e2e/code-server.mjs path               print the cached code-server directory
//   node test/e2e/code-server.mjs start <folder> [--vsix file] [--port n]   serve <folder> until Ctrl-C
//
// Importable: startCodeServer({ workspace, vsix, settings, env, port }) → { url, stop() }.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  createWriteStream,
} from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const VSCODE_VERSION = '1.100.3';
export const CHROMIUM_PATH = '/usr/bin/chromium';

const APT_PACKAGES = ['libkrb5-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'ripgrep'];
const MARKER = '.provisioned';

/** Settings every test run starts from: nothing that phones home, no welcome page, no trust prompt. */
export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
};

/** Workspace Trust on, without the startup dialog or banner: an untrusted folder stays in Restricted Mode. */
export const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
  'security.workspace.trust.emptyWindow': false,
};

export function cacheRoot() {
  return process.env.FINTECH_K8S_CACHE || join(homedir(), '.cache', 'fintech-k8s');
}

/** The cache directory for this code-server version; `package/` inside it is code-server itself. */
export function codeServerDir() {
  return join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}

export function isProvisioned() {
  return existsSync(join(codeServerDir(), MARKER));
}

function entryPoint() {
  return join(codeServerDir(), 'package', 'out', 'node', 'entry.js');
}

// ---------------------------------------------------------------------------------------------------
// Provisioning

// How npm reaches the registry and finds node headers: kept. Every other npm_* variable is dropped.
const KEEP_NPM_ENV = /^npm_config_(cache|registry|cafile|ca|nodedir|userconfig|globalconfig|https?_proxy|proxy|noproxy|strict_ssl)$/i;

/** Under `npm run`, npm's own variables (npm_config_local_prefix, npm_package_*, npm_lifecycle_*, …) leak
 *  into child processes and would point the nested installs at this repo; the children get none of them. */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !KEEP_NPM_ENV.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function seconds(since) {
  return ((Date.now() - since) / 1000).toFixed(1);
}

function run(command, args, { cwd, env, quiet = false } = {}) {
  const shown = `${command} ${args.join(' ')}`;
  if (!quiet) console.log(`  $ ${shown}${cwd ? `   (in ${cwd})` : ''}`);
  const result = spawnSync(command, args, { cwd, env: env ?? cleanEnv(), stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const output = quiet ? `\n${result.stdout ?? ''}${result.stderr ?? ''}` : '';
    throw new Error(`${shown} exited with ${result.status ?? result.signal}${output}`);
  }
  return result.stdout ?? '';
}

function step(timings, name, fn) {
  const started = Date.now();
  console.log(`• ${name}`);
  const value = fn();
  timings.push([name, Date.now() - started]);
  console.log(`  done in ${seconds(started)} s`);
  return value;
}

function dpkgInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

let aptUpdated = false;
function aptInstall(packages) {
  const missing = packages.filter((name) => !dpkgInstalled(name));
  if (missing.length === 0) return false;
  const env = cleanEnv({ DEBIAN_FRONTEND: 'noninteractive' });
  if (!aptUpdated) {
    run('apt-get', ['update'], { env });
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
  return true;
}

export function provision() {
  const dir = codeServerDir();
  if (isProvisioned()) {
    console.log(`code-server ${CODE_SERVER_VERSION}: cached in ${dir}`);
    return dir;
  }
  const started = Date.now();
  const timings = [];
  console.log(`code-server ${CODE_SERVER_VERSION}: building into ${dir} (offline recipe)`);

  step(timings, `apt packages (${APT_PACKAGES.join(', ')})`, () => aptInstall(APT_PACKAGES));
  const rg = '/usr/bin/rg';
  if (!existsSync(rg)) throw new Error(`${rg} is missing after installing ripgrep`);

  // A half-built directory from an interrupted run is not trusted: start over.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  step(timings, `npm pack code-server@${CODE_SERVER_VERSION} and untar`, () => {
    run('npm', ['pack', `code-server@${CODE_SERVER_VERSION}`, '--pack-destination', dir, '--silent'], { cwd: dir });
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');
    run('tar', ['-xzf', tarball], { cwd: dir });
    rmSync(join(dir, tarball));
  });

  const pkg = join(dir, 'package');
  const vscode = join(pkg, 'lib', 'vscode');
  const rebuildEnv = cleanEnv({ npm_config_yes: 'true' });

  step(timings, 'lib/vscode: npm install --omit=dev --ignore-scripts', () => {
    run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: vscode });
  });
  step(timings, 'lib/vscode: ripgrep → /usr/bin/rg, npm rebuild, node_modules.asar', () => {
    // @vscode/ripgrep's postinstall downloads a binary; it skips when bin/ exists.
    const bin = join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin');
    mkdirSync(bin, { recursive: true });
    rmSync(join(bin, 'rg'), { force: true });
    symlinkSync(rg, join(bin, 'rg'));
    run('npm', ['rebuild'], { cwd: vscode, env: rebuildEnv });
    rmSync(join(vscode, 'node_modules.asar'), { force: true });
    symlinkSync('node_modules', join(vscode, 'node_modules.asar'));
  });
  step(timings, 'lib/vscode/extensions: npm install --omit=dev', () => {
    run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], { cwd: join(vscode, 'extensions') });
  });
  step(timings, 'package: npm install --omit=dev --ignore-scripts, npm rebuild', () => {
    run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: pkg });
    // The rebuild runs code-server's own postinstall.sh (bin links, a no-op reinstall of lib/vscode), which
    // refuses to run as root under npm unless npm_config_unsafe_perm is "true".
    run('npm', ['rebuild'], { cwd: pkg, env: { ...rebuildEnv, npm_config_unsafe_perm: 'true' } });
  });

  const version = step(timings, 'check: entry.js --version', () => {
    // Its own config file: otherwise code-server writes a default one into ~/.config/code-server.
    const config = join(dir, 'version-check.yaml');
    writeFileSync(config, 'auth: none\n');
    const out = run(process.execPath, [entryPoint(), '--config', config, '--version'], { cwd: pkg, quiet: true }).trim();
    rmSync(config, { force: true });
    return out;
  });
  console.log(`  ${version.split('\n')[0]}`);
  if (!version.includes(CODE_SERVER_VERSION) || !version.includes(VSCODE_VERSION)) {
    throw new Error(`unexpected version output: ${version}`);
  }

  // Written last: its presence means every step above succeeded.
  const total = Date.now() - started;
  writeFileSync(
    join(dir, MARKER),
    JSON.stringify(
      {
        codeServer: CODE_SERVER_VERSION,
        vscode: VSCODE_VERSION,
        node: process.version,
        builtAt: new Date().toISOString(),
        seconds: total / 1000,
        steps: Object.fromEntries(timings.map(([n, ms]) => [n, ms / 1000])),
      },
      null,
      2,
    ) + '\n',
  );
  console.log('\nTimings:');
  for (const [name, ms] of timings) console.log(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${name}`);
  console.log(`  ${(total / 1000).toFixed(1).padStart(7)} s  total (cold build)`);
  return dir;
}

export function ensureChromium() {
  if (existsSync(CHROMIUM_PATH)) {
    console.log(`chromium: ${CHROMIUM_PATH} present`);
    return CHROMIUM_PATH;
  }
  const started = Date.now();
  console.log('chromium: installing from Debian (apt-get install -y chromium)');
  const env = cleanEnv({ DEBIAN_FRONTEND: 'noninteractive' });
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', 'chromium'], { env });
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} still missing after apt-get install chromium`);
  console.log(`chromium: installed in ${seconds(started)} s`);
  return CHROMIUM_PATH;
}

// ---------------------------------------------------------------------------------------------------
// Running

export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function httpOk(url) {
  return new Promise((resolveOk) => {
    const request = get(url, { timeout: 2000 }, (response) => {
      response.resume();
      resolveOk(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolveOk(false));
  });
}

/** Every process below `pid` (by walking /proc), deepest last. */
function descendants(pid) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  const out = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.shift()) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function codeServerArgs({ configFile, userDataDir, extensionsDir, workspaceTrust = false }) {
  return [
    entryPoint(),
    '--config',
    configFile,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    // Trust on: the folder opens in Restricted Mode unless the user trusts it (the untrusted-workspace tests).
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
}

function runToEnd(args, env, logStream) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, args, { cwd: join(codeServerDir(), 'package'), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        output += chunk;
        logStream.write(chunk);
      });
    }
    child.on('error', reject);
    child.on('exit', (code, sig) =>
      code === 0 ? resolveRun(output) : reject(new Error(`code-server ${args.slice(-2).join(' ')} exited with ${code ?? sig}:\n${output}`)),
    );
  });
}

/**
 * Start code-server on 127.0.0.1 for `workspace`, with a fresh user-data and extensions dir (temp), the
 * VSIX installed first, and BASE_SETTINGS merged with `settings`. Resolves once /healthz answers.
 * With `workspaceTrust`, Workspace Trust is on and nothing trusts the folder: it opens in Restricted Mode.
 * @param {{ workspace: string, vsix?: string, settings?: Record<string, unknown>, env?: Record<string, string>, port?: number, healthTimeoutMs?: number, workspaceTrust?: boolean }} options
 * @returns {Promise<{ url: string, origin: string, port: number, workspace: string, logFile: string, userDataDir: string, extensionsDir: string, stop(): Promise<void> }>}
 */
export async function startCodeServer({
  workspace,
  vsix,
  settings = {},
  env = {},
  port,
  healthTimeoutMs = 60_000,
  workspaceTrust = false,
}) {
  if (!isProvisioned()) {
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} is not provisioned in ${codeServerDir()}: run \`node test/e2e/code-server.mjs provision\``,
    );
  }
  workspace = resolve(workspace);
  port ??= await freePort();
  const home = mkdtempSync(join(tmpdir(), 'fintech-k8s-code-server-'));
  const userDataDir = join(home, 'user-data');
  const extensionsDir = join(home, 'extensions');
  const configFile = join(home, 'config.yaml');
  const logFile = join(home, 'code-server.log');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const trustSettings = workspaceTrust ? UNTRUSTED_SETTINGS : {};
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...BASE_SETTINGS, ...trustSettings, ...settings }, null, 2) + '\n',
  );
  const log = createWriteStream(logFile);
  const childEnv = cleanEnv({ ...env });
  // A code-server started from inside another VS Code must not talk to that one.
  for (const key of Object.keys(childEnv)) if (key.startsWith('VSCODE_')) delete childEnv[key];
  const dirs = { configFile, userDataDir, extensionsDir, workspaceTrust };

  const cleanup = () => {
    log.end();
    if (!process.env.FINTECH_K8S_KEEP_CODE_SERVER_DIRS) rmSync(home, { recursive: true, force: true });
  };

  try {
    if (vsix) await runToEnd([...codeServerArgs(dirs), '--install-extension', resolve(vsix), '--force'], childEnv, log);
  } catch (error) {
    cleanup();
    throw error;
  }

  // detached: its own process group, so stop() reaches the extension host and language servers too.
  const child = spawn(process.execPath, [...codeServerArgs(dirs), '--bind-addr', `127.0.0.1:${port}`, workspace], {
    cwd: join(codeServerDir(), 'package'),
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  let exited = null;
  const exitedPromise = new Promise((resolveExit) =>
    child.on('exit', (code, sig) => {
      exited = code ?? sig;
      resolveExit();
    }),
  );

  // Detached children outlive their parent: if this process exits without stop(), take them along.
  const killOnExit = () => {
    for (const pid of descendants(child.pid)) signal(pid, 'SIGKILL');
    signal(-child.pid, 'SIGKILL');
    cleanup();
  };
  process.on('exit', killOnExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    const tree = [child.pid, ...descendants(child.pid)];
    signal(-child.pid, 'SIGTERM');
    for (const pid of tree) signal(pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && tree.some(alive)) await new Promise((r) => setTimeout(r, 100));
    signal(-child.pid, 'SIGKILL');
    for (const pid of tree) if (alive(pid)) signal(pid, 'SIGKILL');
    if (exited === null) await Promise.race([exitedPromise, new Promise((r) => setTimeout(r, 2000))]);
    cleanup();
  };

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + healthTimeoutMs;
  while (!(await httpOk(`${origin}/healthz`))) {
    if (exited !== null || Date.now() > deadline) {
      const why = exited !== null ? `exited with ${exited}` : `did not answer /healthz within ${healthTimeoutMs / 1000} s`;
      let output = '';
      try {
        output = readFileSync(logFile, 'utf8');
      } catch {
        // No log written yet: the error says why without it.
      }
      await stop();
      throw new Error(`code-server ${why}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url: `${origin}/?folder=${encodeURIComponent(workspace)}`, origin, port, workspace, logFile, userDataDir, extensionsDir, stop };
}

// ---------------------------------------------------------------------------------------------------
// CLI

async function main(argv) {
  const [command, ...rest] = argv;
  switch (command) {
    case 'provision':
      provision();
      return;
    case 'ensure-chromium':
      ensureChromium();
      return;
    case 'path':
      console.log(codeServerDir());
      if (!isProvisioned()) process.exitCode = 1;
      return;
    case 'start': {
      const options = { workspace: undefined, vsix: undefined, port: undefined };
      for (let i = 0; i < rest.length; i++) {
        if (rest[i] === '--vsix') options.vsix = rest[++i];
        else if (rest[i] === '--port') options.port = Number(rest[++i]);
        else options.workspace = rest[i];
      }
      if (!options.workspace) throw new Error('usage: code-server.mjs start <folder> [--vsix file] [--port n]');
      provision();
      const started = Date.now();
      const server = await startCodeServer(options);
      console.log(`code-server ready in ${seconds(started)} s: ${server.url}\nCtrl-C stops it.`);
      const shutdown = async () => {
        await server.stop();
        process.exit(0);
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
      return;
    }
    default:
      console.error('usage: node test/e2e/code-server.mjs provision | ensure-chromium | path | start <folder> [--vsix file] [--port n]');
      process.exitCode = 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
