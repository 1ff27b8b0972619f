// The test cluster as the end-to-end tests check it: through the Kubernetes API (@kubernetes/client-node,
// as the admin user of the harness kubeconfig), never through the UI under test.
import { AppsV1Api, CoreV1Api, KubeConfig, PolicyV1Api, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { waitFor } from './poll';

export class TestCluster {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly policy: PolicyV1Api;

  constructor(readonly kubeConfig: KubeConfig) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.policy = kubeConfig.makeApiClient(PolicyV1Api);
  }

  static fromFile(path: string): TestCluster {
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    return new TestCluster(kc);
  }

  async createNamespace(name: string): Promise<void> {
    await this.core.createNamespace({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  }

  async deleteNamespace(name: string): Promise<void> {
    await this.core.deleteNamespace({ name }).catch(ignoreNotFound);
  }

  async createDeployment(namespace: string, body: V1Deployment): Promise<void> {
    await this.apps.createNamespacedDeployment({ namespace, body });
  }

  /** Waits until the Deployment reports `replicas` ready and as many of its pods are Running; returns those pods by name. */
  async waitForReadyDeployment(namespace: string, name: string, replicas: number, timeout = 60_000): Promise<V1Pod[]> {
    return waitFor(
      async () => {
        const deployment = await this.apps.readNamespacedDeployment({ name, namespace });
        if (deployment.status?.readyReplicas !== replicas || deployment.status?.updatedReplicas !== replicas) return undefined;
        const selector = Object.entries(deployment.spec?.selector.matchLabels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
        const pods = (await this.core.listNamespacedPod({ namespace, labelSelector: selector })).items.filter(
          (pod) => pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp,
        );
        return pods.length === replicas ? pods.sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!)) : undefined;
      },
      { message: `Deployment ${namespace}/${name} with ${replicas} ready replicas and Running pods`, timeout, interval: 250 },
    );
  }

  /** The object, or undefined on 404. */
  async find<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  configMap(namespace: string, name: string) {
    return this.find(() => this.core.readNamespacedConfigMap({ namespace, name }));
  }

  deployment(namespace: string, name: string) {
    return this.find(() => this.apps.readNamespacedDeployment({ namespace, name }));
  }

  serviceAccount(namespace: string, name: string) {
    return this.find(() => this.core.readNamespacedServiceAccount({ namespace, name }));
  }

  service(namespace: string, name: string) {
    return this.find(() => this.core.readNamespacedService({ namespace, name }));
  }

  podDisruptionBudget(namespace: string, name: string) {
    return this.find(() => this.policy.readNamespacedPodDisruptionBudget({ namespace, name }));
  }

  async deleteConfigMap(namespace: string, name: string): Promise<void> {
    await this.core.deleteNamespacedConfigMap({ namespace, name }).catch(ignoreNotFound);
  }
}

function isNotFound(error: unknown): boolean {
  return (error as { code?: number }).code === 404;
}

function ignoreNotFound(error: unknown): void {
  if (!isNotFound(error)) throw error;
}

/** Field managers recorded in an object's managedFields (server-side apply records ours as "fintech-k8s"). */
export function fieldManagers(object: { metadata?: { managedFields?: { manager?: string; operation?: string }[] } } | undefined): string[] {
  return (object?.metadata?.managedFields ?? []).map((entry) => `${entry.manager}:${entry.operation}`);
}
