// What log tailing reads from a pod: its name, the containers to show, whether each has a log yet or is
// over for good, and the list query that finds the target's pods.
import type { V1Pod } from '@kubernetes/client-node';

export type LogTarget = { namespace: string; pod: string; container?: string } | { namespace: string; labelSelector: string };

export function podsPath(namespace: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
}

export function selectorOf(target: LogTarget): { labelSelector?: string; fieldSelector?: string } {
  return 'pod' in target ? { fieldSelector: `metadata.name=${target.pod}` } : { labelSelector: target.labelSelector };
}

/** The containers to show: the one asked for, else all of the pod's (init containers are not followed). */
export function containersOf(pod: V1Pod, target: LogTarget): string[] {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  if ('pod' in target && target.container) {
    if (!names.includes(target.container)) {
      throw new Error(`Container ${target.container} is not in pod ${target.pod} (containers: ${names.join(', ') || 'none'})`);
    }
    return [target.container];
  }
  return names;
}

/** A container has a log once it has started (running now, or ran before). */
export function hasStarted(pod: V1Pod, container: string): boolean {
  const status = pod.status?.containerStatuses?.find((s) => s.name === container);
  return Boolean(status && (status.state?.running || status.state?.terminated || status.lastState?.terminated));
}

/** Terminated and not coming back: the pod is over, or its restart policy will not restart it. */
export function containerFinished(pod: V1Pod, container: string): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return true;
  const terminated = pod.status?.containerStatuses?.find((s) => s.name === container)?.state?.terminated;
  if (!terminated) return false;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  return policy === 'Never' || (policy === 'OnFailure' && terminated.exitCode === 0);
}

export function podName(pod: V1Pod): string {
  return pod.metadata?.name ?? '';
}

export function notFound(target: LogTarget): Error {
  return new Error(
    'pod' in target ? `Not found: pod ${target.pod} in namespace ${target.namespace}` : `No pods match ${target.labelSelector}`,
  );
}
