import { asArray, asMap, asString, containersOf, getIn } from '../../objects';
import type { RelatedReport, Rule } from '../../types';
import { listSome, RELATED_PER_FINDING } from '../list-some';
import { objectLabel, relatedTo } from '../related';
import { objectPath, serviceWorkloads, type Workload } from './policies';

const DIGITS = /^\d+$/;

interface Declared {
  numbers: Set<number>;
  /** "name/protocol": the endpoints controller resolves a named targetPort by name and protocol. */
  names: Set<string>;
}

function declaredPorts(workloads: Workload[]): Declared {
  const declared: Declared = { numbers: new Set(), names: new Set() };
  for (const workload of workloads) {
    for (const container of containersOf(workload.pod)) {
      // Only app containers and native sidecars (restartable init containers) serve traffic.
      if (container.list === 'ephemeralContainers') continue;
      if (container.list === 'initContainers' && container.container.restartPolicy !== 'Always') continue;
      for (const item of asArray(container.container.ports)) {
        const port = asMap(item);
        if (!port) continue;
        if (typeof port.containerPort === 'number') declared.numbers.add(port.containerPort);
        const name = asString(port.name);
        if (name) declared.names.add(`${name}/${asString(port.protocol) ?? 'TCP'}`);
      }
    }
  }
  return declared;
}

/** Each selected workload and the ports it declares: the finding holds because of what they say. */
function workloadsRelated(workloads: Workload[], by: 'numbers' | 'names'): RelatedReport[] {
  return workloads.slice(0, RELATED_PER_FINDING).map((workload) => {
    const own = declaredPorts([workload]);
    const ports =
      by === 'numbers'
        ? [...own.numbers].sort((a, b) => a - b).map(String)
        : [...own.names].map((n) => `"${n.slice(0, n.lastIndexOf('/'))}" (${n.slice(n.lastIndexOf('/') + 1)})`);
    const what = ports.length
      ? `declares ${by === 'numbers' ? 'container ports' : 'named ports'} ${listSome(ports)}`
      : `declares no ${by === 'numbers' ? 'container' : 'named'} port`;
    return relatedTo(workload.object, `${objectLabel(workload.object)} ${what}`, [...workload.pod.path, 'containers']);
  });
}

export const serviceTargetPort: Rule = {
  id: 'service-target-port',
  group: 'network',
  title: 'Service targetPort must be a port the selected pods declare',
  severity: 'error',
  rationale:
    'A targetPort that no selected container declares sends traffic nowhere (a named port) or to a port nothing listens on: the payment endpoint is down although every pod is healthy.',
  remediation: 'Set `targetPort` to a port name or number declared under `ports` of the containers the Service selects.',
  references: { pci: [], like: 'kube-linter invalid-target-ports' },
  check(object, context) {
    if (object.kind !== 'Service') return;
    const workloads = serviceWorkloads(object, context.workspace);
    // No selected workload in the workspace: dangling-service speaks for that case.
    if (!workloads || workloads.length === 0) return;
    const declared = declaredPorts(workloads);
    const names = listSome(workloads.map((w) => `${w.object.kind} "${w.object.name}"`));
    asArray(getIn(object.value, ['spec', 'ports'])).forEach((item, i) => {
      const port = asMap(item);
      if (!port) return;
      const protocol = asString(port.protocol) ?? 'TCP';
      let target = port.targetPort;
      let path = objectPath(object, 'spec', 'ports', i, 'targetPort');
      let implicit = false;
      if (target === undefined || target === null || target === '') {
        // targetPort defaults to port.
        target = port.port;
        path = objectPath(object, 'spec', 'ports', i, 'port');
        implicit = true;
      }
      if (typeof target === 'string' && DIGITS.test(target)) target = Number(target);
      if (typeof target === 'number') {
        // Declaring container ports is optional; a number is only checkable when the pods declare some.
        if (declared.numbers.size === 0 || declared.numbers.has(target)) return;
        context.report({
          path,
          message: `Service "${object.name}" ${implicit ? `targets port ${target} (targetPort defaults to port)` : `targetPort ${target}`}, which no container of ${names} declares (they declare ${listSome([...declared.numbers].sort((a, b) => a - b).map(String))}).`,
          related: workloadsRelated(workloads, 'numbers'),
        });
        return;
      }
      if (typeof target !== 'string') return;
      if (declared.names.has(`${target}/${protocol}`)) return;
      context.report({
        path,
        message: `Service "${object.name}" targetPort "${target}" (${protocol}) names no port declared by a container of ${names}: the Service gets no endpoints for it.`,
        related: workloadsRelated(workloads, 'names'),
      });
    });
  },
};
