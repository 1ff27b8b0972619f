// What we ship: the .vsix holds only what runs, activation is on YAML only, and the manifest declares the
// commands the client registers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { schemaFileName, SUPPORTED_KUBERNETES_VERSIONS } from '../../server/engine/schema/versions';

const ROOT = resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('extension package', () => {
  it('packages only the bundles, the manifest, docs for the marketplace, the icon and the chart scaffolds', () => {
    const listed = spawnSync(join(ROOT, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual(
      listed.stdout.trim().split('\n').sort(),
      [
        'CHANGELOG.md',
        'LICENSE',
        'README.md',
        'dist/cli.js',
        'dist/extension.js',
        'dist/kube.js',
        ...SUPPORTED_KUBERNETES_VERSIONS.map((minor) => `dist/schemas/${schemaFileName(minor)}`),
        'dist/server.js',
        'images/activity.svg',
        'images/icon.png',
        'package.json',
        ...readdirSync(join(ROOT, 'snippets'))
          .filter((n) => n.endsWith('.code-snippets'))
          .map((n) => `snippets/${n}`),
        ...readdirSync(join(ROOT, 'chart-scaffolds'), { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => relative(ROOT, join(entry.parentPath, entry.name))),
      ].sort(),
    );
  });

  it('activates on YAML documents and in workspaces with charts or overlays (for their explorer menus), never on startup', () => {
    assert.deepEqual(manifest.activationEvents, [
      'onLanguage:yaml',
      'workspaceContains:**/Chart.yaml',
      'workspaceContains:**/kustomization.yaml',
      'workspaceContains:**/kustomization.yml',
    ]);
  });

  it('declares every command of the command table, and nothing else', () => {
    const table = readFileSync(join(ROOT, 'src', 'commands', 'index.ts'), 'utf8');
    const protocol = readFileSync(join(ROOT, 'server', 'protocol', 'index.ts'), 'utf8');
    const ids = [...table.matchAll(/'(fintechK8s\.[A-Za-z.]+)'/g)].map((m) => m[1]);
    if (table.includes('[SUPPRESS_COMMAND]')) ids.push(/SUPPRESS_COMMAND = '([^']+)'/.exec(protocol)![1]);
    assert.deepEqual(manifest.contributes.commands.map((c: { command: string }) => c.command).sort(), ids.sort());
  });

  it('declares limited support for untrusted workspaces and the settings the server reads', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    const settings = Object.keys(manifest.contributes.configuration.properties);
    for (const key of ['enable', 'severityThreshold', 'trustedRegistries', 'pciNamespaces', 'kubernetesVersion'])
      assert.ok(settings.includes(`fintechK8s.${key}`), key);
  });

  it('settings that switch a protection off, or name a program, cannot come from a cloned repository', () => {
    const properties = manifest.contributes.configuration.properties as Record<string, { scope?: string }>;
    const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];
    // The production confirmation and log redaction: user (or remote machine) settings only, never a
    // workspace's .vscode/settings.json, trusted or not.
    for (const key of ['fintechK8s.productionContextPattern', 'fintechK8s.logs.redact']) {
      assert.ok(['application', 'machine'].includes(properties[key]?.scope ?? ''), `${key} is ${properties[key]?.scope}-scoped`);
      assert.ok(restricted.includes(key), `${key} is not in restrictedConfigurations`);
    }
    // Program paths: ignored from an untrusted workspace's settings.
    for (const key of Object.keys(properties).filter((k) => /\.path$/.test(k)))
      assert.ok(restricted.includes(key), `${key} names a program but is not in restrictedConfigurations`);
  });

  it('offers exactly the bundled Kubernetes versions', () => {
    const setting = manifest.contributes.configuration.properties['fintechK8s.kubernetesVersion'];
    assert.deepEqual(setting.enum, ['', ...SUPPORTED_KUBERNETES_VERSIONS]);
    assert.equal(setting.enumDescriptions.length, setting.enum.length);
  });
});
