// Log tailing against the real API server's log proxy and the harness's fake kubelet: every container of
// a workload's pods with `[pod/container]` prefixes, follow across forced disconnects with no duplicate
// and no missing line, redaction of a streamed card number, tailLines/sinceSeconds, a pod joining on
// scale-up and one going away on scale-down, and abort closing every stream.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { tailLogs, type LogTarget, type TailOptions } from '../../src/kube/logs';
import { adminKubeConfig, clusterSkipReason } from './support/cluster';
import {
  appendLog,
  dropStreams,
  kubeletHarness,
  openStreams,
  RecordingSink,
  runningPods,
  stamp,
  waitForOpenStreams,
  waitForPods,
  type KubeletHarness,
} from './support/logs';

const NAMESPACE = `logs-${process.pid}-${Date.now().toString(36)}`;
const SELECTOR = 'app=ledger';
const CONTAINERS = ['app', 'audit'];
const harness = kubeletHarness();
const skip =
  clusterSkipReason() || (harness ? false : 'no fake kubelet (FINTECH_K8S_TEST_KUBELET_CONTROL): log tests need the harness cluster');

const FOLLOW: TailOptions = { follow: true, timestamps: false, redact: true };

function deployment(replicas: number): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ledger', namespace: NAMESPACE },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'ledger' } },
      template: {
        metadata: { labels: { app: 'ledger' } },
        spec: { containers: CONTAINERS.map((name) => ({ name, image: `registry.example.com/ledger/${name}:1.0` })) },
      },
    },
  } as KubernetesObject;
}

/** Runs a tail in the background; `stop` aborts it and waits for it to settle. */
function startTail(kc: KubeConfig, target: LogTarget, options: TailOptions, sink: RecordingSink) {
  const controller = new AbortController();
  const done = tailLogs(kc, target, options, sink, controller.signal);
  return {
    done,
    /** Aborts, then waits until the API server has closed its kubelet streams too (the next test counts them). */
    async stop() {
      controller.abort();
      await done;
      await waitForOpenStreams(harness!, { namespace: NAMESPACE }, 0);
    },
  };
}

function nowSecond(): number {
  return Math.floor(Date.now() / 1000);
}

describe('log tailing against the harness cluster', { skip }, () => {
  let kc: KubeConfig;
  let api: KubernetesObjectApi;
  let pods: string[] = [];
  const kubelet = harness as KubeletHarness;

  before(async () => {
    kc = adminKubeConfig();
    api = KubernetesObjectApi.makeApiClient(kc);
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    await api.create(deployment(2));
    await api.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'solo', namespace: NAMESPACE, labels: { app: 'solo' } },
      spec: { containers: [{ name: 'main', image: 'registry.example.com/solo:1.0' }] },
    } as KubernetesObject);
    const running = await waitForPods(kc, NAMESPACE, SELECTOR, (p) => runningPods(p).length === 2);
    pods = running.map((p) => p.metadata!.name!).sort();
    await waitForPods(kc, NAMESPACE, 'app=solo', (p) => runningPods(p).length === 1);
  });

  const scale = (replicas: number) =>
    api.patch(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'ledger', namespace: NAMESPACE },
        spec: { replicas },
      } as KubernetesObject,
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );

  after(async () => {
    await api?.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }).catch(() => undefined);
  });

  it('follows every container of both pods of a workload, each line with its [pod/container] prefix', { timeout: 60_000 }, async () => {
    const s = nowSecond();
    for (const pod of pods)
      for (const c of CONTAINERS) appendLog(kubelet, NAMESPACE, pod, c, [{ timestamp: stamp(s, 1), text: `hello from ${pod}/${c}` }]);

    const sink = new RecordingSink();
    const tail = startTail(kc, { namespace: NAMESPACE, labelSelector: SELECTOR }, FOLLOW, sink);
    try {
      await waitForOpenStreams(kubelet, { namespace: NAMESPACE }, pods.length * CONTAINERS.length);
      for (const pod of pods)
        for (const c of CONTAINERS) appendLog(kubelet, NAMESPACE, pod, c, [{ timestamp: stamp(s, 2), text: `later ${pod}/${c}` }]);
      await sink.until(() => sink.lines.filter((l) => l.text.startsWith('later ')).length === 4, 'the appended lines');
      for (const pod of pods) {
        for (const c of CONTAINERS) {
          assert.deepEqual(sink.textsOf(`[${pod}/${c}]`), [`hello from ${pod}/${c}`, `later ${pod}/${c}`]);
        }
      }
      assert.equal(sink.lines.length, 8, 'nothing but these lines');
    } finally {
      await tail.stop();
    }
  });

  it('resumes after forced disconnects with no duplicate and no missing line', { timeout: 60_000 }, async () => {
    const sink = new RecordingSink();
    const tail = startTail(kc, { namespace: NAMESPACE, labelSelector: SELECTOR }, { ...FOLLOW, tailLines: 0 }, sink);
    const written = new Map<string, string[]>(pods.map((p) => [p, []]));
    const write = (entries: { timestamp: string; text: string }[]) => {
      for (const pod of pods) {
        appendLog(kubelet, NAMESPACE, pod, 'app', entries);
        written.get(pod)!.push(...entries.map((e) => e.text));
      }
    };
    try {
      await waitForOpenStreams(kubelet, { namespace: NAMESPACE, container: 'app' }, pods.length);

      // Crafted: several lines in one second, two identical (same instant, same text), then a drop while
      // the last delivered second is still "open": the resume repeats that second.
      const s = nowSecond();
      write([
        { timestamp: stamp(s, 100_000_000), text: 'before drop' },
        { timestamp: stamp(s, 200_000_000), text: 'same second' },
        { timestamp: stamp(s, 200_000_000), text: 'same second' },
        { timestamp: stamp(s, 300_000_000), text: 'tick' },
      ]);
      const arrived = (n: number) => () => pods.every((p) => sink.textsOf(`[${p}/app]`).length >= n);
      await sink.until(arrived(4), 'the lines before the drop');
      assert.equal(await dropStreams(kubelet, { namespace: NAMESPACE, container: 'app' }), pods.length);
      // During the drop: an identical line at the very instant last delivered, and a new one in that second.
      write([
        { timestamp: stamp(s, 300_000_000), text: 'tick' },
        { timestamp: stamp(s, 400_000_000), text: 'during drop' },
      ]);
      await sink.until(arrived(6), 'the lines written during the drop');
      write([
        { timestamp: stamp(s, 400_000_000), text: 'same second' },
        { timestamp: stamp(s + 1, 0), text: 'after drop' },
      ]);
      await sink.until(arrived(8), 'the lines written after the reconnect');

      // Continuous: a writer appends every 20 ms (often several lines per second, every fifth write a pair
      // of identical lines) while the streams are cut twice more.
      let n = 0;
      let last = BigInt(s + 1) * 1_000_000_000n; // strictly after the crafted lines: log timestamps only grow
      const writer = setInterval(() => {
        const now = BigInt(Date.now()) * 1_000_000n;
        last = now > last ? now : last + 1n;
        const timestamp = stamp(Number(last / 1_000_000_000n), Number(last % 1_000_000_000n));
        const entries = [{ timestamp, text: `seq ${n}` }];
        if (n % 5 === 0) entries.push({ timestamp, text: `seq ${n}` });
        write(entries);
        n++;
      }, 20);
      try {
        for (const pause of [300, 400]) {
          await new Promise((resolve) => setTimeout(resolve, pause));
          await waitForOpenStreams(kubelet, { namespace: NAMESPACE, container: 'app' }, pods.length);
          assert.equal(await dropStreams(kubelet, { namespace: NAMESPACE, container: 'app' }), pods.length);
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
      } finally {
        clearInterval(writer);
      }
      write([{ timestamp: stamp(nowSecond() + 2, 5), text: 'the end' }]);
      await sink.until(() => pods.every((p) => sink.textsOf(`[${p}/app]`).includes('the end')), 'the last line');
      // A replayed line would come before a later one on the same stream: one more line proves the
      // streams have delivered everything before it.
      write([{ timestamp: stamp(nowSecond() + 3, 5), text: 'caught up' }]);
      await sink.until(() => pods.every((p) => sink.textsOf(`[${p}/app]`).includes('caught up')), 'the line after the last');

      for (const pod of pods) {
        assert.deepEqual(sink.textsOf(`[${pod}/app]`), written.get(pod), `exact sequence for ${pod}`);
        assert.equal(
          sink.statuses.filter((m) => m.startsWith(`[${pod}/app] log stream ended; resuming from`)).length,
          3,
          `three resumes for ${pod}`,
        );
      }
      assert.ok(n > 30, `the writer ran (${n} writes)`);
      assert.deepEqual(
        sink.lines.filter((l) => !l.prefix.endsWith('/app]')),
        [],
        'the audit containers (tailLines 0, nothing written) stay quiet',
      );
    } finally {
      await tail.stop();
    }
  });

  it(
    'masks a Luhn-valid card number in a streamed log to its last four digits, and leaves an order id alone',
    { timeout: 60_000 },
    async () => {
      const pod = pods[0];
      const sink = new RecordingSink();
      const tail = startTail(kc, { namespace: NAMESPACE, pod, container: 'audit' }, { ...FOLLOW, tailLines: 0 }, sink);
      try {
        await waitForOpenStreams(kubelet, { namespace: NAMESPACE, pod, container: 'audit' }, 1);
        const s = nowSecond();
        appendLog(kubelet, NAMESPACE, pod, 'audit', [
          { timestamp: stamp(s, 10), text: 'charge accepted card=4111 1111 1111 1111 amount=12.50 EUR' },
          { timestamp: stamp(s, 20), text: 'order 4111111111111112 settled' },
          { timestamp: stamp(s, 30), text: 'login user=ops password=hunter2' },
        ]);
        await sink.until(() => sink.lines.length === 3, 'three lines');
        assert.deepEqual(sink.textsOf(`[${pod}/audit]`), [
          'charge accepted card=**** **** **** 1111 amount=12.50 EUR',
          'order 4111111111111112 settled',
          'login user=ops password=***',
        ]);
      } finally {
        await tail.stop();
      }

      // With redaction off the same log reads in clear (the masking above is the redactor's doing).
      const plain = new RecordingSink();
      await tailLogs(
        kc,
        { namespace: NAMESPACE, pod, container: 'audit' },
        { follow: false, timestamps: false, redact: false, tailLines: 3 },
        plain,
        new AbortController().signal,
      );
      assert.equal(plain.lines[0].text, 'charge accepted card=4111 1111 1111 1111 amount=12.50 EUR');
    },
  );

  it('follows a changed redaction setting on a running tail, line by line', { timeout: 60_000 }, async () => {
    const pod = pods[0];
    const sink = new RecordingSink();
    let redact = false;
    const tail = startTail(kc, { namespace: NAMESPACE, pod, container: 'audit' }, { ...FOLLOW, tailLines: 0, redact: () => redact }, sink);
    try {
      await waitForOpenStreams(kubelet, { namespace: NAMESPACE, pod, container: 'audit' }, 1);
      const s = nowSecond();
      appendLog(kubelet, NAMESPACE, pod, 'audit', [{ timestamp: stamp(s, 40), text: 'refund card=4111 1111 1111 1111' }]);
      await sink.until(() => sink.lines.length === 1, 'the line before the change');
      redact = true; // the user turned fintechK8s.logs.redact on while the tail ran
      appendLog(kubelet, NAMESPACE, pod, 'audit', [{ timestamp: stamp(s, 50), text: 'refund card=4111 1111 1111 1111' }]);
      await sink.until(() => sink.lines.length === 2, 'the line after the change');
      assert.deepEqual(sink.textsOf(`[${pod}/audit]`), ['refund card=4111 1111 1111 1111', 'refund card=**** **** **** 1111']);
    } finally {
      await tail.stop();
    }
  });

  it('honours tailLines, sinceSeconds and timestamps for a single pod', { timeout: 60_000 }, async () => {
    const now = nowSecond();
    const old = Array.from({ length: 5 }, (_, i) => ({ timestamp: stamp(now - 7200, i * 1000 + 1), text: `old ${i}` }));
    const recent = Array.from({ length: 5 }, (_, i) => ({ timestamp: stamp(now - 5, i * 1000 + 123), text: `recent ${i}` }));
    appendLog(kubelet, NAMESPACE, 'solo', 'main', [...old, ...recent]);
    const target = { namespace: NAMESPACE, pod: 'solo' };
    const once = async (options: Partial<TailOptions>) => {
      const sink = new RecordingSink();
      await tailLogs(kc, target, { follow: false, timestamps: false, redact: true, ...options }, sink, new AbortController().signal);
      assert.ok(sink.lines.every((l) => l.prefix === '[solo/main]'));
      return sink.lines.map((l) => l.text);
    };

    assert.deepEqual(
      await once({}),
      [...old, ...recent].map((e) => e.text),
    );
    assert.deepEqual(await once({ tailLines: 3 }), ['recent 2', 'recent 3', 'recent 4']);
    assert.deepEqual(
      await once({ sinceSeconds: 600 }),
      recent.map((e) => e.text),
    );
    assert.deepEqual(await once({ tailLines: 2, timestamps: true }), [
      `${recent[3].timestamp} recent 3`,
      `${recent[4].timestamp} recent 4`,
    ]);

    // Follow with a window: the window first, then what is appended.
    const sink = new RecordingSink();
    const tail = startTail(kc, target, { ...FOLLOW, tailLines: 1 }, sink);
    try {
      await waitForOpenStreams(kubelet, { namespace: NAMESPACE, pod: 'solo' }, 1);
      appendLog(kubelet, NAMESPACE, 'solo', 'main', [{ timestamp: stamp(nowSecond(), 7), text: 'appended' }]);
      await sink.until(() => sink.lines.length === 2, 'the appended line');
      assert.deepEqual(sink.textsOf('[solo/main]'), ['recent 4', 'appended']);
    } finally {
      await tail.stop();
    }

    await assert.rejects(
      tailLogs(kc, { ...target, container: 'nope' }, FOLLOW, new RecordingSink(), new AbortController().signal),
      /Container nope is not in pod solo \(containers: main\)/,
    );
    await assert.rejects(
      tailLogs(kc, { namespace: NAMESPACE, pod: 'missing' }, FOLLOW, new RecordingSink(), new AbortController().signal),
      /Not found: pod missing/,
    );
  });

  it('joins a pod that appears on scale-up and notes the one that goes away on scale-down', { timeout: 90_000 }, async () => {
    const sink = new RecordingSink();
    const tail = startTail(kc, { namespace: NAMESPACE, labelSelector: SELECTOR }, { ...FOLLOW, tailLines: 0 }, sink);
    try {
      await waitForOpenStreams(kubelet, { namespace: NAMESPACE, container: 'app' }, pods.length);
      await scale(3);
      const three = await waitForPods(kc, NAMESPACE, SELECTOR, (p) => runningPods(p).length === 3);
      const added = three.map((p) => p.metadata!.name!).find((name) => !pods.includes(name))!;
      await sink.until(() => sink.statuses.includes(`pod ${added} joined`), 'the join note');
      await waitForOpenStreams(kubelet, { namespace: NAMESPACE, pod: added }, CONTAINERS.length);
      appendLog(kubelet, NAMESPACE, added, 'app', [{ timestamp: stamp(nowSecond(), 9), text: 'first words of the new pod' }]);
      await sink.until(() => sink.textsOf(`[${added}/app]`).length === 1, 'a line of the new pod');
      assert.deepEqual(sink.textsOf(`[${added}/app]`), ['first words of the new pod']);

      await scale(2);
      const two = await waitForPods(kc, NAMESPACE, SELECTOR, (p) => p.length === 2);
      const removed = three.map((p) => p.metadata!.name!).find((name) => !two.some((p) => p.metadata!.name === name))!;
      await sink.until(() => sink.statuses.includes(`pod ${removed} went away`), 'the went-away note');
      pods = two.map((p) => p.metadata!.name!).sort();
      assert.equal(sink.statuses.filter((m) => m === `pod ${removed} went away`).length, 1, 'noted once');
    } finally {
      await tail.stop();
    }
  });

  it('stops every stream on abort', { timeout: 60_000 }, async () => {
    const sink = new RecordingSink();
    const controller = new AbortController();
    const done = tailLogs(kc, { namespace: NAMESPACE, labelSelector: SELECTOR }, { ...FOLLOW, tailLines: 0 }, sink, controller.signal);
    await waitForOpenStreams(kubelet, { namespace: NAMESPACE }, pods.length * CONTAINERS.length);
    controller.abort();
    const settled = await Promise.race([
      done.then(() => 'resolved'),
      new Promise((resolve) => setTimeout(() => resolve('still running'), 5_000)),
    ]);
    assert.equal(settled, 'resolved');
    // The API server closes its kubelet connections once ours are gone.
    await waitForOpenStreams(kubelet, { namespace: NAMESPACE }, 0);
    for (const pod of pods) appendLog(kubelet, NAMESPACE, pod, 'app', [{ timestamp: stamp(nowSecond(), 11), text: 'after abort' }]);
    // A fresh read that sees the new lines proves they were there to be streamed; the aborted tail got none.
    const check = new RecordingSink();
    await tailLogs(
      kc,
      { namespace: NAMESPACE, labelSelector: SELECTOR },
      { follow: false, timestamps: false, redact: false },
      check,
      new AbortController().signal,
    );
    assert.ok(
      check.lines.some((line) => line.text === 'after abort'),
      'the fresh read saw the new lines',
    );
    assert.deepEqual(sink.lines, []);
    assert.deepEqual(await openStreams(kubelet, { namespace: NAMESPACE }), []);
  });
});
