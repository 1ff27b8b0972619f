// The varied corpus the peers comparison scans (the throughput corpus is the plain bench's, from
// ../bench-corpus): workloads, Services, Ingresses, RBAC, Secrets, ConfigMaps and NetworkPolicies whose
// deterministic variation exercises each overlapping check from both sides. Every object's kind/name is
// unique, since kubeconform and Polaris report objects by kind and name only.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Corpus } from '../bench-corpus';

/** Deterministic pseudo-random numbers: the same corpus on every run and machine. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

type Obj = Record<string, unknown>;
type Pick = <T>(options: readonly T[]) => T;

const DIGEST = 'sha256:4c7a5b1e2f3d9a8c6b5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a';
const IMAGES = [
  'nginx',
  'nginx:latest',
  'registry.example.com/payments/api:1.4.2',
  `registry.example.com/payments/api@${DIGEST}`,
  `registry.example.com/payments/api:1.4.2@${DIGEST}`,
  'registry.example.com:5000/ledger/worker',
  'ghcr.io/example/settlement:v2.0.1',
];
const NAMESPACES = [undefined, 'default', 'payments', 'ledger', 'web'];

function containerSecurityContext(pick: Pick, chance: (p: number) => boolean): Obj | undefined {
  if (chance(0.2)) return undefined;
  const sc: Obj = {};
  const set = (key: string, options: readonly unknown[]) => {
    const value = pick(options);
    if (value !== undefined) sc[key] = value;
  };
  set('privileged', [undefined, undefined, undefined, undefined, false, true]);
  set('allowPrivilegeEscalation', [undefined, false, false, true]);
  set('readOnlyRootFilesystem', [undefined, true, true, false]);
  set('runAsNonRoot', [undefined, undefined, true, false]);
  set('runAsUser', [undefined, undefined, undefined, 0, 1000, 10001]);
  set('capabilities', [
    undefined,
    { drop: ['ALL'] },
    { drop: ['ALL'] },
    { drop: ['NET_RAW'] },
    { add: ['SYS_ADMIN'] },
    { add: ['NET_ADMIN'], drop: ['ALL'] },
    { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
  ]);
  set('seccompProfile', [undefined, undefined, { type: 'RuntimeDefault' }, { type: 'Unconfined' }]);
  return sc;
}

function container(name: string, pick: Pick, chance: (p: number) => boolean, probes: boolean): Obj {
  const c: Obj = { name, image: pick(IMAGES) };
  const pull = pick([undefined, undefined, 'Always', 'IfNotPresent', 'Never']);
  if (pull) c.imagePullPolicy = pull;
  const port = 8000 + Math.floor(pick([0, 1, 2, 3]) * 10);
  c.ports = [{ containerPort: port, ...(chance(0.1) ? { hostPort: port } : {}) }];
  const resources = pick([
    undefined,
    { requests: { cpu: '100m', memory: '128Mi' } },
    { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    { limits: { cpu: 1, memory: '1Gi' } },
    { requests: { memory: '64Mi' } },
  ]);
  if (resources) c.resources = resources;
  if (probes && chance(0.6)) c.livenessProbe = { httpGet: { path: '/healthz', port } };
  if (probes && chance(0.6)) c.readinessProbe = { httpGet: { path: '/ready', port } };
  const env = pick([
    undefined,
    undefined,
    { env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } }] },
    { envFrom: [{ secretRef: { name: 'api-keys' } }] },
    { env: [{ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level' } } }] },
    { env: [{ name: 'API_TOKEN', value: 'tok_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0' }] },
  ]);
  if (env) Object.assign(c, env);
  const sc = containerSecurityContext(pick, chance);
  if (sc) c.securityContext = sc;
  return c;
}

/** A pod spec with one or two containers, sometimes an init container, host namespaces and volumes. */
function podSpec(pick: Pick, chance: (p: number) => boolean, probes: boolean): Obj {
  const spec: Obj = {};
  const podSc = pick([
    undefined,
    undefined,
    { runAsNonRoot: true },
    { runAsUser: 0 },
    { runAsUser: 1000 },
    { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  ]);
  if (podSc) spec.securityContext = podSc;
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
    const value = pick([undefined, undefined, undefined, undefined, undefined, undefined, false, true]);
    if (value !== undefined) spec[key] = value;
  }
  const automount = pick([undefined, undefined, true, false, false]);
  if (automount !== undefined) spec.automountServiceAccountToken = automount;
  const account = pick([undefined, undefined, 'default', 'payments-api']);
  if (account) spec.serviceAccountName = account;
  if (chance(0.2)) spec.initContainers = [container('init', pick, chance, false)];
  spec.containers = [container('app', pick, chance, probes), ...(chance(0.25) ? [container('sidecar', pick, chance, probes)] : [])];
  const volume = pick([
    undefined,
    undefined,
    { name: 'scratch', emptyDir: {} },
    { name: 'docker', hostPath: { path: '/var/run/docker.sock' } },
    { name: 'data', hostPath: { path: '/data' } },
  ]);
  if (volume) spec.volumes = [volume];
  return spec;
}

function metadata(name: string, namespace: string | undefined, extra: Obj = {}): Obj {
  return { name, ...(namespace ? { namespace } : {}), ...extra };
}

/**
 * A schema mistake kubeconform and our schema-invalid should both catch, on some workloads: unknown
 * fields and missing required ones. No wrong types: Polaris stops the whole audit on a field that does
 * not unmarshal into its Go type.
 */
function breakSchema(object: Obj, spec: Obj, variant: number): void {
  const first = (spec.containers as Obj[])[0];
  if (variant === 0) first.imagePullPolicyy = 'Always';
  else if (variant === 1) (first.ports as Obj[])[0] = { name: 'http' };
  else if (variant === 2) first.resource = { requests: { cpu: '100m' } };
  else if (variant === 3) (object.metadata as Obj).labelz = { team: 'payments' };
  else spec.restartPolicyy = 'Always';
}

function workload(i: number, pick: Pick, chance: (p: number) => boolean): Obj {
  const kind = pick(['Deployment', 'Deployment', 'Deployment', 'StatefulSet', 'Pod', 'Pod', 'DaemonSet', 'Job', 'CronJob']);
  const name = `${kind.toLowerCase()}-${i}`;
  const namespace = pick(NAMESPACES);
  const long = kind !== 'Job' && kind !== 'CronJob';
  const spec = podSpec(pick, chance, long);
  if (!long) spec.restartPolicy = 'OnFailure';
  const labels = { app: name };
  const template = { metadata: { labels }, spec };
  let object: Obj;
  if (kind === 'Pod') object = { apiVersion: 'v1', kind, metadata: metadata(name, namespace, { labels }), spec };
  else if (kind === 'Job') object = { apiVersion: 'batch/v1', kind, metadata: metadata(name, namespace), spec: { template } };
  else if (kind === 'CronJob')
    object = {
      apiVersion: 'batch/v1',
      kind,
      metadata: metadata(name, namespace),
      spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template } } },
    };
  else {
    const replicas = kind === 'DaemonSet' ? undefined : pick([undefined, 1, 2, 3]);
    object = {
      apiVersion: 'apps/v1',
      kind,
      metadata: metadata(name, namespace),
      spec: {
        ...(replicas !== undefined ? { replicas } : {}),
        ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
        selector: { matchLabels: labels },
        template,
      },
    };
  }
  if (i % 17 === 5) breakSchema(object, spec, ((i / 17) % 5) | 0);
  return object;
}

function service(i: number, pick: Pick, chance: (p: number) => boolean): Obj {
  const type = pick([undefined, 'ClusterIP', 'NodePort', 'LoadBalancer']);
  const port = pick([80, 443, 22, 8545, 9090]);
  const spec: Obj = { selector: { app: `deployment-${i}` }, ports: [{ name: 'main', port, targetPort: port }] };
  if (type) spec.type = type;
  if (type === 'NodePort' && chance(0.5)) (spec.ports as Obj[])[0].nodePort = 30000 + i;
  if (chance(0.1)) spec.externalIPs = ['203.0.113.10'];
  return { apiVersion: 'v1', kind: 'Service', metadata: metadata(`service-${i}`, pick(NAMESPACES)), spec };
}

function ingress(i: number, pick: Pick, chance: (p: number) => boolean): Obj {
  const host = `pay-${i}.example.com`;
  const annotations: Obj = {};
  if (chance(0.3)) annotations['nginx.ingress.kubernetes.io/ssl-redirect'] = pick(['true', 'false']);
  if (chance(0.15)) annotations['nginx.ingress.kubernetes.io/configuration-snippet'] = 'more_set_headers "X-Frame-Options: DENY";';
  const spec: Obj = {
    ingressClassName: 'nginx',
    rules: [
      { host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: `service-${i}`, port: { number: 80 } } } }] } },
    ],
  };
  const tls = pick([
    undefined,
    undefined,
    [{ hosts: [host], secretName: `pay-${i}-tls` }],
    [{ hosts: [`other-${i}.example.com`], secretName: 'x-tls' }],
  ]);
  if (tls) spec.tls = tls;
  const extra = Object.keys(annotations).length ? { annotations } : {};
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: metadata(`ingress-${i}`, pick(NAMESPACES), extra), spec };
}

function role(i: number, pick: Pick): Obj {
  const cluster = i % 2 === 0;
  const rules = pick([
    [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
    [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
    [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }],
    [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate', 'bind'] }],
    [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] }],
    [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }],
    [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }],
  ]);
  const kind = cluster ? 'ClusterRole' : 'Role';
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: metadata(`${kind.toLowerCase()}-${i}`, cluster ? undefined : pick(NAMESPACES)),
    rules,
  };
}

function binding(i: number, pick: Pick): Obj {
  const cluster = i % 2 === 0;
  const kind = cluster ? 'ClusterRoleBinding' : 'RoleBinding';
  const roleRef = pick([
    { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
  ]);
  const subjects = pick([
    [{ kind: 'ServiceAccount', name: 'payments-api', namespace: 'payments' }],
    [{ kind: 'Group', name: 'system:anonymous', apiGroup: 'rbac.authorization.k8s.io' }],
    [{ kind: 'ServiceAccount', name: 'default', namespace: 'payments' }],
  ]);
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: metadata(`${kind.toLowerCase()}-${i}`, cluster ? undefined : pick(NAMESPACES)),
    roleRef,
    subjects,
  };
}

function secret(i: number, pick: Pick): Obj {
  const body = pick([
    { type: 'Opaque', data: { password: Buffer.from(`s3cr3t-${i}-Xy9!kq`).toString('base64') } },
    { type: 'Opaque', stringData: { 'api-key': `sk_live_${'a1b2c3d4e5f6'.repeat(2)}${i}` } },
    { type: 'kubernetes.io/basic-auth', stringData: { username: 'svc', password: `Pa55-${i}-word` } },
    { type: 'kubernetes.io/tls', data: { 'tls.crt': 'LS0tLS1CRUdJTg==', 'tls.key': 'LS0tLS1CRUdJTg==' } },
  ]);
  return { apiVersion: 'v1', kind: 'Secret', metadata: metadata(`secret-${i}`, pick(NAMESPACES)), ...body };
}

function configMap(i: number, pick: Pick): Obj {
  const data = pick([
    { LOG_LEVEL: 'info', FEATURE_FLAGS: 'a,b' },
    { DATABASE_URL: `postgres://app:hunter2-${i}@db.payments.svc:5432/ledger` },
    { 'application.yaml': 'server:\n  port: 8080\n' },
    { AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  ]);
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(`configmap-${i}`, pick(NAMESPACES)), data };
}

function networkPolicy(i: number, pick: Pick): Obj {
  const spec = pick([
    { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    { podSelector: {}, policyTypes: ['Ingress'] },
    { podSelector: { matchLabels: { app: `deployment-${i}` } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] },
    { podSelector: { matchLabels: { app: 'nothing-here' } }, ingress: [{}] },
  ]);
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: metadata(`networkpolicy-${i}`, pick(NAMESPACES)), spec };
}

/** About 400 objects in multi-document files of 10, one file per kind family. */
export function writeVariedCorpus(dir: string): Corpus {
  const random = prng(20261125);
  const pick: Pick = (options) => options[Math.floor(random() * options.length)];
  const chance = (p: number) => random() < p;
  const families: [string, number, (i: number) => Obj][] = [
    ['workloads', 200, (i) => workload(i, pick, chance)],
    ['services', 40, (i) => service(i, pick, chance)],
    ['ingresses', 24, (i) => ingress(i, pick, chance)],
    ['roles', 32, (i) => role(i, pick)],
    ['bindings', 12, (i) => binding(i, pick)],
    ['secrets', 24, (i) => secret(i, pick)],
    ['configmaps', 24, (i) => configMap(i, pick)],
    ['networkpolicies', 16, (i) => networkPolicy(i, pick)],
  ];
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let objects = 0;
  let files = 0;
  for (const [family, count, make] of families) {
    for (let first = 0; first < count; first += 10) {
      const docs = Array.from({ length: Math.min(10, count - first) }, (_, k) =>
        stringify(make(first + k), { lineWidth: 0, aliasDuplicateObjects: false }),
      );
      writeFileSync(join(dir, `${family}-${String(first / 10).padStart(2, '0')}.yaml`), docs.join('---\n'));
      objects += docs.length;
      files++;
    }
  }
  return { dir, objects, files };
}
