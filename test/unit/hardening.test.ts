// Regression tests for crashes, blow-ups and bypasses a mutation fuzzer and a review found: each starts
// from the input that showed the fault, and asserts what CI or the editor must see instead.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import { main } from '../../server/cli/cli';
import { analyze, analyzeText } from '../../server/engine/engine';
import { addToSummary, emptySummary } from '../../server/engine/format/summary';
import { SarifWriter } from '../../server/engine/format/sarif';
import { ALL_RULES } from '../../server/engine/rules';
import { RELATED_PER_FINDING } from '../../server/engine/rules/list-some';
import type { Rule } from '../../server/engine/types';

const ROOT = resolve(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'cli');
const SARIF_SCHEMA = join(ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

interface Io {
  cwd?: string;
  stdin?: string | (() => string);
}

/** Runs the CLI's main in-process; awaits it, whether it answers at once or asynchronously. */
async function cli(args: string[], io: Io = {}) {
  let stdout = '';
  let stderr = '';
  const stdin = io.stdin ?? '';
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: typeof stdin === 'function' ? stdin : () => stdin,
    cwd: io.cwd ?? FIXTURES,
  });
  return { code, stdout, stderr };
}

interface SarifLog {
  runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[] }[];
}

function validateSarif(text: string): SarifLog {
  const log: SarifLog = JSON.parse(text);
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')));
  const valid: boolean = validate(log);
  assert.ok(valid, JSON.stringify(validate.errors, null, 2));
  return log;
}

const COMPACT_NESTED = '- '.repeat(3000) + 'x\n  a: b\n';

describe('compact nested sequences (a stack overflow before)', () => {
  it('are refused as too complex, exit 2, in every format', async () => {
    const text = await cli(['scan', '-'], { stdin: COMPACT_NESTED });
    assert.equal(text.code, 2, text.stderr);
    assert.match(text.stdout, /^<stdin>:1:\d+: error \[too-complex\] Document nested more than 1000 columns/m);
    assert.equal(text.stderr, '');

    const json = await cli(['scan', '-', '--format', 'json'], { stdin: COMPACT_NESTED });
    assert.equal(json.code, 2);
    assert.equal(JSON.parse(json.stdout).files[0].problems[0].code, 'too-complex');

    const sarif = await cli(['scan', '-', '--format', 'sarif'], { stdin: COMPACT_NESTED });
    assert.equal(sarif.code, 2);
    assert.equal(validateSarif(sarif.stdout).runs[0].invocations[0].executionSuccessful, false);
  });

  it('are refused with `?` and `:` indicators and mixed with indentation too', () => {
    for (const text of ['? '.repeat(3000) + 'x\n', 'a:\n' + '  - '.repeat(400) + 'x\n', '- '.repeat(2000) + '[a]\n']) {
      const result = analyzeText('deep.yaml', text);
      assert.deepEqual(
        result.problems.map((p) => p.code),
        ['too-complex'],
        text.slice(0, 20),
      );
    }
  });

  it('leave ordinary compact sequences alone', () => {
    const result = analyzeText('ok.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n  a: "1"\nx:\n- - - - a\n  - b\n');
    assert.deepEqual(result.problems, []);
  });
});

describe('complex keys (`? ? ? …`): written out as strings, quadratic or worse before', () => {
  it('are refused by the positioned parser, and never written out to place a finding', { timeout: 30_000 }, () => {
    const nested = '? '.repeat(400) + 'x\n';
    for (const text of [
      `apiVersion: v1\nkind: LimitRange\nmetadata: {name: defaults}\nspec:\n${nested}`,
      `apiVersion: v1\nkind: LimitRange\nmetadata: {name: defaults}\nspec: *nope\n${nested}`,
    ]) {
      const result = analyzeText('keys.yaml', text);
      assert.ok(!result.problems.some((p) => p.code === 'rule-failed'), JSON.stringify(result.problems));
    }
  });
});

describe('a crash (a bug of ours)', () => {
  const crash = () => {
    throw new RangeError('Maximum call stack size exceeded');
  };

  it('exits 2 with one line on stderr, never 1 (the findings code)', async () => {
    const result = await cli(['scan', 'findings.yaml', '-'], { stdin: crash });
    assert.equal(result.code, 2);
    assert.equal(result.stderr.split('\n').filter(Boolean).length, 1, result.stderr);
    assert.match(result.stderr, /^fintech-k8s: internal error: RangeError: Maximum call stack size exceeded \(a bug/);
  });

  it('leaves well-formed JSON that says the run failed', async () => {
    const result = await cli(['scan', 'findings.yaml', '-', '--format', 'json'], { stdin: crash });
    assert.equal(result.code, 2);
    const report = JSON.parse(result.stdout);
    assert.match(report.error, /internal error: RangeError/);
    assert.ok(report.summary);
  });

  it('leaves valid SARIF whose invocation failed with the reason', async () => {
    const result = await cli(['scan', 'findings.yaml', '-', '--format', 'sarif'], { stdin: crash });
    assert.equal(result.code, 2);
    const invocation = validateSarif(result.stdout).runs[0].invocations[0];
    assert.equal(invocation.executionSuccessful, false);
    assert.ok(invocation.toolExecutionNotifications.some((n) => /internal error/.test(n.message.text)));
  });
});

describe('whitespace after a YAML error (quadratic before: 300 KB took 88 s)', () => {
  // The bound is generous (the work is about 50 ms); it only has to tell linear from quadratic.
  it('places the error of a 300 KB document without re-scanning the blank run', { timeout: 30_000 }, () => {
    const text = 'a: [b' + ' '.repeat(300 * 1024) + 'c';
    const result = analyzeText('blank.yaml', text);
    assert.equal(result.problems[0].code, 'yaml-syntax');
    assert.ok(result.problems[0].span.start < text.length);
  });
});

describe('shared labels (output quadratic in the workspace before)', () => {
  function sharedLabelWorkspace(count: number): string {
    const parts: string[] = [];
    for (let i = 0; i < count; i++) {
      parts.push(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api-${i}, namespace: pay}\nspec:\n  selector: {matchLabels: {app: pay}}\n  template:\n    metadata: {labels: {app: pay}}\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/api:1.0.0\n          ports: [{containerPort: ${8000 + i}}]\n`,
        `apiVersion: v1\nkind: Service\nmetadata: {name: svc-${i}, namespace: pay}\nspec:\n  selector: {app: pay}\n  ports: [{port: 80, targetPort: 9999}]\n`,
      );
    }
    return parts.join('---\n');
  }

  it('bound what one service-target-port finding carries: a few names, then a count', () => {
    const [result] = analyze([{ file: 'shared.yaml', text: sharedLabelWorkspace(400) }]);
    const findings = result.findings.filter((f) => f.ruleId === 'service-target-port');
    assert.equal(findings.length, 400);
    for (const finding of findings) {
      assert.ok((finding.related?.length ?? 0) <= RELATED_PER_FINDING, `${finding.related?.length} related`);
      assert.ok(finding.message.length < 600, finding.message);
      assert.match(finding.message, /Deployment "api-4" and 395 more declares|and 395 more/);
    }
  });

  it('keep the JSON report linear in the input', async () => {
    const small = (await cli(['scan', '-', '--format', 'json'], { stdin: sharedLabelWorkspace(50) })).stdout.length;
    const large = (await cli(['scan', '-', '--format', 'json'], { stdin: sharedLabelWorkspace(400) })).stdout.length;
    // 8 times the input; quadratic growth would give 64 times the output.
    assert.ok(large < small * 12, `${small} → ${large} bytes`);
  });
});

describe('data-keyed lookups (`kind: constructor` switched cross-object rules off before)', () => {
  const workspace = [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: pay}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/api:1.0.0\n          ports: [{containerPort: 8080}]\n',
    'apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: pay}\nspec:\n  selector: {app: api}\n  ports: [{port: 80, targetPort: 9090}]\n',
    'apiVersion: v1\nkind: Service\nmetadata: {name: gone, namespace: pay}\nspec:\n  selector: {app: renamed}\n  ports: [{port: 80}]\n',
  ];
  const crossObjectRules = (results: ReturnType<typeof analyze>) =>
    results
      .flatMap((r) => r.findings)
      .filter((f) => f.ruleId === 'dangling-service' || f.ruleId === 'service-target-port')
      .map((f) => `${f.ruleId} ${f.object.name}`)
      .sort();

  for (const poison of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
    it(`a document of kind ${poison} changes nothing for the others`, () => {
      const files = workspace.map((text, i) => ({ file: `f${i}.yaml`, text }));
      const clean = analyze(files);
      const poisoned = analyze([
        ...files,
        {
          file: 'poison.yaml',
          text: `apiVersion: ${poison}/v1\nkind: ${poison}\nmetadata:\n  name: ${poison}\n  labels: {${poison}: x}\n`,
        },
      ]);
      assert.deepEqual(crossObjectRules(poisoned), ['dangling-service gone', 'service-target-port api']);
      assert.deepEqual(crossObjectRules(poisoned), crossObjectRules(clean));
      assert.deepEqual(
        poisoned.flatMap((r) => r.problems),
        [],
      );
    });
  }

  it('names in images, commands, flags, capabilities and provisioners are looked up as own keys only', () => {
    const text = `apiVersion: constructor/v1\nkind: Role\nmetadata: {name: r}\n---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\nprovisioner: constructor\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: pay}\nspec:\n  containers:\n    - name: c\n      image: registry.example.com/constructor:1.0.0\n      command: [toString, --constructor]\n      securityContext:\n        capabilities: {add: [constructor, __proto__]}\n`;
    const [result] = analyze([{ file: 'names.yaml', text }]);
    assert.deepEqual(result.problems, []);
  });

  it('a rule that fails is a warning naming the rule once per file, and fails the run', () => {
    const broken: Rule = { ...ALL_RULES[0], id: 'broken-rule', check: () => assert.fail('boom') };
    const [result] = analyze([{ file: 'f.yaml', text: workspace.join('---\n') }], { rules: [broken] });
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].code, 'rule-failed');
    assert.equal(result.problems[0].severity, 'warning');
    assert.match(result.problems[0].message, /^Rule broken-rule failed on 3 objects \(first Deployment\/api\): boom/);
    const summary = emptySummary();
    addToSummary(summary, result);
    assert.equal(summary.ruleFailures, 1);
    const sarif = new SarifWriter([broken], '0.0.0', '/');
    const log = JSON.parse(sarif.start() + sarif.file(result) + sarif.end());
    assert.equal(log.runs[0].invocations[0].executionSuccessful, false);
  });
});

describe('symbolic links', () => {
  function linkedTree() {
    const dir = mkdtempSync(join(tmpdir(), 'fintech-k8s-links-'));
    const outside = mkdtempSync(join(tmpdir(), 'fintech-k8s-links-target-'));
    writeFileSync(join(outside, 'privileged.yaml'), readFileSync(join(FIXTURES, 'findings.yaml')));
    mkdirSync(join(outside, 'team'));
    writeFileSync(join(outside, 'team', 'hardened.yaml'), readFileSync(join(FIXTURES, 'hardened.yaml')));
    const scanned = join(dir, 'scanned');
    mkdirSync(scanned);
    symlinkSync(join(outside, 'privileged.yaml'), join(scanned, 'pod.yaml'));
    symlinkSync(join(outside, 'team'), join(scanned, 'team'));
    symlinkSync(scanned, join(scanned, 'loop')); // a folder linking to itself
    symlinkSync(join(outside, 'privileged.yaml'), join(scanned, 'again.yaml')); // a second link to one file
    symlinkSync(join(outside, 'missing.yaml'), join(scanned, 'dangling.yaml'));
    return scanned;
  }

  it('are followed to files and folders, loops and repeats read once, dangling links reported', async () => {
    const scanned = linkedTree();
    const result = await cli(['scan', '.', '--format', 'json'], { cwd: scanned });
    const report = JSON.parse(result.stdout);
    assert.deepEqual(
      report.files.map((f: { file: string }) => f.file),
      ['again.yaml', 'team/hardened.yaml'],
    );
    assert.ok(report.files[0].findings.some((f: { ruleId: string }) => f.ruleId === 'privileged-container'));
    assert.match(result.stderr, /dangling\.yaml: no such file or directory/);
    assert.equal(result.code, 2, 'the dangling link is an unreadable target');
  });

  it('the built bin follows them too', () => {
    const scanned = linkedTree();
    const bin = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'scan', join(scanned, 'pod.yaml')], { encoding: 'utf8' });
    assert.equal(bin.status, 1, bin.stderr);
    assert.match(bin.stdout, /privileged-container/);
  });
});

describe('masked values', () => {
  const manifest = (name: string, value: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: pay}\nspec:\n  containers:\n    - name: c\n      image: registry.example.com/c:1.0.0\n      env:\n        - name: ${name}\n          value: "${value}"\n`;

  for (const [name, value] of [
    ['DB_PASSWORD', 'ENc0d3d-Passw0rd-2026'],
    ['SIGNER_MNEMONIC', 'abandonment ledger settle payment clearing batch'],
    ['API_TOKEN', 'Zq8vN2pLx7Rk4Tw9Ys3Hc6Jm1Bf5Gd0A'],
    ['VALIDATOR_KEY', '7f3a9c2e8b1d4f6a0c5e9b2d8f1a3c7e6b4d0f2a9c8e1b5d3f7a0c6e2b9d4f8a'],
  ]) {
    it(`show no character of ${name}'s value`, () => {
      const result = analyzeText('pod.yaml', manifest(name, value));
      const messages = result.findings.filter((f) => f.message.includes('***') || /chars|hex digits/.test(f.message));
      assert.ok(messages.length > 0, JSON.stringify(result.findings.map((f) => f.message)));
      for (const finding of messages) {
        for (let length = 2; length <= value.length; length++)
          assert.ok(!finding.message.includes(value.slice(0, length) + '*'), `${finding.ruleId}: ${finding.message}`);
        assert.ok(!finding.message.includes(value.slice(0, 4)), `${finding.ruleId}: ${finding.message}`);
      }
    });
  }
});

describe('the settings file (found anywhere above the checkout before, and never named)', () => {
  function checkout() {
    const outer = mkdtempSync(join(tmpdir(), 'fintech-k8s-config-'));
    // Two levels above the repository: someone else's file, which turned 18 findings into exit 0.
    writeFileSync(
      join(outer, '.fintech-k8s.yaml'),
      'severityThreshold: error\nrules:\n  privileged-container: off\n  run-as-non-root: off\n',
    );
    const repository = join(outer, 'work', 'payments');
    mkdirSync(join(repository, 'deploy'), { recursive: true });
    writeFileSync(join(repository, '.git'), 'gitdir: elsewhere\n'); // a worktree's .git is a file
    writeFileSync(join(repository, 'deploy', 'pod.yaml'), readFileSync(join(FIXTURES, 'findings.yaml')));
    return { outer, repository };
  }

  it('is not looked for above the repository root', async () => {
    const { repository } = checkout();
    const result = await cli(['scan', 'deploy'], { cwd: repository });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /privileged-container/);
    assert.doesNotMatch(result.stdout, /^Settings:/m);
    assert.equal(JSON.parse((await cli(['scan', 'deploy', '--format', 'json'], { cwd: repository })).stdout).config, null);
  });

  it('is named in every format when one applies', async () => {
    const { repository } = checkout();
    writeFileSync(join(repository, '.fintech-k8s.yaml'), 'rules:\n  privileged-container: off\n');
    const text = await cli(['scan', 'deploy'], { cwd: repository });
    assert.match(text.stdout, /^Settings: \.fintech-k8s\.yaml\n/);
    assert.doesNotMatch(text.stdout, /privileged-container/);
    const json = JSON.parse((await cli(['scan', 'deploy', '--format', 'json'], { cwd: repository })).stdout);
    assert.equal(json.config, '.fintech-k8s.yaml');
    const sarif = validateSarif((await cli(['scan', 'deploy', '--format', 'sarif'], { cwd: repository })).stdout);
    assert.equal((sarif.runs[0] as unknown as { properties: { configFile: string } }).properties.configFile, '.fintech-k8s.yaml');
  });

  it('outside any repository, is looked for up to the working directory only', async () => {
    const { outer } = checkout();
    const loose = join(outer, 'loose', 'manifests');
    mkdirSync(loose, { recursive: true });
    writeFileSync(join(loose, 'pod.yaml'), readFileSync(join(FIXTURES, 'findings.yaml')));
    assert.match((await cli(['scan', '.'], { cwd: loose })).stdout, /privileged-container/);
    assert.doesNotMatch((await cli(['scan', 'loose/manifests'], { cwd: outer })).stdout, /privileged-container/);
  });
});
