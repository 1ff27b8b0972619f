// Charts rendered by the real helm (pinned, built by test/tools/renderers.mjs) and reported on the template
// and values lines that wrote each finding: the CLI, the render layer, and the quick fix on a values line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { main } from '../../server/cli/cli';
import { analyze } from '../../server/engine/engine';
import { applyEdits, fixEdits } from '../../server/engine/fixes';
import type { FileResult, Finding } from '../../server/engine/types';
import { discoverRoots, renderRoot } from '../../server/render';
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
async function lintChart(dir: string, options: { unsaved?: Map<string, string> } = {}): Promise<FileResult[]> {
  const { roots } = discoverRoots([join(dir, 'Chart.yaml')]);
  assert.equal(roots.length, 1);
  const rendered = await renderRoot({ root: roots[0], program: helm, kubernetesVersion: '1.37', unsaved: options.unsaved });
  const results = rendered.toSources(analyze(rendered.files));
  for (const problem of rendered.problems) {
    const result = results.find((r) => r.file === problem.file);
    if (result) result.problems.push(problem);
    else results.push({ file: problem.file, findings: [], problems: [problem], objects: [] });
  }
  return results;
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
