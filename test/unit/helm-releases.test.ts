// Helm release Secrets decoded in memory (base64 → base64 → gzip → JSON) and the helm argument lists the
// client runs: pure logic, no cluster and no helm.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  decodeReleaseSecretData,
  describeRevision,
  groupReleases,
  liveRevision,
  type HelmRevision,
} from '../../src/kube/helm/release-decode';
import {
  manifestObjects,
  parseHelmMajor,
  releaseNameProblem,
  rollbackArgs,
  targetArgs,
  upgradeInstallArgs,
} from '../../src/kube/helm/helm-args';
import { helmMajorVersion, helmRollback, helmUpgradeInstall, type RunHelm } from '../../src/kube/helm/helm-run';
import { ProgramError } from '../../lib/programs/run-program';

/** What the API returns in `data.release`: helm's base64(gzip(JSON)), base64-encoded again by the API. */
function secretData(release: unknown, gzip = true): string {
  const json = Buffer.from(JSON.stringify(release));
  const helmEncoded = (gzip ? gzipSync(json) : json).toString('base64');
  return Buffer.from(helmEncoded).toString('base64');
}

const RELEASE = {
  name: 'ledger',
  namespace: 'payments',
  version: 3,
  info: { status: 'deployed', last_deployed: '2026-12-06T10:00:00Z', description: 'Upgrade complete' },
  chart: { metadata: { name: 'ledger', version: '0.3.1', appVersion: '1.4.0' }, templates: [{ name: 'x', data: 'e30=' }] },
  config: { db: { password: 'hunter2-do-not-show' } },
  manifest: '---\n# Source: ledger/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ledger\n',
};

describe('release Secret decoding', () => {
  it('reads name, chart, versions, revision, status, time and manifest', () => {
    const revision = decodeReleaseSecretData(secretData(RELEASE));
    assert.deepEqual(revision, {
      name: 'ledger',
      namespace: 'payments',
      revision: 3,
      status: 'deployed',
      chart: 'ledger',
      chartVersion: '0.3.1',
      appVersion: '1.4.0',
      updated: '2026-12-06T10:00:00Z',
      description: 'Upgrade complete',
      manifest: RELEASE.manifest,
    });
  });

  it('never keeps the values or the chart files', () => {
    const revision = decodeReleaseSecretData(secretData(RELEASE));
    assert.ok(!JSON.stringify(revision).includes('hunter2'));
    assert.ok(!('config' in revision) && !('templates' in revision));
  });

  it('reads releases stored without gzip, as helm itself accepts', () => {
    assert.equal(decodeReleaseSecretData(secretData(RELEASE, false)).revision, 3);
  });

  it('rejects data that is not a release with a message that quotes nothing', () => {
    assert.throws(() => decodeReleaseSecretData(''), /empty/);
    assert.throws(() => decodeReleaseSecretData(Buffer.from(Buffer.from('secret-text').toString('base64')).toString('base64')), /not JSON/);
    assert.throws(() => decodeReleaseSecretData(secretData({ version: 1 })), /no name or revision/);
    const broken = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('garbage that is not deflate')]);
    assert.throws(
      () => decodeReleaseSecretData(Buffer.from(broken.toString('base64')).toString('base64')),
      (error: Error) => /does not unpack/.test(error.message) && !error.message.includes('garbage'),
    );
  });
});

const revision = (name: string, number: number, status: string): HelmRevision => ({
  name,
  namespace: 'payments',
  revision: number,
  status,
  chart: name,
  chartVersion: '1.0.0',
  manifest: `rev ${number}`,
});

describe('release grouping', () => {
  it('groups revisions per release, newest first, releases by name', () => {
    const releases = groupReleases([
      revision('web', 1, 'superseded'),
      revision('api', 2, 'failed'),
      revision('web', 3, 'deployed'),
      revision('api', 1, 'deployed'),
      revision('web', 2, 'superseded'),
    ]);
    assert.deepEqual(
      releases.map((r) => [r.name, r.current.revision, r.history.map((h) => h.revision)]),
      [
        ['api', 2, [2, 1]],
        ['web', 3, [3, 2, 1]],
      ],
    );
  });

  it('takes the live manifest from the deployed revision, not a newer failed one', () => {
    const [api] = groupReleases([revision('api', 1, 'deployed'), revision('api', 2, 'failed')]);
    assert.equal(liveRevision(api).revision, 1);
    const [fresh] = groupReleases([revision('new', 1, 'failed')]);
    assert.equal(liveRevision(fresh).revision, 1);
  });

  it('describes a revision in one line', () => {
    assert.equal(describeRevision(revision('api', 4, 'deployed')), 'api-1.0.0 · rev 4 · deployed');
  });
});

const TARGET = { kubeconfigFiles: ['/home/u/.kube/config'], context: 'staging', namespace: 'payments' };

describe('helm arguments', () => {
  it('reads the major version of helm 3 and 4', () => {
    assert.equal(parseHelmMajor('v3.22.1+g2a8d5e1\n'), 3);
    assert.equal(parseHelmMajor('v4.0.1+gabcdef0'), 4);
    assert.equal(parseHelmMajor('version.BuildInfo{Version:"v3.9.0", GitCommit:"x"}'), 3);
    assert.equal(parseHelmMajor('v3.22\n'), 3);
    assert.equal(parseHelmMajor('command not found'), undefined);
  });

  it('upgrade --install waits and rolls back on failure with --atomic on helm 3', () => {
    const { args, env } = upgradeInstallArgs({
      release: 'ledger',
      chartDir: '/src/charts/ledger',
      target: TARGET,
      helmMajor: 3,
      valuesFiles: ['/src/charts/ledger/values-prod.yaml'],
      set: ['image.tag=1.4.0'],
      timeoutSeconds: 300,
      description: 'Deploy anyway: hotfix INC-1',
    });
    assert.deepEqual(args, [
      'upgrade',
      '--install',
      'ledger',
      '/src/charts/ledger',
      '--namespace=payments',
      '--kube-context=staging',
      '--kubeconfig=/home/u/.kube/config',
      '--wait',
      '--atomic',
      '--timeout=300s',
      '--values=/src/charts/ledger/values-prod.yaml',
      '--set=image.tag=1.4.0',
      '--description=Deploy anyway: hotfix INC-1',
      '--output=json',
    ]);
    assert.deepEqual(env, {});
  });

  it('uses --rollback-on-failure on helm 4 and refuses helm 2', () => {
    const base = { release: 'ledger', chartDir: '/c', target: TARGET, timeoutSeconds: 60 };
    const helm4 = upgradeInstallArgs({ ...base, helmMajor: 4 }).args;
    assert.ok(helm4.includes('--rollback-on-failure') && !helm4.includes('--atomic'));
    assert.throws(() => upgradeInstallArgs({ ...base, helmMajor: 2 }), /helm 2 is not supported/);
  });

  it('never lets a release name be read as a flag', () => {
    assert.match(releaseNameProblem('--kubeconfig=/tmp/x') ?? '', /not a valid release name/);
    assert.match(releaseNameProblem('a'.repeat(54)) ?? '', /longer than 53/);
    assert.equal(releaseNameProblem('ledger-2'), undefined);
    assert.throws(() => rollbackArgs({ release: '-x', revision: 1, target: TARGET, timeoutSeconds: 60 }), /not a valid release name/);
  });

  it('rolls back to a revision, waiting', () => {
    assert.deepEqual(rollbackArgs({ release: 'ledger', revision: 2, target: TARGET, timeoutSeconds: 120 }).args, [
      'rollback',
      'ledger',
      '2',
      '--namespace=payments',
      '--kube-context=staging',
      '--kubeconfig=/home/u/.kube/config',
      '--wait',
      '--timeout=120s',
    ]);
    assert.throws(() => rollbackArgs({ release: 'ledger', revision: 0, target: TARGET, timeoutSeconds: 60 }), /not a revision number/);
  });

  it('passes several kubeconfig files through KUBECONFIG and none for in-cluster credentials', () => {
    const several = targetArgs({ kubeconfigFiles: ['/a', '/b'], context: 'c', namespace: 'n' });
    assert.deepEqual(several.args, ['--namespace=n', '--kube-context=c']);
    assert.equal(several.env.KUBECONFIG, ['/a', '/b'].join(process.platform === 'win32' ? ';' : ':'));
    assert.deepEqual(targetArgs({ kubeconfigFiles: [], namespace: 'n' }), { args: ['--namespace=n'], env: {} });
  });

  it('lists the objects of a release manifest', () => {
    const manifest = [
      '---\n# Source: ledger/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ledger\n  namespace: payments\n',
      '---\n# Source: ledger/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "ledger-api"\n  labels:\n    name: not-this\n',
      '---\n# an empty document\n',
    ].join('');
    assert.deepEqual(manifestObjects(manifest), [
      { kind: 'ServiceAccount', name: 'ledger', namespace: 'payments' },
      { kind: 'Deployment', name: 'ledger-api' },
    ]);
  });
});

describe('helm runs (the program replaced by its recorded answers)', () => {
  const target = { kubeconfigFiles: ['/k/config'], context: 'staging', namespace: 'payments' };
  const answer =
    (exitCode: number, stdout: string, stderr = ''): RunHelm =>
    async () => ({ exitCode, stdout, stderr });

  it('reads release, revision, status and objects from helm’s JSON, and nothing of the values', async () => {
    const stdout = JSON.stringify({
      name: 'ledger',
      namespace: 'payments',
      version: 4,
      info: { status: 'deployed' },
      config: { password: 'hunter2' },
      manifest: '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ledger-settings\n',
    });
    const result = await helmUpgradeInstall('helm', {
      release: 'ledger',
      chartDir: '/c',
      target,
      helmMajor: 3,
      timeoutSeconds: 60,
      run: answer(0, stdout),
    });
    assert.deepEqual(result, {
      ok: true,
      release: 'ledger',
      namespace: 'payments',
      revision: 4,
      status: 'deployed',
      objects: [{ kind: 'ConfigMap', name: 'ledger-settings' }],
    });
    assert.ok(!JSON.stringify(result).includes('hunter2'));
  });

  it('says when helm rolled a failed upgrade back, with helm’s own error lines, credentials scrubbed', async () => {
    const stderr =
      'Error: UPGRADE FAILED: release ledger failed, and has been rolled back due to atomic being set: context deadline exceeded\n' +
      'wait.go:50: token=abcdef123456 while waiting\n';
    const result = await helmUpgradeInstall('helm', {
      release: 'ledger',
      chartDir: '/c',
      target,
      helmMajor: 3,
      timeoutSeconds: 60,
      run: answer(1, '', stderr),
    });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.rolledBack);
    assert.ok(!result.ok && /^UPGRADE FAILED: release ledger failed, and has been rolled back/.test(result.message));
    const leaky = await helmRollback('helm', {
      release: 'ledger',
      revision: 1,
      target,
      timeoutSeconds: 60,
      run: answer(1, '', 'Error: Bearer eyJhbGciOi.abc.def rejected\n'),
    });
    assert.ok(!leaky.ok && !leaky.message.includes('eyJhbGciOi') && !leaky.rolledBack, !leaky.ok ? leaky.message : '');
  });

  it('turns a helm that cannot start or is not helm into a clear failure', async () => {
    const missing: RunHelm = async () => {
      throw new ProgramError('/opt/helm was not found', 'not-found');
    };
    const result = await helmRollback('/opt/helm', { release: 'ledger', revision: 1, target, timeoutSeconds: 60, run: missing });
    assert.deepEqual(result, { ok: false, message: '/opt/helm was not found', rolledBack: false });
    await assert.rejects(helmMajorVersion('/usr/bin/true', { run: answer(0, '') }), /does not answer `helm version` like helm/);
    assert.equal(await helmMajorVersion('helm', { run: answer(0, 'v4.0.0+g1\n') }), 4);
  });
});
