import { asArray, asMap, asString, containersOf, podSpecOf } from '../../objects';
import type { Rule } from '../../types';

export const sshPort: Rule = {
  id: 'ssh-port',
  group: 'network',
  title: 'Containers should not expose SSH',
  severity: 'warning',
  rationale:
    'An SSH daemon in a container is an unaudited administrative path into a payment workload, bypassing the deployment pipeline, RBAC and session logging.',
  remediation:
    'Remove the SSH server and port 22 from the image and the manifest; use `kubectl exec` or debug containers under RBAC and audit logging instead.',
  references: { pci: ['2.2.4', '2.2.7'], like: 'kube-linter ssh-port' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    for (const container of containersOf(pod)) {
      asArray(container.container.ports).forEach((item, i) => {
        const port = asMap(item);
        if (!port || port.containerPort !== 22) return;
        const protocol = asString(port.protocol) ?? 'TCP';
        if (protocol !== 'TCP') return;
        context.report({
          path: [...container.path, 'ports', i, 'containerPort'],
          message: `${container.label} exposes port 22 (SSH).`,
        });
      });
    }
  },
};
