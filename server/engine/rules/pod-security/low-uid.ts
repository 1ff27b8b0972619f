import { containersOf, getIn, podSpecOf } from '../../objects';
import type { Rule } from '../../types';

const MIN_UID = 10000;
const SAFE_UID = 10001;

/** Set, and low enough to clash with node accounts, but not 0: run-as-root-user owns that. */
function isLowUid(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < MIN_UID;
}

export const lowUid: Rule = {
  id: 'low-uid',
  group: 'pod-security',
  title: `Containers should run with a UID of ${MIN_UID} or more`,
  severity: 'info',
  rationale:
    'UIDs below 10000 are the ones node and image accounts use: a container escape lands with the identity, files and permissions of whatever system user shares that number on the host.',
  remediation: `Run as a UID of ${MIN_UID} or above (for example ${SAFE_UID}) that no host account uses, set in the pod or container securityContext and in the image.`,
  references: { pci: ['2.2.6'], like: 'kubesec RunAsUser' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    const containers = containersOf(pod);
    // The container's own runAsUser wins; the pod's value matters only if some container inherits it.
    const podUid = getIn(pod.spec, ['securityContext', 'runAsUser']);
    const inherited = containers.some((c) => getIn(c.container, ['securityContext', 'runAsUser']) == null);
    if (isLowUid(podUid) && inherited) {
      const path = [...pod.path, 'securityContext', 'runAsUser'];
      context.report({
        path,
        message: `${object.kind} "${object.name}" runs its containers as UID ${podUid} (pod securityContext), below ${MIN_UID}: it may match a user on the node.`,
        fix: { title: `Set runAsUser: ${SAFE_UID}`, ops: [{ op: 'set', path, value: SAFE_UID }] },
      });
    }
    for (const container of containers) {
      const uid = getIn(container.container, ['securityContext', 'runAsUser']);
      if (!isLowUid(uid)) continue;
      const path = [...container.path, 'securityContext', 'runAsUser'];
      context.report({
        path,
        message: `${container.label} runs as UID ${uid}, below ${MIN_UID}: it may match a user on the node.`,
        fix: { title: `Set runAsUser: ${SAFE_UID}`, ops: [{ op: 'set', path, value: SAFE_UID }] },
      });
    }
  },
};
