// `npm start`: the product, running. Builds and packages the .vsix, starts the local test cluster (or uses
// FINTECH_K8S_TEST_KUBECONFIG), deploys a demo workload, and opens VS Code in the browser (code-server) on
// a copy of examples/ with the extension installed, a kubeconfig for that cluster and the pinned helm and
// kustomize on its PATH. Ctrl-C stops all.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { provision, startCodeServer } from '../test/e2e/code-server.mjs';
import { ensureRenderers } from '../test/tools/renderers.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
const require = createRequire(import.meta.url);
const step = (message) => console.log(`\n▸ ${message}`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: ROOT, ...options });
  if (result.status !== 0) {
    console.error(`\n${command} ${args.join(' ')} failed (exit ${result.status})`);
    process.exit(result.status ?? 1);
  }
  return result;
}

step('Building and packaging the extension');
run('npm', ['run', 'package']);

let startedCluster = false;
let kubeconfig = process.env.FINTECH_K8S_TEST_KUBECONFIG;
if (!kubeconfig) {
  step('Starting the local test cluster (the first run builds it: several minutes; then seconds)');
  const go = spawnSync('bash', ['test/cluster/ensure-go.sh'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const env = { ...process.env, GO: go.stdout.trim().split('\n').pop() };
  run(process.execPath, ['test/cluster/cluster.mjs', 'up'], { env });
  startedCluster = true;
  const env2 = spawnSync(process.execPath, ['test/cluster/cluster.mjs', 'env'], { cwd: ROOT, encoding: 'utf8' }).stdout;
  kubeconfig = /FINTECH_K8S_TEST_KUBECONFIG=['"]?([^'"\n]+)/.exec(env2)?.[1];
}

step('Deploying a demo workload (examples/payments/hardened-api.yaml)');
await deployDemo(kubeconfig).catch((error) => console.warn(`  (skipped: ${error.message})`));

step('Preparing helm and kustomize for the charts and overlays (built once from pinned Go modules, then cached)');
const renderers = ensureRenderers();
// On code-server's PATH, as a user's own helm and kustomize would be: the extension finds them there.
const rendererPath = [dirname(renderers.helm), dirname(renderers.kustomize), process.env.PATH ?? ''].join(delimiter);

step('Preparing VS Code in the browser (code-server; cached after the first run)');
provision();
const workspace = mkdtempSync(join(tmpdir(), 'fintech-k8s-demo-'));
cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
const server = await startCodeServer({
  workspace,
  vsix: join(ROOT, 'dist', 'fintech-k8s.vsix'),
  env: { KUBECONFIG: kubeconfig, PATH: rendererPath },
  port: Number(process.env.PORT ?? 8080),
});

console.log(`
Fintech K8s is running.

  Open ${server.url}

  Workspace: ${workspace} (a copy of examples/)
  Cluster:   ${kubeconfig}${startedCluster ? ' (local test cluster)' : ''}

Press Ctrl-C to stop everything.`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await server.stop().catch(() => undefined);
  if (startedCluster) spawnSync(process.execPath, ['test/cluster/cluster.mjs', 'down'], { cwd: ROOT, stdio: 'inherit' });
  rmSync(workspace, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => undefined, 1 << 30);

/** Applies the hardened example with the extension's own cluster layer (dist/kube.js). */
async function deployDemo(path) {
  const kube = require(join(ROOT, 'dist', 'kube.js'));
  const loaded = kube.loadKubeConfig({ kubeconfigPaths: [path], allowExecAuth: false });
  const file = join(ROOT, 'examples', 'payments', 'hardened-api.yaml');
  const plan = kube.planDeploy(readFileSync(file, 'utf8'), file, { namespace: 'payments' });
  const report = await kube.applyPlan(loaded.kubeConfig, plan.objects, {});
  if (!report.ok) throw new Error(report.failed?.failure.message ?? 'apply failed');
  console.log(`  applied ${report.applied.length} objects to ${loaded.currentContext}`);
}
