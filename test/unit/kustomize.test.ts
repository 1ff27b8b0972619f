// Kustomize overlays built with the real kustomize (pinned, built once from the Go module proxy): the roots
// of a workspace, the objects a build gives, and every finding on the base, patch or kustomization line
// that wrote it. In the fixtures, `# expect(dev,prod): rule-a, rule-b` marks the line where each finding
// of those overlays must start; `# expect-below(…)` marks the next line (env files have no comments at the
// end of a line).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { findProgram } from '../../lib/programs/find-program';
import { main } from '../../server/cli/cli';
import { analyze } from '../../server/engine/engine';
import { mergeRootResults, rootNames } from '../../server/engine/source-map/merge-roots';
import type { FileResult } from '../../server/engine/types';
import { renderKustomize } from '../../server/render/kustomize/build';
import { discoverKustomizeRoots, rootAt } from '../../server/render/kustomize/discover';
import { KustomizeWorkspace } from '../../server/render/kustomize/workspace';
import { ensureRenderers } from '../tools/renderers.mjs';

const FIXTURE = resolve(__dirname, '..', 'fixtures', 'kustomize', 'ledger');
const VERSION = '1.34';
let kustomize: string;

before(() => {
  kustomize = ensureRenderers().kustomize;
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

async function build(dir: string, options: { unsaved?: Map<string, string>; program?: string | null } = {}) {
  const root = rootAt(dir);
  assert.ok(root, `no kustomization in ${dir}`);
  const rendered = await renderKustomize({
    root,
    program: options.program === null ? undefined : (options.program ?? kustomize),
    unsaved: options.unsaved,
    kubernetesVersion: VERSION,
  });
  return { rendered, results: rendered.toSources(analyze(rendered.files)) };
}

/** "file:line rule" (1-based lines, fixture-relative files) for each finding. */
function located(results: readonly FileResult[], base = FIXTURE): string[] {
  return results.flatMap((r) => r.findings.map((f) => `${relative(base, f.file)}:${f.range.start.line + 1} ${f.ruleId}`)).sort();
}

/** The `# expect(…)` marks of the fixture for one overlay, as "file:line rule". */
function expected(overlay: string): string[] {
  const marks: string[] = [];
  for (const file of filesUnder(FIXTURE)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        for (const match of line.matchAll(/expect(-below)?\(([\w,]+)\):\s*([a-z0-9-]+(?:,\s*[a-z0-9-]+)*)/g)) {
          if (!match[2].split(',').includes(overlay)) continue;
          const at = index + 1 + (match[1] ? 1 : 0);
          for (const rule of match[3].split(',')) marks.push(`${relative(FIXTURE, file)}:${at} ${rule.trim()}`);
        }
      });
  }
  return marks.sort();
}

function objectIds(yamlText: string): string[] {
  return [...yamlText.matchAll(/^kind: (\S+)$[\s\S]*?^ {2}name: (\S+)$/gm)].map((m) => `${m[1]}/${m[2]}`).sort();
}

function treeDigest(dir: string): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(dir).sort()) hash.update(file).update(readFileSync(file));
  return hash.digest('hex');
}

describe('kustomize roots', () => {
  it('the overlays are the roots; the base they share and the component are not', () => {
    const roots = discoverKustomizeRoots(filesUnder(FIXTURE));
    assert.deepEqual(roots.map((r) => relative(FIXTURE, r.dir)).sort(), ['overlays/dev', 'overlays/prod']);
  });

  it('a root lists every file its build reads: bases, patches, generator inputs, kustomization files', () => {
    const prod = rootAt(join(FIXTURE, 'overlays', 'prod'))!;
    assert.deepEqual(prod.inputs.map((f) => relative(FIXTURE, f)).sort(), [
      'base/deployment.yaml',
      'base/kustomization.yaml',
      'base/network-policy.yaml',
      'base/pdb.yaml',
      'base/service-account.yaml',
      'base/service.yaml',
      'base/settings.env',
      'overlays/prod/acquirer.properties',
      'overlays/prod/gateway.env',
      'overlays/prod/host-pid.yaml',
      'overlays/prod/kustomization.yaml',
      'overlays/prod/limits.yaml',
    ]);
    const dev = rootAt(join(FIXTURE, 'overlays', 'dev'))!;
    assert.ok(dev.inputs.includes(join(FIXTURE, 'components', 'debug-tools', 'remove-network-policy.yaml')));
  });

  it('in a workspace, a file belongs to every root whose build reads it', () => {
    const workspace = new KustomizeWorkspace([FIXTURE]);
    const roots = (file: string) => workspace.rootsIncluding(join(FIXTURE, file)).map((r) => relative(FIXTURE, r.dir));
    assert.deepEqual(roots('base/deployment.yaml'), ['overlays/dev', 'overlays/prod']);
    assert.deepEqual(roots('overlays/prod/limits.yaml'), ['overlays/prod']);
    assert.deepEqual(roots('components/debug-tools/debug-sidecar.yaml'), ['overlays/dev']);
    assert.deepEqual(roots('overlays/dev/kustomization.yaml'), ['overlays/dev']);
    assert.deepEqual(roots('../../cli/findings.yaml'), []);
  });

  it('a base used alone is a root of its own', () => {
    const roots = discoverKustomizeRoots([join(FIXTURE, 'base', 'kustomization.yaml')]);
    assert.deepEqual(
      roots.map((r) => relative(FIXTURE, r.dir)),
      ['base'],
    );
  });
});

describe('kustomize build', () => {
  for (const overlay of ['dev', 'prod']) {
    it(`${overlay}: the same objects as \`kustomize build\`, without the build metadata`, async () => {
      const plain = spawnSync(kustomize, ['build', join(FIXTURE, 'overlays', overlay)], { encoding: 'utf8' });
      assert.equal(plain.status, 0, plain.stderr);
      const { rendered } = await build(join(FIXTURE, 'overlays', overlay));
      assert.deepEqual(rendered.problems, []);
      const text = rendered.files.map((f) => f.text).join('\n---\n');
      assert.deepEqual(objectIds(text), objectIds(plain.stdout));
      assert.doesNotMatch(text, /config\.kubernetes\.io\/origin|alpha\.config\.kubernetes\.io\/transformations/);
    });

    it(`${overlay}: every finding on the line that wrote it, and only the expected ones`, async () => {
      const { results } = await build(join(FIXTURE, 'overlays', overlay));
      assert.deepEqual(located(results), expected(overlay));
    });
  }

  const kubectl = findProgram('kubectl');
  it(
    '`kubectl kustomize` builds the same, with the same source lines',
    { skip: kubectl ? false : 'kubectl is not installed here (the pinned kustomize covers the rest)' },
    async () => {
      const { results } = await build(join(FIXTURE, 'overlays', 'prod'), { program: kubectl });
      assert.deepEqual(located(results), expected('prod'));
    },
  );

  it("never changes the user's files", async () => {
    const before = treeDigest(FIXTURE);
    await build(join(FIXTURE, 'overlays', 'prod'));
    await build(join(FIXTURE, 'overlays', 'dev'), { unsaved: new Map([[join(FIXTURE, 'overlays', 'dev', 'kustomization.yaml'), '']]) });
    assert.equal(treeDigest(FIXTURE), before);
  });

  it('no finding exists only because a partial file was linted alone', async () => {
    const { results } = await build(join(FIXTURE, 'overlays', 'prod'));
    const rules = new Set(results.flatMap((r) => r.findings.map((f) => f.ruleId)));
    // What the base's and the patches' files get when linted as whole objects: missing selectors, Services
    // that select nothing, objects in the default namespace.
    for (const alone of ['schema-invalid', 'dangling-service', 'default-namespace', 'run-as-non-root', 'seccomp-profile'])
      assert.ok(!rules.has(alone), `${alone} found`);
    const standalone = analyze([{ file: 'limits.yaml', text: readFileSync(join(FIXTURE, 'overlays', 'prod', 'limits.yaml'), 'utf8') }]);
    assert.ok(standalone[0].findings.length > 5, 'the patch alone would get many false findings');
  });

  it('generator values are checked but never echoed', async () => {
    for (const overlay of ['dev', 'prod']) {
      const { results } = await build(join(FIXTURE, 'overlays', overlay));
      const messages = results.flatMap((r) => r.findings.map((f) => f.message)).join('\n');
      for (const secret of ['Str0ng-but-committed', 'sk_live_51Hx', 'R8mK2vQ9', 'Zq8Lm3Vx', 'S3ttle-me'])
        assert.ok(!messages.includes(secret), `${secret} echoed`);
    }
  });

  it('a fix carries over to the patch that set the field', async () => {
    const { results } = await build(join(FIXTURE, 'overlays', 'prod'));
    const privileged = results.flatMap((r) => r.findings).find((f) => f.ruleId === 'privileged-container')!;
    assert.equal(relative(FIXTURE, privileged.file), 'overlays/prod/limits.yaml');
    assert.deepEqual(
      privileged.fix?.ops.map((op) => op.path.join('.')),
      ['spec.template.spec.containers.0.securityContext.privileged'],
    );
    const newTag = results.flatMap((r) => r.findings).find((f) => f.ruleId === 'image-digest' && f.file.endsWith('kustomization.yaml'))!;
    assert.equal(newTag.fix, undefined, 'no fix is offered on a kustomization entry');
  });

  it('unsaved changes are built, from a private copy', async () => {
    const limits = join(FIXTURE, 'overlays', 'prod', 'limits.yaml');
    const edited = readFileSync(limits, 'utf8').replace('privileged: true', 'privileged: false');
    const { results } = await build(join(FIXTURE, 'overlays', 'prod'), { unsaved: new Map([[limits, edited]]) });
    const rules = located(results);
    assert.ok(!rules.some((r) => r.endsWith('privileged-container')), rules.join('\n'));
    assert.ok(rules.includes('overlays/prod/host-pid.yaml:3 host-pid'), 'the rest of the overlay is still built');
  });

  it('a base shared by two overlays reports each finding once, naming the overlays', async () => {
    const dirs = ['dev', 'prod'].map((o) => join(FIXTURE, 'overlays', o));
    const names = rootNames(dirs);
    assert.deepEqual(names, ['dev', 'prod']);
    const perRoot = await Promise.all(dirs.map(async (dir, i) => ({ name: names[i], results: (await build(dir)).results })));
    const merged = mergeRootResults(perRoot);
    const deployment = merged.find((r) => r.file === join(FIXTURE, 'base', 'deployment.yaml'))!;
    const added = deployment.findings.filter((f) => f.ruleId === 'capabilities-add');
    assert.equal(added.length, 1);
    assert.match(added[0].message, /\(in overlays dev, prod\)$/);
    const isolated = deployment.findings.find((f) => f.ruleId === 'pod-not-isolated')!;
    assert.match(isolated.message, /\(in overlay dev\)$/);
    const patch = merged.find((r) => r.file.endsWith('limits.yaml'))!;
    assert.doesNotMatch(patch.findings[0].message, /\(in overlay/, 'a file of one overlay needs no overlay names');
  });
});

describe('kustomize: what stops a build', () => {
  function scratch(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'kustomize-test-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }

  it('no kustomize: one info on the kustomization, nothing built, the inputs still claimed', async () => {
    const { rendered } = await build(join(FIXTURE, 'overlays', 'prod'), { program: null });
    assert.deepEqual(rendered.files, []);
    assert.equal(rendered.problems.length, 1);
    const [problem] = rendered.problems;
    assert.equal(problem.code, 'renderer-not-found');
    assert.equal(problem.severity, 'info');
    assert.equal(problem.file, join(FIXTURE, 'overlays', 'prod', 'kustomization.yaml'));
    assert.match(problem.message, /fintechK8s\.kustomize\.path/);
    assert.ok(rendered.root.inputs.includes(join(FIXTURE, 'overlays', 'prod', 'limits.yaml')));
  });

  it('a remote resource: one clear error on its line, and kustomize never runs', async () => {
    const dir = scratch({
      'kustomization.yaml': 'resources:\n  - deployment.yaml\n  - github.com/example/platform//deploy/base?ref=v1.2.0\n',
      'deployment.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    });
    const { rendered } = await build(dir, { program: join(dir, 'no-such-kustomize') });
    assert.equal(rendered.problems.length, 1);
    const [problem] = rendered.problems;
    assert.equal(problem.code, 'kustomize-build');
    assert.equal(problem.range.start.line, 2);
    assert.match(problem.message, /remote resource: it is never fetched/);
  });

  it("kustomize's own error, on the kustomization, without the private directory's paths", async () => {
    const dir = scratch({ 'kustomization.yaml': 'resources:\n  - missing.yaml\n' });
    // The graph notices the missing file first; a kustomization kustomize rejects reaches kustomize.
    const broken = scratch({
      'kustomization.yaml': 'resources:\n  - cm.yaml\nnamePrefix: [not, a, string]\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    });
    const missing = (await build(dir)).rendered.problems;
    assert.match(missing[0].message, /"missing\.yaml" names no file/);
    const { rendered } = await build(broken);
    assert.equal(rendered.problems.length, 1);
    assert.equal(rendered.problems[0].severity, 'error');
    assert.match(rendered.problems[0].message, /^kustomize could not build /);
    assert.doesNotMatch(rendered.problems[0].message, /fintech-k8s-/);
  });

  it("kustomize's error on the line it names: a resource that is not YAML, a patch that matches nothing", async () => {
    const dir = scratch({
      'base/kustomization.yaml': 'resources:\n  - cm.yaml\n',
      'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n',
      'prod/kustomization.yaml': 'resources:\n  - ../base\n',
      'typo/kustomization.yaml': 'resources:\n  - cm.yaml\npatches:\n  - path: patch.yaml\n',
      'typo/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
      'typo/patch.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: setings\ndata:\n  a: b\n',
    });
    const [broken] = (await build(join(dir, 'prod'))).rendered.problems;
    assert.equal(relative(dir, broken.file), 'base/cm.yaml');
    assert.equal(broken.range.start.line, 3);
    assert.match(broken.message, /did not find expected key/);
    const [unmatched] = (await build(join(dir, 'typo'))).rendered.problems;
    assert.equal(relative(dir, unmatched.file), 'typo/patch.yaml');
    assert.equal(unmatched.range.start.line, 3, 'the name of the patch that matches nothing');
  });

  it('kustomizations of the wrong shape give a clear problem, never a throw', async () => {
    const shapes = [
      'resources: {a: 1}\npatches: [1, "x", {path: 3}]\nimages: [{}, 5]\nreplicas: "x"\nlabels: [null, {pairs: 3}]\n',
      'resources:\n  - [unclosed\n',
      '- just\n- a\n- list\n',
      'resources:\n  - cm.yaml\npatches:\n  - patch: "{{not yaml"\n    target: {kind: ConfigMap}\n',
      'resources:\n  - .\n',
    ];
    for (const text of shapes) {
      const dir = scratch({ 'kustomization.yaml': text, 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' });
      const { rendered, results } = await build(dir);
      assert.ok(Array.isArray(results));
      for (const problem of rendered.problems) assert.ok(problem.message.length > 0 && problem.range.start.line >= 0, text);
    }
  });

  it('a field a replacement copies is reported on the replacement target that names it', async () => {
    const dir = scratch({
      'kustomization.yaml': [
        'resources:',
        '  - app.yaml',
        '  - versions.yaml',
        'replacements:',
        '  - source:',
        '      kind: ConfigMap',
        '      name: versions',
        '      fieldPath: data.image',
        '    targets:',
        '      - select:',
        '          kind: Deployment',
        '        fieldPaths:',
        '          - spec.template.spec.containers.[name=app].image',
        '',
      ].join('\n'),
      'versions.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: versions\ndata:\n  image: registry.bank.example/ledger:latest\n',
      'app.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ledger\nspec:\n  selector:\n    matchLabels: {app: ledger}\n  template:\n    metadata:\n      labels: {app: ledger}\n    spec:\n      containers:\n        - name: app\n          image: placeholder\n',
    });
    const { results } = await build(dir);
    const latest = results.flatMap((r) => r.findings).filter((f) => f.ruleId === 'image-tag-latest');
    assert.deepEqual(
      latest.map((f) => `${relative(dir, f.file)}:${f.range.start.line + 1}`),
      ['kustomization.yaml:13'],
    );
  });

  it('namespace and replicas set by a kustomization are reported on their entries', async () => {
    const dir = scratch({
      'base/kustomization.yaml': 'resources:\n  - job.yaml\n  - service.yaml\n',
      'base/service.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: sweeper\nspec:\n  selector: {app: sweeper}\n  ports: [{port: 80}]\n',
      'base/job.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: sweeper\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: sweeper}\n  template:\n    metadata:\n      labels: {app: sweeper}\n    spec:\n      containers:\n        - name: c\n          image: registry.bank.example/sweeper@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945\n          ports: [{containerPort: 8080}]\n',
      'ops/kustomization.yaml': 'namespace: kube-system\nresources:\n  - ../base\nreplicas:\n  - name: sweeper\n    count: 1\n',
    });
    const { results } = await build(join(dir, 'ops'));
    const findings = results.flatMap((r) => r.findings);
    const at = (rule: string) => findings.filter((f) => f.ruleId === rule).map((f) => `${relative(dir, f.file)}:${f.range.start.line + 1}`);
    assert.deepEqual(at('kube-system-workload'), ['ops/kustomization.yaml:1']);
    assert.deepEqual(at('replicas-minimum'), ['ops/kustomization.yaml:6']);
  });
});

describe('kustomize in the CLI', () => {
  async function cli(args: string[], cwd = FIXTURE) {
    let stdout = '';
    let stderr = '';
    const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => '', cwd });
    return { code, stdout, stderr, lines: stdout.trim().split('\n') };
  }

  it('`scan overlays/prod` builds the overlay and reports on its sources', async () => {
    const result = await cli(['scan', 'overlays/prod', '--kustomize-path', kustomize]);
    assert.equal(result.code, 1, result.stderr);
    assert.ok(result.lines.some((l) => l.startsWith('overlays/prod/limits.yaml:14:13: error [privileged-container]')));
    assert.ok(result.lines.some((l) => l.startsWith('overlays/prod/kustomization.yaml:9:5: warning [image-digest]')));
    assert.ok(result.lines.some((l) => l.startsWith('base/deployment.yaml:49:21: error [capabilities-add]')));
  });

  it('a directory scan builds its roots: the findings of both overlays, none of a file linted alone', async () => {
    const result = await cli(['scan', '.', '--kustomize-path', kustomize, '--severity-threshold', 'info', '--format', 'json']);
    const report = JSON.parse(result.stdout) as {
      files: { file: string; findings: { ruleId: string; startLine: number; message: string }[] }[];
    };
    const found = report.files.flatMap((f) => f.findings.map((x) => `${f.file}:${x.startLine} ${x.ruleId}`)).sort();
    const both = [...new Set([...expected('dev'), ...expected('prod')])].sort();
    assert.deepEqual(found, both);
    const shared = report.files.find((f) => f.file === 'base/deployment.yaml')!.findings.find((x) => x.ruleId === 'capabilities-add')!;
    assert.match(shared.message, /\(in overlays dev, prod\)$/);
  });

  it('a component scanned alone: one note, and its patches are not linted as whole objects', async () => {
    const result = await cli(['scan', 'components/debug-tools', '--kustomize-path', kustomize, '--severity-threshold', 'info']);
    assert.equal(result.code, 0, result.stdout);
    assert.deepEqual(
      result.lines.filter((l) => l.includes('[')).map((l) => l.split(' ').slice(0, 3).join(' ')),
      ['components/debug-tools/kustomization.yaml:1:1: info [kustomize-build]'],
    );
  });

  it('a base file scanned alone is built with its kustomization, not linted as a partial object', async () => {
    const result = await cli(['scan', 'base/deployment.yaml', '--kustomize-path', kustomize, '--severity-threshold', 'info']);
    assert.equal(result.code, 1);
    assert.ok(result.lines.some((l) => l.startsWith('base/deployment.yaml:49:21: error [capabilities-add]')));
    assert.ok(!result.lines.some((l) => /\[(schema-invalid|dangling-service)\]/.test(l)), result.stdout);
  });

  it('SARIF points at the kustomization entry that set the image', async () => {
    const result = await cli(['scan', 'overlays/dev', '--kustomize-path', kustomize, '--format', 'sarif']);
    const sarif = JSON.parse(result.stdout);
    const latest = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'image-tag-latest');
    assert.equal(latest.locations[0].physicalLocation.artifactLocation.uri, 'overlays/dev/kustomization.yaml');
    assert.equal(latest.locations[0].physicalLocation.region.startLine, 11);
  });

  it('no kustomize: exit 2, one note per overlay, and no false finding on its partial files', async () => {
    const result = await cli(['scan', '.', '--kustomize-path', join(FIXTURE, 'no-such-kustomize')]);
    assert.equal(result.code, 2);
    const notes = result.lines.filter((l) => l.includes('[renderer-not-found]'));
    assert.deepEqual(
      notes.map((l) => l.split(':')[0]),
      ['overlays/dev/kustomization.yaml', 'overlays/prod/kustomization.yaml'],
    );
    assert.match(result.lines.at(-1)!, /^0 findings /);
  });

  it("each overlay's cross-file rules see its own objects: a sibling variant's NetworkPolicy covers nothing here", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kustomize-variants-'));
    const write = (name: string, text: string) => {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    };
    write('base/kustomization.yaml', 'namespace: payments\nresources:\n  - deployment.yaml\n');
    write(
      'base/deployment.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: registry.bank.example/api:1.0.0\n',
    );
    write('variants/isolated/kustomization.yaml', 'resources:\n  - ../../base\n  - policy.yaml\n');
    write(
      'variants/isolated/policy.yaml',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api\n  namespace: payments\nspec:\n  podSelector:\n    matchLabels: {app: api}\n  policyTypes: [Ingress]\n',
    );
    write('variants/open/kustomization.yaml', 'resources:\n  - ../../base\n');
    const result = await cli(['scan', '.', '--kustomize-path', kustomize, '--format', 'json'], dir);
    const report = JSON.parse(result.stdout) as { files: { file: string; findings: { ruleId: string; message: string }[] }[] };
    const isolation = report.files.flatMap((f) => f.findings).filter((f) => f.ruleId === 'pod-not-isolated');
    assert.equal(isolation.length, 1);
    assert.match(isolation[0].message, /\(in overlay open\)$/);
  });
});
