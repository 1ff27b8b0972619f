// Which Kubernetes API server the integration tests talk to: FINTECH_K8S_TEST_KUBECONFIG (an existing
// test cluster such as kind), else the harness cluster of test/cluster (npm run cluster:up). Never the
// user's own KUBECONFIG.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { apiRequest } from '../../../src/kube/deploy/api';

export function testKubeconfigPath(): string | undefined {
  const explicit = process.env.FINTECH_K8S_TEST_KUBECONFIG;
  if (explicit) return explicit;
  const state = process.env.FINTECH_K8S_STATE ?? join(homedir(), '.cache', 'fintech-k8s', 'run');
  const harness = join(state, 'kubeconfig');
  return existsSync(harness) && harnessRunning(state) ? harness : undefined;
}

/** Whether the harness's API server process is alive: a kubeconfig left by a stopped cluster is not a cluster. */
function harnessRunning(state: string): boolean {
  try {
    const records = JSON.parse(readFileSync(join(state, 'pids.json'), 'utf8')) as { name: string; pid: number }[];
    const apiserver = records.find((r) => r.name === 'kube-apiserver');
    if (!apiserver) return false;
    process.kill(apiserver.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The skip reason when no cluster is available. In CI there must be one (.ci/run starts it): a missing
 * cluster there fails the run instead of skipping.
 */
export function clusterSkipReason(): string | false {
  if (testKubeconfigPath()) return false;
  const reason = 'no test cluster: run `npm run cluster:up` or set FINTECH_K8S_TEST_KUBECONFIG';
  // Under `npm test` (test/cluster/with-cluster.mjs) and in CI there must be one: fail, do not skip.
  if (process.env.CI || process.env.FINTECH_K8S_REQUIRE_CLUSTER) throw new Error(`${reason} (the test command must start one)`);
  return reason;
}

export function adminKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(testKubeconfigPath()!);
  return kc;
}

/** Creates a namespace for one test file (a unique name); the returned function deletes it. */
export async function createTestNamespace(kc: KubeConfig, name: string): Promise<() => Promise<void>> {
  await apiRequest(kc, { method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  return async () => {
    await apiRequest(kc, { method: 'DELETE', path: `/api/v1/namespaces/${name}` }).catch(() => undefined);
  };
}
