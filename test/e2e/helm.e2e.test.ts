// Helm charts as a user meets them in VS Code (code-server + Chromium, the packaged .vsix): opening a
// chart's values file shows what the chart renders on the values line that set it, the quick fix edits
// that line, and the template lines carry what the templates write. helm is the pinned one.
// Needs `npm run package` and `node test/e2e/code-server.mjs provision`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DIAGNOSTIC_SOURCE } from '../../server/protocol';
import { ensureRenderers } from '../tools/renderers.mjs';
import { expectEventually } from './support/poll';
import { E2ESession } from './support/session';
import type { ProblemRow, Workbench } from './support/workbench';

const FIXTURE = resolve(__dirname, '..', 'fixtures', 'helm', 'ledger');
/** Where the chart sits in the workspace. */
const FOLDER = 'ledger-chart';
const VALUES = `${FOLDER}/values.yaml`;
const DEPLOYMENT = `${FOLDER}/templates/deployment.yaml`;
/** The fix title of server/engine/rules/pod-security/privileged-container.ts. */
const PRIVILEGED_FIX = 'Set privileged: false';

let session: E2ESession;
let wb: Workbench;
let testCount = 0;

function e2e(name: string, body: () => Promise<void>): void {
  testCount++;
  it(name, { timeout: 180_000 }, () => session.guard(name, body));
}

async function rowsOf(relativePath: string): Promise<ProblemRow[]> {
  const folder = relativePath.slice(0, relativePath.lastIndexOf('/'));
  const file = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  return (await wb.problems()).filter((row) => row.file === file && row.folder === folder && row.source === DIAGNOSTIC_SOURCE);
}

function rowWith(rows: ProblemRow[], code: string): ProblemRow | undefined {
  return rows.find((row) => row.code === code);
}

describe('Helm charts in VS Code (code-server + Chromium)', { timeout: 900_000 }, () => {
  before(async () => {
    session = await E2ESession.start({ 'fintechK8s.helm.path': ensureRenderers().helm }, { [FOLDER]: FIXTURE });
    wb = session.workbench;
  });

  after(async () => {
    const published = session?.publishDocsShots(testCount) ?? [];
    if (published.length) console.log(`e2e: README screenshots written: ${published.join(', ')}`);
    await session?.close();
  });

  e2e('a values file shows the chart finding on the values line that set it, and the templates their own', async () => {
    await wb.showProblems();
    await wb.openFile(VALUES);
    const rows = await expectEventually(
      async () => {
        const found = await rowsOf(VALUES);
        assert.ok(rowWith(found, 'privileged-container'), `privileged-container on ${VALUES}: ${JSON.stringify(found)}`);
        return found;
      },
      { timeout: 60_000, interval: 250, message: `Problems of ${VALUES}` },
    );
    const privileged = rowWith(rows, 'privileged-container')!;
    assert.deepEqual([privileged.line, privileged.column, privileged.severity], [22, 3, 'error']);
    // The same render puts what the template writes on the template's lines (the container line: no probes).
    const onTemplate = await expectEventually(
      async () => {
        const found = await rowsOf(DEPLOYMENT);
        assert.ok(rowWith(found, 'liveness-probe'), `liveness-probe on ${DEPLOYMENT}`);
        return found;
      },
      { timeout: 30_000, interval: 250, message: `Problems of ${DEPLOYMENT}` },
    );
    assert.equal(rowWith(onTemplate, 'liveness-probe')!.line, 27);
    await wb.goTo(22, 3);
    await session.docsShot('helm-values-finding');
  });

  e2e('the quick fix edits the values line, and the finding goes once the chart renders again', async () => {
    const path = join(session.workspace, VALUES);
    const before = readFileSync(path, 'utf8');
    await wb.goTo(22, 3);
    const titles = await wb.openQuickFixMenu();
    assert.ok(titles.includes(PRIVILEGED_FIX), `light bulb offers "${PRIVILEGED_FIX}": ${JSON.stringify(titles)}`);
    await wb.applyQuickFix(PRIVILEGED_FIX);
    await wb.save();
    const expected = before.replace('  privileged: true', '  privileged: false');
    assert.notEqual(expected, before);
    await expectEventually(() => assert.equal(readFileSync(path, 'utf8'), expected, 'values.yaml after the fix'), {
      message: 'the fixed values file on disk',
    });
    await expectEventually(
      async () => {
        const rows = await rowsOf(VALUES);
        assert.ok(!rowWith(rows, 'privileged-container'), 'privileged-container is gone');
        assert.ok(rowWith(rows, 'image-digest'), 'the other values findings stay (the chart was rendered again)');
      },
      { timeout: 60_000, interval: 250, message: `Problems of ${VALUES} after the fix` },
    );
  });
});
