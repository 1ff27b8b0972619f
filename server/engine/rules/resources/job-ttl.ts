import { getIn } from '../../objects';
import type { Rule } from '../../types';
import { objectPath } from './workloads';

export const jobTtl: Rule = {
  id: 'job-ttl',
  group: 'resources',
  title: 'Jobs should be cleaned up after they finish',
  severity: 'info',
  rationale:
    'Finished Jobs and their pods stay in the cluster forever unless something deletes them, piling up objects in etcd and keeping stale pods (and whatever they mounted) around long after a batch or reconciliation run.',
  remediation:
    'Set `spec.ttlSecondsAfterFinished` on Jobs, long enough to ship their logs (e.g. 86400). CronJobs are exempt: their history limits clean up the Jobs they create.',
  references: { pci: [], like: 'kube-linter job-ttl-seconds-after-finished' },
  check(object, context) {
    // CronJob-created Jobs are pruned by successfulJobsHistoryLimit / failedJobsHistoryLimit.
    if (object.kind !== 'Job') return;
    const ttl = getIn(object.value, ['spec', 'ttlSecondsAfterFinished']);
    if (ttl !== undefined && ttl !== null) return;
    const path = objectPath(object, 'spec', 'ttlSecondsAfterFinished');
    context.report({
      path,
      message: `Job "${object.name}" sets no ttlSecondsAfterFinished: it and its pods stay in the cluster after it finishes.`,
      fix: { title: 'Set ttlSecondsAfterFinished: 86400 (one day)', ops: [{ op: 'set', path, value: 86400 }] },
    });
  },
};
