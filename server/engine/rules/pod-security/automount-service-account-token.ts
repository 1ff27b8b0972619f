import { asString, podSpecOf } from '../../objects';
import type { K8sObject, RelatedReport, Rule } from '../../types';
import { objectLabel, relatedTo } from '../related';

export const automountServiceAccountToken: Rule = {
  id: 'automount-service-account-token',
  group: 'pod-security',
  title: 'Service account tokens should not be mounted by default',
  severity: 'warning',
  rationale:
    'Most payment services never call the Kubernetes API, yet an automounted token lets whoever compromises the container act with the pod’s RBAC rights, a ready foothold for moving through the cluster.',
  remediation:
    'Set `automountServiceAccountToken: false` on the pod spec or on its ServiceAccount; pods that do call the API can mount a short-lived projected token explicitly.',
  references: {
    pci: ['7.2.5'],
    cis: ['5.1.6'],
    nsa: ['Pod security: protecting Pod service account tokens'],
    like: 'polaris automountServiceAccountToken',
  },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    const own = pod.spec.automountServiceAccountToken;
    if (own === false) return;
    const path = [...pod.path, 'automountServiceAccountToken'];
    const fix = { title: 'Set automountServiceAccountToken: false', ops: [{ op: 'set' as const, path, value: false }] };
    // The pod's own setting overrides its ServiceAccount's.
    if (own === true) {
      context.report({ path, message: 'The pod sets automountServiceAccountToken: true; its containers get an API token.', fix });
      return;
    }
    const name = asString(pod.spec.serviceAccountName) || asString(pod.spec.serviceAccount) || 'default';
    const namespace = object.namespace ?? 'default';
    const account = context.workspace.find('ServiceAccount', namespace, name);
    if (account?.value.automountServiceAccountToken === false) return;
    context.report({
      path,
      message: account
        ? `The pod mounts an API token: neither it nor its ServiceAccount "${name}" sets automountServiceAccountToken: false.`
        : `The pod mounts an API token: it does not set automountServiceAccountToken: false, and its ServiceAccount "${name}" (namespace ${namespace}) is not defined in the workspace.`,
      fix,
      related: account && [accountRelated(account)],
    });
  },
};

/** The pod inherits its ServiceAccount's setting: that object is why the token is mounted. */
function accountRelated(account: K8sObject): RelatedReport {
  const setting = account.value.automountServiceAccountToken;
  return setting === undefined || setting === null
    ? relatedTo(account, `${objectLabel(account)} does not set automountServiceAccountToken: false`)
    : relatedTo(account, `${objectLabel(account)} sets automountServiceAccountToken: ${String(setting)}`, [
        ...account.path,
        'automountServiceAccountToken',
      ]);
}
