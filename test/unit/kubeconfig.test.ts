// loadKubeConfig merges files as kubectl does, never writes them, and never runs credential plugins in
// an untrusted workspace.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import yaml from 'js-yaml';
import { listNamespaces } from '../../src/kube/explorer';
import { currentTarget, kubeconfigFiles, loadKubeConfig, withContext } from '../../src/kube/kubeconfig';

let dir: string;

function writeConfig(name: string, config: object): string {
  const path = join(dir, name);
  writeFileSync(path, yaml.dump({ apiVersion: 'v1', kind: 'Config', ...config }), { mode: 0o600 });
  return path;
}

const cluster = (name: string, server: string, extra: object = {}) => ({ name, cluster: { server, ...extra } });
const context = (name: string, clusterName: string, user: string, namespace?: string) => ({
  name,
  context: { cluster: clusterName, user, ...(namespace ? { namespace } : {}) },
});

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'fintech-k8s-kubeconfig-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('loadKubeConfig', () => {
  it('merges KUBECONFIG files as kubectl does: first definition and first current-context win', () => {
    const a = writeConfig('a.yaml', {
      clusters: [cluster('shared', 'https://a.example:6443')],
      users: [{ name: 'alice', user: { token: 'token-a' } }],
      contexts: [context('prod', 'shared', 'alice', 'payments')],
      'current-context': 'prod',
    });
    const b = writeConfig('b.yaml', {
      clusters: [cluster('shared', 'https://b.example:6443'), cluster('dev', 'https://dev.example:6443')],
      users: [
        { name: 'alice', user: { token: 'token-b' } },
        { name: 'bob', user: { 'client-certificate-data': 'Y2VydA==', 'client-key-data': 'a2V5' } },
      ],
      contexts: [context('prod', 'dev', 'bob'), context('dev', 'dev', 'bob', 'sandbox')],
      'current-context': 'dev',
    });
    const loaded = loadKubeConfig({ env: { KUBECONFIG: [a, join(dir, 'missing.yaml'), b, a].join(delimiter) }, allowExecAuth: true });

    assert.deepEqual(loaded.files, [a, b], 'missing files skipped, duplicates once');
    assert.deepEqual(loaded.problems, []);
    assert.equal(loaded.currentContext, 'prod');
    assert.equal(loaded.namespace, 'payments');
    assert.deepEqual(
      loaded.contexts.map((c) => [c.name, c.cluster, c.user, c.namespace, c.server, c.authKind]),
      [
        ['prod', 'shared', 'alice', 'payments', 'https://a.example:6443', 'token'],
        ['dev', 'dev', 'bob', 'sandbox', 'https://dev.example:6443', 'certificate'],
      ],
    );
    assert.equal(loaded.kubeConfig.getUser('alice')?.token, 'token-a');
  });

  it('resolves relative paths against the file that holds them', () => {
    const sub = join(dir, 'nested');
    rmSync(sub, { recursive: true, force: true });
    mkdirSync(sub);
    writeFileSync(join(sub, 'token'), 'file-token\n');
    const path = join(sub, 'config');
    writeFileSync(
      path,
      yaml.dump({
        clusters: [cluster('c', 'https://c.example', { 'certificate-authority': 'ca.crt' })],
        users: [{ name: 'u', user: { 'token-file': 'token', 'client-key': 'keys/u.key' } }],
        contexts: [context('ctx', 'c', 'u')],
        'current-context': 'ctx',
      }),
    );
    const loaded = loadKubeConfig({ kubeconfigPaths: [path], allowExecAuth: false });
    assert.equal(loaded.kubeConfig.getCluster('c')?.caFile, join(sub, 'ca.crt'));
    assert.equal(loaded.kubeConfig.getUser('u')?.keyFile, join(sub, 'keys/u.key'));
    assert.equal(loaded.kubeConfig.getUser('u')?.token, 'file-token\n');
    assert.equal(loaded.contexts[0].authKind, 'token');
  });

  it('falls back to ~/.kube/config, reports explicit files that are missing, and classifies users', () => {
    assert.deepEqual(kubeconfigFiles(undefined, { HOME: '/home/dev' }).files, [join('/home/dev', '.kube', 'config')]);
    const missing = loadKubeConfig({ kubeconfigPaths: [join(dir, 'nope.yaml')], allowExecAuth: false });
    assert.deepEqual(missing.problems, [`Kubeconfig file not found: ${join(dir, 'nope.yaml')}`]);
    assert.deepEqual(missing.contexts, []);
    assert.equal(missing.currentContext, undefined);

    const path = writeConfig('kinds.yaml', {
      clusters: [cluster('c', 'https://c.example')],
      users: [
        { name: 'oidc', user: { 'auth-provider': { name: 'oidc', config: { 'client-id': 'x', 'id-token': 'y' } } } },
        { name: 'basic', user: { username: 'u', password: 'p' } },
        {
          name: 'gcp',
          user: { 'auth-provider': { name: 'gcp', config: { 'cmd-path': '/usr/bin/gcloud', 'cmd-args': 'config config-helper' } } },
        },
        { name: 'anon', user: {} },
        { name: 'broken', user: { 'token-file': 'does-not-exist' } },
      ],
      contexts: ['oidc', 'basic', 'gcp', 'anon', 'broken', 'ghost'].map((u) => context(u, 'c', u)),
      'current-context': 'anon',
    });
    const loaded = loadKubeConfig({ kubeconfigPaths: [path], allowExecAuth: false });
    assert.deepEqual(
      loaded.contexts.map((c) => [c.name, c.authKind, c.execCommand, c.unusable !== undefined]),
      [
        ['oidc', 'oidc', undefined, false],
        ['basic', 'basic', undefined, false],
        ['gcp', 'exec', 'gcloud', true],
        ['anon', 'none', undefined, false],
        ['broken', 'token', undefined, true],
        ['ghost', 'none', undefined, false],
      ],
    );
    // The path and the reason, never "undefined".
    assert.deepEqual(loaded.problems, [
      `Cannot read the token file of user broken (${join(dir, 'does-not-exist')}): ENOENT: no such file or directory, open '${join(dir, 'does-not-exist')}'`,
    ]);
  });

  it('a context or namespace chosen in the extension changes an in-memory copy, never the file', () => {
    const path = writeConfig('switch.yaml', {
      clusters: [cluster('c', 'https://c.example')],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [context('one', 'c', 'u', 'payments'), context('two', 'c', 'u')],
      'current-context': 'one',
    });
    const before = readFileSync(path, 'utf8');
    const loaded = loadKubeConfig({ kubeconfigPaths: [path], allowExecAuth: false });
    const switched = withContext(loaded, 'two', 'ledger');

    assert.equal(switched.currentContext, 'two');
    assert.equal(switched.namespace, 'ledger');
    assert.deepEqual(currentTarget(switched.kubeConfig), { context: 'two', user: 'u', server: 'https://c.example', namespace: 'ledger' });
    assert.equal(switched.contexts.find((c) => c.name === 'two')?.namespace, 'ledger');
    assert.equal(loaded.kubeConfig.getCurrentContext(), 'one', 'the original is untouched');
    assert.equal(loaded.kubeConfig.getContextObject('two')?.namespace, undefined);
    assert.equal(readFileSync(path, 'utf8'), before, 'the file is untouched');
    assert.throws(() => withContext(loaded, 'three'), /No context named three/);

    const started = loadKubeConfig({ kubeconfigPaths: [path], allowExecAuth: false, context: 'two', namespace: 'ops' });
    assert.deepEqual([started.currentContext, started.namespace], ['two', 'ops']);
  });

  it('reports a file that is not YAML without quoting it (it may hold a token)', () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'users:\n  - name: x\n    user: { token: "sk-very-secret-token\n');
    const loaded = loadKubeConfig({ kubeconfigPaths: [path], allowExecAuth: false });
    assert.equal(loaded.problems.length, 1);
    assert.match(loaded.problems[0], /^Cannot read kubeconfig .*bad\.yaml: /);
    assert.ok(!loaded.problems[0].includes('sk-very-secret-token'));
  });
});

describe('exec credential plugins', () => {
  let marker: string;
  let path: string;

  before(() => {
    marker = join(dir, 'plugin-ran');
    const script = join(dir, 'aws');
    // A plugin that leaves a trace, then prints a valid ExecCredential.
    writeFileSync(
      script,
      `#!/bin/sh\ntouch '${marker}'\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin"}}'\n`,
    );
    chmodSync(script, 0o755);
    path = writeConfig('exec.yaml', {
      // Port 9 (discard) on loopback: nothing answers, and nothing should be asked anyway.
      clusters: [cluster('eks', 'https://127.0.0.1:9', { 'insecure-skip-tls-verify': true })],
      users: [
        {
          name: 'eks-user',
          user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './aws', args: ['eks', 'get-token'] } },
        },
      ],
      contexts: [context('eks', 'eks', 'eks-user', 'payments')],
      'current-context': 'eks',
    });
  });

  it('are never run in an untrusted workspace: the context is marked, requests fail clearly', async () => {
    const loaded = loadKubeConfig({ kubeconfigPaths: [path], allowExecAuth: false });
    const expected = 'This context authenticates with an exec plugin (aws): trust the workspace to use it';
    assert.deepEqual(loaded.contexts[0], {
      name: 'eks',
      cluster: 'eks',
      user: 'eks-user',
      namespace: 'payments',
      server: 'https://127.0.0.1:9',
      authKind: 'exec',
      execCommand: 'aws',
      unusable: expected,
    });
    assert.deepEqual(await listNamespaces(loaded.kubeConfig), { ok: false, error: { kind: 'untrusted', message: expected } });
    // Still refused after switching context on the in-memory copy.
    assert.deepEqual(await listNamespaces(withContext(loaded, 'eks', 'other').kubeConfig), {
      ok: false,
      error: { kind: 'untrusted', message: expected },
    });
    assert.equal(existsSync(marker), false, 'the plugin must not have run');
  });

  it('run, relative to their kubeconfig, once the workspace is trusted', async () => {
    const loaded = loadKubeConfig({ kubeconfigPaths: [path], allowExecAuth: true });
    assert.equal(loaded.contexts[0].unusable, undefined);
    const result = await listNamespaces(loaded.kubeConfig, { timeoutMs: 5_000 });
    assert.equal(result.ok, false); // nothing listens on the cluster port
    assert.equal(existsSync(marker), true, 'the plugin ran (so the test above would have noticed)');
  });
});

describe('every way a kubeconfig names a program', () => {
  let marker: string;
  let script: string;

  before(() => {
    marker = join(dir, 'any-plugin-ran');
    script = join(dir, 'credential-helper');
    writeFileSync(script, `#!/bin/sh\ntouch '${marker}'\necho '{"token_expiry":"2099-01-01T00:00:00Z","access_token":"t"}'\n`);
    chmodSync(script, 0o755);
  });

  const forms = (): [string, object][] => [
    ['exec', { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: script } }],
    ['exec with a list command', { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: [script] } }],
    ['an auth-provider named exec', { 'auth-provider': { name: 'exec', config: {} } }],
    ['an auth-provider with config.exec', { 'auth-provider': { name: 'custom', config: { exec: { command: script } } } }],
    ['gcp cmd-path', { 'auth-provider': { name: 'gcp', config: { 'cmd-path': script } } }],
    ['gcp cmd-path as a list', { 'auth-provider': { name: 'gcp', config: { 'cmd-path': [script, 'config'] } } }],
    ['azure cmd-path', { 'auth-provider': { name: 'azure', config: { 'cmd-path': script } } }],
    ['an unknown provider with cmd-path', { 'auth-provider': { name: 'vendor', config: { 'cmd-path': script } } }],
  ];

  for (const [index, [form]] of forms().entries()) {
    it(`${form}: a plugin, never run in an untrusted workspace`, async () => {
      const [, user] = forms()[index];
      const path = writeConfig(`program-${index}.yaml`, {
        clusters: [cluster('c', 'https://127.0.0.1:9', { 'insecure-skip-tls-verify': true })],
        users: [{ name: 'u', user }],
        contexts: [context('c', 'c', 'u')],
        'current-context': 'c',
      });
      const loaded = loadKubeConfig({ kubeconfigPaths: [path], allowExecAuth: false });
      assert.equal(loaded.contexts[0].authKind, 'exec', form);
      assert.match(loaded.contexts[0].unusable ?? '', /exec plugin.*trust the workspace/);
      const result = await listNamespaces(loaded.kubeConfig, { timeoutMs: 5_000 });
      assert.equal(result.ok ? 'ok' : result.error.kind, 'untrusted');
      assert.equal(existsSync(marker), false, `${form} ran`);
    });
  }

  it('a cmd-path list is refused even when trusted: it would run through a shell', async () => {
    const path = writeConfig('program-list-trusted.yaml', {
      clusters: [cluster('c', 'https://127.0.0.1:9', { 'insecure-skip-tls-verify': true })],
      users: [{ name: 'u', user: { 'auth-provider': { name: 'gcp', config: { 'cmd-path': [script, '; touch x'] } } } }],
      contexts: [context('c', 'c', 'u')],
      'current-context': 'c',
    });
    const loaded = loadKubeConfig({ kubeconfigPaths: [path], allowExecAuth: true });
    assert.match(loaded.contexts[0].unusable ?? '', /auth-provider "cmd-path" is not a string/);
    const result = await listNamespaces(loaded.kubeConfig, { timeoutMs: 5_000 });
    assert.equal(result.ok, false);
    assert.equal(existsSync(marker), false, 'the helper ran');
  });
});
