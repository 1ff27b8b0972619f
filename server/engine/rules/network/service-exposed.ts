import { annotationsOf, asArray, asString, getIn } from '../../objects';
import type { Path, Rule } from '../../types';
import { pciScopeRelated } from '../related';
import { isAnyAddress, namespaceOf, objectPath } from './policies';

/** Cloud providers read the allow-list from this annotation when the field is not set. */
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

export const serviceExposed: Rule = {
  id: 'service-exposed',
  group: 'network',
  title: 'Services must not be exposed without a source allow-list',
  severity: 'warning',
  rationale:
    'A LoadBalancer or NodePort Service publishes a service outside the cluster; without a source allow-list anyone who can route to the load balancer or a node can reach it. In a PCI namespace that is the cardholder data environment (warning); elsewhere (a core-banking API, a node dashboard) it is reported as info.',
  remediation:
    'Keep CDE Services ClusterIP behind the ingress controller; when a load balancer is required, set `loadBalancerSourceRanges` to the partner or office ranges that need it.',
  references: { pci: ['1.3.1', '1.4.2'], like: 'kube-linter exposed-services' },
  check(object, context) {
    if (object.kind !== 'Service') return;
    const namespace = namespaceOf(object);
    const pci = context.workspace.isPciNamespace(namespace);
    const type = asString(getIn(object.value, ['spec', 'type']));
    if (type !== 'NodePort' && type !== 'LoadBalancer') return;
    // Outside the CDE an exposed Service is worth knowing about, not a PCI finding.
    const where = pci ? `PCI-scoped namespace "${namespace}"` : `namespace "${namespace}"`;
    const report = (path: Path, message: string) =>
      context.report(pci ? { path, message, related: pciScopeRelated(context.workspace, namespace) } : { path, message, severity: 'info' });
    if (type === 'NodePort') {
      report(
        objectPath(object, 'spec', 'type'),
        `Service "${object.name}" in ${where} is a NodePort: it opens a port on every node, with no source allow-list.`,
      );
      return;
    }
    const ranges = asArray(getIn(object.value, ['spec', 'loadBalancerSourceRanges']));
    if (ranges.length === 0) {
      const annotation = asString(annotationsOf(object.value)[SOURCE_RANGES_ANNOTATION]);
      const annotated =
        annotation
          ?.split(',')
          .map((r) => r.trim())
          .filter(Boolean) ?? [];
      if (annotated.length > 0 && !annotated.some(isAnyAddress)) return;
      report(
        objectPath(object, 'spec', 'type'),
        `LoadBalancer Service "${object.name}" in ${where} sets no loadBalancerSourceRanges: any address can reach it.`,
      );
      return;
    }
    ranges.forEach((range, i) => {
      if (!isAnyAddress(range)) return;
      report(
        objectPath(object, 'spec', 'loadBalancerSourceRanges', i),
        `LoadBalancer Service "${object.name}" in ${where} allows ${String(range).trim()}: the allow-list admits every address.`,
      );
    });
  },
};
