// The CLI as CI meets it: exit codes, formats, malformed files, standard input, and SARIF that validates
// against the SARIF 2.1.0 schema.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import { main } from '../../server/cli/cli';
import { ALL_RULES } from '../../server/engine/rules';

const ROOT = resolve(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'cli');
const SARIF_SCHEMA = join(ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

async function cli(args: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => stdin, cwd: FIXTURES });
  return { code, stdout, stderr };
}

describe('fintech-k8s scan', () => {
  it('exits 0 on a hardened manifest and on YAML that is not Kubernetes', async () => {
    const result = await cli(['scan', 'hardened.yaml', 'not-kubernetes.yaml', '--severity-threshold', 'info']);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /^0 findings .* in 4 objects, 2 files\n$/m);
  });

  it('exits 1 with file:line:col lines naming rule and object', async () => {
    const result = await cli(['scan', 'findings.yaml']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^findings\.yaml:11:9: error \[privileged-container\] .* \(Pod\/payments\/debug\)$/m);
    assert.match(result.stdout, /^findings\.yaml:10:7: error \[run-as-non-root\] /m);
  });

  it('the threshold decides the exit code', async () => {
    const text = 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: payments}\n';
    assert.equal((await cli(['scan', '-', '--severity-threshold', 'error'], text)).code, 0);
    assert.equal((await cli(['scan', '-', '--severity-threshold', 'info'], text)).code, 1);
  });

  it('reports a malformed file with file:line:col, exits 2, and still scans the other files', async () => {
    const result = await cli(['scan', 'broken.yaml', 'findings.yaml']);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /^broken\.yaml:5:\d+: error \[yaml-syntax\] /m);
    assert.match(result.stdout, /^findings\.yaml:11:9: error \[privileged-container\]/m);
  });

  it('walks directories for .yaml and .yml files', async () => {
    const result = await cli(['scan', '.', '--format', 'json']);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(
      report.files.map((f: { file: string }) => f.file),
      ['broken.yaml', 'findings.yaml', 'hardened.yaml', 'not-kubernetes.yaml'],
    );
  });

  it('reads standard input with -', async () => {
    const result = await cli(['scan', '-', '--format', 'json'], readFileSync(join(FIXTURES, 'findings.yaml'), 'utf8'));
    const report = JSON.parse(result.stdout);
    assert.equal(report.files[0].file, '<stdin>');
    const privileged = report.files[0].findings.find((f: { ruleId: string }) => f.ruleId === 'privileged-container');
    assert.deepEqual(
      [privileged.startLine, privileged.startColumn, privileged.object, privileged.fixable],
      [11, 9, 'Pod/payments/debug', true],
    );
  });

  it('exits 2 on usage errors and missing files, with a message on stderr', async () => {
    for (const args of [
      ['scan'],
      ['lint', 'x.yaml'],
      ['scan', 'x.yaml', '--format', 'xml'],
      ['scan', 'x.yaml', '--severity-threshold', 'high'],
      ['scan', '--bogus', 'x'],
    ]) {
      const result = await cli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /^fintech-k8s: /);
    }
    const missing = await cli(['scan', 'does-not-exist.yaml', 'findings.yaml']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does-not-exist\.yaml: no such file or directory/);
    assert.match(missing.stdout, /privileged-container/, 'the other file is still scanned');
  });

  it('uses --config and reports its mistakes as usage errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fintech-k8s-cli-'));
    writeFileSync(join(dir, 'off.yaml'), 'rules:\n  privileged-container: off\n');
    writeFileSync(join(dir, 'bad.yaml'), 'rules:\n  privileged: off\n');
    assert.doesNotMatch((await cli(['scan', 'findings.yaml', '--config', join(dir, 'off.yaml')])).stdout, /privileged-container/);
    const bad = await cli(['scan', 'findings.yaml', '--config', join(dir, 'bad.yaml')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown rule id "privileged"/);
  });

  it('applies the nearest .fintech-k8s.yaml at or above the scanned folder, within its repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fintech-k8s-cli-'));
    const nested = join(dir, 'team', 'manifests');
    mkdirSync(nested, { recursive: true });
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'team', '.fintech-k8s.yaml'), 'rules:\n  privileged-container: off\n');
    writeFileSync(join(nested, 'pod.yaml'), readFileSync(join(FIXTURES, 'findings.yaml')));
    const scanned = await cli(['scan', nested]);
    assert.doesNotMatch(scanned.stdout, /privileged-container/);
    assert.match(scanned.stdout, /run-as-non-root/);
  });

  it('--list-rules lists every rule with its PCI DSS references', async () => {
    const rules = JSON.parse((await cli(['--list-rules', '--format', 'json'])).stdout);
    assert.deepEqual(
      rules.map((r: { id: string }) => r.id),
      ALL_RULES.map((r) => r.id),
    );
    assert.deepEqual(rules.find((r: { id: string }) => r.id === 'run-as-non-root').pci, ['7.2.5']);
    assert.match((await cli(['--list-rules'])).stdout, /^run-as-non-root\s+error\s+pod-security\s+/m);
  });

  it('writes SARIF 2.1.0 that validates against the schema, with rule metadata and object names', async () => {
    const result = await cli(['scan', 'findings.yaml', 'broken.yaml', '--format', 'sarif']);
    const log = JSON.parse(result.stdout);
    // The published schema has a pattern that is invalid under the u flag; plain RegExp reads it as intended.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')));
    const valid: boolean = validate(log);
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));

    const run = log.runs[0];
    assert.equal(run.tool.driver.rules.length, ALL_RULES.length);
    const privileged = run.results.find((r: { ruleId: string }) => r.ruleId === 'privileged-container');
    const rule = run.tool.driver.rules[privileged.ruleIndex];
    assert.equal(rule.id, 'privileged-container');
    assert.match(rule.helpUri, /^https:\/\/.+privileged-container\.md$/);
    assert.ok(rule.help.text.length > 20 && rule.help.markdown.includes('PCI DSS v4.0'));
    assert.equal(privileged.level, 'error');
    assert.equal(privileged.locations[0].logicalLocations[0].fullyQualifiedName, 'Pod/payments/debug');
    assert.deepEqual(privileged.locations[0].physicalLocation.artifactLocation, { uri: 'findings.yaml', uriBaseId: 'SRCROOT' });
    assert.equal(privileged.locations[0].physicalLocation.region.startLine, 11);
    for (const result of run.results) assert.match(result.locations[0].logicalLocations[0].fullyQualifiedName, /^[A-Za-z]+\/[^/]+\/[^/]+$/);
    assert.equal(run.invocations[0].executionSuccessful, false, 'broken.yaml could not be analysed');
    assert.match(run.invocations[0].toolExecutionNotifications[0].message.text, /./);
  });

  it('keeps suppressed findings in SARIF as suppressions with their reason', async () => {
    const text = readFileSync(join(FIXTURES, 'findings.yaml'), 'utf8').replace(
      '        privileged: true',
      '        # fintech-k8s-ignore privileged-container: break-glass debug pod\n        privileged: true',
    );
    const log = JSON.parse((await cli(['scan', '-', '--format', 'sarif'], text)).stdout);
    const privileged = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'privileged-container');
    assert.deepEqual(privileged.suppressions, [{ kind: 'inSource', justification: 'break-glass debug pod' }]);
  });

  it('the built bin runs (dist/cli.js) with the same exit codes', async () => {
    const bin = join(ROOT, 'dist', 'cli.js');
    const ok = spawnSync(process.execPath, [bin, 'scan', join(FIXTURES, 'not-kubernetes.yaml')], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    const findings = spawnSync(process.execPath, [bin, 'scan', '-'], {
      input: readFileSync(join(FIXTURES, 'findings.yaml')),
      encoding: 'utf8',
    });
    assert.equal(findings.status, 1);
    assert.match(findings.stdout, /<stdin>:11:9: error \[privileged-container\]/);
    assert.match(spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).stdout, /^\d+\.\d+\.\d+\n$/);
    // A reader that leaves early (| head) ends the run quietly, without a stack trace (megabytes of output).
    const manifest = join(FIXTURES, 'findings.yaml');
    const early = spawnSync(
      'bash',
      ['-c', `for i in $(seq 3000); do cat "${manifest}"; echo ---; done | "${process.execPath}" "${bin}" scan - | head -n 1`],
      { encoding: 'utf8' },
    );
    assert.equal(early.stderr, '');
    assert.equal(early.stdout.split('\n').filter(Boolean).length, 1);
  });
});
