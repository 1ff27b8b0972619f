// The linter as a user meets it: the packaged .vsix installed into code-server (VS Code 1.100.3 in the
// browser), driven in Chromium. Needs `npm run package` and `node test/e2e/code-server.mjs provision`.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ruleDocsUrl } from '../../server/engine/docs-url';
import { RULES_BY_ID } from '../../server/engine/rules';
import { DIAGNOSTIC_SOURCE } from '../../server/protocol';
import { expectConsistently, expectEventually, waitFor } from './support/poll';
import { cliFindings, cliScan, E2ESession, type CliFinding } from './support/session';
import { SELECTORS, type ProblemRow, type Workbench } from './support/workbench';

const PAYMENTS_API = 'payments/payments-api.yaml';
const STATUS_BAR = /^\S*\s*Fintech K8s: \d+$/;
/** The fix title offered by server/engine/rules/pod-security/allow-privilege-escalation.ts. */
const ESCALATION_FIX = 'Set allowPrivilegeEscalation: false';
/** An image from a registry that examples/.fintech-k8s.yaml trusts, typed into the template's image placeholder. */
const TRUSTED_IMAGE = 'registry.bank.example/payments/api@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';

let session: E2ESession;
let wb: Workbench;
let activationMs: number | undefined;
let testCount = 0;

/** A test whose failure leaves a screenshot in test/e2e/.artifacts/. */
function e2e(name: string, body: () => Promise<void>): void {
  testCount++;
  it(name, { timeout: 180_000 }, () => session.guard(name, body));
}

function key(item: { line: number; column: number; severity: string; code: string }): string {
  return `${String(item.line).padStart(4)}:${String(item.column).padEnd(3)} ${item.severity.padEnd(7)} ${item.code}`;
}

function expectedKeys(findings: CliFinding[]): string[] {
  return findings.map((f) => key({ line: f.startLine, column: f.startColumn, severity: f.severity, code: f.ruleId })).sort();
}

/** Our rows in the Problems panel for one file (by name and folder). */
async function problemsOf(relativePath: string): Promise<ProblemRow[]> {
  const [folder, file] = relativePath.includes('/')
    ? [relativePath.slice(0, relativePath.lastIndexOf('/')), relativePath.slice(relativePath.lastIndexOf('/') + 1)]
    : ['', relativePath];
  return (await wb.problems()).filter((row) => row.file === file && row.folder === folder && row.source === DIAGNOSTIC_SOURCE);
}

/** Waits until the Problems panel shows exactly what the CLI finds in that file; returns the rows. */
async function expectProblemsMatchCli(relativePath: string, timeout = 30_000): Promise<ProblemRow[]> {
  const expected = expectedKeys(cliFindings(join(session.workspace, relativePath), session.workspace));
  return expectEventually(
    async () => {
      const rows = await problemsOf(relativePath);
      assert.deepEqual(rows.map(key).sort(), expected, `Problems panel vs \`fintech-k8s scan ${relativePath}\``);
      return rows;
    },
    { timeout, interval: 250, message: `Problems for ${relativePath}` },
  );
}

async function statusBarCount(): Promise<number | undefined> {
  const text = await wb.statusBarText(STATUS_BAR);
  return text === undefined ? undefined : Number(/(\d+)$/.exec(text)![1]);
}

describe('Fintech K8s in VS Code (code-server + Chromium)', { timeout: 900_000 }, () => {
  before(async () => {
    session = await E2ESession.start();
    wb = session.workbench;
  });

  after(async () => {
    const published = session?.publishDocsShots(testCount) ?? [];
    if (published.length) console.log(`e2e: README screenshots written: ${published.join(', ')}`);
    if (activationMs !== undefined)
      console.log(`e2e: activation (open ${PAYMENTS_API} → first diagnostic in Problems): ${activationMs} ms`);
    await session?.close();
  });

  e2e('the extension activates on opening a YAML file, and not before', async () => {
    // Before any YAML file: no status bar item, no output channel (the language client creates it on start).
    await expectConsistently(
      async () => assert.equal(await wb.statusBarText(/Fintech K8s/), undefined, 'status bar item before activation'),
      1_000,
    );
    assert.deepEqual(await wb.outputChannels('Fintech K8s'), [], 'no Fintech K8s output channel before any YAML file was opened');

    await wb.showProblems();
    let opened = 0;
    await wb.openFile(PAYMENTS_API, { onAccept: () => (opened = Date.now()) });
    const firstDiagnostic = await waitFor(
      async () =>
        (await wb.page.locator(`${SELECTORS.problemsRows} .marker-source`, { hasText: DIAGNOSTIC_SOURCE }).count()) > 0
          ? Date.now()
          : undefined,
      { interval: 25, timeout: 60_000, message: 'the first Fintech K8s diagnostic in the Problems panel' },
    );
    activationMs = firstDiagnostic - opened;
    console.log(`e2e: activation: ${PAYMENTS_API} opened → first diagnostic in the Problems panel in ${activationMs} ms`);

    await waitFor(() => wb.statusBarText(STATUS_BAR), { message: 'the Fintech K8s status bar item' });
    assert.ok((await wb.outputChannels('Fintech K8s')).includes('Fintech K8s'), 'the language client output channel after activation');
  });

  e2e('payments-api.yaml: findings in the Problems panel with rule ids at the right lines, status bar count matches', async () => {
    const rows = await expectProblemsMatchCli(PAYMENTS_API);
    const at = (code: string) => rows.filter((row) => row.code === code).map((row) => row.line);
    // The deliberate mistakes of the example, where they are.
    const text = readFileSync(join(session.workspace, PAYMENTS_API), 'utf8').split('\n');
    assert.deepEqual(at('image-tag-latest'), [text.findIndex((line) => line.includes('image: docker.io/acme/payments-api:latest')) + 1]);
    assert.deepEqual(at('host-port'), [text.findIndex((line) => line.includes('hostPort: 8443')) + 1]);
    for (const row of rows) assert.equal(row.href, ruleDocsUrl(row.code), `docs link of ${row.code}`);

    await expectEventually(async () => assert.equal(await statusBarCount(), rows.length, 'status bar count'), {
      message: 'status bar count',
    });
    assert.match((await wb.statusBarText(STATUS_BAR))!, new RegExp(`Fintech K8s: ${rows.length}$`));
    await session.docsShot('problems-panel');
  });

  e2e('hover on a flagged range shows the rule, its PCI DSS reference and the docs link', async () => {
    const finding = cliFindings(join(session.workspace, PAYMENTS_API), session.workspace).find((f) => f.ruleId === 'host-port');
    assert.ok(finding, 'the CLI reports host-port');
    const rule = RULES_BY_ID.get('host-port')!;
    assert.ok(rule.references.pci.length > 0, 'host-port has a PCI DSS reference');
    const pci = `PCI DSS v4.0 ${rule.references.pci.join(', ')}`;
    const hover = await wb.hoverAt(finding.startLine, finding.startColumn + 1, (h) => h.text.includes(rule.title));
    assert.ok(hover.text.includes(rule.title), `hover shows the rule title: ${hover.text}`);
    assert.ok(hover.text.includes(pci), `hover shows "${pci}": ${hover.text}`);
    assert.ok(
      hover.links.some((link) => link.text === 'Rule documentation' && link.href === ruleDocsUrl(rule.id)),
      `hover links to ${ruleDocsUrl(rule.id)}: ${JSON.stringify(hover.links)}`,
    );
    await session.docsShot('hover');
    await wb.page.keyboard.press('Escape');
    await wb.page.locator(SELECTORS.hover).waitFor({ state: 'hidden' });
  });

  e2e('a finding caused by another file says so in the hover, and its link opens that file', async () => {
    // pci-scope-label applies because namespace.yaml labels the namespace PCI-scoped.
    const finding = cliFindings(join(session.workspace, PAYMENTS_API), session.workspace).find((f) => f.ruleId === 'pci-scope-label');
    assert.ok(finding, 'the CLI reports pci-scope-label');
    const namespaceText = readFileSync(join(session.workspace, 'payments', 'namespace.yaml'), 'utf8').split('\n');
    const labelLine = namespaceText.findIndex((line) => line.includes('pci-dss.fintech-k8s.io/scope')) + 1;
    const hover = await wb.hoverAt(finding.startLine, finding.startColumn + 1, (h) => h.text.includes('Depends on'));
    assert.match(
      hover.text,
      /Depends on Namespace payments is PCI-scoped by label pci-dss\.fintech-k8s\.io\/scope=cde in namespace\.yaml:\d+/,
    );
    const link = hover.links.find((l) => l.text === `namespace.yaml:${labelLine}`);
    assert.ok(link, `a link to namespace.yaml:${labelLine}: ${JSON.stringify(hover.links)}`);
    assert.match(link.href, new RegExp(`/payments/namespace\\.yaml#L${labelLine}$`));
    await wb.page.locator(SELECTORS.hover).locator('a', { hasText: link.text }).click();
    await wb.waitForActiveEditor('namespace.yaml');
    await waitFor(async () => (await wb.statusBarText(/^Ln \d+, Col \d+/))?.startsWith(`Ln ${labelLine},`), {
      message: `the cursor on the label, line ${labelLine}`,
    });
    await wb.openFile(PAYMENTS_API);
  });

  e2e('quick fix from the light bulb sets allowPrivilegeEscalation: false and its diagnostic disappears', async () => {
    const path = join(session.workspace, PAYMENTS_API);
    const before = readFileSync(path, 'utf8');
    const finding = cliFindings(path, session.workspace).find((f) => f.ruleId === 'allow-privilege-escalation');
    assert.ok(finding?.fixable, 'the CLI reports a fixable allow-privilege-escalation finding');
    const countBefore = await statusBarCount();
    assert.equal(countBefore, cliFindings(path, session.workspace).length);

    await wb.goTo(finding.startLine, finding.startColumn);
    const titles = await wb.openQuickFixMenu();
    assert.ok(titles.includes(ESCALATION_FIX), `light bulb offers "${ESCALATION_FIX}": ${JSON.stringify(titles)}`);
    await session.docsShot('quick-fix');
    await wb.applyQuickFix(ESCALATION_FIX);
    await wb.save();

    const expected = before.replace('allowPrivilegeEscalation: true', 'allowPrivilegeEscalation: false');
    assert.notEqual(expected, before);
    await expectEventually(() => assert.equal(readFileSync(path, 'utf8'), expected, 'the file after the fix'), {
      message: 'the fixed file on disk',
    });
    const rows = await expectProblemsMatchCli(PAYMENTS_API);
    assert.ok(!rows.some((row) => row.code === 'allow-privilege-escalation'), 'allow-privilege-escalation is gone');
    await expectEventually(async () => assert.equal(await statusBarCount(), countBefore! - 1), {
      message: 'status bar count after the fix',
    });
  });

  e2e('a snippet prefix in a new YAML file inserts the template, which shows no warning or error', async () => {
    const relative = 'payments/new-payment-api.yaml';
    const path = join(session.workspace, relative);
    writeFileSync(path, '');
    await wb.openFile(relative);
    await wb.type('fk-payment-api');
    await wb.waitForSuggestion('fk-payment-api,');
    await wb.showSuggestionDetails();
    await session.docsShot('snippet');
    await wb.acceptSuggestion('fk-payment-api,');
    // The template's tab stops: $1 name, $2 namespace, $3 replicas, $4 image. Keep the defaults and put an
    // image from a registry this workspace trusts into $4, as a user of examples/ would.
    for (let i = 0; i < 3; i++) await wb.page.keyboard.press('Tab');
    await wb.page.keyboard.type(TRUSTED_IMAGE, { delay: 5 });
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('Escape');
    await wb.save();

    const text = await expectEventually(
      () => {
        const saved = readFileSync(path, 'utf8');
        assert.ok(saved.includes(TRUSTED_IMAGE), 'the saved template has the typed image');
        return saved;
      },
      { message: 'the template on disk' },
    );
    for (const kind of ['ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget'])
      assert.match(text, new RegExp(`^kind: ${kind}$`, 'm'));
    assert.match(text, new RegExp(`image: ${TRUSTED_IMAGE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.ok(!text.includes('fk-payment-api'), 'the prefix was replaced by the template');
    const findings = cliFindings(path, session.workspace);
    assert.deepEqual(
      findings.filter((f) => f.severity !== 'info').map((f) => f.ruleId),
      [],
      'the engine itself finds no warning or error in the template',
    );

    await expectProblemsMatchCli(relative);
    await expectEventually(async () => assert.equal(await statusBarCount(), findings.length), {
      message: 'status bar count for the template',
    });
    // Nothing turns up later either (the analysis is debounced).
    await expectConsistently(async () => {
      const serious = (await problemsOf(relative)).filter((row) => row.severity !== 'info');
      assert.deepEqual(serious, [], 'warnings or errors in the inserted template');
    }, 2_000);
  });

  e2e('"Fintech K8s: Scan Workspace" fills the Problems panel with files never opened', async () => {
    assert.deepEqual(await problemsOf('blockchain/geth.yaml'), [], 'geth.yaml has no problems before the scan');
    await wb.runCommand('Fintech K8s: Scan Workspace');
    const toast = await wb.notification(/Fintech K8s: \d+ findings? in \d+ files?\./);
    const reported = Number(/Fintech K8s: (\d+) finding/.exec(toast)![1]);
    // The summary counts what the Problems panel now shows: every file's findings, opened or not.
    await expectEventually(
      async () => assert.equal((await wb.problems()).filter((row) => row.source === DIAGNOSTIC_SOURCE).length, reported),
      {
        message: 'Problems panel rows vs the scan summary',
      },
    );

    await wb.filterProblems('**/blockchain/*.yaml');
    const geth = await expectProblemsMatchCli('blockchain/geth.yaml');
    assert.ok(geth.length > 0, 'geth.yaml has findings');
    await expectProblemsMatchCli('blockchain/validator.yaml');
    await session.docsShot('scan-workspace');
    await wb.filterProblems('');
  });

  e2e('"Fintech K8s: Compliance Report" shows the workspace by PCI DSS requirement, counting what the CLI counts', async () => {
    await wb.runCommand('Fintech K8s: Compliance Report');
    const toast = await wb.notification(/Fintech K8s: \d+ open finding\(s\) in \d+ file\(s\)\./);
    const summary = cliScan(session.workspace).summary.findings;
    assert.equal(
      Number(/(\d+) open finding/.exec(toast)![1]),
      summary.error + summary.warning + summary.info,
      'the CLI over the same folder',
    );
    await waitFor(async () => (await wb.page.locator(SELECTORS.activeTab).getAttribute('aria-label'))?.startsWith('Compliance Report'), {
      message: 'the Compliance Report tab',
      timeout: 30_000,
    });
    // The page is in the webview's inner frame: look for its PCI DSS summary there.
    await waitFor(
      async () => {
        for (const frame of wb.page.frames()) {
          const text = await frame.content().catch(() => '');
          if (text.includes('Summary by PCI DSS v4.0 requirement')) return true;
        }
        return false;
      },
      { message: 'the report page in the webview', timeout: 30_000 },
    );
  });
});
