import type { Rule } from '../../types';
import { resourceAmountRule } from './resource-amount';

export const memoryRequests: Rule = resourceAmountRule({
  id: 'memory-requests',
  title: 'Containers should request memory',
  severity: 'warning',
  rationale:
    'A container without a memory request can be packed onto a node that cannot hold it, and it is among the first evicted under memory pressure, taking in-flight payments with it.',
  remediation:
    'Set `resources.requests.memory` on every container and init container to its measured working set (or give the namespace a LimitRange with a `defaultRequest`).',
  references: { pci: [], nsa: ['Network separation and hardening: resource policies'], like: 'polaris memoryRequestsMissing' },
  kind: 'requests',
  resource: 'memory',
  noun: 'memory request',
  consequence: 'the scheduler reserves no memory for it, and it is among the first pods evicted under memory pressure.',
  placeholder: '128Mi',
});
