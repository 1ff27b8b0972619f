// Compliance badges for live workloads: the live object goes through the language server's rule engine
// (fintechK8s/analyze, the same engine and settings as the editor), and its findings become a badge and
// child nodes in the Clusters view.
import * as vscode from 'vscode';
import type { KubeConfig } from '@kubernetes/client-node';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AnalyzeRequest, type AnalyzedFinding } from '../../server/protocol';
import type { ComplianceBadge } from '../kube';
import type { KubeModule } from '../kube-loader';
import type { ClusterNode } from './clusters-tree';

type WorkloadNode = Extract<ClusterNode, { type: 'workload' }>;

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

  badgeFor(node: WorkloadNode): ComplianceBadge | undefined {
    return this.entries.get(idOf(node))?.badge;
  }

  entryFor(node: WorkloadNode): Entry | undefined {
    return this.entries.get(idOf(node));
  }

  /** Analyses the live workload in the background; the node is refreshed when its badge is known. */
  request(node: WorkloadNode, kubeConfig: KubeConfig): void {
    const id = idOf(node);
    void this.analyse(node, kubeConfig)
      .then((entry) => this.entries.set(id, entry))
      .catch((error) => this.entries.set(id, { findings: [], error: (error as Error).message }))
      .finally(() => this.changed.fire(node));
  }

  private async analyse(node: WorkloadNode, kubeConfig: KubeConfig): Promise<Entry> {
    const kube = this.kube();
    const { workload } = node;
    const live = await kube.getLiveObject(kubeConfig, workload.apiVersion, workload.kind, workload.namespace, workload.name, {
      timeoutMs: 15_000,
    });
    if (!live.ok) return { findings: [], error: live.error.message };
    const result = await this.client.sendRequest(AnalyzeRequest.type, {
      uri: kube.liveObjectUri(node.context, live.items),
      text: kube.liveObjectManifest(live.items),
    });
    const findings = result.findings.filter((f) => !f.suppressed);
    return { badge: kube.complianceBadge(findings), findings };
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The findings of a workload as child nodes (first in its subtree, before its pods). */
export function workloadFindingNodes(service: ComplianceService, node: WorkloadNode): ClusterNode[] {
  const entry = service.entryFor(node);
  const base = idOf(node);
  if (!entry) return [{ type: 'message', id: `${base}/compliance-pending`, text: 'Compliance: checking…', error: false }];
  if (entry.error) return [{ type: 'message', id: `${base}/compliance-error`, text: `Compliance: ${entry.error}`, error: true }];
  return entry.findings.map((f, i) => ({
    type: 'leaf',
    id: `${base}/finding/${i}`,
    label: `${f.ruleId}`,
    description: f.message,
    tooltip: `${f.severity}: ${f.message}`,
    icon: f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info',
    contextValue: 'fintechK8s.finding',
  }));
}

function idOf(node: WorkloadNode): string {
  return `${node.context}/${node.namespace}/${node.workload.kind}/${node.workload.name}`;
}
