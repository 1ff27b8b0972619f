import { annotationsOf, asArray, asString, getIn } from '../../objects';
import type { Rule } from '../../types';
import { pciScopeRelated } from '../related';
import { isAnyAddress, namespaceOf, objectPath } from './policies';

/** Cloud providers read the allow-list from this annotation when the field is not set. */
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

export const serviceExposed: Rule = {
  id: 'service-exposed',
  group: 'network',
  title: 'PCI Services must not be exposed without a source allow-list',
  severity: 'warning',
  rationale:
    'A LoadBalancer or NodePort Service publishes a cardholder-data service outside the cluster; without a source allow-list anyone who can route to the load balancer or a node can reach it.',
  remediation:
    'Keep CDE Services ClusterIP behind the ingress controller; when a load balancer is required, set `loadBalancerSourceRanges` to the partner or office ranges that need it.',
  references: { pci: ['1.3.1', '1.4.2'], like: 'kube-linter exposed-services' },
  check(object, context) {
    if (object.kind !== 'Service') return;
    const namespace = namespaceOf(object);
    if (!context.workspace.isPciNamespace(namespace)) return;
    const related = pciScopeRelated(context.workspace, namespace);
    const type = asString(getIn(object.value, ['spec', 'type']));
    if (type === 'NodePort') {
      context.report({
        path: objectPath(object, 'spec', 'type'),
        message: `Service "${object.name}" in PCI-scoped namespace "${namespace}" is a NodePort: it opens a port on every node, with no source allow-list.`,
        related,
      });
      return;
    }
    if (type !== 'LoadBalancer') return;
    const ranges = asArray(getIn(object.value, ['spec', 'loadBalancerSourceRanges']));
    if (ranges.length === 0) {
      const annotation = asString(annotationsOf(object.value)[SOURCE_RANGES_ANNOTATION]);
      const annotated =
        annotation
          ?.split(',')
          .map((r) => r.trim())
          .filter(Boolean) ?? [];
      if (annotated.length > 0 && !annotated.some(isAnyAddress)) return;
      context.report({
        path: objectPath(object, 'spec', 'type'),
        message: `LoadBalancer Service "${object.name}" in PCI-scoped namespace "${namespace}" sets no loadBalancerSourceRanges: any address can reach it.`,
        related,
      });
      return;
    }
    ranges.forEach((range, i) => {
      if (!isAnyAddress(range)) return;
      context.report({
        path: objectPath(object, 'spec', 'loadBalancerSourceRanges', i),
        message: `LoadBalancer Service "${object.name}" in PCI-scoped namespace "${namespace}" allows ${String(range).trim()}: the allow-list admits every address.`,
        related,
      });
    });
  },
};
