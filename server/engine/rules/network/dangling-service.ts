import type { Rule } from '../../types';
import { namespaceOf, objectPath, serviceSelectorOf, serviceWorkloads, workloadsIn } from './policies';

export const danglingService: Rule = {
  id: 'dangling-service',
  group: 'network',
  title: 'Service selector should match a workload',
  severity: 'warning',
  rationale:
    'A Service whose selector matches no pod has no endpoints: callers such as the checkout or settlement jobs get connection errors, usually after a label was renamed in one place only.',
  remediation: 'Make the Service `selector` match the pod template labels of the workload it fronts, or remove the Service.',
  references: { pci: [], like: 'kube-linter dangling-service' },
  check(object, context) {
    if (object.kind !== 'Service') return;
    const selected = serviceWorkloads(object, context.workspace);
    if (!selected || selected.length > 0) return;
    const namespace = namespaceOf(object);
    const workloads = workloadsIn(namespace, context.workspace);
    // No workload of the namespace in the workspace: its pods are deployed from elsewhere.
    if (workloads.length === 0) return;
    const selector = serviceSelectorOf(object)!;
    const shown = Object.entries(selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    context.report({
      path: objectPath(object, 'spec', 'selector'),
      message: `Service "${object.name}" selects no pod: none of the ${workloads.length} workload(s) in namespace "${namespace}" has pod template labels ${shown}.`,
    });
  },
};
