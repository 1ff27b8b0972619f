// Builds (once, cached) the pinned helm and kustomize that the tests, the bench and `npm start` use, from
// the Go module proxy, like the cluster binaries. The extension itself never downloads or builds them.
//   node test/tools/renderers.mjs ensure     build if needed; prints HELM=<path> and KUSTOMIZE=<path>
//   node test/tools/renderers.mjs path helm  prints the cached path (builds if needed)
// Importable: ensureRenderers() → { helm, kustomize }.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CACHE = process.env.FINTECH_K8S_CACHE || path.join(os.homedir(), '.cache', 'fintech-k8s');

const TOOLS = {
  helm: { module: 'go-helm', pkg: 'helm.sh/helm/v3/cmd/helm', pin: /helm\.sh\/helm\/v3 (v\S+)/ },
  kustomize: { module: 'go-kustomize', pkg: 'sigs.k8s.io/kustomize/kustomize/v5', pin: /sigs\.k8s\.io\/kustomize\/kustomize\/v5 (v\S+)/ },
};

/** The pinned version, read from the committed go.mod so it lives in one place. */
export function pinnedVersion(tool) {
  const spec = TOOLS[tool];
  return spec.pin.exec(fs.readFileSync(path.join(HERE, spec.module, 'go.mod'), 'utf8'))[1];
}

/** bin/<tool>-<version>_<hash of go.mod + go.sum>/<tool>: editing the pin selects a fresh directory. */
function binaryPath(tool) {
  const spec = TOOLS[tool];
  const h = crypto.createHash('sha256');
  for (const f of ['go.mod', 'go.sum']) h.update(fs.readFileSync(path.join(HERE, spec.module, f)));
  return path.join(CACHE, 'bin', `${tool}-${pinnedVersion(tool)}_${h.digest('hex').slice(0, 8)}`, tool);
}

function findGo() {
  if (process.env.GO) return process.env.GO;
  const r = spawnSync('bash', [path.join(HERE, '..', 'cluster', 'ensure-go.sh')], { stdio: ['ignore', 'pipe', 2], encoding: 'utf8' });
  if (r.status !== 0) throw new Error('ensure-go.sh failed: no usable Go toolchain');
  return r.stdout.trim().split('\n').pop();
}

function ensure(tool) {
  const target = binaryPath(tool);
  if (fs.existsSync(target)) return target;
  const go = findGo();
  const t0 = Date.now();
  console.error(`[renderers] building ${tool} ${pinnedVersion(tool)} (first run only) ...`);
  const tmp = `${path.dirname(target)}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const env = {
    ...process.env,
    CGO_ENABLED: '0',
    GOTOOLCHAIN: process.env.GOTOOLCHAIN || 'auto', // kustomize's go.mod may want a newer go; the proxy serves it
    GOFLAGS: `${process.env.GOFLAGS ?? ''} -mod=readonly -buildvcs=false`.trim(),
  };
  const r = spawnSync(go, ['build', '-trimpath', '-ldflags=-s -w', '-o', path.join(tmp, tool), TOOLS[tool].pkg], {
    cwd: path.join(HERE, TOOLS[tool].module),
    env,
    stdio: ['ignore', 2, 2],
  });
  if (r.status !== 0) throw new Error(`building ${tool} failed (exit ${r.status})`);
  try {
    fs.renameSync(tmp, path.dirname(target)); // atomic publish: a half-built dir is never a cache hit
  } catch (e) {
    if (!fs.existsSync(target)) throw e;
    fs.rmSync(tmp, { recursive: true, force: true }); // a concurrent build won the race
  }
  console.error(`[renderers] built ${tool} in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${target}`);
  return target;
}

export function ensureRenderers() {
  return { helm: ensure('helm'), kustomize: ensure('kustomize') };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, tool] = process.argv.slice(2);
  if (command === 'ensure') {
    const { helm, kustomize } = ensureRenderers();
    console.log(`HELM=${helm}`);
    console.log(`KUSTOMIZE=${kustomize}`);
  } else if (command === 'path' && tool in TOOLS) {
    console.log(ensure(tool));
  } else {
    console.error('usage: node test/tools/renderers.mjs ensure | path helm|kustomize');
    process.exit(2);
  }
}
