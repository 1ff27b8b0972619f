import { labelsOf, podSpecOf } from '../../objects';
import type { FixOp, Rule } from '../../types';
import { pciScopeRelated } from '../related';

/** Placeholders the reviewer replaces; valid label values, and easy to grep for. */
const PLACEHOLDERS: Record<string, string> = { owner: 'TODO-team', 'data-classification': 'TODO-classification' };

export const pciScopeLabel: Rule = {
  id: 'pci-scope-label',
  group: 'payments',
  title: 'PCI workloads must carry owner and data-classification labels',
  severity: 'warning',
  rationale:
    'PCI DSS asks for an inventory of system components in scope with an accountable owner; an owner and a data-classification label on every CDE workload make that inventory a label query instead of a spreadsheet.',
  remediation:
    'Add `owner: <team>` and `data-classification: <cardholder-data | confidential | internal…>` labels to the workload’s metadata.',
  references: { pci: ['1.2.7', '12.5.1'] },
  check(object, context) {
    if (!podSpecOf(object) || !context.workspace.isPciNamespace(object.namespace)) return;
    const labels = labelsOf(object.value);
    const missing = Object.keys(PLACEHOLDERS).filter((key) => !labels[key]?.trim());
    if (missing.length === 0) return;
    const labelsPath = [...object.path, 'metadata', 'labels'];
    const ops: FixOp[] = missing.map((key) => ({ op: 'set', path: [...labelsPath, key], value: PLACEHOLDERS[key] }));
    context.report({
      path: labelsPath,
      message: `${object.kind} "${object.name}" in PCI namespace "${object.namespace ?? 'default'}" has no ${missing.join(' or ')} label.`,
      fix: { title: `Add ${missing.join(' and ')} label${missing.length > 1 ? 's' : ''} (placeholder values: edit them)`, ops },
      related: pciScopeRelated(context.workspace, object.namespace),
    });
  },
};
