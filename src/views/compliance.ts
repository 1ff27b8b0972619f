// Compliance badges for live workloads and Helm releases: the live object (a release: the manifest of its
// deployed revision) goes through the language server's rule engine (fintechK8s/analyze, the same engine and
// settings as the editor), and its findings become a badge and child nodes in the Clusters view.
import * as vscode from 'vscode';
import type { KubeConfig } from '@kubernetes/client-node';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AnalyzeRequest, type AnalyzedFinding } from '../../server/protocol';
import type { ComplianceBadge } from '../kube';
import type { KubeModule } from '../kube-loader';
import type { ClusterNode } from './clusters-tree';

type WorkloadNode = Extract<ClusterNode, { type: 'workload' }>;
type ReleaseNode = Extract<ClusterNode, { type: 'release' }>;
type BadgedNode = WorkloadNode | ReleaseNode;

interface Entry {
  badge?: ComplianceBadge;
  findings: AnalyzedFinding[];
  error?: string;
}

export class ComplianceService implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<ClusterNode>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly client: LanguageClient,
    private readonly kube: () => KubeModule,
  ) {}

  badgeFor(node: BadgedNode): ComplianceBadge | undefined {
    return this.entries.get(idOf(node))?.badge;
  }

  entryFor(node: BadgedNode): Entry | undefined {
    return this.entries.get(idOf(node));
  }

  /** Analyses the live workload in the background; the node is refreshed when its badge is known. */
  request(node: WorkloadNode, kubeConfig: KubeConfig): void {
    this.settle(node, this.analyse(node, kubeConfig));
  }

  /** Analyses the manifest of the release's deployed revision (already in hand: nothing is fetched). */
  requestRelease(node: ReleaseNode): void {
    const id = idOf(node);
    if (this.entries.get(id)?.badge) return; // Same revision, same manifest: the answer stands.
    const kube = this.kube();
    const live = kube.liveRevision(node.release);
    const uri = kube.liveObjectUri(node.context, { kind: 'HelmRelease', metadata: { namespace: node.namespace, name: node.release.name } });
    this.settle(node, this.findings(uri, live.manifest));
  }

  private settle(node: BadgedNode, analysis: Promise<Entry>): void {
    const id = idOf(node);
    void analysis
      .then((entry) => this.entries.set(id, entry))
      .catch((error) => this.entries.set(id, { findings: [], error: (error as Error).message }))
      .finally(() => this.changed.fire(node));
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
