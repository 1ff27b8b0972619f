import type { Rule } from '../../types';
import { resourceAmountRule } from './resource-amount';

export const cpuLimits: Rule = resourceAmountRule({
  id: 'cpu-limits',
  title: 'Containers may limit CPU',
  severity: 'info',
  rationale:
    'Without a CPU limit a runaway container can take every idle core on its node; many teams drop CPU limits on purpose to avoid throttling, so this is informational.',
  remediation:
    'Set `resources.limits.cpu` where noisy neighbours are a concern (or a LimitRange `default`), or silence this rule if your platform deliberately runs without CPU limits.',
  references: { pci: [], nsa: ['Network separation and hardening: resource policies'], like: 'polaris cpuLimitsMissing' },
  kind: 'limits',
  resource: 'cpu',
  noun: 'CPU limit',
  consequence: 'a runaway process can take every idle core on its node.',
  placeholder: '500m',
  limitFromRequest: 'at-least',
});
