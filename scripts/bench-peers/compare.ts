// Which of our rules have the same intent as a peer's check, and where the two disagree on the varied
// corpus. Each disagreement was looked at: the verdicts live as commented cases in the rules' fixtures
// (test/fixtures/rules/<group>/<rule>/{fail,pass}.yaml), so they stay checked by the rule tests.
import type { Hits } from './run';

export interface Overlap {
  ours: string;
  /** checkov check ids; several when we cover what checkov splits (or the reverse). */
  checkov?: string[];
  polaris?: string[];
  kubeconform?: boolean;
}

export const OVERLAPS: readonly Overlap[] = [
  { ours: 'privileged-container', checkov: ['CKV_K8S_16'], polaris: ['runAsPrivileged'] },
  { ours: 'run-as-non-root', checkov: ['CKV_K8S_23'], polaris: ['runAsRootAllowed'] },
  { ours: 'allow-privilege-escalation', checkov: ['CKV_K8S_20'], polaris: ['privilegeEscalationAllowed'] },
  { ours: 'read-only-root-filesystem', checkov: ['CKV_K8S_22'], polaris: ['notReadOnlyRootFilesystem'] },
  { ours: 'capabilities-drop-all', checkov: ['CKV_K8S_37'], polaris: ['insecureCapabilities'] },
  { ours: 'capabilities-add', checkov: ['CKV_K8S_25'] },
  { ours: 'dangerous-capabilities', checkov: ['CKV_K8S_39'], polaris: ['dangerousCapabilities'] },
  { ours: 'host-network', checkov: ['CKV_K8S_19'], polaris: ['hostNetworkSet'] },
  { ours: 'host-pid', checkov: ['CKV_K8S_17'], polaris: ['hostPIDSet'] },
  { ours: 'host-ipc', checkov: ['CKV_K8S_18'], polaris: ['hostIPCSet'] },
  { ours: 'host-port', checkov: ['CKV_K8S_26'], polaris: ['hostPortSet'] },
  { ours: 'container-runtime-socket', checkov: ['CKV_K8S_27'] },
  { ours: 'seccomp-profile', checkov: ['CKV_K8S_31'] },
  { ours: 'low-uid', checkov: ['CKV_K8S_40'] },
  { ours: 'automount-service-account-token', checkov: ['CKV_K8S_38'] },
  { ours: 'cpu-requests', checkov: ['CKV_K8S_10'], polaris: ['cpuRequestsMissing'] },
  { ours: 'cpu-limits', checkov: ['CKV_K8S_11'], polaris: ['cpuLimitsMissing'] },
  { ours: 'memory-requests', checkov: ['CKV_K8S_12'], polaris: ['memoryRequestsMissing'] },
  { ours: 'memory-limits', checkov: ['CKV_K8S_13'], polaris: ['memoryLimitsMissing'] },
  { ours: 'liveness-probe', checkov: ['CKV_K8S_8'], polaris: ['livenessProbeMissing'] },
  { ours: 'readiness-probe', checkov: ['CKV_K8S_9'], polaris: ['readinessProbeMissing'] },
  { ours: 'replicas-minimum', polaris: ['deploymentMissingReplicas'] },
  { ours: 'image-tag-latest', checkov: ['CKV_K8S_14'], polaris: ['tagNotSpecified'] },
  { ours: 'image-pull-policy', checkov: ['CKV_K8S_15'], polaris: ['pullPolicyNotAlways'] },
  { ours: 'image-digest', checkov: ['CKV_K8S_43'] },
  { ours: 'secret-in-env-var', checkov: ['CKV_K8S_35'] },
  { ours: 'default-namespace', checkov: ['CKV_K8S_21'] },
  { ours: 'rbac-wildcard', checkov: ['CKV_K8S_49'] },
  { ours: 'rbac-escalation-verbs', checkov: ['CKV_K8S_157', 'CKV_K8S_158'] },
  { ours: 'ingress-snippet-annotation', checkov: ['CKV_K8S_153'] },
  { ours: 'ingress-tls', polaris: ['tlsSettingsMissing'] },
  { ours: 'schema-invalid', kubeconform: true },
];

export interface Disagreement {
  ours: string;
  peer: string;
  peerChecks: string[];
  both: number;
  oursOnly: string[];
  peerOnly: string[];
}

function union(hits: Hits, checks: string[]): Set<string> {
  const out = new Set<string>();
  for (const check of checks) for (const object of hits.get(check) ?? []) out.add(object);
  return out;
}

/** Per overlapping pair: how many objects both flag, and the objects exactly one of the two flags. */
export function compare(ours: Hits, peers: Map<string, Hits>, kubeconformCheck: string): Disagreement[] {
  const out: Disagreement[] = [];
  for (const overlap of OVERLAPS) {
    const mine = ours.get(overlap.ours) ?? new Set<string>();
    const pairs: [string, string[]][] = [];
    if (overlap.checkov) pairs.push(['checkov', overlap.checkov]);
    if (overlap.polaris) pairs.push(['polaris', overlap.polaris]);
    if (overlap.kubeconform) pairs.push(['kubeconform', [kubeconformCheck]]);
    for (const [peer, checks] of pairs) {
      const hits = peers.get(peer);
      if (!hits) continue;
      const theirs = union(hits, checks);
      out.push({
        ours: overlap.ours,
        peer,
        peerChecks: checks,
        both: [...mine].filter((object) => theirs.has(object)).length,
        oursOnly: [...mine].filter((object) => !theirs.has(object)).sort(),
        peerOnly: [...theirs].filter((object) => !mine.has(object)).sort(),
      });
    }
  }
  return out;
}

const CAP = 6;
const list = (objects: string[]) => objects.slice(0, CAP).join(', ') + (objects.length > CAP ? `, … (+${objects.length - CAP})` : '');

export function printDisagreements(rows: Disagreement[]): void {
  console.log('\nOverlapping rules on the varied corpus (objects flagged by both; flagged by exactly one):');
  for (const row of rows) {
    const agree = row.oursOnly.length === 0 && row.peerOnly.length === 0;
    console.log(
      `  ${row.ours} ~ ${row.peer} ${row.peerChecks.join('+')}: both ${row.both}, ours only ${row.oursOnly.length}, ${row.peer} only ${row.peerOnly.length}${agree ? '  (agree)' : ''}`,
    );
    if (row.oursOnly.length) console.log(`      ours only: ${list(row.oursOnly)}`);
    if (row.peerOnly.length) console.log(`      ${row.peer} only: ${list(row.peerOnly)}`);
  }
  const disagreeing = rows.filter((row) => row.oursOnly.length || row.peerOnly.length);
  const objects = rows.reduce((sum, row) => sum + row.oursOnly.length + row.peerOnly.length, 0);
  console.log(
    `  ${rows.length} pairs compared, ${rows.length - disagreeing.length} agree on every object, ${disagreeing.length} differ (${objects} object disagreements)`,
  );
}
