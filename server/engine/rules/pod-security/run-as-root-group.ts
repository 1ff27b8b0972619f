import { asArray, containersOf, getIn, podSpecOf } from '../../objects';
import type { Rule } from '../../types';

const SAFE_GID = 10001;

export const runAsRootGroup: Rule = {
  id: 'run-as-root-group',
  group: 'pod-security',
  title: 'Containers must not run with GID 0',
  severity: 'warning',
  rationale:
    'Group 0 owns much of a container image and, through fsGroup, the mounted volumes: a process in the root group can often rewrite binaries and files it should only read, which defeats non-root hardening.',
  remediation: `Set \`runAsGroup\` and \`fsGroup\` to a dedicated non-root GID (for example ${SAFE_GID}) and leave 0 out of \`supplementalGroups\`.`,
  references: { pci: ['2.2.6'] },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    for (const key of ['runAsGroup', 'fsGroup'] as const) {
      if (getIn(pod.spec, ['securityContext', key]) !== 0) continue;
      const path = [...pod.path, 'securityContext', key];
      context.report({
        path,
        message:
          key === 'fsGroup'
            ? `${object.kind} "${object.name}" sets fsGroup: 0; its volumes are owned by the root group and every container joins it.`
            : `${object.kind} "${object.name}" sets runAsGroup: 0 in the pod securityContext; containers that do not override it run with the root group.`,
        fix: { title: `Set ${key}: ${SAFE_GID}`, ops: [{ op: 'set', path, value: SAFE_GID }] },
      });
    }
    // A supplementary group 0 grants the same file access as runAsGroup: 0.
    asArray(getIn(pod.spec, ['securityContext', 'supplementalGroups'])).forEach((gid, i) => {
      if (gid !== 0) return;
      const path = [...pod.path, 'securityContext', 'supplementalGroups', i];
      context.report({
        path,
        message: `${object.kind} "${object.name}" adds the root group (0) to supplementalGroups of every container.`,
        fix: { title: 'Remove group 0 from supplementalGroups', ops: [{ op: 'delete', path }] },
      });
    });
    for (const container of containersOf(pod)) {
      if (getIn(container.container, ['securityContext', 'runAsGroup']) !== 0) continue;
      const path = [...container.path, 'securityContext', 'runAsGroup'];
      context.report({
        path,
        message: `${container.label} runs with the root group (runAsGroup: 0).`,
        fix: { title: `Set runAsGroup: ${SAFE_GID}`, ops: [{ op: 'set', path, value: SAFE_GID }] },
      });
    }
  },
};
