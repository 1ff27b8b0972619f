// The Clusters view's TreeDataProvider, as the extension built it, against the test cluster: KUBECONFIG
// (set by the runner) is a copy of the test cluster's kubeconfig, read by the extension as kubectl would.
// The test sets up its own namespace through the Kubernetes API and removes it afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import type { ClusterNode, ClustersTree } from '../../../src/views/clusters-tree';
import { waitFor } from '../../e2e/support/poll';
import { testApi, WAIT } from './support/workspace';

const NS = `fk-vscode-${process.pid.toString(36)}${Date.now().toString(36)}`;
const SECRET_VALUE = 'not-for-the-tree-7f3a91';

function deployment(name: string): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      // Nothing hardened: the compliance badge has errors to show.
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'api', image: 'registry.example.com/ledger:1.4.2' }] },
      },
    },
  };
}

/** Why the tests cannot run here, or false. In CI there must be a test cluster. */
function skipReason(): string | false {
  if (process.env.FINTECH_K8S_VSCODE_CLUSTER === '1') return false;
  const reason = 'no test cluster (npm run cluster:up, or FINTECH_K8S_TEST_KUBECONFIG)';
  if (process.env.CI) throw new Error(`${reason}: CI must start one`);
  return reason;
}

describe('Clusters tree', function () {
  let tree: ClustersTree;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let contextNode: ClusterNode;
  let namespaceNode: ClusterNode;
  let groups: ClusterNode[];

  const label = (node: ClusterNode) => String(tree.getTreeItem(node).label);
  const description = (node: ClusterNode) => String(tree.getTreeItem(node).description ?? '');
  const group = (name: string) => {
    const found = groups.find((g) => label(g) === name);
    assert.ok(found, `no ${name} group`);
    return found;
  };

  before(async function () {
    const reason = skipReason();
    if (reason) {
      console.log(`Clusters tree tests skipped: ${reason}`);
      this.skip();
    }
    tree = (await testApi()).clustersTree;
    kc = new KubeConfig();
    kc.loadFromFile(process.env.KUBECONFIG!);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    await core.createNamespace({ body: { metadata: { name: NS } } });
    await apps.createNamespacedDeployment({ namespace: NS, body: deployment('ledger-api') });
    await core.createNamespacedService({
      namespace: NS,
      body: { metadata: { name: 'ledger-api' }, spec: { selector: { app: 'ledger-api' }, ports: [{ port: 80, targetPort: 8080 }] } },
    });
    await core.createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name: 'ledger-db' }, type: 'Opaque', stringData: { password: SECRET_VALUE } },
    });
  });

  after(async () => {
    await core?.deleteNamespace({ name: NS }).catch(() => undefined);
  });

  it('lists the kubeconfig contexts at the root, the current one marked', async () => {
    const roots = await tree.getChildren();
    assert.deepEqual(
      roots
        .filter((n) => n.type === 'context')
        .map(label)
        .sort(),
      kc
        .getContexts()
        .map((c) => c.name)
        .sort(),
    );
    const current = roots.find((n) => n.type === 'context' && n.current);
    assert.ok(current, 'no current context');
    assert.equal(label(current), kc.getCurrentContext());
    assert.match(description(current), /current/);
    contextNode = current;
  });

  it("lists the current context's namespaces from the API server, the test's among them", async () => {
    const namespaces = await tree.getChildren(contextNode);
    const found = namespaces.find((n) => n.type === 'namespace' && n.namespace === NS);
    assert.ok(found, `${NS} not among ${namespaces.map(label).join(', ')}`);
    assert.ok(namespaces.some((n) => n.type === 'namespace' && n.namespace === 'default'));
    namespaceNode = found;
  });

  it('groups a namespace and watches it once expanded', async () => {
    groups = await tree.getChildren(namespaceNode);
    const labels = groups.map(label);
    for (const name of ['Workloads', 'Services', 'Ingresses', 'Network Policies', 'Secrets (names only)'])
      assert.ok(labels.includes(name), `no ${name} group among ${labels.join(', ')}`);
    assert.ok(tree.watchedNamespaces().includes(`${kc.getCurrentContext()}/${NS}`), `watching ${tree.watchedNamespaces().join(', ')}`);
  });

  it('shows the Deployment with its compliance findings from the language server', async () => {
    const workloads = await tree.getChildren(group('Workloads'));
    const workload = workloads.find((n) => n.type === 'workload' && n.workload.name === 'ledger-api');
    assert.ok(workload, `ledger-api not among ${workloads.map(label).join(', ')}`);
    assert.match(description(workload), /^Deployment/);
    const findings = await waitFor(
      async () => {
        const children = await tree.getChildren(workload);
        return children.some((c) => c.type === 'message' && /checking/.test(c.text)) ? undefined : children;
      },
      { ...WAIT, message: 'the compliance findings of ledger-api' },
    );
    const rules = findings.filter((n) => n.type === 'leaf').map(label);
    assert.ok(rules.includes('run-as-non-root'), `findings: ${rules.join(', ')}`);
    const errors = findings.filter((n) => n.type === 'leaf' && n.icon === 'error').length;
    assert.ok(errors > 0);
    assert.match(description(workload), new RegExp(`${errors} errors?`));
  });

  it('shows services with their ports, secrets by name only, and None for an empty group', async () => {
    const services = await tree.getChildren(group('Services'));
    assert.deepEqual(services.map(label), ['ledger-api']);
    assert.match(description(services[0]), /80\/TCP→8080/);
    const secrets = await tree.getChildren(group('Secrets (names only)'));
    const secret = secrets.find((n) => label(n) === 'ledger-db');
    assert.ok(secret, `ledger-db not among ${secrets.map(label).join(', ')}`);
    assert.equal(description(secret), 'Opaque');
    const shown = secrets.map((n) => JSON.stringify(tree.getTreeItem(n))).join('\n');
    assert.ok(
      !shown.includes(SECRET_VALUE) && !shown.includes(Buffer.from(SECRET_VALUE).toString('base64')),
      'a secret value reached the tree',
    );
    const ingresses = await tree.getChildren(group('Ingresses'));
    assert.deepEqual(ingresses.map(label), ['None']);
  });

  it('refreshes the workloads from its watch when a workload appears', async () => {
    // The namespace's Workloads group (or the whole namespace) is re-listed.
    const coversWorkloads = (node: ClusterNode) =>
      'namespace' in node && node.namespace === NS && (node.type === 'namespace' || (node.type === 'group' && node.group === 'workloads'));
    const refreshed = new Promise<void>((resolve) => {
      const subscription = tree.onDidChangeTreeData((node) => {
        if (node && !Array.isArray(node) && coversWorkloads(node as ClusterNode)) {
          subscription.dispose();
          resolve();
        }
      });
    });
    await apps.createNamespacedDeployment({ namespace: NS, body: deployment('settlement-worker') });
    await Promise.race([
      refreshed,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no refresh of ${NS} within ${WAIT.timeout} ms`)), WAIT.timeout)),
    ]);
    const workloads = await tree.getChildren(group('Workloads'));
    assert.deepEqual(
      workloads
        .filter((n) => n.type === 'workload')
        .map(label)
        .sort(),
      ['ledger-api', 'settlement-worker'],
    );
  });

  it('tails logs of a workload in a trusted workspace (what the untrusted window refuses)', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    const workload = (await tree.getChildren(group('Workloads'))).find((n) => n.type === 'workload' && n.workload.name === 'ledger-api');
    const title = await vscode.commands.executeCommand<string | undefined>('fintechK8s.tailLogs', workload, 0);
    assert.equal(typeof title, 'string');
    assert.ok(title!.includes(`${NS}`), title);
    await vscode.commands.executeCommand('fintechK8s.stopLogs');
  });
});
