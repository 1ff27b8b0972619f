import { suppressionAnnotations } from '../../suppress';
import type { Rule } from '../../types';

// The comment form is checked by the engine, which sees comments; this rule checks annotations.
export const SUPPRESSION_WITHOUT_REASON: Rule = {
  id: 'suppression-without-reason',
  group: 'meta',
  title: 'Suppression without a reason',
  severity: 'warning',
  rationale:
    'A silenced finding is an accepted risk. Without a written reason, reviewers and assessors cannot tell a considered exception from a convenient one.',
  remediation: 'Give the reason: `ignore.fintech-k8s.io/<rule-id>: "<why>"` or `# fintech-k8s-ignore <rule-id>: <why>`.',
  references: { pci: ['12.3.1'] },
  check(object, context) {
    for (const { key, ruleId, reason } of suppressionAnnotations(object)) {
      if (reason || !context.knownRuleIds.has(ruleId)) continue;
      context.report({
        path: [...object.path, 'metadata', 'annotations', key],
        message: `Suppression of ${ruleId} gives no reason: set the annotation's value to why this is acceptable, so reviewers and auditors can judge it.`,
      });
    }
  },
};
