#!/usr/bin/env node
// Self-check of a running test cluster (`node test/cluster/cluster.mjs up` first):
// Deployment → pod Running → Deployment available → logs through the API server (plain, tail,
// sinceTime, follow) → a kubelet-side drop ends the follow stream → RBAC forbids payments-dev in
// `restricted`. Prints PASS/FAIL per check, exits 1 on any failure, and deletes what it created.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { loadCluster, sleep, waitFor } from './kube-rest.mjs';

const STATE = path.resolve(process.env.FINTECH_K8S_STATE || path.join(os.homedir(), '.cache', 'fintech-k8s', 'run'));
if (!fs.existsSync(path.join(STATE, 'cluster.json'))) {
  console.log(`FAIL no test cluster in ${STATE}: run \`node test/cluster/cluster.mjs up\` first`);
  process.exit(1);
}
const { info, client } = loadCluster(STATE);
const admin = client('admin');
const dev = client('payments-dev');
const NS = 'payments';
const NAME = `smoke-${crypto.randomBytes(3).toString('hex')}`;

let failures = 0;
async function check(name, fn) {
  const t0 = Date.now();
  try {
    const note = await fn();
    console.log(`PASS ${name}${note ? ` — ${note}` : ''} (${Date.now() - t0} ms)`);
    return true;
  } catch (e) {
    failures++;
    console.log(`FAIL ${name} — ${e.message}`);
    return false;
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

function control(method, p) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${info.kubeletControl}${p}`, { method }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Nanosecond-precision RFC3339 timestamp for `ms` plus `extraNs`, as a container runtime writes. */
const ts = (ms, extraNs = 0) => `${new Date(ms).toISOString().slice(0, 19)}.${String((ms % 1000) * 1e6 + extraNs).padStart(9, '0')}Z`;

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: NAME, labels: { app: NAME } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: NAME } },
    template: {
      metadata: { labels: { app: NAME } },
      spec: { containers: [{ name: 'c', image: 'registry.invalid/smoke:1' }] },
    },
  },
};

let pod;
let logFile;

async function main() {
  console.log(`cluster ${info.server} (kubernetes ${info.versions.kubernetes}), deployment ${NS}/${NAME}`);

  const created = await check('create Deployment via REST', async () => {
    await admin.must('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, deployment);
  });
  if (!created) return;

  await check('pod bound to fake-node and Running', async () => {
    pod = await waitFor(
      'a Running pod',
      async () => {
        const r = await admin.must('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3D${NAME}`);
        return r.json.items.find((p) => p.status.phase === 'Running' && p.spec.nodeName === info.nodeName);
      },
      60_000,
    );
    return pod.metadata.name;
  });
  if (!pod) return;
  logFile = path.join(info.logsDir, `${NS}_${pod.metadata.name}_c.log`);

  await check('Deployment available (rollout complete)', async () => {
    await waitFor(
      'Deployment Available',
      async () => {
        const d = (await admin.must('GET', `/apis/apps/v1/namespaces/${NS}/deployments/${NAME}`)).json;
        const s = d.status ?? {};
        const available = s.conditions?.some((c) => c.type === 'Available' && c.status === 'True');
        return s.observedGeneration >= d.metadata.generation && s.updatedReplicas === 1 && s.availableReplicas === 1 && available;
      },
      60_000,
    );
  });

  // Three lines one second apart, so sinceTime (second precision through the API) can split them.
  const base = Math.floor(Date.now() / 1000) * 1000 - 10_000;
  fs.writeFileSync(
    logFile,
    [`${ts(base, 123)} first line`, `${ts(base + 1000, 5)} second line`, `${ts(base + 2000)} third line`].join('\n') + '\n',
  );
  const logPath = (q) => `/api/v1/namespaces/${NS}/pods/${pod.metadata.name}/log?container=c${q}`;

  await check('logs through the API server (plain, timestamps, tailLines, sinceTime)', async () => {
    const plain = (await admin.must('GET', logPath(''))).text;
    assert(plain === 'first line\nsecond line\nthird line\n', `plain: ${JSON.stringify(plain)}`);
    const stamped = (await admin.must('GET', logPath('&timestamps=true'))).text.split('\n')[0];
    assert(stamped === `${ts(base, 123)} first line`, `timestamps: ${JSON.stringify(stamped)}`);
    const tailed = (await admin.must('GET', logPath('&tailLines=1'))).text;
    assert(tailed === 'third line\n', `tailLines: ${JSON.stringify(tailed)}`);
    const since = new Date(base + 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const after = (await admin.must('GET', logPath(`&sinceTime=${encodeURIComponent(since)}`))).text;
    assert(after === 'second line\nthird line\n', `sinceTime: ${JSON.stringify(after)}`);
  });

  await check('follow streams appended lines, and a drop ends the stream', async () => {
    const got = [];
    const s = admin.stream(logPath('&follow=true'), (line) => got.push(line));
    try {
      await waitFor('the 3 existing lines', () => got.length >= 3, 10_000, 50);
      fs.appendFileSync(logFile, `${ts(Date.now())} fourth line\n${ts(Date.now(), 1)} fifth line\n`);
      await waitFor('the 2 appended lines', () => got.length >= 5, 10_000, 50);
      assert(got.join('|') === 'first line|second line|third line|fourth line|fifth line', `got ${JSON.stringify(got)}`);
      const open = await control('GET', `/control/streams?pod=${pod.metadata.name}`);
      assert(open.open.length === 1, `kubelet reports ${open.open.length} open streams`);
      const { dropped } = await control('POST', `/control/drop?pod=${pod.metadata.name}`);
      assert(dropped === 1, `dropped ${dropped}`);
      const end = await Promise.race([s.done, sleep(10_000).then(() => null)]);
      assert(end, 'stream still open 10 s after the drop');
      return `stream ended (${end.reason}) after the drop`;
    } finally {
      s.abort();
    }
  });

  await check('payments-dev: 403 listing pods in restricted, 200 in payments', async () => {
    const r = await dev.request('GET', '/api/v1/namespaces/restricted/pods');
    assert(r.status === 403, `restricted -> ${r.status}`);
    const ok = await dev.request('GET', `/api/v1/namespaces/${NS}/pods`);
    assert(ok.status === 200, `payments -> ${ok.status}`);
  });
}

async function cleanup() {
  await check('cleanup: Deployment deleted and its pod gone', async () => {
    await admin.must(
      'DELETE',
      `/apis/apps/v1/namespaces/${NS}/deployments/${NAME}`,
      { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground' },
      { ok: [200, 202, 404] },
    );
    await waitFor(
      'pods gone',
      async () => {
        const r = await admin.must('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3D${NAME}`);
        return r.json.items.length === 0;
      },
      60_000,
    );
    if (logFile) fs.rmSync(logFile, { force: true });
  });
}

try {
  await main();
} finally {
  await cleanup();
}
console.log(failures ? `smoke: ${failures} check(s) FAILED` : 'smoke: all checks PASSED');
process.exit(failures ? 1 : 0);
