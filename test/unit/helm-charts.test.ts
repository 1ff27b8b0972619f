// Charts rendered by the real helm (pinned, built by test/tools/renderers.mjs) and reported on the template
// and values lines that wrote each finding: the CLI, the render layer, and the quick fix on a values line.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { main } from '../../server/cli/cli';
import { analyze } from '../../server/engine/engine';
import { applyEdits, fixEdits } from '../../server/engine/fixes';
import type { FileResult, Finding } from '../../server/engine/types';
import { discoverRoots, renderRoot, resultsOnSources } from '../../server/render';
import { ensureRenderers } from '../tools/renderers.mjs';

const ROOT = resolve(__dirname, '..', '..');
const CHARTS = join(ROOT, 'test', 'fixtures', 'helm');
let helm: string;

before(() => {
  helm = ensureRenderers().helm;
});

async function cli(args: string[], cwd = CHARTS) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => '', cwd });
  return { code, stdout, stderr };
}

/** The chart rendered and analysed as the language server does it: results on its source files. */
async function lintChart(dir: string, options: { unsaved?: Map<string, string>; valuesFiles?: string[] } = {}): Promise<FileResult[]> {
  const { roots } = discoverRoots([join(dir, 'Chart.yaml')]);
  assert.equal(roots.length, 1);
  const rendered = await renderRoot({
    root: roots[0],
    program: helm,
    kubernetesVersion: '1.37',
    unsaved: options.unsaved,
    helm: { valuesFiles: options.valuesFiles ?? [], set: [] },
  });
  return resultsOnSources(rendered, analyze(rendered.files));
}

/** `file:line:col: severity [rule]` of every finding of a CLI text report, without the messages. */
function findingLines(stdout: string, severity?: string): string[] {
  return stdout
    .split('\n')
    .map((line) => /^(\S+:\d+:\d+): (\w+) \[([\w-]+)\]/.exec(line))
    .filter((m) => m !== null && (!severity || m[2] === severity))
    .map((m) => m!)
    .map((m) => `${m[1]} ${m[3]}`);
}

function at(results: FileResult[], file: string, ruleId: string): Finding[] {
  return results.filter((r) => r.file.endsWith(file)).flatMap((r) => r.findings.filter((f) => f.ruleId === ruleId));
}

describe('helm charts in the CLI', () => {
  it('renders a chart given as a directory and reports on its template and values lines', async () => {
    const result = await cli(['scan', 'ledger', '--helm-path', helm, '--namespace', 'payments', '-s', 'info']);
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stdout.split('\n');
    // privileged: true in values.yaml (line 22), written by the toYaml line of the template.
    assert.ok(
      lines.includes(
        'ledger/values.yaml:22:3: error [privileged-container] container "ledger" runs privileged (privileged: true): it has every capability and direct access to the node\'s devices. (Deployment/payments/release-name-ledger)',
      ),
      result.stdout,
    );
    assert.ok(lines.includes('  related: ledger/templates/deployment.yaml:29:13 Written by this template line'));
    // The image tag is built from two values: the tag's line.
    assert.match(result.stdout, /^ledger\/values\.yaml:6:3: warning \[image-digest\] /m);
    // What the chart never writes lands on the container line of the template.
    assert.match(result.stdout, /^ledger\/templates\/deployment\.yaml:27:9: warning \[liveness-probe\] /m);
    // Never a line of the rendered text.
    assert.doesNotMatch(result.stdout, /fintech-k8s-rendered/);
  });

  it('a missing helm is an exit 2 with one note per chart saying how to get findings', async () => {
    const result = await cli(['scan', 'ledger', '--helm-path', join(CHARTS, 'no-such-helm')]);
    assert.equal(result.code, 2);
    assert.match(
      result.stdout,
      /^ledger\/Chart\.yaml:1:1: info \[render-unavailable\] helm was not found, so chart "ledger" is not linted/m,
    );
  });
});

describe('suppressions on chart lines', () => {
  it('a comment above the values line silences the finding it carries', async () => {
    const dir = join(CHARTS, 'ledger');
    const valuesFile = join(dir, 'values.yaml');
    const values = readFileSync(valuesFile, 'utf8').replace(
      '  privileged: true',
      '  # fintech-k8s-ignore privileged-container: packet capture sidecar, exception SEC-118\n  privileged: true',
    );
    const results = await lintChart(dir, { unsaved: new Map([[valuesFile, values]]) });
    const [finding] = at(results, 'ledger/values.yaml', 'privileged-container');
    assert.equal(finding?.range.start.line, 22);
    assert.deepEqual(finding.suppressed, { by: 'comment', reason: 'packet capture sidecar, exception SEC-118' });
  });
});

describe('values-line quick fix', () => {
  it('edits the values file that set the value', async () => {
    const results = await lintChart(join(CHARTS, 'ledger'));
    const [finding] = at(results, 'ledger/values.yaml', 'privileged-container');
    assert.ok(finding, 'privileged-container on values.yaml');
    assert.equal(finding.range.start.line, 21);
    const values = readFileSync(join(CHARTS, 'ledger', 'values.yaml'), 'utf8');
    const fixed = applyEdits(values, fixEdits(values, finding));
    assert.match(fixed, /^securityContext:\n {2}privileged: false\n/m);
    assert.equal(fixed.split('\n').length, values.split('\n').length);
  });
});

describe('the chart `helm create` scaffolds', () => {
  it('reports what it leaves open on the values lines to fill in, and the rest on its template lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fintech-k8s-helm-create-'));
    try {
      execFileSync(helm, ['create', 'ledger'], { cwd: dir, stdio: 'ignore' });
      const lineOf = (file: string, pattern: RegExp) =>
        readFileSync(join(dir, 'ledger', file), 'utf8')
          .split('\n')
          .findIndex((line) => pattern.test(line)) + 1;
      const result = await cli(['scan', 'ledger', '--helm-path', helm], dir);
      assert.equal(result.code, 1, result.stderr);
      const lines = findingLines(result.stdout);
      const expected = [
        // securityContext: {} / podSecurityContext: {} / resources: {}: where the hardening goes.
        `ledger/values.yaml:${lineOf('values.yaml', /^securityContext: \{\}/)}:1 run-as-non-root`,
        `ledger/values.yaml:${lineOf('values.yaml', /^podSecurityContext: \{\}/)}:1 seccomp-profile`,
        `ledger/values.yaml:${lineOf('values.yaml', /^resources: \{\}/)}:1 memory-limits`,
        // replicas: {{ .Values.replicaCount }}
        `ledger/values.yaml:${lineOf('values.yaml', /^replicaCount: /)}:1 replicas-minimum`,
        // The namespace the scaffold never writes: on the object's metadata line.
        `ledger/templates/deployment.yaml:${lineOf('templates/deployment.yaml', /^metadata:/)}:1 default-namespace`,
      ];
      for (const line of expected) assert.ok(lines.includes(line), `${line}\n${lines.join('\n')}`);
      assert.ok(!lines.some((line) => /rendered|_helpers\.tpl/.test(line)), lines.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('charts of the shapes people write', () => {
  it('a library chart include lands on the include line; a vendored subchart value set by the parent, on the parent values line', async () => {
    const result = await cli(['scan', 'vault-gateway', '--helm-path', helm, '--namespace', 'payments', '-s', 'error']);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(findingLines(result.stdout, 'error'), [
      // redis-cache.securityContext.allowPrivilegeEscalation: true in the parent's values.yaml wins over the subchart's false.
      'vault-gateway/values.yaml:20:5 allow-privilege-escalation',
      // The conditional Ingress (ingress.enabled: true) has no tls: on its spec line.
      'vault-gateway/templates/ingress.yaml:7:1 ingress-tls',
      // The subchart writes no seccomp profile: on its pod spec line.
      'vault-gateway/charts/redis-cache/templates/statefulset.yaml:15:5 seccomp-profile',
    ]);
    assert.match(
      result.stdout,
      /related: vault-gateway\/charts\/redis-cache\/templates\/statefulset\.yaml:20:13 Written by this template line/,
    );
    const warnings = findingLines((await cli(['scan', 'vault-gateway', '--helm-path', helm, '--namespace', 'payments'])).stdout);
    // Everything the library template writes is reported on the line that includes it.
    assert.ok(warnings.includes('vault-gateway/templates/deployment.yaml:1:1 liveness-probe'), warnings.join('\n'));
    // The subchart's own default: its values.yaml line.
    assert.ok(warnings.includes('vault-gateway/charts/redis-cache/values.yaml:1:1 image-digest'), warnings.join('\n'));
    assert.ok(!warnings.some((line) => line.includes('platform-lib')), 'the library is never linted on its own');
  });

  it('a conditional resource that is switched off renders nothing and is not reported', async () => {
    const off = await cli(['scan', 'vault-gateway', '--helm-path', helm, '--set', 'ingress.enabled=false', '-s', 'error']);
    assert.doesNotMatch(off.stdout, /ingress-tls/);
  });

  it('a values file given with -f wins over values.yaml, and the finding is on its line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fintech-k8s-values-'));
    try {
      writeFileSync(join(dir, 'prod.yaml'), 'securityContext:\n  privileged: false\n  allowPrivilegeEscalation: true\n');
      const result = await cli(['scan', 'ledger', '--helm-path', helm, '-f', join(dir, 'prod.yaml'), '-s', 'error']);
      const lines = findingLines(result.stdout);
      assert.ok(lines.includes(`${join(dir, 'prod.yaml')}:3:3 allow-privilege-escalation`), lines.join('\n'));
      assert.ok(!lines.some((line) => line.includes('privileged-container')), lines.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('containers from values beside the written one: the written one keeps its template lines, the extras their values lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fintech-k8s-values-'));
    try {
      writeFileSync(
        join(dir, 'sidecar.yaml'),
        'extraContainers:\n  - name: tcpdump\n    image: registry.example.com/tools/tcpdump:4.99\n    securityContext:\n      privileged: true\n',
      );
      const result = await cli(['scan', 'ledger', '--helm-path', helm, '-f', join(dir, 'sidecar.yaml'), '-s', 'error']);
      const lines = findingLines(result.stdout);
      assert.ok(lines.includes(`${join(dir, 'sidecar.yaml')}:5:7 privileged-container`), lines.join('\n'));
      assert.ok(lines.includes('ledger/values.yaml:22:3 privileged-container'), lines.join('\n'));
      assert.ok(lines.includes('ledger/templates/deployment.yaml:27:9 liveness-probe'), lines.join('\n'));
      // The fix of the sidecar's finding edits the sidecar's own item of the -f file.
      const results = await lintChart(join(CHARTS, 'ledger'), { valuesFiles: [join(dir, 'sidecar.yaml')] });
      const [finding] = at(results, 'sidecar.yaml', 'privileged-container');
      const text = readFileSync(join(dir, 'sidecar.yaml'), 'utf8');
      assert.equal(applyEdits(text, fixEdits(text, finding)), text.replace('privileged: true', 'privileged: false'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('dependencies missing from charts/ give one message to run helm dependency build, and exit 2 (apiVersion v1 requirements.yaml)', async () => {
    const result = await cli(['scan', 'legacy-v1', '--helm-path', helm]);
    assert.equal(result.code, 2);
    assert.match(
      result.stdout,
      /^legacy-v1\/requirements\.yaml:2:5: error \[render-failed\] Dependencies missing from charts\/: postgresql\. Run `helm dependency build .*legacy-v1`/m,
    );
    assert.equal(findingLines(result.stdout).length, 1);
  });

  it('a directory scan renders the charts in it and does not lint their templates raw', async () => {
    const result = await cli(['scan', '.', '--helm-path', helm, '--format', 'json']);
    const report = JSON.parse(result.stdout) as { files: { file: string; problems: { code: string }[] }[] };
    const templateProblems = report.files.filter((f) => f.file.includes('/templates/') && f.problems.some((p) => p.code === 'yaml-syntax'));
    assert.deepEqual(templateProblems, []);
    assert.ok(report.files.some((f) => f.file === 'ledger/values.yaml'));
  });

  it('SARIF locations point at the chart files', async () => {
    const log = JSON.parse((await cli(['scan', 'ledger', '--helm-path', helm, '--format', 'sarif'])).stdout);
    const uris = new Set<string>(
      log.runs[0].results.map(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          r.locations[0].physicalLocation.artifactLocation.uri,
      ),
    );
    assert.ok(uris.has('ledger/values.yaml'), [...uris].join(', '));
    assert.ok([...uris].every((uri) => !uri.includes('rendered')));
  });
});

describe('{{ outside a chart is plain YAML', () => {
  it('a comment with {{ does not hide a privileged pod', async () => {
    const result = await cli(['scan', 'plain/privileged-pod.yaml', '-s', 'error']);
    assert.equal(result.code, 1);
    assert.ok(findingLines(result.stdout).includes('plain/privileged-pod.yaml:12:9 privileged-container'));
  });

  it('a Grafana dashboard\'s legendFormat "{{instance}}" in a ConfigMap is linted as YAML, without a problem', async () => {
    const result = await cli(['scan', 'plain/grafana-dashboard.yaml', '--format', 'json']);
    const report = JSON.parse(result.stdout) as { files: { problems: unknown[]; objects: unknown[] }[] };
    assert.deepEqual(report.files[0].problems, []);
    assert.equal(report.files[0].objects.length, 1);
  });

  it('a template outside a chart that does not parse is not clean: exit 2', async () => {
    const result = await cli(['scan', 'plain/template-outside-chart.yaml']);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /^plain\/template-outside-chart\.yaml:4:\d+: error \[yaml-syntax\]/m);
  });
});

describe("helm's own errors", () => {
  async function withBrokenTemplate(edit: (text: string) => string): Promise<FileResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'fintech-k8s-broken-'));
    try {
      cpSync(join(CHARTS, 'ledger'), join(dir, 'ledger'), { recursive: true });
      const file = join(dir, 'ledger', 'templates', 'service.yaml');
      // Unsaved: the text reaches helm only through the private copy.
      return await lintChart(join(dir, 'ledger'), { unsaved: new Map([[file, edit(readFileSync(file, 'utf8'))]]) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('an execution error is one diagnostic at the line and column helm names', async () => {
    const results = await withBrokenTemplate((t) => t.replace('type: {{ .Values.service.type }}', 'type: {{ .Values.service.nope.type }}'));
    const problems = results.flatMap((r) => r.problems);
    assert.equal(problems.length, 1);
    assert.ok(problems[0].file.endsWith('templates/service.yaml'));
    assert.deepEqual(problems[0].range.start, { line: 8, character: 17 });
    assert.match(problems[0].message, /nil pointer evaluating interface \{\}\.type/);
  });

  it('rendered YAML that does not parse is one diagnostic on the template line that wrote it', async () => {
    const results = await withBrokenTemplate((t) =>
      t.replace('      protocol: TCP', '      protocol: TCP\n  broken: {{ .Values.service.port }}'),
    );
    const problems = results.flatMap((r) => r.problems);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.match(problems[0].message, /YAML parse error/);
    assert.ok(problems[0].file.endsWith('templates/service.yaml'));
  });
});
