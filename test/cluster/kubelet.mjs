// Fake kubelet for the test cluster: there is no container runtime here, so this process plays the
// parts of the scheduler and the kubelet that the API server and tests can observe:
//   - registers Node `fake-node` (InternalIP 127.0.0.1, kubelet port) and renews its Lease;
//   - binds unscheduled pods to the node, reports them Running/Ready, and finishes deletions
//     (a real kubelet is what removes a terminating pod; without it pods hang in Terminating);
//   - serves the kubelet log API (GET /containerLogs/{ns}/{pod}/{container}) over TLS, from files
//     the tests write, so `pods/{name}/log` goes through the real API server;
//   - exposes a plain-HTTP control server (POST /control/drop) to cut follow streams on demand.
//
// Usage: node kubelet.mjs <config.json>   (written by cluster.mjs; see README.md)
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { restClient, sleep } from './kube-rest.mjs';

const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const NODE = cfg.nodeName;
const api = restClient({ server: cfg.server, ca: fs.readFileSync(cfg.caFile), token: fs.readFileSync(cfg.tokenFile, 'utf8').trim() });
const MERGE = { contentType: 'application/merge-patch+json' };

const log = (...a) => console.log(new Date().toISOString(), ...a);

// ---------------------------------------------------------------------------------------------
// Timestamps. Log lines carry RFC3339Nano timestamps; sinceTime comparisons need nanosecond
// precision, which Date does not have, so times are handled as BigInt nanoseconds.

const TS_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** RFC3339(Nano) → BigInt ns since the epoch, or null if it is not a timestamp. */
export function parseTime(s) {
  const m = TS_RE.exec(s);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
}

/** BigInt ns → Go's time.RFC3339Nano in UTC (trailing zeros of the fraction trimmed, as Go does). */
export function formatTime(ns) {
  const sec = ns / 1_000_000_000n;
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${new Date(Number(sec) * 1000).toISOString().slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}

const nowMicro = () => new Date().toISOString().replace('Z', '000Z'); // metav1.MicroTime wants 6 digits
const nowTime = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

// ---------------------------------------------------------------------------------------------
// Node registration and heartbeat.

function nodeStatus() {
  const t = nowTime();
  const cond = (type, status, reason, message) => ({ type, status, reason, message, lastHeartbeatTime: t, lastTransitionTime: startedAt });
  const resources = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  return {
    capacity: resources,
    allocatable: resources,
    conditions: [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'fake kubelet'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'fake kubelet'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'fake kubelet'),
      cond('Ready', 'True', 'KubeletReady', 'fake kubelet is posting ready status'),
    ],
    addresses: [
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: NODE },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: cfg.port } },
    nodeInfo: {
      machineID: 'fake',
      systemUUID: 'fake',
      bootID: 'fake',
      kernelVersion: 'fake',
      osImage: 'fake',
      containerRuntimeVersion: 'fake://1.0.0',
      kubeletVersion: cfg.kubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

let startedAt;
let nodeUid;

async function registerNode() {
  startedAt = nowTime();
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: NODE,
      labels: { 'kubernetes.io/hostname': NODE, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'fake-kubelet' },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
  };
  const created = await api.must('POST', '/api/v1/nodes', node, { ok: [201, 409] });
  nodeUid = created.status === 201 ? created.json.metadata.uid : (await api.must('GET', `/api/v1/nodes/${NODE}`)).json.metadata.uid;
  await postNodeStatus();
  await clearNotReadyTaint();
  log(`registered node ${NODE} (kubelet port ${cfg.port})`);
}

/**
 * The TaintNodesByCondition admission plugin puts node.kubernetes.io/not-ready:NoSchedule on every
 * new Node; the node-lifecycle controller lifts it once the node is Ready, but that controller is
 * off here (cluster.mjs), so we lift it ourselves. Left in place, the DaemonSet controller would
 * not place pods on fake-node.
 */
async function clearNotReadyTaint() {
  const node = (await api.must('GET', `/api/v1/nodes/${NODE}`)).json;
  const taints = (node.spec.taints ?? []).filter((t) => t.key !== 'node.kubernetes.io/not-ready');
  if (taints.length === (node.spec.taints ?? []).length) return;
  await api.must('PATCH', `/api/v1/nodes/${NODE}`, { spec: { taints: taints.length ? taints : null } }, MERGE);
}

const postNodeStatus = () => api.must('PATCH', `/api/v1/nodes/${NODE}/status`, { status: nodeStatus() }, MERGE);

async function renewLease() {
  const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${NODE}`;
  const res = await api.request('PATCH', path, { spec: { holderIdentity: NODE, renewTime: nowMicro() } }, MERGE.contentType);
  if (res.status === 404) {
    await api.must(
      'POST',
      '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases',
      {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: NODE, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: NODE, uid: nodeUid }] },
        spec: { holderIdentity: NODE, leaseDurationSeconds: 40, renewTime: nowMicro() },
      },
      { ok: [201, 409] },
    );
  } else if (res.status >= 300) {
    throw new Error(`lease renew -> ${res.status}`);
  }
}

/** Runs fn every `ms` forever, logging (not dying on) failures: the API server may restart. */
function every(ms, what, fn) {
  const tick = () =>
    fn()
      .catch((e) => log(`${what} failed: ${e.message}`))
      .finally(() => setTimeout(tick, ms).unref?.());
  tick();
}

// ---------------------------------------------------------------------------------------------
// Pods: schedule, "run", and finish deletion.

// Pods being handled, by uid → the newest version seen meanwhile (or null). Events for a pod are
// handled one at a time, and the newest one that arrived in between is handled afterwards: a
// pod's MODIFIED event often lands while our own bind/patch for it is still in flight.
const inFlight = new Map();
// Pod IPs come from 10.244.0.0/16, which nothing routes to here. Not 127.0.0.x: EndpointSlice
// and Endpoints validation reject loopback addresses, so Services would never get endpoints and
// the controller-manager would emit FailedToUpdateEndpointSlices warnings for every Service.
const podIps = new Map(); // uid → IP, so a re-sent status (stale event) keeps the same IP
let nextIp = 0;

function podIp(uid) {
  if (!podIps.has(uid)) {
    const n = nextIp++ % (250 * 256);
    podIps.set(uid, `10.244.${Math.floor(n / 250)}.${(n % 250) + 2}`);
  }
  return podIps.get(uid);
}

function podIsRunningHere(pod) {
  const st = pod.status ?? {};
  const want = pod.spec.containers.length;
  return st.phase === 'Running' && (st.containerStatuses ?? []).filter((c) => c.ready).length === want;
}

function runningStatus(pod) {
  const t = nowTime();
  const cond = (type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: t });
  const ip = pod.status?.podIP || podIp(pod.metadata.uid);
  const id = (name) => `fake://${pod.metadata.uid.slice(0, 8)}-${name}`;
  return {
    phase: 'Running',
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(cond),
    hostIP: '127.0.0.1',
    hostIPs: [{ ip: '127.0.0.1' }],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: pod.status?.startTime ?? t,
    initContainerStatuses: (pod.spec.initContainers ?? []).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: `fake://${c.image}`,
      containerID: id(c.name),
      ready: true,
      started: false,
      restartCount: 0,
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: t, finishedAt: t, containerID: id(c.name) } },
    })),
    containerStatuses: pod.spec.containers.map((c) => ({
      name: c.name,
      image: c.image,
      imageID: `fake://${c.image}`,
      containerID: id(c.name),
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: t } },
    })),
  };
}

async function handlePod(pod) {
  const { namespace: ns, name, uid } = pod.metadata;
  const base = `/api/v1/namespaces/${ns}/pods/${name}`;
  if (!pod.spec.nodeName) {
    if (pod.metadata.deletionTimestamp || (pod.spec.schedulerName ?? 'default-scheduler') !== 'default-scheduler') return;
    // We are the scheduler: bind through the binding subresource, exactly as kube-scheduler does.
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name, uid }, target: { apiVersion: 'v1', kind: 'Node', name: NODE } };
    await api.must('POST', `${base}/binding`, binding, { ok: [201, 409, 404] });
    log(`bound ${ns}/${name}`);
  } else if (pod.spec.nodeName === NODE) {
    if (pod.metadata.deletionTimestamp) {
      // The kubelet confirms termination with a zero-grace delete; the uid precondition keeps a
      // recreated pod of the same name (StatefulSet) from being deleted by mistake.
      await api.must(
        'DELETE',
        base,
        { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid } },
        { ok: [200, 404, 409] },
      );
      podIps.delete(uid);
      endFollows(ns, name);
      log(`deleted ${ns}/${name}`);
    } else if (!podIsRunningHere(pod)) {
      await api.must('PATCH', `${base}/status`, { status: runningStatus(pod) }, MERGE);
      log(`running ${ns}/${name}`);
    }
  }
}

function onPodEvent(pod) {
  const uid = pod.metadata.uid;
  if (inFlight.has(uid)) {
    inFlight.set(uid, pod);
    return;
  }
  inFlight.set(uid, null);
  handlePod(pod)
    .catch((e) => log(`pod ${pod.metadata.namespace}/${pod.metadata.name}: ${e.message}`))
    .finally(() => {
      const newer = inFlight.get(uid);
      inFlight.delete(uid);
      if (newer) onPodEvent(newer);
    });
}

/** List then watch all pods forever; re-list when the watch is too old (410) or fails. */
async function watchPods() {
  for (;;) {
    try {
      const list = await api.must('GET', '/api/v1/pods');
      list.json.items.forEach(onPodEvent);
      let rv = list.json.metadata.resourceVersion;
      let expired = false;
      while (!expired) {
        const w = api.stream(`/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`, (line) => {
          if (!line.trim()) return;
          const ev = JSON.parse(line);
          if (ev.type === 'ERROR') {
            expired = true;
            return;
          }
          rv = ev.object.metadata.resourceVersion;
          if (ev.type === 'ADDED' || ev.type === 'MODIFIED') onPodEvent(ev.object);
        });
        const end = await w.done;
        if (end.status !== 200) throw new Error(`watch -> ${end.status}`);
      }
    } catch (e) {
      log(`pod watch: ${e.message}; retrying`);
      await sleep(1000);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Container logs. File format (one entry per line): `<RFC3339Nano timestamp> <text>`.

const follows = new Set(); // open follow streams: {ns, pod, container, res}

/** A stopped container ends its log stream cleanly, as with a real kubelet. */
function endFollows(ns, pod) {
  for (const f of [...follows]) {
    if (f.ns === ns && f.pod === pod) {
      f.res.end();
      follows.delete(f);
    }
  }
}

function parseLine(line) {
  const sp = line.indexOf(' ');
  const ts = sp > 0 ? parseTime(line.slice(0, sp)) : null;
  return ts === null ? { ts: null, text: line } : { ts, text: line.slice(sp + 1) };
}

/** Splits a chunk into complete lines; returns [lines, unfinished tail]. */
function splitLines(text) {
  const parts = text.split('\n');
  const rest = parts.pop();
  return [parts, rest];
}

function parseLogQuery(q) {
  const intParam = (k) => {
    if (!q.has(k)) return null;
    const n = Number(q.get(k));
    if (!Number.isInteger(n) || n < 0) throw new Error(`invalid ${k}: ${q.get(k)}`);
    return n;
  };
  let since = null;
  if (q.has('sinceTime')) {
    since = parseTime(q.get('sinceTime'));
    if (since === null) throw new Error(`invalid sinceTime: ${q.get('sinceTime')}`);
  } else if (q.has('sinceSeconds')) {
    since = (BigInt(Date.now()) - BigInt(intParam('sinceSeconds')) * 1000n) * 1_000_000n;
  }
  return {
    follow: q.get('follow') === 'true',
    timestamps: q.get('timestamps') === 'true',
    previous: q.get('previous') === 'true',
    tailLines: intParam('tailLines'),
    limitBytes: intParam('limitBytes'),
    since,
  };
}

/**
 * A writer that applies the kubelet's per-line rules: since filter (ts >= since, as the kubelet
 * does), optional timestamp prefix, and limitBytes. Returns false once the byte limit is reached.
 */
function lineWriter(res, opts) {
  let left = opts.limitBytes ?? Infinity;
  return (line) => {
    if (left <= 0) return false;
    const { ts, text } = parseLine(line);
    if (opts.since !== null && ts !== null && ts < opts.since) return true;
    let out = `${opts.timestamps && ts !== null ? `${formatTime(ts)} ` : ''}${text}\n`;
    if (Buffer.byteLength(out) > left) out = Buffer.from(out).subarray(0, left).toString();
    left -= Buffer.byteLength(out);
    res.write(out);
    return left > 0;
  };
}

function serveLogs(req, res, ns, pod, container) {
  const q = new URL(req.url, 'https://x').searchParams;
  let opts;
  try {
    opts = parseLogQuery(q);
  } catch (e) {
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end(e.message);
    return;
  }
  const file = `${cfg.logsDir}/${ns}_${pod}_${container}${opts.previous ? '.previous' : ''}.log`;
  if (opts.previous && !fs.existsSync(file)) {
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`previous terminated container "${container}" in pod "${pod}" not found`);
    return;
  }
  const content = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
  let offset = content.lastIndexOf(0x0a) + 1; // bytes of complete lines consumed so far
  let [lines] = splitLines(content.subarray(0, offset).toString('utf8'));
  if (opts.tailLines !== null) lines = opts.tailLines === 0 ? [] : lines.slice(-opts.tailLines);

  res.writeHead(200, { 'Content-Type': 'text/plain' });
  const write = lineWriter(res, opts);
  for (const line of lines) if (!write(line)) return res.end();
  if (!opts.follow) return res.end();

  // Follow: poll the file for appended complete lines until the client (or a drop) closes us.
  const entry = { ns, pod, container, res };
  follows.add(entry);
  const timer = setInterval(() => {
    let size;
    try {
      size = fs.statSync(file).size;
    } catch {
      return;
    } // not written yet
    if (size < offset) offset = 0; // truncated: start over, like a rotated log
    if (size === offset) return;
    const fd = fs.openSync(file, 'r');
    const chunk = Buffer.alloc(size - offset);
    fs.readSync(fd, chunk, 0, chunk.length, offset);
    fs.closeSync(fd);
    const upto = chunk.lastIndexOf(0x0a) + 1;
    if (upto === 0) return; // only a partial line so far
    offset += upto;
    for (const line of splitLines(chunk.subarray(0, upto).toString('utf8'))[0]) {
      if (!write(line)) {
        res.end();
        break;
      }
    }
  }, 100);
  res.on('close', () => {
    clearInterval(timer);
    follows.delete(entry);
  });
}

function kubeletHandler(req, res) {
  const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/?]+)/.exec(req.url);
  if (req.method === 'GET' && m) return serveLogs(req, res, ...m.slice(1).map(decodeURIComponent));
  if (req.url === '/healthz') return res.end('ok');
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`fake kubelet: ${req.method} ${req.url} is not implemented`);
}

// ---------------------------------------------------------------------------------------------
// Control server: lets a test simulate a kubelet/network failure mid-stream.

function controlHandler(req, res) {
  const u = new URL(req.url, 'http://x');
  const match = (f) =>
    ['namespace', 'pod', 'container'].every((k) => !u.searchParams.has(k) || u.searchParams.get(k) === f[k === 'namespace' ? 'ns' : k]);
  const json = (code, body) => res.writeHead(code, { 'Content-Type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
  if (req.method === 'POST' && u.pathname === '/control/drop') {
    let dropped = 0;
    for (const f of [...follows]) {
      if (!match(f)) continue;
      f.res.socket?.destroy(); // abrupt: no terminating chunk, like a crashed kubelet or cut link
      follows.delete(f);
      dropped++;
    }
    log(`control: dropped ${dropped} follow stream(s)`);
    return json(200, { dropped });
  }
  if (req.method === 'GET' && u.pathname === '/control/streams') {
    return json(200, { open: [...follows].filter(match).map(({ ns, pod, container }) => ({ namespace: ns, pod, container })) });
  }
  if (u.pathname === '/healthz') return json(200, { ok: true, node: NODE });
  return json(404, { error: `unknown control endpoint ${req.method} ${u.pathname}` });
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const tls = {
    key: fs.readFileSync(cfg.keyFile),
    cert: fs.readFileSync(cfg.certFile),
    ca: fs.readFileSync(cfg.caFile),
    requestCert: true,
    rejectUnauthorized: true, // only the API server (CA-signed client cert) may call us
  };
  await new Promise((r) => https.createServer(tls, kubeletHandler).listen(cfg.port, '127.0.0.1', r));
  await new Promise((r) => http.createServer(controlHandler).listen(cfg.controlPort, '127.0.0.1', r));
  log(`listening: kubelet https://127.0.0.1:${cfg.port}, control http://127.0.0.1:${cfg.controlPort}`);
  for (;;) {
    try {
      await registerNode();
      break;
    } catch (e) {
      log(`register: ${e.message}`);
      await sleep(1000);
    }
  }
  every(10_000, 'lease renew', renewLease);
  every(60_000, 'node status', postNodeStatus);
  watchPods();
}

process.on('SIGTERM', () => process.exit(0));
main().catch((e) => {
  log(`fatal: ${e.stack}`);
  process.exit(1);
});
