import { asMap, containersOf, getIn, podSpecOf, type ContainerAt } from '../../objects';
import type { Path, Rule } from '../../types';

const ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);
const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const SEC_TYPE: Path = ['securityContext', 'seccompProfile', 'type'];

const isSet = (value: unknown) => value !== undefined && value !== null;

export const seccompProfile: Rule = {
  id: 'seccomp-profile',
  group: 'pod-security',
  title: 'Containers must run with the RuntimeDefault or a Localhost seccomp profile',
  severity: 'error',
  rationale:
    'Without a seccomp profile a container can call every syscall the kernel offers, so a compromised payment service reaches the kernel bugs that container escapes are built on; most workloads need only a small fraction of them.',
  remediation:
    'Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (or `Localhost` with a reviewed profile), never `Unconfined`, and drop the legacy `seccomp.security.alpha.kubernetes.io` annotations.',
  references: { pci: ['2.2.6'], cis: ['5.7.2'], nsa: ['Hardening container environments: seccomp'], pss: 'restricted' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    const podPath = [...pod.path, ...SEC_TYPE];
    const podType = getIn(pod.spec, SEC_TYPE);
    if (isSet(podType) && !ALLOWED_TYPES.has(String(podType))) {
      context.report({
        path: podPath,
        message: `The pod sets seccompProfile.type: ${String(podType)}; every container without its own profile runs without syscall filtering.`,
        fix: { title: 'Set seccompProfile.type: RuntimeDefault', ops: [{ op: 'set', path: podPath, value: 'RuntimeDefault' }] },
      });
    }

    const containers = containersOf(pod);
    const unprotected: ContainerAt[] = [];
    for (const container of containers) {
      const own = getIn(container.container, SEC_TYPE);
      if (!isSet(own)) {
        // A bad pod-level value was reported above; only a missing one leaves the container unprotected silently.
        if (!isSet(podType)) unprotected.push(container);
        continue;
      }
      if (ALLOWED_TYPES.has(String(own))) continue;
      const path = [...container.path, ...SEC_TYPE];
      context.report({
        path,
        message: `${container.label} sets seccompProfile.type: ${String(own)}; it runs without syscall filtering.`,
        fix: { title: 'Set seccompProfile.type: RuntimeDefault', ops: [{ op: 'set', path, value: 'RuntimeDefault' }] },
      });
    }

    // Windows has no seccomp; the restricted profile exempts pods that declare os.name: windows.
    const windows = getIn(pod.spec, ['os', 'name']) === 'windows';
    if (!windows && unprotected.length > 0) {
      if (unprotected.length === containers.length) {
        context.report({
          path: podPath,
          message: 'No seccomp profile: neither the pod nor its containers set seccompProfile.type, so they run Unconfined.',
          fix: {
            title: 'Set seccompProfile.type: RuntimeDefault on the pod',
            ops: [{ op: 'set', path: podPath, value: 'RuntimeDefault' }],
          },
        });
      } else {
        // Some containers already carry their own profile: fix only the ones left out.
        for (const container of unprotected) {
          const path = [...container.path, ...SEC_TYPE];
          context.report({
            path,
            message: `${container.label} has no seccomp profile (neither it nor the pod sets seccompProfile.type), so it runs Unconfined.`,
            fix: { title: 'Set seccompProfile.type: RuntimeDefault', ops: [{ op: 'set', path, value: 'RuntimeDefault' }] },
          });
        }
      }
    }

    // Legacy annotations (before 1.19): still evaluated by older Pod Security policy versions.
    const annotations = asMap(pod.metadata.annotations) ?? {};
    const legacy: { key: string; owner: string }[] = [{ key: POD_ANNOTATION, owner: 'The pod' }];
    for (const container of containers) legacy.push({ key: CONTAINER_ANNOTATION_PREFIX + container.name, owner: container.label });
    for (const { key, owner } of legacy) {
      if (annotations[key] !== 'unconfined') continue;
      const path = [...pod.metadataPath, 'annotations', key];
      context.report({
        path,
        message: `${owner} is marked seccomp unconfined by the legacy annotation ${key}; use securityContext.seccompProfile instead.`,
        fix: { title: 'Set the annotation to runtime/default', ops: [{ op: 'set', path, value: 'runtime/default' }] },
      });
    }
  },
};
