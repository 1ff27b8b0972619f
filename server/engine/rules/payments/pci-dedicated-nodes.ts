import { asArray, asMap, asString, getIn, podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { pciScopeRelated } from '../related';

/** Well-known node labels every node has: selecting on them picks a platform or zone, not a node pool. */
const GENERIC_NODE_LABELS = new Set([
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'node.kubernetes.io/instance-type',
  'beta.kubernetes.io/instance-type',
]);

function pinsByAffinity(spec: Record<string, unknown>): boolean {
  const terms = asArray(getIn(spec, ['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms']));
  if (terms.length === 0) return false;
  // Terms are ORed: every one of them must keep the pod on dedicated nodes.
  return terms.every((term) => {
    const expressions = asArray(getIn(term, ['matchExpressions'])).some((e) => {
      const expr = asMap(e);
      const key = asString(expr?.key);
      return key !== undefined && !GENERIC_NODE_LABELS.has(key) && (expr?.operator === 'In' || expr?.operator === 'Exists');
    });
    const fields = asArray(getIn(term, ['matchFields'])).some((f) => asMap(f)?.key === 'metadata.name' && asMap(f)?.operator === 'In');
    return expressions || fields;
  });
}

export const pciDedicatedNodes: Rule = {
  id: 'pci-dedicated-nodes',
  group: 'payments',
  title: 'CDE pods should be pinned to dedicated nodes',
  severity: 'info',
  rationale:
    'Pods that share nodes with out-of-scope workloads pull those nodes, and everything on them, into PCI scope; a dedicated, tainted node pool keeps the cardholder data environment segmented and the audit scope small.',
  remediation:
    'Taint a dedicated node pool (e.g. `pci=true:NoSchedule`), tolerate the taint in CDE pods, and pin them to the pool with a `nodeSelector` or a required node affinity on the pool’s label. A toleration alone lets the pod onto the pool but not only onto it.',
  references: { pci: ['1.2', '2.2.3'] },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod || !context.workspace.isPciNamespace(object.namespace)) return;
    const spec = pod.spec;
    if (asString(spec.nodeName)) return;
    if (Object.keys(asMap(spec.nodeSelector) ?? {}).some((key) => !GENERIC_NODE_LABELS.has(key))) return;
    if (pinsByAffinity(spec)) return;
    const tolerations = asArray(spec.tolerations).length > 0;
    context.report({
      path: [...pod.path, 'nodeSelector'],
      message: tolerations
        ? `${object.kind} "${object.name}" tolerates a dedicated-node taint but no nodeSelector or required node affinity keeps it on those nodes; it can still land on shared nodes.`
        : `${object.kind} "${object.name}" runs in the CDE but nothing pins it to dedicated nodes (no nodeSelector or required node affinity on a node-pool label).`,
      related: pciScopeRelated(context.workspace, object.namespace),
    });
  },
};
