import type { Rule } from '../../types';
import { removedApi } from './deprecated-apis';

export const deprecatedApiVersion: Rule = {
  id: 'deprecated-api-version',
  group: 'images',
  title: 'Manifests must not use removed API versions',
  severity: 'error',
  rationale:
    'A manifest written against an API version the cluster no longer serves fails to apply, often during an urgent change or a cluster upgrade, and usually means the workload has not been reviewed against current security defaults.',
  remediation: 'Move the object to the replacement apiVersion named in the message, adjusting the fields whose schema changed.',
  references: { pci: ['6.3.3'], like: 'kube-linter no-extensions-v1beta' },
  check(object, context) {
    const removed = removedApi(object.apiVersion, object.kind);
    if (!removed) return;
    const path = [...object.path, 'apiVersion'];
    const where = `${object.apiVersion} ${object.kind} was removed in Kubernetes ${removed.removedIn}`;
    const fixable = removed.fix && removed.replacement !== null && (removed.fixableWhen?.(object.value) ?? true);
    const message =
      removed.replacement === null
        ? `${where} and has no replacement: ${removed.note ?? 'remove it'}.`
        : `${where}: use ${removed.replacement}${removed.note && !fixable ? `; ${removed.note}` : ''}.`;
    context.report({
      path,
      message,
      fix: fixable
        ? { title: `Change apiVersion to ${removed.replacement}`, ops: [{ op: 'set', path, value: removed.replacement }] }
        : undefined,
    });
  },
};
