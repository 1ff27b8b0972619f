import { asString, labelsOf, podLabelsOf, podSpecOf } from '../../objects';
import type { Rule } from '../../types';

/** Only cluster add-ons may use these (the ResourceQuota admission default limits them to kube-system). */
const CRITICAL_PRIORITY_CLASSES = new Set(['system-cluster-critical', 'system-node-critical']);
/** Labels the addon manager and the Kubernetes add-on manifests put on cluster components. */
const ADDON_LABELS = ['addonmanager.kubernetes.io/mode', 'kubernetes.io/cluster-service'];

export const kubeSystemWorkload: Rule = {
  id: 'kube-system-workload',
  group: 'rbac',
  title: 'Do not run application workloads in kube-system',
  severity: 'warning',
  rationale:
    'kube-system holds the control plane’s add-ons and their highly privileged ServiceAccounts and Secrets; an application running there shares that trust boundary, and namespace-level policies (Pod Security, NetworkPolicy, quotas) are usually relaxed for it.',
  remediation: 'Deploy the workload to its own namespace with its own ServiceAccount, Pod Security level, NetworkPolicies and quota.',
  references: {
    pci: ['2.2.3'],
    nsa: ['Namespaces'],
  },
  check(object, context) {
    if (object.namespace !== 'kube-system') return;
    const pod = podSpecOf(object);
    if (!pod) return;
    // Cluster add-ons (DNS, CNI, kube-proxy, metrics-server…) belong in kube-system: they declare a
    // critical priority class or carry the add-on labels.
    if (CRITICAL_PRIORITY_CLASSES.has(asString(pod.spec.priorityClassName) ?? '')) return;
    const labels = { ...labelsOf(object.value), ...podLabelsOf(pod) };
    if (ADDON_LABELS.some((label) => label in labels)) return;
    context.report({
      path: [...object.path, 'metadata', 'namespace'],
      message: `${object.kind} "${object.name}" runs in kube-system, next to the cluster's control-plane add-ons; give it its own namespace.`,
    });
  },
};
