import { getIn } from '../../objects';
import type { FixOp, Rule } from '../../types';
import { objectPath } from './workloads';

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export const cronjobConcurrency: Rule = {
  id: 'cronjob-concurrency',
  group: 'resources',
  title: 'CronJobs must not overlap or start late',
  severity: 'warning',
  rationale:
    'A settlement, payout or reconciliation CronJob that overlaps its previous run, or starts hours late after a controller outage, can book the same batch twice.',
  remediation:
    'Set `concurrencyPolicy: Forbid` and bound late or hung runs with `startingDeadlineSeconds` (or the Job template’s `activeDeadlineSeconds`); make the job idempotent regardless.',
  references: { pci: [] },
  check(object, context) {
    if (object.kind !== 'CronJob') return;
    const policy = getIn(object.value, ['spec', 'concurrencyPolicy']);
    const forbid = policy === 'Forbid';
    const bounded =
      isSet(getIn(object.value, ['spec', 'startingDeadlineSeconds'])) ||
      isSet(getIn(object.value, ['spec', 'jobTemplate', 'spec', 'activeDeadlineSeconds']));
    if (forbid && bounded) return;

    const policyPath = objectPath(object, 'spec', 'concurrencyPolicy');
    const deadlinePath = objectPath(object, 'spec', 'startingDeadlineSeconds');
    const problems: string[] = [];
    const ops: FixOp[] = [];
    if (!forbid) {
      problems.push(
        !isSet(policy)
          ? 'concurrencyPolicy defaults to Allow, so runs may overlap'
          : policy === 'Replace'
            ? 'concurrencyPolicy: Replace kills a running batch half-way when the next one starts'
            : `concurrencyPolicy: ${String(policy)} lets runs overlap`,
      );
      ops.push({ op: 'set', path: policyPath, value: 'Forbid' });
    }
    if (!bounded) {
      problems.push('neither startingDeadlineSeconds nor activeDeadlineSeconds is set, so a missed run may start hours late');
      ops.push({ op: 'set', path: deadlinePath, value: 300 });
    }
    context.report({
      path: forbid ? deadlinePath : policyPath,
      message: `CronJob "${object.name}": ${problems.join('; ')} (double-run risk for settlement jobs).`,
      fix: {
        title: forbid
          ? 'Set startingDeadlineSeconds: 300'
          : bounded
            ? 'Set concurrencyPolicy: Forbid'
            : 'Set concurrencyPolicy: Forbid and startingDeadlineSeconds: 300',
        ops,
      },
    });
  },
};
