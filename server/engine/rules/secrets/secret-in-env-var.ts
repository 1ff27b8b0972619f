import { asArray, asMap, asString, containersOf, podSpecOf } from '../../objects';
import type { Rule } from '../../types';

export const secretInEnvVar: Rule = {
  id: 'secret-in-env-var',
  group: 'secrets',
  title: 'Secrets should be mounted as files, not read into env vars',
  severity: 'warning',
  rationale:
    'Environment variables are inherited by every child process, dumped by crash reporters and debug endpoints, and visible in `/proc/<pid>/environ`; a Secret read into env leaks far more easily than a file, and a changed Secret never reaches a running process.',
  remediation:
    'Mount the Secret as a volume (read-only, mode 0400) and have the application read the file (`*_FILE` variables), which also lets the kubelet deliver rotated values without a restart.',
  references: { pci: ['3.6.1', '8.6.2'], cis: ['5.4.1'], like: 'kube-linter read-secret-from-env-var' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    for (const container of containersOf(pod)) {
      asArray(container.container.env).forEach((entry, i) => {
        const env = asMap(entry);
        const ref = asMap(asMap(env?.valueFrom)?.secretKeyRef);
        if (!ref) return;
        context.report({
          path: [...container.path, 'env', i, 'valueFrom', 'secretKeyRef'],
          message: `${container.label}: env var "${asString(env?.name) ?? ''}" reads key "${asString(ref.key) ?? ''}" of Secret "${asString(ref.name) ?? ''}"; mount the Secret as a file instead.`,
        });
      });
      asArray(container.container.envFrom).forEach((entry, i) => {
        const ref = asMap(asMap(entry)?.secretRef);
        if (!ref) return;
        context.report({
          path: [...container.path, 'envFrom', i, 'secretRef'],
          message: `${container.label} reads every key of Secret "${asString(ref.name) ?? ''}" into env vars; mount the Secret as a file instead.`,
        });
      });
    }
  },
};
