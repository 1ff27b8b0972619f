// describeKubeError on the errors client-node, node's sockets and our transport really throw: one clear
// line per case, and never a credential.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiException } from '@kubernetes/client-node';
import { describeKubeError, KubeTimeoutError, UnusableCredentialsError } from '../../src/kube/errors';

const listPods = {
  verb: 'list',
  resource: 'pods',
  namespace: 'restricted',
  context: 'dev-payments',
  user: 'payments-dev',
  server: 'https://10.0.0.1:6443',
};

function status(code: number, message: string, reason = ''): ApiException<string> {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code });
  return new ApiException(code, `HTTP-Code: ${code}\nMessage: Unknown API Status Code!\nBody: ${JSON.stringify(body)}`, body, {});
}

function systemError(code: string, extra: object = {}): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1234`), {
    code,
    errno: -111,
    syscall: 'connect',
    address: '127.0.0.1',
    port: 1234,
    ...extra,
  });
}

describe('describeKubeError', () => {
  it('RBAC 403: verb, resource, namespace and the user the API server names', () => {
    const error = status(
      403,
      'pods is forbidden: User "payments-dev" cannot list resource "pods" in API group "" in the namespace "restricted"',
      'Forbidden',
    );
    assert.deepEqual(describeKubeError(error, listPods), {
      kind: 'forbidden',
      message: 'Forbidden: cannot list pods in namespace restricted as user payments-dev',
    });
  });

  it('RBAC 403 for an exec-plugin identity names the identity the server saw, not the kubeconfig entry', () => {
    const error = status(
      403,
      'namespaces is forbidden: User "arn:aws:iam::1:role/dev" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
    assert.deepEqual(describeKubeError(error, { verb: 'list', resource: 'namespaces', user: 'eks-user' }), {
      kind: 'forbidden',
      message: 'Forbidden: cannot list namespaces at cluster scope as user arn:aws:iam::1:role/dev',
    });
  });

  it('a 403 that is not RBAC (admission, webhook) passes the server message on', () => {
    const error = status(403, 'pods "x" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true');
    const described = describeKubeError(error, { verb: 'create', resource: 'pods', namespace: 'payments' });
    assert.equal(described.kind, 'forbidden');
    assert.equal(described.message, 'Forbidden: pods "x" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true');
  });

  it('401: the credentials were rejected, log in again', () => {
    const error = new ApiException(401, 'HTTP-Code: 401\nMessage: Unauthorized', undefined, {});
    assert.deepEqual(describeKubeError(error, listPods), {
      kind: 'unauthorized',
      message: 'Unauthorized: the credentials of user payments-dev were rejected (expired token?) — log in again',
    });
  });

  it('client-node Watch errors carry statusCode instead of code', () => {
    const error = Object.assign(new Error('Unauthorized'), { statusCode: 401 });
    assert.equal(describeKubeError(error, listPods).kind, 'unauthorized');
  });

  it('404 on a named object and on a collection', () => {
    const named = describeKubeError(status(404, 'deployments.apps "web" not found'), {
      verb: 'get',
      resource: 'deployments',
      namespace: 'payments',
      name: 'web',
    });
    assert.deepEqual(named, { kind: 'not-found', message: 'Not found: deployments/web in namespace payments' });
    const api = describeKubeError(new ApiException(404, 'x', '404 page not found', {}), {
      verb: 'list',
      resource: 'widgets',
      namespace: 'payments',
    });
    assert.deepEqual(api, { kind: 'not-found', message: 'Not found: this cluster does not serve widgets' });
  });

  it('connection refused, from node sockets and from node-fetch', () => {
    assert.deepEqual(describeKubeError(systemError('ECONNREFUSED'), { ...listPods, server: 'https://127.0.0.1:1234' }), {
      kind: 'unreachable',
      message: 'Unreachable: cannot connect to https://127.0.0.1:1234 (connection refused)',
    });
    const fetchError = Object.assign(
      new Error('request to https://127.0.0.1:1/api/v1/namespaces failed, reason: connect ECONNREFUSED 127.0.0.1:1'),
      {
        name: 'FetchError',
        type: 'system',
        code: 'ECONNREFUSED',
        errno: 'ECONNREFUSED',
      },
    );
    assert.deepEqual(describeKubeError(fetchError, { verb: 'list', resource: 'namespaces' }), {
      kind: 'unreachable',
      message: 'Unreachable: cannot connect to https://127.0.0.1:1 (connection refused)',
    });
  });

  it('unknown host, reset connection, and an error wrapped as a cause', () => {
    assert.equal(
      describeKubeError(systemError('ENOTFOUND'), listPods).message,
      'Unreachable: cannot connect to https://10.0.0.1:6443 (host not found)',
    );
    assert.equal(
      describeKubeError(systemError('ECONNRESET'), listPods).message,
      'Unreachable: cannot connect to https://10.0.0.1:6443 (connection reset)',
    );
    const wrapped = new TypeError('fetch failed', { cause: systemError('EHOSTUNREACH') });
    assert.equal(describeKubeError(wrapped, listPods).message, 'Unreachable: cannot connect to https://10.0.0.1:6443 (host unreachable)');
  });

  it('certificate problems say which, and where to look', () => {
    const error = Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    assert.deepEqual(describeKubeError(error, listPods), {
      kind: 'unreachable',
      message:
        "Unreachable: cannot verify https://10.0.0.1:6443 (certificate not signed by the configured certificate authority): check the cluster's certificate-authority",
    });
    const expired = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
    assert.match(describeKubeError(expired, listPods).message, /\(certificate has expired\)/);
  });

  it('timeouts: ours (with the bound), ETIMEDOUT, and the API server giving up (504)', () => {
    assert.deepEqual(describeKubeError(new KubeTimeoutError('https://10.0.0.1:6443', 15_000), listPods), {
      kind: 'timeout',
      message: 'Timeout: https://10.0.0.1:6443 did not answer within 15 s',
    });
    assert.equal(describeKubeError(systemError('ETIMEDOUT'), listPods).kind, 'timeout');
    assert.deepEqual(describeKubeError(status(504, 'Timeout: request did not complete within 60s'), listPods), {
      kind: 'timeout',
      message: 'Timeout: the API server timed out trying to list pods in namespace restricted',
    });
  });

  it('credentials we refuse to use, and exec plugins that cannot run', () => {
    const untrusted = new UnusableCredentialsError(
      'This context authenticates with an exec plugin (aws): trust the workspace to use it',
      'exec-untrusted',
    );
    assert.deepEqual(describeKubeError(untrusted, listPods), {
      kind: 'untrusted',
      message: 'This context authenticates with an exec plugin (aws): trust the workspace to use it',
    });
    const missing = Object.assign(new Error('spawn kubelogin ENOENT'), {
      code: 'ENOENT',
      errno: -2,
      syscall: 'spawn kubelogin',
      path: 'kubelogin',
    });
    assert.deepEqual(describeKubeError(missing, listPods), {
      kind: 'unauthorized',
      message: 'Unauthorized: the exec plugin kubelogin of user payments-dev could not run (command not found)',
    });
  });

  it('aborts are cancellations, not failures', () => {
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
    assert.deepEqual(describeKubeError(abort, listPods), { kind: 'cancelled', message: 'Cancelled' });
  });

  it('server errors and other rejections keep the server message on one line', () => {
    assert.deepEqual(describeKubeError(status(500, 'etcdserver: request timed out\n retry later'), listPods), {
      kind: 'other',
      message: 'Server error 500 while trying to list pods in namespace restricted: etcdserver: request timed out retry later',
    });
    assert.equal(
      describeKubeError(status(429, 'too many requests'), listPods).message,
      'Too many requests: the API server is throttling list pods; try again shortly',
    );
  });

  it('never repeats a credential, even when a plugin echoes one', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXltZW50cy1kZXYifQ.c2lnbmF0dXJlLXZhbHVl';
    const cases = [
      new Error(`exec plugin failed: Authorization: Bearer ${jwt}`),
      new Error(`refresh failed: {"access_token":"s3cr3t-value-123","expires_in":0}`),
      new Error(`login failed password=hunter2-long`),
      status(500, `upstream said: Bearer abc.def.ghi token=tok-9876543210`),
    ];
    for (const error of cases) {
      const { message } = describeKubeError(error, listPods);
      for (const secret of [jwt, 's3cr3t-value-123', 'hunter2-long', 'abc.def.ghi', 'tok-9876543210']) {
        assert.ok(!message.includes(secret), `${message} leaks ${secret}`);
      }
    }
  });

  it('anything else: one line, prefixed, bounded', () => {
    const { kind, message } = describeKubeError(new Error(`first line\nsecond line ${'x'.repeat(1000)}`), listPods);
    assert.equal(kind, 'other');
    assert.ok(message.startsWith('Error: first line second line'));
    assert.ok(!message.includes('\n') && message.length <= 310);
  });
});
