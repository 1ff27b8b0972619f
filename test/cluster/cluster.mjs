#!/usr/bin/env node
// Test-cluster harness: a real Kubernetes control plane (etcd + kube-apiserver +
// kube-controller-manager, built from pinned Go modules and cached) plus a fake kubelet, all on
// 127.0.0.1, for the integration tests. Node built-ins only, so it runs before `npm ci`.
//
//   node test/cluster/cluster.mjs up      build once (cached), start everything, exit 0 when ready
//   node test/cluster/cluster.mjs down    stop every process `up` started (recorded pids); idempotent
//   node test/cluster/cluster.mjs env     print FINTECH_K8S_TEST_* variables for shells
//   node test/cluster/cluster.mjs build   only build (or find) the cached binaries
//   node test/cluster/cluster.mjs status  say whether the recorded processes are alive
//
// See README.md beside this file for ports, files and environment variables.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { restClient, sleep, waitFor } from './kube-rest.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CACHE = process.env.FINTECH_K8S_CACHE || path.join(os.homedir(), '.cache', 'fintech-k8s');
const STATE = path.resolve(process.env.FINTECH_K8S_STATE || path.join(os.homedir(), '.cache', 'fintech-k8s', 'run'));
const STATE_MARKER = path.join(STATE, '.fintech-k8s-state'); // we only ever wipe a dir we created
const NODE_NAME = 'fake-node';
const READY_TIMEOUT = 60_000;

const P = {
  pki: path.join(STATE, 'pki'),
  components: path.join(STATE, 'components'), // stdout/stderr of etcd, apiserver, kcm, kubelet
  logs: path.join(STATE, 'logs'), // container log files the tests write (see README)
  etcdData: path.join(STATE, 'etcd'),
  kubeconfig: path.join(STATE, 'kubeconfig'),
  kcmKubeconfig: path.join(STATE, 'kcm.kubeconfig'),
  tokenCsv: path.join(STATE, 'tokens.csv'),
  tokens: path.join(STATE, 'tokens'),
  pids: path.join(STATE, 'pids.json'),
  clusterJson: path.join(STATE, 'cluster.json'),
  kubeletJson: path.join(STATE, 'kubelet.json'),
};

const say = (msg) => console.log(`[cluster] ${msg}`);
const secs = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

// ---------------------------------------------------------------------------------------------
// Versions and the binary cache.

/** Pinned versions are read from the committed go.mod files, so they live in one place. */
function versions() {
  const k8s = /k8s\.io\/kubernetes (v\S+)/.exec(fs.readFileSync(path.join(HERE, 'go', 'go.mod'), 'utf8'))[1];
  const etcd = /go\.etcd\.io\/etcd\/server\/v3 (v\S+)/.exec(fs.readFileSync(path.join(HERE, 'go-etcd', 'go.mod'), 'utf8'))[1];
  return { kubernetes: k8s, etcd };
}

/**
 * -X stamps what `hack/lib/version.sh` would: without it /version reports "v0.0.0-master" and
 * clients that compare versions (or show them) see nonsense.
 */
function k8sLdflags(v) {
  const [, major, minor] = /^v(\d+)\.(\d+)/.exec(v);
  const vars = { gitVersion: v, gitMajor: major, gitMinor: minor, gitTreeState: 'clean', gitCommit: '' };
  const x = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) =>
    Object.entries(vars).map(([k, val]) => `-X ${pkg}.${k}=${val}`),
  );
  return ['-s', '-w', ...x].join(' ');
}

/**
 * bin/<version>/: the version names both pins plus a hash of the module files and build flags, so
 * editing the pins (or go.sum, or the recipe) selects a fresh directory instead of stale binaries.
 */
function binDir() {
  const v = versions();
  const h = crypto.createHash('sha256');
  for (const f of ['go/go.mod', 'go/go.sum', 'go-etcd/go.mod', 'go-etcd/go.sum', 'go-etcd/main.go']) {
    h.update(fs.readFileSync(path.join(HERE, f)));
  }
  h.update(k8sLdflags(v.kubernetes));
  return path.join(CACHE, 'bin', `k8s-${v.kubernetes}_etcd-${v.etcd}_${h.digest('hex').slice(0, 8)}`);
}

const BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager'];

function run(cmd, args, opts = {}) {
  // Children's output goes to our stderr: stdout is kept for the harness's own short report.
  const r = spawnSync(cmd, args, { stdio: ['ignore', 2, 2], ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
}

/** ensure-go.sh prints the path of a Go able to build the pinned modules (installs if needed). */
function findGo() {
  const r = spawnSync('bash', [path.join(HERE, 'ensure-go.sh')], { stdio: ['ignore', 'pipe', 2], encoding: 'utf8' });
  if (r.status !== 0) throw new Error('ensure-go.sh failed: no usable Go toolchain');
  return r.stdout.trim().split('\n').pop();
}

function ensureBinaries() {
  const dir = binDir();
  if (BINARIES.every((b) => fs.existsSync(path.join(dir, b)))) return { dir, built: false, seconds: 0 };
  const t0 = Date.now();
  const go = findGo();
  say(`building ${path.basename(dir)} with ${go} (first run only; several minutes) ...`);
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const env = {
    ...process.env,
    CGO_ENABLED: '0', // static binaries, no C compiler needed
    // Debian's Go sets GOTOOLCHAIN=local; `auto` lets an older go fetch the toolchain go.mod needs
    // from the module proxy.
    GOTOOLCHAIN: process.env.GOTOOLCHAIN || 'auto',
    GOFLAGS: `${process.env.GOFLAGS ?? ''} -mod=readonly -buildvcs=false`.trim(),
  };
  run(
    go,
    [
      'build',
      '-trimpath',
      `-ldflags=${k8sLdflags(versions().kubernetes)}`,
      '-o',
      `${tmp}/`,
      'k8s.io/kubernetes/cmd/kube-apiserver',
      'k8s.io/kubernetes/cmd/kube-controller-manager',
    ],
    { cwd: path.join(HERE, 'go'), env },
  );
  run(go, ['build', '-trimpath', '-ldflags=-s -w', '-o', path.join(tmp, 'etcd'), '.'], { cwd: path.join(HERE, 'go-etcd'), env });
  try {
    fs.renameSync(tmp, dir); // atomic publish: a half-built dir is never mistaken for a cache hit
  } catch (e) {
    if (!BINARIES.every((b) => fs.existsSync(path.join(dir, b)))) throw e;
    fs.rmSync(tmp, { recursive: true, force: true }); // a concurrent build won the race
  }
  say(`built in ${secs(t0)} -> ${dir}`);
  return { dir, built: true, seconds: (Date.now() - t0) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Certificates and credentials (openssl; node:crypto cannot issue X.509 certificates).

function ensureOpenssl() {
  if (spawnSync('openssl', ['version']).status === 0) return;
  say('openssl missing; installing it with apt-get');
  run('apt-get', ['install', '-y', '-q', 'openssl'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** Runs openssl quietly (it chats on stderr even on success); shows its output only on failure. */
function openssl(...args) {
  const r = spawnSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.error?.message ?? ''}${r.stderr}`);
}

function ecKey(file) {
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file);
  fs.chmodSync(file, 0o600);
}

/** Issues a leaf certificate signed by the test CA. */
function issue(name, subject, ext) {
  const base = path.join(P.pki, name);
  ecKey(`${base}.key`);
  fs.writeFileSync(
    `${base}.ext`,
    `${['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', ...ext].join('\n')}\n`,
  );
  openssl('req', '-new', '-key', `${base}.key`, '-subj', subject, '-out', `${base}.csr`);
  openssl(
    'x509',
    '-req',
    '-in',
    `${base}.csr`,
    '-CA',
    path.join(P.pki, 'ca.crt'),
    '-CAkey',
    path.join(P.pki, 'ca.key'),
    '-set_serial',
    `0x${crypto.randomBytes(8).toString('hex')}`,
    '-days',
    '365',
    '-extfile',
    `${base}.ext`,
    '-out',
    `${base}.crt`,
  );
}

function makePki() {
  fs.mkdirSync(P.pki, { recursive: true });
  const ca = path.join(P.pki, 'ca');
  ecKey(`${ca}.key`);
  openssl(
    'req',
    '-x509',
    '-new',
    '-key',
    `${ca}.key`,
    '-subj',
    '/CN=fintech-k8s-test-ca',
    '-days',
    '3650',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
    '-out',
    `${ca}.crt`,
  );
  issue('apiserver', '/CN=kube-apiserver', [
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
  ]);
  issue('apiserver-kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client', ['extendedKeyUsage=clientAuth']);
  // Front-proxy (request-header) client: without a requestheader CA the controller-manager's
  // delegated authentication logs errors forever; with it the aggregation layer is complete too.
  issue('front-proxy-client', '/CN=front-proxy-client', ['extendedKeyUsage=clientAuth']);
  issue('kubelet', `/O=system:nodes/CN=system:node:${NODE_NAME}`, [
    'extendedKeyUsage=serverAuth',
    `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:${NODE_NAME}`,
  ]);
  ecKey(path.join(P.pki, 'sa.key')); // signs service-account tokens (ES256)
  openssl('pkey', '-in', path.join(P.pki, 'sa.key'), '-pubout', '-out', path.join(P.pki, 'sa.pub'));
}

/** Random tokens for the static token file; written to 0600 files, never printed. */
function makeTokens() {
  fs.mkdirSync(P.tokens, { recursive: true, mode: 0o700 });
  const users = {
    admin: { groups: 'system:masters' },
    'payments-dev': { groups: '' }, // only system:authenticated, added by the API server
  };
  const lines = [];
  const tokens = {};
  for (const [user, { groups }] of Object.entries(users)) {
    const token = crypto.randomBytes(24).toString('hex');
    tokens[user] = token;
    fs.writeFileSync(path.join(P.tokens, `${user}.token`), `${token}\n`, { mode: 0o600 });
    lines.push(`${token},${user},${user}${groups ? `,"${groups}"` : ''}`);
  }
  fs.writeFileSync(P.tokenCsv, `${lines.join('\n')}\n`, { mode: 0o600 });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Ports.

/** Free 127.0.0.1 ports, or FINTECH_K8S_PORT_BASE + 0..n-1 when a fixed layout is wanted. */
async function choosePorts(names) {
  const base = Number(process.env.FINTECH_K8S_PORT_BASE);
  if (base) return Object.fromEntries(names.map((n, i) => [n, base + i]));
  // Hold all listeners open until every port is chosen, so the same port is not handed out twice.
  const servers = await Promise.all(
    names.map(
      () =>
        new Promise((resolve, reject) => {
          const s = net.createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = Object.fromEntries(names.map((n, i) => [n, servers[i].address().port]));
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

// ---------------------------------------------------------------------------------------------
// Processes: started detached (own process group) with output to components/<name>.log; pids are
// recorded immediately so `down` (or a failed `up`) can always clean up.

function readPids() {
  try {
    return JSON.parse(fs.readFileSync(P.pids, 'utf8'));
  } catch {
    return [];
  }
}

function alive(pid) {
  try {
    // Our children are re-parented once `up` exits; until their new parent reaps them they are
    // zombies, which kill(pid, 0) still reports as present.
    if (
      fs
        .readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /s, '')
        .startsWith('Z')
    )
      return false;
  } catch (e) {
    if (e.code === 'ENOENT' && process.platform === 'linux') return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** True if pid is still the process we started (pids get recycled; never kill a stranger). */
function isOurs({ pid, match }) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(match);
  } catch {
    return alive(pid) && process.platform !== 'linux'; // no /proc: trust the record
  }
}

function startProcess(name, cmd, args, match = cmd) {
  const logFile = path.join(P.components, `${name}.log`);
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], cwd: STATE });
  fs.closeSync(fd);
  child.unref();
  const rec = { name, pid: child.pid, match, log: logFile };
  fs.writeFileSync(P.pids, JSON.stringify([...readPids(), rec], null, 2));
  return rec;
}

function tail(file, n = 40) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

class ComponentError extends Error {
  constructor(rec, msg) {
    super(`${rec.name}: ${msg}\n----- last lines of ${rec.log} -----\n${tail(rec.log)}\n-----`);
  }
}

/** waitFor that also fails fast (with the log tail) if the component process has died. */
async function waitReady(rec, what, probe) {
  const t0 = Date.now();
  try {
    const v = await waitFor(
      what,
      async () => {
        if (!alive(rec.pid)) throw Object.assign(new Error('process exited'), { dead: true });
        return probe();
      },
      READY_TIMEOUT,
    );
    say(`${what}: ok after ${secs(t0)}`);
    return v;
  } catch (e) {
    throw new ComponentError(rec, alive(rec.pid) ? e.message : `exited before ${what}`);
  }
}

async function stopAll() {
  const recs = readPids().reverse(); // kubelet, kcm, apiserver, then etcd
  let stopped = 0;
  for (const rec of recs) {
    if (!alive(rec.pid) || !isOurs(rec)) continue;
    const t0 = Date.now();
    signal(rec.pid, 'SIGTERM');
    const until = Date.now() + 10_000;
    while (alive(rec.pid) && Date.now() < until) await sleep(50);
    if (alive(rec.pid)) signal(rec.pid, 'SIGKILL');
    say(`stopped ${rec.name} (pid ${rec.pid}) in ${secs(t0)}`);
    stopped++;
  }
  fs.rmSync(P.pids, { force: true });
  return stopped;
}

function signal(pid, sig) {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* gone */
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Component command lines.

function etcdArgs(ports) {
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  return [
    '--name=test',
    `--data-dir=${P.etcdData}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=test=${peer}`,
    '--unsafe-no-fsync', // throwaway data: skip fsync, it dominates start-up on slow disks
    '--log-level=warn',
  ];
}

function apiserverArgs(ports) {
  const pki = (f) => path.join(P.pki, f);
  return [
    `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${ports.apiserver}`,
    `--cert-dir=${path.join(STATE, 'apiserver')}`, // default /var/run/kubernetes is not ours
    `--tls-cert-file=${pki('apiserver.crt')}`,
    `--tls-private-key-file=${pki('apiserver.key')}`,
    `--client-ca-file=${pki('ca.crt')}`,
    `--token-auth-file=${P.tokenCsv}`,
    '--authorization-mode=Node,RBAC',
    '--service-cluster-ip-range=10.96.0.0/16', // allocation only; nothing routes to it
    '--service-account-issuer=https://kubernetes.default.svc',
    `--service-account-key-file=${pki('sa.pub')}`,
    `--service-account-signing-key-file=${pki('sa.key')}`,
    `--kubelet-certificate-authority=${pki('ca.crt')}`,
    `--kubelet-client-certificate=${pki('apiserver-kubelet-client.crt')}`,
    `--kubelet-client-key=${pki('apiserver-kubelet-client.key')}`,
    '--kubelet-preferred-address-types=InternalIP',
    `--requestheader-client-ca-file=${pki('ca.crt')}`,
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${pki('front-proxy-client.crt')}`,
    `--proxy-client-key-file=${pki('front-proxy-client.key')}`,
    // The `kubernetes` Service's Endpoints would be 127.0.0.1, which Endpoints validation rejects
    // as loopback; tests never route to it, so skip the reconciler instead of logging errors.
    '--endpoint-reconciler-type=none',
    '--allow-privileged=true',
    '--profiling=false',
  ];
}

function kcmArgs(ports) {
  const pki = (f) => path.join(P.pki, f);
  return [
    `--kubeconfig=${P.kcmKubeconfig}`,
    `--authentication-kubeconfig=${P.kcmKubeconfig}`,
    `--authorization-kubeconfig=${P.kcmKubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.kcm}`,
    '--leader-elect=false',
    // node-lifecycle would taint/evict fake-node if a heartbeat were late; the cloud/route/IPAM
    // controllers have nothing to act on here and only log noise.
    '--controllers=*,-node-lifecycle-controller,-cloud-node-lifecycle-controller,-node-route-controller,-service-lb-controller,-node-ipam-controller',
    `--service-account-private-key-file=${pki('sa.key')}`,
    `--root-ca-file=${pki('ca.crt')}`,
    '--use-service-account-credentials=false',
    `--cluster-signing-cert-file=${pki('ca.crt')}`,
    `--cluster-signing-key-file=${pki('ca.key')}`,
    '--profiling=false',
  ];
}

// ---------------------------------------------------------------------------------------------
// Kubeconfig (YAML written by hand: no yaml dependency; all values are plain scalars).

function writeKubeconfig(file, server, tokens, { contexts, current }) {
  const caData = fs.readFileSync(path.join(P.pki, 'ca.crt')).toString('base64');
  const y = [
    'apiVersion: v1',
    'kind: Config',
    'preferences: {}',
    'clusters:',
    '- name: fintech-test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${caData}`,
    'users:',
    ...Object.entries(tokens).flatMap(([u, t]) => [`- name: ${u}`, '  user:', `    token: ${t}`]),
    'contexts:',
    ...contexts.flatMap(([name, user, ns]) => [
      `- name: ${name}`,
      '  context:',
      '    cluster: fintech-test',
      `    user: ${user}`,
      ...(ns ? [`    namespace: ${ns}`] : []),
    ]),
    `current-context: ${current}`,
  ];
  fs.writeFileSync(file, `${y.join('\n')}\n`, { mode: 0o600 });
}

// ---------------------------------------------------------------------------------------------
// Objects every test can rely on.

// "Most resources" in payments, read-only, except Secrets (kept out on purpose so tests can
// exercise a forbidden read in an otherwise readable namespace), plus the writes a deploy needs.
const DEV_ROLE_RULES = [
  {
    apiGroups: [''],
    resources: [
      'pods',
      'pods/log',
      'pods/status',
      'services',
      'endpoints',
      'configmaps',
      'events',
      'serviceaccounts',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'limitranges',
      'resourcequotas',
    ],
    verbs: ['get', 'list', 'watch'],
  },
  {
    apiGroups: ['apps'],
    resources: [
      'deployments',
      'deployments/status',
      'deployments/scale',
      'replicasets',
      'statefulsets',
      'daemonsets',
      'controllerrevisions',
    ],
    verbs: ['get', 'list', 'watch'],
  },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'patch'] },
  { apiGroups: [''], resources: ['services', 'configmaps'], verbs: ['create', 'patch'] },
];

async function bootstrapObjects(api) {
  const create = (p, body) => api.must('POST', p, body, { ok: [201, 409] });
  for (const ns of ['payments', 'restricted']) {
    await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  const rbac = '/apis/rbac.authorization.k8s.io/v1/namespaces/payments';
  await create(`${rbac}/roles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'payments-dev' },
    rules: DEV_ROLE_RULES,
  });
  await create(`${rbac}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'payments-dev' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'payments-dev' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'payments-dev' }],
  });
}

const exists = async (api, p) => (await api.request('GET', p)).status === 200;

async function nodeReady(api) {
  const r = await api.request('GET', `/api/v1/nodes/${NODE_NAME}`);
  return r.status === 200 && r.json.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}

// ---------------------------------------------------------------------------------------------
// Commands.

/** The state dir is wiped on every `up`; refuse if it looks like something we did not create. */
function resetState() {
  if (fs.existsSync(STATE) && !fs.existsSync(STATE_MARKER) && fs.readdirSync(STATE).length > 0) {
    throw new Error(`refusing to wipe ${STATE}: not a fintech-k8s state dir (no ${path.basename(STATE_MARKER)})`);
  }
  fs.rmSync(STATE, { recursive: true, force: true });
  for (const d of [STATE, P.pki, P.components, P.logs]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(STATE_MARKER, 'Runtime state of test/cluster/cluster.mjs; wiped by each `up`.\n');
}

/** An externally provided cluster wins, unless the variable just points at our own kubeconfig. */
function externalKubeconfig() {
  const k = process.env.FINTECH_K8S_TEST_KUBECONFIG;
  return k && path.resolve(k) !== P.kubeconfig ? k : null;
}

async function up() {
  if (externalKubeconfig()) {
    say(`FINTECH_K8S_TEST_KUBECONFIG is set (${externalKubeconfig()}): using that cluster, starting nothing`);
    return;
  }
  const t0 = Date.now();
  const bin = ensureBinaries();
  ensureOpenssl();
  const tStart = Date.now();
  if (fs.existsSync(STATE_MARKER)) {
    const n = await stopAll();
    if (n) say(`stopped ${n} process(es) of the previous cluster`);
  }
  resetState();
  makePki();
  const tokens = makeTokens();
  const ports = await choosePorts(['etcdClient', 'etcdPeer', 'apiserver', 'kcm', 'kubelet', 'kubeletControl']);
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const ca = fs.readFileSync(path.join(P.pki, 'ca.crt'));
  const admin = restClient({ server, ca, token: tokens.admin });
  const exe = (b) => path.join(bin.dir, b);
  const procs = {};

  try {
    procs.etcd = startProcess('etcd', exe('etcd'), etcdArgs(ports));
    await waitReady(procs.etcd, 'etcd /health', () => httpOk(`http://127.0.0.1:${ports.etcdClient}/health`));

    procs.apiserver = startProcess('kube-apiserver', exe('kube-apiserver'), apiserverArgs(ports));
    await waitReady(procs.apiserver, 'kube-apiserver /readyz', async () => (await admin.request('GET', '/readyz')).status === 200);

    writeKubeconfig(P.kcmKubeconfig, server, { admin: tokens.admin }, { contexts: [['admin', 'admin']], current: 'admin' });
    procs.kcm = startProcess('kube-controller-manager', exe('kube-controller-manager'), kcmArgs(ports));

    const kubeletScript = path.join(HERE, 'kubelet.mjs');
    fs.writeFileSync(
      P.kubeletJson,
      JSON.stringify(
        {
          nodeName: NODE_NAME,
          server,
          port: ports.kubelet,
          controlPort: ports.kubeletControl,
          caFile: path.join(P.pki, 'ca.crt'),
          certFile: path.join(P.pki, 'kubelet.crt'),
          keyFile: path.join(P.pki, 'kubelet.key'),
          tokenFile: path.join(P.tokens, 'admin.token'),
          logsDir: P.logs,
          kubeletVersion: versions().kubernetes,
        },
        null,
        2,
      ),
    );
    procs.kubelet = startProcess('kubelet', process.execPath, [kubeletScript, P.kubeletJson], kubeletScript);

    await bootstrapObjects(admin);
    await waitReady(procs.kubelet, `node ${NODE_NAME} Ready`, () => nodeReady(admin));
    // The ServiceAccount admission plugin rejects pods until the namespace's `default` SA exists,
    // so this is the "controller-manager works" check that matters to tests.
    for (const ns of ['default', 'payments']) {
      await waitReady(procs.kcm, `serviceaccount ${ns}/default`, () => exists(admin, `/api/v1/namespaces/${ns}/serviceaccounts/default`));
    }
  } catch (e) {
    await stopAll();
    throw e;
  }

  writeKubeconfig(P.kubeconfig, server, tokens, {
    contexts: [
      ['test-admin', 'admin'],
      ['prod-payments', 'admin', 'payments'],
      ['dev-payments', 'payments-dev', 'payments'],
    ],
    current: 'test-admin',
  });
  writeClusterJson({ ports, server, bin, procs });
  say(`ready in ${secs(t0)} (start ${secs(tStart)}${bin.built ? `, build ${bin.seconds.toFixed(0)}s` : ', binaries cached'})`);
  say(`kubeconfig: ${P.kubeconfig}`);
  say(`cluster info: ${P.clusterJson}`);
  printEnv();
}

function writeClusterJson({ ports, server, bin, procs }) {
  const info = {
    versions: versions(),
    server,
    nodeName: NODE_NAME,
    ports,
    pids: Object.fromEntries(Object.values(procs).map((r) => [r.name, r.pid])),
    stateDir: STATE,
    binDir: bin.dir,
    kubeconfig: P.kubeconfig,
    contexts: { current: 'test-admin', admin: 'test-admin', prodLike: 'prod-payments', dev: 'dev-payments' },
    logsDir: P.logs,
    logFileFormat: '<logsDir>/<namespace>_<pod>_<container>.log, one line per entry: "<RFC3339Nano timestamp> <text>"',
    kubeletControl: `http://127.0.0.1:${ports.kubeletControl}`,
    files: {
      ca: path.join(P.pki, 'ca.crt'),
      tokens: { admin: path.join(P.tokens, 'admin.token'), 'payments-dev': path.join(P.tokens, 'payments-dev.token') },
      componentLogs: Object.fromEntries(Object.values(procs).map((r) => [r.name, r.log])),
    },
  };
  fs.writeFileSync(P.clusterJson, `${JSON.stringify(info, null, 2)}\n`);
}

function httpOk(url) {
  return new Promise((resolve) => {
    http
      .get(url, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
      .on('error', () => resolve(false));
  });
}

const shq = (v) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`);

function printEnv() {
  const ext = externalKubeconfig();
  if (ext) {
    console.log(`FINTECH_K8S_TEST_KUBECONFIG=${shq(ext)}`);
    return true;
  }
  if (!fs.existsSync(P.clusterJson) || !readPids().some((r) => alive(r.pid) && isOurs(r))) return false;
  const info = JSON.parse(fs.readFileSync(P.clusterJson, 'utf8'));
  console.log(`FINTECH_K8S_TEST_KUBECONFIG=${shq(info.kubeconfig)}`);
  console.log(`FINTECH_K8S_TEST_KUBELET_CONTROL=${shq(info.kubeletControl)}`);
  console.log(`FINTECH_K8S_TEST_LOGS_DIR=${shq(info.logsDir)}`);
  return true;
}

function status() {
  const recs = readPids();
  if (!recs.length) {
    say(`not running (state ${STATE})`);
    return false;
  }
  let ok = true;
  for (const r of recs) {
    const up = alive(r.pid) && isOurs(r);
    ok &&= up;
    say(`${r.name.padEnd(24)} pid ${String(r.pid).padEnd(8)} ${up ? 'running' : 'NOT running'}`);
  }
  return ok;
}

// `cluster.mjs up | head` must not kill us half-way (leaving processes unrecorded or running).
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
});

async function main() {
  const cmd = process.argv[2];
  switch (cmd) {
    case 'up':
      await up();
      break;
    case 'down':
      say(`stopped ${await stopAll()} process(es)`);
      // A stopped cluster must look stopped: without its kubeconfig, tests start one instead of
      // failing with ECONNREFUSED against the old ports.
      for (const file of [P.kubeconfig, P.clusterJson]) fs.rmSync(file, { force: true });
      break;
    case 'env':
      if (!printEnv()) {
        console.error('[cluster] no running test cluster; run `node test/cluster/cluster.mjs up`');
        return 1;
      }
      break;
    case 'build':
      ensureBinaries();
      say(`binaries: ${binDir()}`);
      break;
    case 'status':
      return status() ? 0 : 1;
    default:
      console.error('usage: node test/cluster/cluster.mjs up|down|env|build|status');
      return 2;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[cluster] FAILED: ${e.message}`);
    process.exit(1);
  },
);
