// Shared reading of Ingress objects for the ingress-tls rules: hosts, TLS entries, backends in both
// the networking.k8s.io/v1 and the older v1beta1 shapes, and which controller serves an Ingress.
import { annotationsOf, asArray, asMap, asString, getIn } from '../../objects';
import type { K8sObject, Path, WorkspaceIndex } from '../../types';

export const NGINX_PREFIX = 'nginx.ingress.kubernetes.io/';

/** Ingress in any of its API versions (networking.k8s.io/v1, v1beta1, extensions/v1beta1). */
export function isIngress(object: K8sObject): boolean {
  return object.kind === 'Ingress';
}

export function namespaceOf(object: K8sObject): string {
  return object.namespace ?? 'default';
}

/** Document path of a field of the object itself (List items live under ['items', i]). */
export function objectPath(object: K8sObject, ...rest: (string | number)[]): Path {
  return [...object.path, ...rest];
}

export function annotationPath(object: K8sObject, key: string): Path {
  return objectPath(object, 'metadata', 'annotations', key);
}

/** An annotation's value as text; annotations are strings, but hand-written YAML often says `true`. */
export function annotationText(object: K8sObject, key: string): string | undefined {
  const value = annotationsOf(object.value)[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

// ingress-nginx parses boolean annotations with Go's strconv.ParseBool.
const TRUE_VALUES = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_VALUES = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function parseBool(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (TRUE_VALUES.has(trimmed)) return true;
  if (FALSE_VALUES.has(trimmed)) return false;
  return undefined;
}

export interface IngressRule {
  /** Lower-cased host, or undefined for a rule without host (matches every host). */
  host?: string;
  /** The host as written, for messages. */
  label: string;
  path: Path;
}

export function ingressRules(object: K8sObject): IngressRule[] {
  const result: IngressRule[] = [];
  asArray(getIn(object.value, ['spec', 'rules'])).forEach((item, i) => {
    const rule = asMap(item);
    if (!rule) return;
    const host = asString(rule.host)?.trim();
    result.push({ host: host ? host.toLowerCase() : undefined, label: host || '(any host)', path: objectPath(object, 'spec', 'rules', i) });
  });
  return result;
}

export interface TlsEntry {
  /** Lower-cased hosts; empty when the entry names none (it then applies to the controller's default). */
  hosts: string[];
}

export function tlsEntries(object: K8sObject): TlsEntry[] | undefined {
  const tls = getIn(object.value, ['spec', 'tls']);
  if (!Array.isArray(tls)) return undefined;
  return tls
    .map(asMap)
    .filter((entry) => entry !== undefined)
    .map((entry) => ({
      hosts: asArray(entry.hosts)
        .map(asString)
        .filter((h): h is string => !!h && h.trim() !== '')
        .map((h) => h.trim().toLowerCase()),
    }));
}

/**
 * Whether a certificate name covers a host, as TLS does: exact match, or `*.example.com` covering
 * exactly one extra leftmost label. A wildcard rule host is covered only by the same wildcard.
 */
export function tlsHostCovers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  if (!tlsHost.startsWith('*.') || host.startsWith('*.')) return false;
  const suffix = tlsHost.slice(1);
  if (!host.endsWith(suffix)) return false;
  const label = host.slice(0, host.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

export interface Backend {
  service: string;
  port?: string | number;
  /** Path of the backend's service name key. */
  namePath: Path;
  /** Path of the backend's port key. */
  portPath: Path;
}

/** Service backends of an Ingress (v1 `service.name`/`port`, v1beta1 `serviceName`/`servicePort`). */
export function serviceBackends(object: K8sObject): Backend[] {
  const result: Backend[] = [];
  const add = (backendValue: unknown, backendPath: Path) => {
    const backend = asMap(backendValue);
    if (!backend) return;
    const service = asMap(backend.service);
    if (service) {
      const name = asString(service.name);
      if (!name) return;
      const port = asMap(service.port);
      const number = port?.number;
      result.push({
        service: name,
        port: typeof number === 'number' ? number : asString(port?.name),
        namePath: [...backendPath, 'service', 'name'],
        portPath: [...backendPath, 'service', 'port', typeof number === 'number' ? 'number' : 'name'],
      });
      return;
    }
    const legacyName = asString(backend.serviceName);
    if (!legacyName) return;
    const legacyPort = backend.servicePort;
    result.push({
      service: legacyName,
      port: typeof legacyPort === 'number' || typeof legacyPort === 'string' ? legacyPort : undefined,
      namePath: [...backendPath, 'serviceName'],
      portPath: [...backendPath, 'servicePort'],
    });
  };
  add(getIn(object.value, ['spec', 'defaultBackend']), objectPath(object, 'spec', 'defaultBackend'));
  add(getIn(object.value, ['spec', 'backend']), objectPath(object, 'spec', 'backend'));
  asArray(getIn(object.value, ['spec', 'rules'])).forEach((rule, i) => {
    asArray(getIn(rule, ['http', 'paths'])).forEach((item, j) => {
      add(getIn(item, ['backend']), objectPath(object, 'spec', 'rules', i, 'http', 'paths', j, 'backend'));
    });
  });
  return result;
}

const INGRESS_NGINX_CONTROLLER = 'k8s.io/ingress-nginx';

interface ClassIndex {
  /** IngressClass objects by name. */
  classes: Map<string, K8sObject>;
  /** The IngressClass marked default, when the workspace has one. */
  defaultClass?: K8sObject;
}

const CLASS_INDEXES = new WeakMap<WorkspaceIndex, ClassIndex>();

function classIndex(workspace: WorkspaceIndex): ClassIndex {
  let index = CLASS_INDEXES.get(workspace);
  if (!index) {
    index = { classes: new Map() };
    for (const ingressClass of workspace.ofKind('IngressClass')) {
      index.classes.set(ingressClass.name, ingressClass);
      if (annotationsOf(ingressClass.value)['ingressclass.kubernetes.io/is-default-class'] === 'true') index.defaultClass = ingressClass;
    }
    CLASS_INDEXES.set(workspace, index);
  }
  return index;
}

function controllerOf(ingressClass: K8sObject): string {
  return asString(getIn(ingressClass.value, ['spec', 'controller'])) ?? '';
}

/** The class an Ingress names (spec.ingressClassName, else the legacy annotation). */
export function classNameOf(object: K8sObject): string | undefined {
  return (
    asString(getIn(object.value, ['spec', 'ingressClassName'])) ?? asString(annotationsOf(object.value)['kubernetes.io/ingress.class'])
  );
}

/** The IngressClass of the workspace that says which controller serves the Ingress: its named class, else the default. */
export function ingressClassOf(object: K8sObject, workspace: WorkspaceIndex): K8sObject | undefined {
  const classes = classIndex(workspace);
  const className = classNameOf(object);
  return className ? classes.classes.get(className) : classes.defaultClass;
}

/**
 * Whether the community ingress-nginx controller serves this Ingress. An IngressClass defined in the
 * workspace is authoritative (a class called "nginx" may belong to F5's nginx.org controller, whose
 * annotations differ). Without one, a class name containing "nginx" or any nginx.ingress.kubernetes.io
 * annotation says so. An Ingress with no class at all counts only when the workspace's default
 * IngressClass is ingress-nginx: otherwise we cannot know which controller picks it up.
 */
export function isIngressNginx(object: K8sObject, workspace: WorkspaceIndex): boolean {
  const className = classNameOf(object);
  const ingressClass = ingressClassOf(object, workspace);
  if (className) {
    if (ingressClass) return controllerOf(ingressClass) === INGRESS_NGINX_CONTROLLER;
    if (className.toLowerCase().includes('nginx')) return true;
  } else if (ingressClass && controllerOf(ingressClass) === INGRESS_NGINX_CONTROLLER) {
    return true;
  }
  return Object.keys(annotationsOf(object.value)).some((key) => key.startsWith(NGINX_PREFIX));
}

/** The IngressClass that makes ingress-nginx serve the Ingress, when one of the workspace does. */
export function nginxClassOf(object: K8sObject, workspace: WorkspaceIndex): K8sObject | undefined {
  const ingressClass = ingressClassOf(object, workspace);
  return ingressClass && controllerOf(ingressClass) === INGRESS_NGINX_CONTROLLER ? ingressClass : undefined;
}
