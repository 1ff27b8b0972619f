import { suppressionAnnotations } from '../../suppress';
import type { Rule } from '../../types';

// The comment form is checked by the engine, which sees comments; this rule checks annotations.
export const UNKNOWN_RULE_IN_SUPPRESSION: Rule = {
  id: 'unknown-rule-in-suppression',
  group: 'meta',
  title: 'Suppression names an unknown rule',
  severity: 'warning',
  rationale: 'A suppression with a misspelt or retired rule id silences nothing, while its author believes a risk is handled.',
  remediation: 'Use a rule id from `fintech-k8s scan --list-rules`, or remove the suppression.',
  references: { pci: ['12.3.1'] },
  check(object, context) {
    for (const { key, ruleId } of suppressionAnnotations(object)) {
      if (context.knownRuleIds.has(ruleId)) continue;
      context.report({
        path: [...object.path, 'metadata', 'annotations', key],
        message: `Suppression names "${ruleId}", which is not a Fintech K8s rule id: it silences nothing.`,
      });
    }
  },
};
