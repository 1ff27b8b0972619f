import { containersOf, getIn, podSpecOf } from '../../objects';
import type { Rule } from '../../types';

const SAFE_UID = 10001;

export const runAsRootUser: Rule = {
  id: 'run-as-root-user',
  group: 'pod-security',
  title: 'Containers must not run as UID 0',
  severity: 'error',
  rationale:
    'runAsUser: 0 forces root inside the container whatever the image says: a kernel or runtime flaw then gives root on the node, and on every payment workload it hosts.',
  remediation: `Set \`runAsUser\` to a dedicated non-root UID (for example ${SAFE_UID}) and \`runAsNonRoot: true\`; make files the process writes owned by that UID in the image.`,
  references: { pci: ['2.2.6'], cis: ['5.2.7'], nsa: ['Pod security: non-root containers'], pss: 'restricted' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    // The pod-level value is reported even when every container overrides it: containers added later,
    // such as `kubectl debug` ephemeral containers, inherit it.
    if (getIn(pod.spec, ['securityContext', 'runAsUser']) === 0) {
      const path = [...pod.path, 'securityContext', 'runAsUser'];
      context.report({
        path,
        message: `${object.kind} "${object.name}" sets runAsUser: 0 in the pod securityContext; every container that does not override it runs as root.`,
        fix: { title: `Set runAsUser: ${SAFE_UID}`, ops: [{ op: 'set', path, value: SAFE_UID }] },
      });
    }
    for (const container of containersOf(pod)) {
      if (getIn(container.container, ['securityContext', 'runAsUser']) !== 0) continue;
      const path = [...container.path, 'securityContext', 'runAsUser'];
      context.report({
        path,
        message: `${container.label} runs as root (runAsUser: 0).`,
        fix: { title: `Set runAsUser: ${SAFE_UID}`, ops: [{ op: 'set', path, value: SAFE_UID }] },
      });
    }
  },
};
