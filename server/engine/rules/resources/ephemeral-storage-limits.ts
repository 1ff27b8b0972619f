import type { Rule } from '../../types';
import { resourceAmountRule } from './resource-amount';

export const ephemeralStorageLimits: Rule = resourceAmountRule({
  id: 'ephemeral-storage-limits',
  title: 'Containers may limit ephemeral storage',
  severity: 'info',
  rationale:
    'Logs, temp files and emptyDir writes without an ephemeral-storage limit can fill the node disk, and the kubelet then evicts every pod on that node, not just the offender.',
  remediation: 'Set `resources.limits.ephemeral-storage` on every container and init container (or a LimitRange `default`).',
  references: { pci: [] },
  kind: 'limits',
  resource: 'ephemeral-storage',
  noun: 'ephemeral-storage limit',
  consequence: 'logs or temp files can fill the node disk and get every pod on it evicted.',
  placeholder: '1Gi',
  limitFromRequest: 'at-least',
});
