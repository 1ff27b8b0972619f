import { containersOf, getIn, podSpecOf } from '../../objects';
import type { Rule } from '../../types';

export const readOnlyRootFilesystem: Rule = {
  id: 'read-only-root-filesystem',
  group: 'pod-security',
  title: 'Containers should have a read-only root filesystem',
  severity: 'warning',
  rationale:
    'A writable root filesystem lets an intruder drop tools, alter binaries or plant a web shell that lives as long as the container; a read-only one keeps the running payment service identical to the reviewed image.',
  remediation:
    'Set `securityContext.readOnlyRootFilesystem: true` on each container and mount an emptyDir where the application must write (for example /tmp).',
  references: {
    pci: ['2.2.6', '11.5.2'],
    nsa: ['Pod security: immutable container file systems'],
    like: 'kube-linter no-read-only-root-fs',
  },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    // Windows does not support the setting: the API rejects it on pods with os.name windows.
    if (getIn(pod.spec, ['os', 'name']) === 'windows') return;
    for (const container of containersOf(pod)) {
      // Ephemeral containers are interactive debugging shells injected at run time, not part of the
      // workload's image; they usually need to write, and flagging them in exported Pods is noise.
      if (container.list === 'ephemeralContainers') continue;
      const value = getIn(container.container, ['securityContext', 'readOnlyRootFilesystem']);
      if (value === true) continue;
      const path = [...container.path, 'securityContext', 'readOnlyRootFilesystem'];
      context.report({
        path,
        message:
          value === undefined || value === null
            ? `${container.label} does not set readOnlyRootFilesystem: true; its root filesystem is writable.`
            : value === false
              ? `${container.label} sets readOnlyRootFilesystem: false; its root filesystem is writable.`
              : `${container.label} sets readOnlyRootFilesystem to ${JSON.stringify(value)}, not the boolean true.`,
        fix: { title: 'Set readOnlyRootFilesystem: true', ops: [{ op: 'set', path, value: true }] },
      });
    }
  },
};
