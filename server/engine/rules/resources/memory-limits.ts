import type { Rule } from '../../types';
import { resourceAmountRule } from './resource-amount';

export const memoryLimits: Rule = resourceAmountRule({
  id: 'memory-limits',
  title: 'Containers should limit memory',
  severity: 'warning',
  rationale:
    'A leak in one container without a memory limit can exhaust the node and get unrelated payment, ledger or signing pods OOM-killed or evicted alongside it.',
  remediation:
    'Set `resources.limits.memory` on every container and init container, usually equal to the memory request (or give the namespace a LimitRange with a `default` limit).',
  references: { pci: [], nsa: ['Network separation and hardening: resource policies'], like: 'polaris memoryLimitsMissing' },
  kind: 'limits',
  resource: 'memory',
  noun: 'memory limit',
  consequence: 'a leak can exhaust the node and get neighbouring pods OOM-killed or evicted.',
  placeholder: '256Mi',
  limitFromRequest: 'equal',
});
