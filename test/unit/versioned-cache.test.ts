// The Clusters view's compliance answers: one per object version, stale answers dropped, departed objects evicted;
// and the workload version they key on moves with the spec and annotations, not with status.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarizeWorkload, type KubeObject } from '../../src/kube/explorer';
import { VersionedCache } from '../../src/views/versioned-cache';

describe('VersionedCache', () => {
  it('answers a version once: asking again while it is worked out or after starts nothing', () => {
    const cache = new VersionedCache<string>();
    assert.equal(cache.has('ns/Deployment/api', 'v1'), false);
    cache.start('ns/Deployment/api', 'v1');
    assert.equal(cache.has('ns/Deployment/api', 'v1'), true, 'in flight');
    assert.equal(cache.finish('ns/Deployment/api', 'v1', '2 errors'), true);
    assert.equal(cache.has('ns/Deployment/api', 'v1'), true, 'answered');
    assert.equal(cache.has('ns/Deployment/api', 'v2'), false, 'a new version is asked again');
    assert.equal(cache.get('ns/Deployment/api'), '2 errors');
  });

  it('drops an answer made stale by a newer version or by eviction', () => {
    const cache = new VersionedCache<string>();
    cache.start('a', 'v1');
    cache.start('a', 'v2');
    assert.equal(cache.finish('a', 'v1', 'old'), false);
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.finish('a', 'v2', 'new'), true);
    cache.start('b', 'v1');
    cache.retain(() => true, ['a']);
    assert.equal(cache.finish('b', 'v1', 'gone'), false, 'b left the listing while it was analysed');
    assert.equal(cache.get('a'), 'new');
    assert.equal(cache.size, 1);
  });

  it('evicts only objects of the listing in scope that are no longer in it', () => {
    const cache = new VersionedCache<string>();
    for (const id of ['ctx/payments/Deployment/api', 'ctx/payments/Deployment/old', 'ctx/ledger/Deployment/old']) {
      cache.start(id, '1');
      cache.finish(id, '1', id);
    }
    cache.retain((id) => id.startsWith('ctx/payments/'), ['ctx/payments/Deployment/api']);
    assert.equal(cache.get('ctx/payments/Deployment/old'), undefined);
    assert.equal(cache.get('ctx/payments/Deployment/api'), 'ctx/payments/Deployment/api');
    assert.equal(cache.get('ctx/ledger/Deployment/old'), 'ctx/ledger/Deployment/old', 'another namespace is untouched');
  });

  it('shows a failure but asks again for the same version', () => {
    const cache = new VersionedCache<string>();
    cache.start('a', 'v1');
    cache.finish('a', 'v1', 'timed out', true);
    assert.equal(cache.get('a'), 'timed out');
    assert.equal(cache.has('a', 'v1'), false);
  });
});

describe('workload version', () => {
  const deployment = (generation: number, readyReplicas: number, annotations?: Record<string, string>): KubeObject => ({
    metadata: { name: 'api', namespace: 'payments', uid: 'u1', generation, resourceVersion: String(100 + readyReplicas), annotations },
    spec: { replicas: 2, selector: { matchLabels: { app: 'api' } } },
    status: { readyReplicas },
  });
  const version = (object: KubeObject) => summarizeWorkload('Deployment', 'apps/v1', object).version;

  it('stays when only the status moves, and changes with the spec generation or the annotations', () => {
    assert.equal(version(deployment(3, 1)), version(deployment(3, 2)));
    assert.notEqual(version(deployment(3, 1)), version(deployment(4, 1)));
    assert.notEqual(version(deployment(3, 1)), version(deployment(3, 1, { 'ignore.fintech-k8s.io/cpu-limits': 'batch job' })));
  });
});
