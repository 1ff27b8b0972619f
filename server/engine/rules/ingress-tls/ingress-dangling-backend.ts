import { asArray, asMap, asString, getIn } from '../../objects';
import type { K8sObject, Rule, WorkspaceIndex } from '../../types';
import { nearestTo, relativeFile } from '../../nearest';
import { objectLabel, relatedTo } from '../related';
import { isIngress, namespaceOf, serviceBackends } from './ingress';

interface ServiceInfo {
  object: K8sObject;
  ports: Set<number>;
  portNames: Set<string>;
}

/** Services by namespace, then name (every definition: variant folders repeat them); built once per workspace index. */
const SERVICES = new WeakMap<WorkspaceIndex, Map<string, Map<string, ServiceInfo[]>>>();

function servicesOf(workspace: WorkspaceIndex): Map<string, Map<string, ServiceInfo[]>> {
  let byNamespace = SERVICES.get(workspace);
  if (!byNamespace) {
    byNamespace = new Map();
    for (const service of workspace.ofKind('Service')) {
      const namespace = namespaceOf(service);
      let services = byNamespace.get(namespace);
      if (!services) byNamespace.set(namespace, (services = new Map()));
      const info: ServiceInfo = { object: service, ports: new Set(), portNames: new Set() };
      for (const item of asArray(getIn(service.value, ['spec', 'ports']))) {
        const port = asMap(item);
        if (typeof port?.port === 'number') info.ports.add(port.port);
        const name = asString(port?.name);
        if (name) info.portNames.add(name);
      }
      const definitions = services.get(service.name);
      if (definitions) definitions.push(info);
      else services.set(service.name, [info]);
    }
    SERVICES.set(workspace, byNamespace);
  }
  return byNamespace;
}

/** The AWS Load Balancer Controller's action backends name an annotation, not a Service. */
function isAnnotationAction(object: K8sObject, service: string, port: string | number | undefined): boolean {
  return (
    port === 'use-annotation' ||
    getIn(object.value, ['metadata', 'annotations', `alb.ingress.kubernetes.io/actions.${service}`]) !== undefined
  );
}

/** `ports 80 ("http"), 443`: what the backend could have named. */
function portList(service: K8sObject): string {
  const ports = asArray(getIn(service.value, ['spec', 'ports'])).flatMap((item) => {
    const port = asMap(item);
    if (!port) return [];
    const name = asString(port.name);
    return [name ? `${String(port.port)} ("${name}")` : String(port.port)];
  });
  return ports.length ? `port${ports.length === 1 ? '' : 's'} ${ports.join(', ')}` : 'no ports';
}

function portsPath(service: K8sObject): (string | number)[] {
  return getIn(service.value, ['spec', 'ports']) === undefined ? [...service.path, 'metadata', 'name'] : [...service.path, 'spec', 'ports'];
}

export const ingressDanglingBackend: Rule = {
  id: 'ingress-dangling-backend',
  group: 'ingress-tls',
  title: 'Ingress backends must name an existing Service and port',
  severity: 'warning',
  rationale:
    'A backend pointing at a missing Service or port answers 503 on a payment route, and a Service created later under that name, by anyone with rights in the namespace, silently receives customer traffic.',
  remediation: 'Point the backend at a Service (and one of its ports) that the same manifests define, or remove the stale path.',
  references: { pci: [], like: 'kube-linter dangling-ingress' },
  check(object, context) {
    if (!isIngress(object)) return;
    // Conservative: when the workspace holds no Service at all in the Ingress's namespace, the
    // Services are deployed from elsewhere (another repo, a Helm chart) and we cannot judge.
    const services = servicesOf(context.workspace).get(namespaceOf(object));
    if (!services) return;
    for (const backend of serviceBackends(object)) {
      if (isAnnotationAction(object, backend.service, backend.port)) continue;
      const definitions = services.get(backend.service) ?? [];
      // The definition nearest the Ingress: its own variant folder's copy, not another variant's.
      const service = nearestTo(
        object.file,
        definitions.map((info) => ({ file: info.object.file, info })),
      )?.info;
      if (!service) {
        context.report({
          path: backend.namePath,
          message: `Ingress "${object.name}" routes to Service "${backend.service}", which is not defined in namespace ${namespaceOf(object)} in the workspace.`,
        });
        continue;
      }
      const port = backend.port;
      if (port === undefined) continue;
      // v1beta1 servicePort may be a number written as a string.
      const known = typeof port === 'number' || /^\d+$/.test(port) ? service.ports.has(Number(port)) : service.portNames.has(port);
      if (known) continue;
      context.report({
        path: backend.portPath,
        message: `Ingress "${object.name}" routes to port ${typeof port === 'number' ? port : `"${port}"`} of Service "${backend.service}", which declares no such port.`,
        related: [
          relatedTo(
            service.object,
            `${objectLabel(service.object)} in ${relativeFile(object.file, service.object.file)}${definitions.length > 1 ? ` (the nearest of ${definitions.length} definitions)` : ''} declares ${portList(service.object)}`,
            portsPath(service.object),
          ),
        ],
      });
    }
  },
};
