// Installs the pinned peers once into `${FINTECH_K8S_CACHE:-~/.cache/fintech-k8s}/peers/` (outside the
// repo): checkov into a virtualenv from PyPI, yaml-language-server from npm, the Go peers built from the Go module proxy. A peer that
// cannot be had is reported with the reason and left out; the comparison goes on without it.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { GoPeer, NpmPeer, PythonPeer } from './pins';

export interface Installed {
  name: string;
  version: string;
  /** The executable to run. */
  bin: string;
  env: NodeJS.ProcessEnv;
}

export interface Unavailable {
  name: string;
  version: string;
  reason: string;
}

export type PeerInstall = Installed | Unavailable;

export const isInstalled = (peer: PeerInstall): peer is Installed => 'bin' in peer;

export function peersCache(): string {
  return join(process.env.FINTECH_K8S_CACHE || join(homedir(), '.cache', 'fintech-k8s'), 'peers');
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 20 * 60_000, ...options });
}

/** The last lines of a failed command's output: enough to say why. */
function why(result: SpawnSyncReturns<string>): string {
  if (result.error) return result.error.message;
  const lines = `${result.stderr}\n${result.stdout}`.trim().split('\n').filter(Boolean);
  return lines.slice(-4).join(' | ') || `exit ${result.status}`;
}

// checkov looks for a newer release on PyPI and for guidelines on its platform at start; neither is
// wanted in a benchmark, and the platform is unreachable here. It also skips every file under a hidden
// directory, which the corpora are (.bench/).
export const CHECKOV_ENV = {
  BC_SKIP_MAPPING: 'TRUE',
  CKV_SKIP_PACKAGE_UPDATE_CHECK: 'TRUE',
  CKV_IGNORE_HIDDEN_DIRECTORIES: 'False',
  LOG_LEVEL: 'ERROR',
};

export function installPython(peer: PythonPeer): PeerInstall {
  const dir = join(peersCache(), `${peer.name}-${peer.version}`);
  const bin = join(dir, 'bin', peer.name);
  const marker = join(dir, '.installed');
  const installed = { name: peer.name, version: peer.version, bin, env: { ...process.env, ...CHECKOV_ENV } };
  if (existsSync(marker) && existsSync(bin)) {
    console.log(`${peer.name} ${peer.version}: cached in ${dir}`);
    return installed;
  }
  const probe = run('python3', ['-c', 'import venv, ensurepip']);
  if (probe.status !== 0)
    return { ...installed, reason: `python3 cannot create a virtualenv (${why(probe)}); install it with: apt-get install -y python3-venv` };
  console.log(`${peer.name} ${peer.version}: installing from PyPI into ${dir} (a minute or two)…`);
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  const venv = run('python3', ['-m', 'venv', dir]);
  if (venv.status !== 0) return { name: peer.name, version: peer.version, reason: `python3 -m venv failed: ${why(venv)}` };
  const pip = run(join(dir, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `${peer.name}==${peer.version}`]);
  if (pip.status !== 0 || !existsSync(bin)) return { name: peer.name, version: peer.version, reason: `pip install failed: ${why(pip)}` };
  writeFileSync(marker, `${peer.name}==${peer.version}\n`);
  console.log(`${peer.name} ${peer.version}: installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return installed;
}

/** `go` on PATH, else the usual install places (a shell may not have them on PATH). */
export function findGo(): string | undefined {
  const candidates = [
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'go')),
    '/usr/local/go/bin/go',
    join(homedir(), 'go', 'bin', 'go'),
    ...(existsSync(join(homedir(), 'sdk'))
      ? readdirSync(join(homedir(), 'sdk')).map((sdk) => join(homedir(), 'sdk', sdk, 'bin', 'go'))
      : []),
    join(process.env.FINTECH_K8S_CACHE || join(homedir(), '.cache', 'fintech-k8s'), 'go', 'bin', 'go'),
  ];
  return candidates.find((candidate) => existsSync(candidate));
}

export function installGo(peer: GoPeer, go: string | undefined): PeerInstall {
  const base = { name: peer.name, version: peer.version };
  const binDir = join(peersCache(), 'bin', `${peer.name}-${peer.version}`);
  const bin = join(binDir, peer.name);
  const installed = { ...base, bin, env: process.env };
  if (existsSync(bin)) {
    console.log(`${peer.name} ${peer.version}: cached in ${binDir}`);
    return installed;
  }
  if (!go) return { ...base, reason: 'no Go toolchain found (apt-get install -y golang-go, or put go on PATH)' };
  // Own module cache inside the peers cache: Polaris reads its check definitions from its module
  // source at run time (packr), so `go clean -modcache` elsewhere must not break it.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GOBIN: binDir,
    GOMODCACHE: join(peersCache(), 'gomod'),
    GOFLAGS: `${process.env.GOFLAGS ?? ''} -mod=mod`.trim(),
    // A module that needs a newer Go than this one gets that toolchain from the proxy.
    GOTOOLCHAIN: process.env.GOTOOLCHAIN || 'auto',
  };
  console.log(`${peer.name} ${peer.version}: building ${peer.pkg} from the Go module proxy…`);
  const started = Date.now();
  let result = run(go, ['install', `${peer.pkg}@${peer.version}`], { env });
  if (result.status !== 0 && /verifying module: .*(404|410)/.test(why(result))) {
    // The checksum database has no entry for some pseudo-versions the proxy serves; skip it for
    // this one module only (the proxy is still the source of the zip).
    console.log(`  the checksum database does not know ${peer.module}@${peer.version}; retrying with GONOSUMDB=${peer.module}`);
    env.GONOSUMDB = peer.module;
    result = run(go, ['install', `${peer.pkg}@${peer.version}`], { env });
  }
  if (result.status !== 0 && /@v\/list: 403|loading deprecation/.test(why(result))) {
    // `go install pkg@version` asks the proxy for the module's version list (deprecation notice); when
    // the proxy refuses that list, build the same pinned version from a throwaway module instead.
    console.log(`  go install needs the module's version list, which the proxy refuses; building from a temporary module`);
    const tmp = join(peersCache(), 'build', peer.name);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    result = run(go, ['mod', 'init', `peers.local/${peer.name}`], { cwd: tmp, env });
    if (result.status === 0) result = run(go, ['get', `${peer.pkg}@${peer.version}`], { cwd: tmp, env });
    if (result.status === 0) result = run(go, ['build', '-o', bin, peer.pkg], { cwd: tmp, env });
    rmSync(tmp, { recursive: true, force: true });
  }
  if (result.status !== 0 || !existsSync(bin)) return { ...base, reason: `go build failed: ${why(result)}` };
  console.log(`${peer.name} ${peer.version}: built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return installed;
}

/** An npm package into its own prefix; its entry script runs with this node. */
export function installNpm(peer: NpmPeer): PeerInstall {
  const dir = join(peersCache(), `${peer.name}-${peer.version}`);
  const bin = join(dir, 'node_modules', peer.name, peer.bin);
  const marker = join(dir, '.installed');
  const installed = { name: peer.name, version: peer.version, bin, env: process.env };
  if (existsSync(marker) && existsSync(bin)) {
    console.log(`${peer.name} ${peer.version}: cached in ${dir}`);
    return installed;
  }
  console.log(`${peer.name} ${peer.version}: installing from npm into ${dir}…`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const npm = run('npm', [
    'install',
    '--prefix',
    dir,
    '--no-audit',
    '--no-fund',
    '--omit=dev',
    '--ignore-scripts',
    `${peer.name}@${peer.version}`,
  ]);
  if (npm.status !== 0 || !existsSync(bin)) return { name: peer.name, version: peer.version, reason: `npm install failed: ${why(npm)}` };
  writeFileSync(marker, `${peer.name}@${peer.version}\n`);
  return installed;
}
