import { asArray, containersOf, getIn, podSpecOf } from '../../objects';
import type { Report, Rule } from '../../types';

export const allowPrivilegeEscalation: Rule = {
  id: 'allow-privilege-escalation',
  group: 'pod-security',
  title: 'Containers must set allowPrivilegeEscalation: false',
  severity: 'error',
  rationale:
    'Unless allowPrivilegeEscalation is false, a set-user-ID binary in the image lets a compromised process gain more privileges than the container was started with, turning an application bug into root.',
  remediation: 'Set `securityContext.allowPrivilegeEscalation: false` on every container (there is no pod-level field).',
  references: { pci: ['2.2.6', '7.2.5'], cis: ['5.2.6'], pss: 'restricted', like: 'kube-linter privilege-escalation-container' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    // Windows has no such setting: the API rejects it on pods with os.name windows, and Pod Security exempts them.
    if (getIn(pod.spec, ['os', 'name']) === 'windows') return;
    for (const container of containersOf(pod)) {
      const securityContext = container.container.securityContext;
      const value = getIn(securityContext, ['allowPrivilegeEscalation']);
      if (value === false) continue;
      const path = [...container.path, 'securityContext', 'allowPrivilegeEscalation'];
      const report: Report = {
        path,
        message:
          value === undefined || value === null
            ? `${container.label} does not set allowPrivilegeEscalation: false; it defaults to true.`
            : value === true
              ? `${container.label} sets allowPrivilegeEscalation: true; its processes can gain privileges through set-user-ID binaries.`
              : `${container.label} sets allowPrivilegeEscalation to ${JSON.stringify(value)}, not the boolean false.`,
      };
      // The API server refuses false next to privileged: true or an added "CAP_SYS_ADMIN": the container
      // escalates by design, so the remedy is dropping that first (privileged-container, dangerous-capabilities).
      const privileged = getIn(securityContext, ['privileged']) === true;
      const sysAdmin = asArray(getIn(securityContext, ['capabilities', 'add'])).includes('CAP_SYS_ADMIN');
      if (privileged || sysAdmin) {
        report.message += ` It ${privileged ? 'runs privileged' : 'adds CAP_SYS_ADMIN'}, which implies escalation; remove that before setting false.`;
      } else {
        report.fix = { title: 'Set allowPrivilegeEscalation: false', ops: [{ op: 'set', path, value: false }] };
      }
      context.report(report);
    }
  },
};
