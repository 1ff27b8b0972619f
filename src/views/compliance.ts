// Compliance badges for live workloads and Helm releases: the live object (a release: the manifest of its
// deployed revision) goes through the language server's rule engine (fintechK8s/analyze, the same engine and
// settings as the editor), and its findings become a badge and child nodes in the Clusters view. Answers are
// kept per object version: a watch event that leaves the spec alone (a pod restarting, a status update)
// costs no GET and no analysis; they go when their object leaves its namespace's listing.
import * as vscode from 'vscode';
import type { KubeConfig } from '@kubernetes/client-node';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AnalyzeRequest, type AnalyzedFinding } from '../../server/protocol';
import type { ComplianceBadge } from '../kube';
import type { KubeModule } from '../kube-loader';
import type { ClusterNode } from './clusters-tree';
import { VersionedCache } from './versioned-cache';

type WorkloadNode = Extract<ClusterNode, { type: 'workload' }>;
type ReleaseNode = Extract<ClusterNode, { type: 'release' }>;
type BadgedNode = WorkloadNode | ReleaseNode;

interface Entry {
  badge?: ComplianceBadge;
  findings: AnalyzedFinding[];
  error?: string;
}

export class ComplianceService implements vscode.Disposable {
  private readonly cache = new VersionedCache<Entry>();
  private readonly changed = new vscode.EventEmitter<ClusterNode>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly client: LanguageClient,
    private readonly kube: () => KubeModule,
  ) {}

  badgeFor(node: BadgedNode): ComplianceBadge | undefined {
    return this.cache.get(idOf(node))?.badge;
  }

  entryFor(node: BadgedNode): Entry | undefined {
    return this.cache.get(idOf(node));
  }

  /** Analyses the live workload in the background unless this version is known; the node is refreshed when its badge is. */
  request(node: WorkloadNode, kubeConfig: KubeConfig): void {
    this.settle(node, () => this.analyse(node, kubeConfig));
  }

  /** Analyses the manifest of the release's deployed revision (already in hand: nothing is fetched). */
  requestRelease(node: ReleaseNode): void {
    this.settle(node, () => {
      const kube = this.kube();
      const live = kube.liveRevision(node.release);
      const uri = kube.liveObjectUri(node.context, {
        kind: 'HelmRelease',
        metadata: { namespace: node.namespace, name: node.release.name },
      });
      return this.findings(uri, live.manifest);
    });
  }

  /** A namespace's workloads or releases were listed: forget those of that type no longer in it. */
  retain(context: string, namespace: string, type: BadgedNode['type'], listed: BadgedNode[]): void {
    const prefix = `${context}/${namespace}/`;
    const releases = `${prefix}HelmRelease/`;
    this.cache.retain((id) => id.startsWith(prefix) && id.startsWith(releases) === (type === 'release'), listed.map(idOf));
  }

  /** Settings or the cluster changed: every answer may differ. */
  clear(): void {
    this.cache.clear();
  }

  private settle(node: BadgedNode, analyse: () => Promise<Entry>): void {
    const id = idOf(node);
    const version = versionOf(node);
    if (this.cache.has(id, version)) return;
    this.cache.start(id, version);
    void Promise.resolve()
      .then(analyse)
      .catch((error: unknown): Entry => ({ findings: [], error: (error as Error).message }))
      .then((entry) => {
        if (this.cache.finish(id, version, entry, entry.error !== undefined)) this.changed.fire(node);
      });
  }

  private async findings(uri: string, text: string): Promise<Entry> {
    const result = await this.client.sendRequest(AnalyzeRequest.type, { uri, text });
    const findings = result.findings.filter((f) => !f.suppressed);
    return { badge: this.kube().complianceBadge(findings), findings };
  }

  private async analyse(node: WorkloadNode, kubeConfig: KubeConfig): Promise<Entry> {
    const kube = this.kube();
    const { workload } = node;
    const live = await kube.getLiveObject(kubeConfig, workload.apiVersion, workload.kind, workload.namespace, workload.name, {
      timeoutMs: 15_000,
    });
    if (!live.ok) return { findings: [], error: live.error.message };
    return this.findings(kube.liveObjectUri(node.context, live.items), kube.liveObjectManifest(live.items));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The findings of a workload or release as child nodes (first in a workload's subtree, before its pods). */
export function findingNodes(service: ComplianceService, node: BadgedNode): ClusterNode[] {
  const entry = service.entryFor(node);
  const base = idOf(node);
  if (!entry) return [{ type: 'message', id: `${base}/compliance-pending`, text: 'Compliance: checking…', error: false }];
  if (entry.error) return [{ type: 'message', id: `${base}/compliance-error`, text: `Compliance: ${entry.error}`, error: true }];
  return entry.findings.map((f, i) => ({
    type: 'leaf',
    id: `${base}/finding/${i}`,
    label: `${f.ruleId}`,
    description: node.type === 'release' ? `${f.object}: ${f.message}` : f.message,
    tooltip: `${f.severity}: ${f.message}`,
    icon: f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info',
    contextValue: 'fintechK8s.finding',
  }));
}

function idOf(node: BadgedNode): string {
  if (node.type === 'release') return `${node.context}/${node.namespace}/HelmRelease/${node.release.name}@${node.release.current.revision}`;
  return `${node.context}/${node.namespace}/${node.workload.kind}/${node.workload.name}`;
}

/** A revision's manifest never changes; a workload is re-analysed when recreated (uid) or its spec changes. */
function versionOf(node: BadgedNode): string {
  if (node.type === 'release') return String(node.release.current.revision);
  return `${node.workload.uid ?? ''}/${node.workload.version}`;
}
