import type { Rule } from '../../types';
import { inNamespace, objectPath } from './workloads';

export const namespaceQuota: Rule = {
  id: 'namespace-quota',
  group: 'resources',
  title: 'Namespaces should have a ResourceQuota and a LimitRange',
  severity: 'warning',
  rationale:
    'Without a ResourceQuota one team or one runaway deployment can consume the cluster capacity that payment services depend on; without a LimitRange, pods that omit requests and limits get none.',
  remediation: 'Define a ResourceQuota and a LimitRange (with default requests and limits) in every namespace you create.',
  references: { pci: [], nsa: ['Network separation and hardening: resource policies'], like: 'NSA 4.0' },
  check(object, context) {
    if (object.kind !== 'Namespace' || !object.name) return;
    const missing = ['ResourceQuota', 'LimitRange'].filter((kind) => inNamespace(kind, object.name, context.workspace).length === 0);
    if (missing.length === 0) return;
    context.report({
      path: objectPath(object, 'metadata', 'name'),
      message: `Namespace "${object.name}" has no ${missing.join(' and no ')} in the workspace: ${missing
        .map((kind) =>
          kind === 'ResourceQuota'
            ? 'nothing caps what its workloads consume in total'
            : 'pods that omit requests and limits get no defaults',
        )
        .join(', and ')}.`,
    });
  },
};
