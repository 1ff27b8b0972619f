// watchList's state machine on a fake transport: resume from the last resourceVersion, re-list on 410
// Gone, back off and reconnect after drops (bounded), stop on fatal errors and on abort.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiException, KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { describePath, watchList, type Query, type RawWatchEvent, type WatchTransport } from '../../src/kube/watch';

const cm = (name: string, resourceVersion: string): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, resourceVersion },
});

type Step =
  { list: { names: string[]; resourceVersion: string } } | { watch: RawWatchEvent[]; end?: 'close' | Error } | { listError: Error };

/** Plays `steps` in order; records each call's query; aborts `controller` when the script runs out. */
function scriptedTransport(steps: Step[], controller: AbortController): WatchTransport & { calls: { op: string; query: Query }[] } {
  const calls: { op: string; query: Query }[] = [];
  const take = (op: string, query: Query) => {
    calls.push({ op, query });
    const step = steps.shift();
    if (!step) controller.abort();
    return step;
  };
  return {
    calls,
    list: async (_path, query) => {
      const step = take('list', query);
      if (step && 'listError' in step) throw step.listError;
      if (!step || !('list' in step)) return { items: [], resourceVersion: '0' };
      return { items: step.list.names.map((n) => cm(n, step.list.resourceVersion)), resourceVersion: step.list.resourceVersion };
    },
    watch: async (_path, query, _signal, onEvent) => {
      const step = take('watch', query);
      if (!step || !('watch' in step)) return;
      for (const event of step.watch) if (onEvent(event) === false) return;
      if (step.end instanceof Error) throw step.end;
    },
  };
}

function recorder() {
  const log: string[] = [];
  const errors: { message: string; retrying: boolean; attempt: number }[] = [];
  return {
    log,
    errors,
    handlers: {
      onRelist: (items: KubernetesObject[]) => log.push(`relist ${items.map((i) => i.metadata!.name).join(',')}`),
      onEvent: (type: string, object: KubernetesObject) => log.push(`${type} ${object.metadata!.name}`),
      onError: (error: { message: string }, state: { retrying: boolean; attempt: number }) =>
        errors.push({ message: error.message, ...state }),
    },
  };
}

const kubeConfig = new KubeConfig();
kubeConfig.loadFromOptions({
  clusters: [{ name: 'c', server: 'https://10.0.0.1:6443', skipTLSVerify: false }],
  users: [{ name: 'payments-dev' }],
  contexts: [{ name: 'dev', cluster: 'c', user: 'payments-dev' }],
  currentContext: 'dev',
});
const PATH = '/api/v1/namespaces/payments/configmaps';
const fast = { initialDelayMs: 1, maxDelayMs: 4 };
const gone: RawWatchEvent = {
  type: 'ERROR',
  object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 5 (20)' },
};

// A bug in the state machine hangs a watch: each test fails after this long instead of hanging CI.
describe('watchList', { timeout: 10_000 }, () => {
  it('lists, watches from the list resourceVersion, and resumes from the last event after a routine end', async () => {
    const controller = new AbortController();
    const transport = scriptedTransport(
      [
        { list: { names: ['a'], resourceVersion: '10' } },
        {
          watch: [
            { type: 'ADDED', object: cm('b', '11') },
            { type: 'BOOKMARK', object: cm('', '15') },
          ],
        },
        { watch: [{ type: 'DELETED', object: cm('a', '16') }] },
      ],
      controller,
    );
    const { log, errors, handlers } = recorder();
    await watchList(kubeConfig, PATH, { labelSelector: 'app=ledger' }, handlers, controller.signal, { transport, ...fast });

    assert.deepEqual(log, ['relist a', 'ADDED b', 'DELETED a']);
    assert.deepEqual(errors, []);
    const watches = transport.calls.filter((c) => c.op === 'watch');
    assert.deepEqual(
      watches.map((c) => c.query.resourceVersion),
      ['10', '15', '16'],
      'each watch starts where the last one stopped (bookmarks count)',
    );
    assert.equal(watches[0].query.labelSelector, 'app=ledger');
    assert.equal(watches[0].query.allowWatchBookmarks, true);
  });

  it('re-lists on 410 Gone instead of reporting an error, then watches from the new list', async () => {
    const controller = new AbortController();
    const transport = scriptedTransport(
      [
        { list: { names: ['a'], resourceVersion: '5' } },
        { watch: [gone] },
        { list: { names: ['a', 'b', 'c'], resourceVersion: '20' } },
        { watch: [{ type: 'MODIFIED', object: cm('c', '21') }] },
      ],
      controller,
    );
    const { log, errors, handlers } = recorder();
    await watchList(kubeConfig, PATH, {}, handlers, controller.signal, { transport, ...fast });

    assert.deepEqual(log, ['relist a', 'relist a,b,c', 'MODIFIED c']);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      transport.calls.map((c) => `${c.op}${c.query.resourceVersion ? ` @${c.query.resourceVersion}` : ''}`),
      ['list', 'watch @5', 'list', 'watch @20', 'watch @21'],
    );
  });

  it('reconnects after a dropped connection from the last resourceVersion, reporting the retry', async () => {
    const controller = new AbortController();
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const transport = scriptedTransport(
      [
        { list: { names: [], resourceVersion: '7' } },
        { watch: [{ type: 'ADDED', object: cm('x', '8') }], end: reset },
        { watch: [{ type: 'ADDED', object: cm('y', '9') }] },
      ],
      controller,
    );
    const { log, errors, handlers } = recorder();
    await watchList(kubeConfig, PATH, {}, handlers, controller.signal, { transport, ...fast });

    assert.deepEqual(log, ['relist ', 'ADDED x', 'ADDED y']);
    assert.deepEqual(errors, [
      { message: 'Unreachable: cannot connect to https://10.0.0.1:6443 (connection reset)', retrying: true, attempt: 1 },
    ]);
    assert.deepEqual(
      transport.calls.filter((c) => c.op === 'watch').map((c) => c.query.resourceVersion),
      ['7', '8', '9'],
    );
  });

  it('gives up after maxAttempts consecutive failures, saying so', async () => {
    const controller = new AbortController();
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const transport = scriptedTransport(
      Array.from({ length: 10 }, () => ({ listError: refused })),
      controller,
    );
    const { errors, handlers } = recorder();
    await watchList(kubeConfig, PATH, {}, handlers, controller.signal, { transport, ...fast, maxAttempts: 3 });

    assert.deepEqual(
      errors.map((e) => [e.retrying, e.attempt]),
      [
        [true, 1],
        [true, 2],
        [false, 3],
      ],
    );
    assert.equal(transport.calls.length, 3);
    assert.equal(controller.signal.aborted, false, 'stopped by the bound, not by running out of script');
  });

  it('stops at once on forbidden, with the clear message', async () => {
    const controller = new AbortController();
    const body = JSON.stringify({
      kind: 'Status',
      message: 'configmaps is forbidden: User "payments-dev" cannot list resource "configmaps"',
      code: 403,
    });
    const transport = scriptedTransport([{ listError: new ApiException(403, 'Forbidden', body, {}) }], controller);
    const { errors, handlers } = recorder();
    await watchList(kubeConfig, PATH, {}, handlers, controller.signal, { transport, ...fast });

    assert.deepEqual(errors, [
      { message: 'Forbidden: cannot list configmaps in namespace payments as user payments-dev', retrying: false, attempt: 1 },
    ]);
  });

  it('a non-410 ERROR event is reported and followed by a fresh list', async () => {
    const controller = new AbortController();
    const transport = scriptedTransport(
      [
        { list: { names: ['a'], resourceVersion: '3' } },
        { watch: [{ type: 'ERROR', object: { kind: 'Status', code: 500, message: 'internal error' } }] },
        { list: { names: ['a'], resourceVersion: '9' } },
      ],
      controller,
    );
    const { log, errors, handlers } = recorder();
    await watchList(kubeConfig, PATH, {}, handlers, controller.signal, { transport, ...fast });

    assert.deepEqual(log, ['relist a', 'relist a']);
    assert.deepEqual(
      errors.map((e) => [e.message, e.retrying]),
      [['Server error 500 while trying to watch configmaps in namespace payments: internal error', true]],
    );
  });

  it('resolves promptly when aborted while waiting to reconnect', async () => {
    const controller = new AbortController();
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const transport = scriptedTransport([{ listError: refused }, { listError: refused }], controller);
    const { handlers } = recorder();
    const done = watchList(kubeConfig, PATH, {}, { ...handlers, onError: () => controller.abort() }, controller.signal, {
      transport,
      initialDelayMs: 3_600_000,
    });
    await done; // would hang for an hour if the backoff sleep ignored the signal
    assert.equal(transport.calls.length, 1);
  });
});

describe('describePath', () => {
  it('reads resource and namespace from API paths', () => {
    assert.deepEqual(describePath('/api/v1/namespaces/payments/pods'), { resource: 'pods', namespace: 'payments' });
    assert.deepEqual(describePath('/apis/apps/v1/namespaces/payments/deployments'), { resource: 'deployments', namespace: 'payments' });
    assert.deepEqual(describePath('/api/v1/namespaces'), { resource: 'namespaces', namespace: undefined });
    assert.deepEqual(describePath('/apis/rbac.authorization.k8s.io/v1/clusterroles'), { resource: 'clusterroles', namespace: undefined });
  });
});
