// Image reference parsing: the Docker reference grammar's registry/tag/digest rules, including the
// ambiguous cases (registry port vs tag, implied Docker Hub, library/ for official images).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../server/engine/config';
import { analyzeText } from '../../server/engine/engine';
import { isPinnedByDigest, parseImageRef, qualifiedName, type ImageRef } from '../../server/engine/rules/images/image-ref';
import { isTrusted, normaliseEntry } from '../../server/engine/rules/images/trusted-registry';

const SHA = 'sha256:' + 'a'.repeat(64);

function ok(raw: string): ImageRef {
  const result = parseImageRef(raw);
  assert.ok(result.ok, `expected "${raw}" to parse: ${result.ok ? '' : result.error}`);
  return result.ref;
}

function fails(raw: string, pattern: RegExp): void {
  const result = parseImageRef(raw);
  assert.equal(result.ok, false, `expected "${raw}" not to parse`);
  if (!result.ok) assert.match(result.error, pattern);
}

describe('parseImageRef', () => {
  it('reads an official image as docker.io/library/<name>', () => {
    assert.deepEqual(ok('nginx'), { raw: 'nginx', registry: 'docker.io', repository: 'library/nginx', tag: undefined, digest: undefined });
    assert.deepEqual(ok('postgres:16.4'), {
      raw: 'postgres:16.4',
      registry: 'docker.io',
      repository: 'library/postgres',
      tag: '16.4',
      digest: undefined,
    });
  });

  it('keeps a Docker Hub organisation path without library/', () => {
    const ref = ok('ethereum/client-go:v1.14.8');
    assert.equal(ref.registry, 'docker.io');
    assert.equal(ref.repository, 'ethereum/client-go');
    assert.equal(ref.tag, 'v1.14.8');
  });

  it('treats a first component with a dot, a port or localhost as the registry', () => {
    assert.equal(ok('registry.bank.example/payments/api:1.2.3').registry, 'registry.bank.example');
    assert.equal(ok('registry.bank.example/payments/api:1.2.3').repository, 'payments/api');
    assert.equal(ok('ghcr.io/acme-pay/ledger').registry, 'ghcr.io');
    assert.equal(ok('localhost/app').registry, 'localhost');
    assert.equal(ok('registry:5000/app').registry, 'registry:5000');
    assert.equal(ok('10.0.0.12:5000/team/app:2').registry, '10.0.0.12:5000');
  });

  it('does not mistake a registry port for a tag', () => {
    const ref = ok('localhost:5000/app');
    assert.equal(ref.registry, 'localhost:5000');
    assert.equal(ref.repository, 'app');
    assert.equal(ref.tag, undefined);
    const tagged = ok('localhost:5000/payments/app:3.1');
    assert.equal(tagged.registry, 'localhost:5000');
    assert.equal(tagged.repository, 'payments/app');
    assert.equal(tagged.tag, '3.1');
  });

  it('reads host:digits without a slash as a Docker Hub image and tag, as Docker does', () => {
    const ref = ok('localhost:5000');
    assert.equal(ref.registry, 'docker.io');
    assert.equal(ref.repository, 'library/localhost');
    assert.equal(ref.tag, '5000');
  });

  it('parses digests with and without a tag', () => {
    const pinned = ok(`registry.bank.example/cde/vault@${SHA}`);
    assert.equal(pinned.tag, undefined);
    assert.equal(pinned.digest, SHA);
    assert.equal(pinned.repository, 'cde/vault');
    const both = ok(`registry.bank.example:443/cde/vault:6.2.0@${SHA}`);
    assert.equal(both.registry, 'registry.bank.example:443');
    assert.equal(both.tag, '6.2.0');
    assert.equal(both.digest, SHA);
    assert.equal(ok(`nginx@${SHA}`).repository, 'library/nginx');
  });

  it('normalises index.docker.io to docker.io', () => {
    const ref = ok('index.docker.io/redis:7');
    assert.equal(ref.registry, 'docker.io');
    assert.equal(ref.repository, 'library/redis');
  });

  it('accepts an uppercase registry and tag but not an uppercase repository', () => {
    assert.equal(ok('Registry.Bank.Example/payments/api:V1').registry, 'Registry.Bank.Example');
    assert.equal(ok('Registry.Bank.Example/payments/api:V1').tag, 'V1');
    // An uppercase first component can only be a registry (repository paths are lowercase).
    assert.equal(ok('MyRegistry/app').registry, 'MyRegistry');
    fails('Nginx', /lowercase/);
    fails('registry.bank.example/Payments/api', /lowercase/);
  });

  it('rejects empty, blank-padded and malformed references', () => {
    fails('', /empty/);
    fails(' nginx', /whitespace/);
    fails('nginx:', /tag/);
    fails('nginx:-bad', /tag/);
    fails(':1.0', /repository/);
    fails('nginx@sha256:abc', /digest/);
    fails('nginx@', /digest/);
    fails('registry.bank.example//api', /component/);
    fails('registry.bank.example/api/', /component/);
    fails('${REGISTRY}/api:1.0', /registry|component/);
    fails('-bad.example/api', /registry/);
  });

  it('accepts separators inside path components', () => {
    assert.equal(ok('quay.io/prometheus/node-exporter:v1.8.2').repository, 'prometheus/node-exporter');
    assert.equal(ok('example.com/a__b/c.d/e--f').repository, 'a__b/c.d/e--f');
    fails('example.com/a___b', /component/);
    fails('example.com/_a', /component/);
  });
});

describe('isPinnedByDigest', () => {
  it('requires a lowercase 64-hex sha256 digest', () => {
    assert.equal(isPinnedByDigest(ok(`app@${SHA}`)), true);
    assert.equal(isPinnedByDigest(ok('app:1.0')), false);
    assert.equal(isPinnedByDigest(ok(`app@sha256:${'A'.repeat(64)}`)), false);
    assert.equal(isPinnedByDigest(ok(`app@sha256:${'a'.repeat(63)}0a`)), false);
    assert.equal(isPinnedByDigest(ok(`app@sha512:${'a'.repeat(128)}`)), false);
  });
});

describe('qualifiedName', () => {
  it('joins the lowercased registry and the repository', () => {
    assert.equal(qualifiedName(ok('Registry.Bank.Example/payments/api:1')), 'registry.bank.example/payments/api');
    assert.equal(qualifiedName(ok('nginx')), 'docker.io/library/nginx');
  });
});

describe('trusted registry matching', () => {
  const entries = ['registry.bank.example', 'ghcr.io/acme-pay/', 'https://Quay.io/prometheus', 'index.docker.io/library'].map(
    normaliseEntry,
  );
  const trusted = (image: string) => isTrusted(qualifiedName(ok(image)), entries);

  it('normalises entries: scheme, trailing slash, host case, index.docker.io', () => {
    assert.deepEqual(entries, ['registry.bank.example', 'ghcr.io/acme-pay', 'quay.io/prometheus', 'docker.io/library']);
  });

  it('matches whole registry hosts and path prefixes on component boundaries', () => {
    assert.equal(trusted('registry.bank.example/payments/api:1.0'), true);
    assert.equal(trusted('REGISTRY.bank.example/payments/api:1.0'), true);
    assert.equal(trusted('ghcr.io/acme-pay/ledger@' + SHA), true);
    assert.equal(trusted('quay.io/prometheus/node-exporter:v1.8.2'), true);
    assert.equal(trusted('nginx:1.27'), true);
    assert.equal(trusted('registry.bank.example.evil.com/payments/api:1.0'), false);
    assert.equal(trusted('evil.example/registry.bank.example/api:1.0'), false);
    assert.equal(trusted('ghcr.io/acme-payments/ledger:1'), false);
    assert.equal(trusted('ghcr.io/acme-pay-evil/ledger:1'), false);
    // An entry also names exactly one repository: docker.io/library/nginx allows only nginx.
    assert.equal(isTrusted(qualifiedName(ok('nginx:1')), ['docker.io/library/nginx']), true);
    assert.equal(isTrusted(qualifiedName(ok('nginx-unprivileged:1')), ['docker.io/library/nginx']), false);
    assert.equal(trusted('registry.bank.example:5443/api:1'), false);
    assert.equal(trusted('bitnami/redis:7'), false);
  });

  it('is off without an allow-list', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: evil.example/x:1\n';
    assert.deepEqual(
      analyzeText('p.yaml', text).findings.filter((f) => f.ruleId === 'trusted-registry'),
      [],
    );
    const strict = resolveConfig({ trustedRegistries: ['registry.bank.example'] });
    assert.equal(analyzeText('p.yaml', text, { config: strict }).findings.filter((f) => f.ruleId === 'trusted-registry').length, 1);
  });
});
