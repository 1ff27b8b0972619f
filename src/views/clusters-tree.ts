// The Clusters view: contexts → namespaces → workloads (→ pods → containers), Helm releases (→ history,
// findings), services, ingresses, network policies and secret names. Expanded namespaces refresh from watches, which stop when the
// namespace collapses or the view is hidden. A failure is one clear node, never an empty tree.
import * as vscode from 'vscode';
import type { ClusterState } from '../cluster/cluster-state';
import type { ContainerSummary, HelmRelease, HelmRevision, KubeErrorDescription, PodSummary, Result, WorkloadSummary } from '../kube';
import { SETTINGS_SECTION } from '../../server/protocol';
import type { ComplianceService } from './compliance';
import { findingNodes } from './compliance';

type Group = 'workloads' | 'helmReleases' | 'services' | 'ingresses' | 'networkPolicies' | 'secrets';
const GROUPS: Group[] = ['workloads', 'helmReleases', 'services', 'ingresses', 'networkPolicies', 'secrets'];

export type ClusterNode =
  | { type: 'context'; context: string; current: boolean; detail?: string; unusable?: string }
  | { type: 'namespace'; context: string; namespace: string }
  | { type: 'group'; context: string; namespace: string; group: Group }
  | { type: 'workload'; context: string; namespace: string; workload: WorkloadSummary }
  | { type: 'release'; context: string; namespace: string; release: HelmRelease }
  | { type: 'releaseHistory'; context: string; namespace: string; release: HelmRelease }
  | { type: 'revision'; context: string; namespace: string; release: string; revision: HelmRevision; current: boolean }
  | { type: 'pod'; context: string; namespace: string; pod: PodSummary }
  | { type: 'container'; context: string; namespace: string; pod: string; container: ContainerSummary }
  | { type: 'leaf'; id: string; label: string; description?: string; tooltip?: string; icon: string; contextValue?: string }
  | { type: 'message'; id: string; text: string; error: boolean };

const GROUP_LABELS: Record<Group, string> = {
  workloads: 'Workloads',
  helmReleases: 'Helm Releases',
  services: 'Services',
  ingresses: 'Ingresses',
  networkPolicies: 'Network Policies',
  secrets: 'Secrets (names only)',
};

/** Watched resources of an expanded namespace, and the group a change re-lists (pods show under workloads). */
const WATCHED: { path: string; labelSelector?: string; group: Group }[] = [
  { path: '/api/v1/namespaces/{ns}/pods', group: 'workloads' },
  { path: '/apis/apps/v1/namespaces/{ns}/deployments', group: 'workloads' },
  { path: '/apis/apps/v1/namespaces/{ns}/statefulsets', group: 'workloads' },
  { path: '/apis/apps/v1/namespaces/{ns}/daemonsets', group: 'workloads' },
  { path: '/apis/batch/v1/namespaces/{ns}/jobs', group: 'workloads' },
  { path: '/apis/batch/v1/namespaces/{ns}/cronjobs', group: 'workloads' },
  // Helm release Secrets only (a new revision, a rollback): never the namespace's other Secrets.
  { path: '/api/v1/namespaces/{ns}/secrets', labelSelector: 'owner=helm', group: 'helmReleases' },
];

/** A burst of watch events (a rollout) re-lists a group once, this long after its last event… */
const BURST_QUIET_MS = 300;
/** …or this long after its first, if the burst goes on. */
const BURST_MAX_MS = 2_000;

export class ClustersTree implements vscode.TreeDataProvider<ClusterNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClusterNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly namespaceNodes = new Map<string, ClusterNode>();
  /** The group nodes handed to VS Code, kept so a watch can refresh one group and not the namespace. */
  private readonly groupNodes = new Map<string, ClusterNode>();
  /** Why a namespace's watch failed, shown on it until the watch recovers. */
  private readonly watchErrors = new Map<string, string>();
  /** Namespaces the user has open: their watches restart when the view shows again. */
  private readonly expanded = new Set<string>();
  private readonly watches = new Map<string, AbortController>();
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; firstEvent: number }>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly cluster: ClusterState,
    private readonly compliance: ComplianceService,
  ) {
    this.subscriptions.push(cluster.onDidChange(() => this.refresh()));
    this.subscriptions.push(compliance.onDidChange((node) => this.changed.fire(node)));
    // Thresholds, PCI namespaces, trusted registries: the badges may all change. Re-list what shows them.
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(SETTINGS_SECTION)) return;
        compliance.clear();
        for (const node of this.groupNodes.values())
          if (node.type === 'group' && (node.group === 'workloads' || node.group === 'helmReleases')) this.changed.fire(node);
      }),
    );
  }

  /** Wires visibility and collapse events of the view that shows this tree. */
  attach(view: vscode.TreeView<ClusterNode>): void {
    this.subscriptions.push(
      view.onDidCollapseElement((event) => {
        if (event.element.type !== 'namespace') return;
        const id = key(event.element.context, event.element.namespace);
        this.expanded.delete(id);
        this.stopWatching(id);
      }),
      // VS Code reuses the children of a re-expanded node without asking: re-list it, which restarts its watch.
      view.onDidExpandElement((event) => {
        if (event.element.type !== 'namespace') return;
        const id = key(event.element.context, event.element.namespace);
        this.expanded.add(id);
        if (!this.watches.has(id)) this.changed.fire(event.element);
      }),
      view.onDidChangeVisibility((event) => {
        if (!event.visible) this.stopAllWatches();
        else for (const id of this.expanded) if (!this.watches.has(id)) this.changed.fire(this.namespaceNodes.get(id));
      }),
    );
  }

  refresh(): void {
    this.stopAllWatches();
    this.namespaceNodes.clear();
    this.groupNodes.clear();
    this.watchErrors.clear();
    this.compliance.clear();
    this.expanded.clear();
    this.changed.fire(undefined);
  }

  getTreeItem(node: ClusterNode): vscode.TreeItem {
    switch (node.type) {
      case 'context': {
        const item = new vscode.TreeItem(node.context, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `context:${node.context}`;
        item.description = [node.current ? 'current' : undefined, node.detail].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(node.current ? 'vm-active' : 'vm');
        item.contextValue = 'fintechK8s.context';
        item.tooltip = node.unusable ?? node.detail;
        return item;
      }
      case 'namespace': {
        const item = new vscode.TreeItem(node.namespace, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `ns:${key(node.context, node.namespace)}`;
        const watchError = this.watchErrors.get(key(node.context, node.namespace));
        item.iconPath = watchError
          ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('errorForeground'))
          : new vscode.ThemeIcon('symbol-namespace');
        if (watchError) {
          item.description = 'not watching';
          item.tooltip = watchError;
        }
        item.contextValue = 'fintechK8s.namespace';
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(GROUP_LABELS[node.group], vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `group:${key(node.context, node.namespace)}/${node.group}`;
        item.iconPath = new vscode.ThemeIcon('folder');
        return item;
      }
      case 'workload': {
        const { workload } = node;
        const item = new vscode.TreeItem(workload.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `workload:${key(node.context, node.namespace)}/${workload.kind}/${workload.name}`;
        const badge = this.compliance.badgeFor(node);
        item.description = [
          workload.kind,
          workload.desired !== undefined ? `${workload.ready}/${workload.desired}` : undefined,
          badge?.label,
        ]
          .filter(Boolean)
          .join(' · ');
        item.iconPath = new vscode.ThemeIcon(
          badge?.worst === 'error' ? 'shield' : 'layers',
          badge?.worst === 'error' ? new vscode.ThemeColor('errorForeground') : undefined,
        );
        item.contextValue = 'fintechK8s.workload';
        item.tooltip = `${workload.kind} ${workload.namespace}/${workload.name}${badge ? `\nCompliance: ${badge.label}` : ''}`;
        return item;
      }
      case 'release': {
        const { release } = node;
        const item = new vscode.TreeItem(release.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `release:${key(node.context, node.namespace)}/${release.name}`;
        const badge = this.compliance.badgeFor(node);
        const current = release.current;
        item.description = [`${current.chart}-${current.chartVersion}`, `rev ${current.revision}`, current.status, badge?.label]
          .filter(Boolean)
          .join(' · ');
        item.iconPath = new vscode.ThemeIcon(
          current.status === 'deployed' ? (badge?.worst === 'error' ? 'shield' : 'package') : 'warning',
          current.status !== 'deployed' || badge?.worst === 'error' ? new vscode.ThemeColor('errorForeground') : undefined,
        );
        item.contextValue = 'fintechK8s.helmRelease';
        item.tooltip = [
          `Helm release ${release.namespace}/${release.name}`,
          `Chart: ${current.chart} ${current.chartVersion}${current.appVersion ? ` (app ${current.appVersion})` : ''}`,
          `Revision ${current.revision}: ${current.status}${current.updated ? `, ${current.updated}` : ''}`,
          badge ? `Compliance: ${badge.label}` : undefined,
        ]
          .filter(Boolean)
          .join('\n');
        return item;
      }
      case 'releaseHistory': {
        const item = new vscode.TreeItem('History', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `release-history:${key(node.context, node.namespace)}/${node.release.name}`;
        item.description = `${node.release.history.length} revision${node.release.history.length === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('history');
        return item;
      }
      case 'revision': {
        const { revision } = node;
        const item = new vscode.TreeItem(`rev ${revision.revision}`, vscode.TreeItemCollapsibleState.None);
        item.id = `revision:${key(node.context, node.namespace)}/${node.release}/${revision.revision}`;
        item.description = [revision.status, `${revision.chart}-${revision.chartVersion}`, revision.updated, revision.description]
          .filter(Boolean)
          .join(' · ');
        item.tooltip = item.description;
        item.iconPath = new vscode.ThemeIcon(node.current ? 'circle-filled' : 'circle-outline');
        item.contextValue = 'fintechK8s.helmRevision';
        return item;
      }
      case 'pod': {
        const { pod } = node;
        const item = new vscode.TreeItem(pod.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `pod:${key(node.context, node.namespace)}/${pod.name}`;
        item.description = `${pod.status} · ${pod.ready} ready${pod.restarts ? ` · ${pod.restarts} restarts` : ''}`;
        item.iconPath = new vscode.ThemeIcon(phaseIcon(pod.status), phaseColor(pod.status));
        item.contextValue = 'fintechK8s.pod';
        return item;
      }
      case 'container': {
        const { container } = node;
        const item = new vscode.TreeItem(container.name, vscode.TreeItemCollapsibleState.None);
        item.id = `container:${key(node.context, node.namespace)}/${node.pod}/${container.name}`;
        item.description = [
          container.init ? 'init' : undefined,
          container.reason ?? container.state,
          container.restarts ? `${container.restarts} restarts` : undefined,
        ]
          .filter(Boolean)
          .join(' · ');
        item.tooltip = container.image;
        item.iconPath = new vscode.ThemeIcon('package');
        item.contextValue = 'fintechK8s.container';
        return item;
      }
      case 'leaf': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.contextValue = node.contextValue;
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.tooltip = node.text;
        item.iconPath = new vscode.ThemeIcon(
          node.error ? 'error' : 'info',
          node.error ? new vscode.ThemeColor('errorForeground') : undefined,
        );
        return item;
      }
    }
  }

  async getChildren(node?: ClusterNode): Promise<ClusterNode[]> {
    try {
      if (!node) return this.contextNodes();
      switch (node.type) {
        case 'context':
          return await this.namespaceChildren(node.context);
        case 'namespace': {
          this.watchNamespace(node);
          const id = key(node.context, node.namespace);
          const watchError = this.watchErrors.get(id);
          return [
            ...(watchError ? [message(`watch-error:${id}`, watchError, true)] : []),
            ...GROUPS.map((group) => this.groupNode(node, group)),
          ];
        }
        case 'group':
          return await this.groupChildren(node);
        case 'workload':
          return await this.workloadChildren(node);
        case 'release':
          return [
            { type: 'releaseHistory', context: node.context, namespace: node.namespace, release: node.release },
            ...findingNodes(this.compliance, node),
          ];
        case 'releaseHistory':
          return node.release.history.map((revision) => ({
            type: 'revision',
            context: node.context,
            namespace: node.namespace,
            release: node.release.name,
            revision,
            current: revision === node.release.current,
          }));
        case 'pod':
          return node.pod.containers.map((container) => ({
            type: 'container',
            context: node.context,
            namespace: node.namespace,
            pod: node.pod.name,
            container,
          }));
        default:
          return [];
      }
    } catch (error) {
      return [message(`error:${nodeKey(node)}`, (error as Error).message, true)];
    }
  }

  private contextNodes(): ClusterNode[] {
    const contexts = this.cluster.contexts();
    const problems = this.cluster.problems().map((problem, i) => message(`kubeconfig-problem:${i}`, problem, true));
    if (contexts.length === 0)
      return [...problems, message('no-contexts', 'No Kubernetes contexts: set KUBECONFIG or create ~/.kube/config.', false)];
    return [
      ...problems,
      ...contexts.map((info): ClusterNode => ({
        type: 'context',
        context: info.name,
        current: info.name === this.cluster.currentContext,
        detail: info.server,
        unusable: info.unusable,
      })),
    ];
  }

  private async namespaceChildren(context: string): Promise<ClusterNode[]> {
    const info = this.cluster.contexts().find((c) => c.name === context);
    if (info?.unusable) return [message(`unusable:${context}`, info.unusable, true)];
    const result = await this.cluster.kube.listNamespaces(this.cluster.kubeConfigFor(context), {
      fallbackNamespace: info?.namespace ?? 'default',
      timeoutMs: 15_000,
    });
    if (!result.ok) return [errorNode(`ns-error:${context}`, result.error)];
    const warnings = (result.warnings ?? []).map((w, i) => message(`ns-warning:${context}:${i}`, w.message, false));
    return [
      ...warnings,
      ...result.items.map((ns) => {
        const node: ClusterNode = this.namespaceNodes.get(key(context, ns.name)) ?? { type: 'namespace', context, namespace: ns.name };
        this.namespaceNodes.set(key(context, ns.name), node);
        return node;
      }),
    ];
  }

  private groupNode(namespace: Extract<ClusterNode, { type: 'namespace' }>, group: Group): ClusterNode {
    const id = `${key(namespace.context, namespace.namespace)}/${group}`;
    let node = this.groupNodes.get(id);
    if (!node) this.groupNodes.set(id, (node = { type: 'group', context: namespace.context, namespace: namespace.namespace, group }));
    return node;
  }

  private async groupChildren(node: Extract<ClusterNode, { type: 'group' }>): Promise<ClusterNode[]> {
    const kube = this.cluster.kube;
    const kc = this.cluster.kubeConfigFor(node.context);
    const base = `${key(node.context, node.namespace)}/${node.group}`;
    const options = { timeoutMs: 15_000 };
    switch (node.group) {
      case 'workloads': {
        const result = await kube.listWorkloads(kc, node.namespace, options);
        const children = result.ok
          ? result.items.map((workload) => ({ type: 'workload', context: node.context, namespace: node.namespace, workload }) as const)
          : [];
        if (result.ok) this.compliance.retain(node.context, node.namespace, 'workload', children);
        for (const child of children) this.compliance.request(child, kc);
        return listed(base, result, (_, i) => children[i]);
      }
      case 'helmReleases': {
        const result = await kube.listHelmReleases(kc, node.namespace, options);
        const children = result.ok
          ? result.items.map((release) => ({ type: 'release', context: node.context, namespace: node.namespace, release }) as const)
          : [];
        if (result.ok) this.compliance.retain(node.context, node.namespace, 'release', children);
        for (const child of children) this.compliance.requestRelease(child);
        return listed(base, result, (_, i) => children[i]);
      }
      case 'services':
        return listed(base, await kube.listServices(kc, node.namespace, options), (s) =>
          leaf(`${base}/${s.name}`, s.name, `${s.type} ${s.ports.join(', ')}`, 'plug'),
        );
      case 'ingresses':
        return listed(base, await kube.listIngresses(kc, node.namespace, options), (i) =>
          leaf(`${base}/${i.name}`, i.name, `${i.hosts.join(', ') || '*'}${i.tls ? ' · TLS' : ' · no TLS'}`, i.tls ? 'lock' : 'unlock'),
        );
      case 'networkPolicies':
        return listed(base, await kube.listNetworkPolicies(kc, node.namespace, options), (p) =>
          leaf(`${base}/${p.name}`, p.name, `${p.podSelector || 'all pods'} · ${p.policyTypes.join('+')}`, 'shield'),
        );
      case 'secrets':
        return listed(base, await kube.listSecretNames(kc, node.namespace, options), (s) =>
          leaf(`${base}/${s.name}`, s.name, s.type, 'key'),
        );
    }
  }

  private async workloadChildren(node: Extract<ClusterNode, { type: 'workload' }>): Promise<ClusterNode[]> {
    const findings = findingNodes(this.compliance, node);
    const selector = node.workload.labelSelector;
    if (!selector) return findings;
    const pods = await this.cluster.kube.listPods(this.cluster.kubeConfigFor(node.context), node.namespace, {
      labelSelector: selector,
      timeoutMs: 15_000,
    });
    return [
      ...findings,
      ...listed(`${key(node.context, node.namespace)}/${node.workload.name}/pods`, pods, (pod) => ({
        type: 'pod',
        context: node.context,
        namespace: node.namespace,
        pod,
      })),
    ];
  }

  /** Watches the namespace's pods, workloads and releases; a burst of changes re-lists the group they show in, once. */
  private watchNamespace(node: Extract<ClusterNode, { type: 'namespace' }>): void {
    const id = key(node.context, node.namespace);
    if (this.watches.has(id)) return;
    const controller = new AbortController();
    this.watches.set(id, controller);
    const kc = this.cluster.kubeConfigFor(node.context);
    for (const { path, labelSelector, group } of WATCHED) {
      let initial = true;
      void this.cluster.kube.watchList(
        kc,
        path.replace('{ns}', encodeURIComponent(node.namespace)),
        { labelSelector },
        {
          onRelist: () => {
            this.watchRecovered(id);
            // The first list of each watch only confirms what getChildren just listed.
            if (initial) initial = false;
            else this.scheduleRefresh(id, group);
          },
          onEvent: () => {
            this.watchRecovered(id);
            this.scheduleRefresh(id, group);
          },
          onError: (error, state) => this.watchFailed(id, error, state.retrying),
        },
        controller.signal,
      );
    }
  }

  private watchFailed(id: string, error: KubeErrorDescription, retrying: boolean): void {
    if (!this.watches.has(id)) return;
    const text = retrying ? `Reconnecting the watch: ${error.message}` : `Not watching (refresh to retry): ${error.message}`;
    if (this.watchErrors.get(id) === text) return;
    this.watchErrors.set(id, text);
    const node = this.namespaceNodes.get(id);
    if (node) this.changed.fire(node);
  }

  private watchRecovered(id: string): void {
    if (!this.watchErrors.delete(id)) return;
    const node = this.namespaceNodes.get(id);
    if (node) this.changed.fire(node);
  }

  private scheduleRefresh(id: string, group: Group): void {
    const groupId = `${id}/${group}`;
    const now = Date.now();
    const pending = this.pending.get(groupId);
    if (pending) clearTimeout(pending.timer);
    const firstEvent = pending?.firstEvent ?? now;
    const delay = Math.min(BURST_QUIET_MS, Math.max(0, firstEvent + BURST_MAX_MS - now));
    const timer = setTimeout(() => {
      this.pending.delete(groupId);
      const node = this.groupNodes.get(groupId);
      if (node && this.watches.has(id)) this.changed.fire(node);
    }, delay);
    this.pending.set(groupId, { timer, firstEvent });
  }

  private stopWatching(id: string): void {
    this.watches.get(id)?.abort();
    this.watches.delete(id);
    this.watchErrors.delete(id);
    for (const [groupId, { timer }] of this.pending) {
      if (!groupId.startsWith(`${id}/`)) continue;
      clearTimeout(timer);
      this.pending.delete(groupId);
    }
  }

  private stopAllWatches(): void {
    for (const id of [...this.watches.keys()]) this.stopWatching(id);
  }

  /** Watched namespaces (context/namespace), for the extension-host tests. */
  watchedNamespaces(): string[] {
    return [...this.watches.keys()];
  }

  dispose(): void {
    this.stopAllWatches();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

function key(context: string, namespace: string): string {
  return `${context}/${namespace}`;
}

function nodeKey(node: ClusterNode | undefined): string {
  if (!node) return 'root';
  return JSON.stringify([
    node.type,
    'context' in node ? node.context : '',
    'namespace' in node ? node.namespace : '',
    'id' in node ? node.id : '',
  ]);
}

function message(id: string, text: string, error: boolean): ClusterNode {
  return { type: 'message', id, text, error };
}

function errorNode(id: string, error: KubeErrorDescription): ClusterNode {
  return message(id, error.message, true);
}

function leaf(id: string, label: string, description: string, icon: string): ClusterNode {
  return { type: 'leaf', id, label, description, icon };
}

function listed<T>(id: string, result: Result<T[]>, toNode: (item: T, index: number) => ClusterNode): ClusterNode[] {
  if (!result.ok) return [errorNode(`error:${id}`, result.error)];
  const warnings = (result.warnings ?? []).map((w, i) => message(`warning:${id}:${i}`, w.message, false));
  if (result.items.length === 0) return [...warnings, message(`empty:${id}`, 'None', false)];
  return [...warnings, ...result.items.map(toNode)];
}

function phaseIcon(status: string): string {
  if (status === 'Running') return 'pass-filled';
  if (status === 'Succeeded' || status === 'Completed') return 'pass';
  if (status === 'Pending' || status === 'ContainerCreating') return 'clock';
  return 'error';
}

function phaseColor(status: string): vscode.ThemeColor | undefined {
  if (status === 'Running') return new vscode.ThemeColor('testing.iconPassed');
  if (['Pending', 'ContainerCreating', 'Succeeded', 'Completed'].includes(status)) return undefined;
  return new vscode.ThemeColor('testing.iconFailed');
}
