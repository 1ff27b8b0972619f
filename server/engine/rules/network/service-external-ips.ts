import { asArray, getIn } from '../../objects';
import type { Rule } from '../../types';
import { objectPath } from './policies';

export const serviceExternalIps: Rule = {
  id: 'service-external-ips',
  group: 'network',
  title: 'Services must not set externalIPs',
  severity: 'error',
  rationale:
    'Any user who can create a Service with `externalIPs` can intercept traffic the cluster sends to those addresses (CVE-2020-8554), e.g. calls from payment pods to a card network or bank endpoint.',
  remediation:
    'Remove `externalIPs`; expose the service through an Ingress or a LoadBalancer, and block the field cluster-wide with an admission policy (e.g. the DenyServiceExternalIPs admission plugin).',
  references: { pci: ['1.3.1'] },
  check(object, context) {
    if (object.kind !== 'Service') return;
    const ips = asArray(getIn(object.value, ['spec', 'externalIPs']));
    if (ips.length === 0) return;
    context.report({
      path: objectPath(object, 'spec', 'externalIPs'),
      message: `Service "${object.name}" sets externalIPs (${ips.map(String).join(', ')}): traffic to those addresses can be intercepted cluster-wide (CVE-2020-8554).`,
    });
  },
};
