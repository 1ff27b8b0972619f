// Kustomize overlays as a user meets them in VS Code (code-server + Chromium, the packaged .vsix): a patch
// shows the finding of what the overlay builds on its own line and nothing a patch alone would get; the
// `newTag:` line of a kustomization carries the image finding; an unsaved edit to the patch is built.
// Needs `npm run package` and `node test/e2e/code-server.mjs provision`; kustomize is the pinned one.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DIAGNOSTIC_SOURCE } from '../../server/protocol';
import { ensureRenderers } from '../tools/renderers.mjs';
import { expectEventually } from './support/poll';
import { E2ESession } from './support/session';
import type { ProblemRow, Workbench } from './support/workbench';

const FIXTURE = resolve(__dirname, '..', 'fixtures', 'kustomize', 'ledger');
/** Where the fixture sits in the workspace. */
const FOLDER = 'ledger-overlays';
const PATCH = `${FOLDER}/overlays/prod/limits.yaml`;
const DEV = `${FOLDER}/overlays/dev/kustomization.yaml`;
const BASE = `${FOLDER}/base/deployment.yaml`;

let session: E2ESession;
let wb: Workbench;

function e2e(name: string, body: () => Promise<void>): void {
  it(name, { timeout: 180_000 }, () => session.guard(name, body));
}

/** The fixture's `# expect(…)` marks for one file, as "line rule", over the overlays that build it. */
function expectedRows(relativePath: string): string[] {
  const text = readFileSync(join(FIXTURE, relative(FOLDER, relativePath)), 'utf8');
  const rows = new Set<string>();
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(/expect(-below)?\(([\w,]+)\):\s*([a-z0-9-]+(?:,\s*[a-z0-9-]+)*)/g))
      for (const rule of match[3].split(',')) rows.add(`${index + 1 + (match[1] ? 1 : 0)} ${rule.trim()}`);
  });
  return [...rows].sort();
}

async function rowsOf(relativePath: string): Promise<ProblemRow[]> {
  const folder = relativePath.slice(0, relativePath.lastIndexOf('/'));
  const file = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  return (await wb.problems()).filter((row) => row.file === file && row.folder === folder && row.source === DIAGNOSTIC_SOURCE);
}

async function expectRows(relativePath: string, expected: string[], message: string): Promise<ProblemRow[]> {
  return expectEventually(
    async () => {
      const rows = await rowsOf(relativePath);
      assert.deepEqual(rows.map((row) => `${row.line} ${row.code}`).sort(), expected, message);
      return rows;
    },
    { timeout: 60_000, interval: 250, message },
  );
}

describe('Kustomize overlays in VS Code (code-server + Chromium)', { timeout: 900_000 }, () => {
  before(async () => {
    const { kustomize } = ensureRenderers();
    assert.ok(readdirSync(FIXTURE).includes('overlays'));
    session = await E2ESession.start({ 'fintechK8s.kustomize.path': kustomize }, { [FOLDER]: FIXTURE });
    wb = session.workbench;
  });

  after(async () => {
    await session?.close();
  });

  e2e('a patch shows what the overlay builds, on the patch line, and nothing a patch alone would get', async () => {
    await wb.showProblems();
    await wb.openFile(PATCH);
    const rows = await expectRows(PATCH, expectedRows(PATCH), `Problems of ${PATCH}`);
    assert.deepEqual(
      rows.map((row) => [row.line, row.code]),
      [[14, 'privileged-container']],
    );
    // The base the overlay builds on gets its findings too, on its own lines.
    await expectRows(BASE, expectedRows(BASE), `Problems of ${BASE}`);
  });

  e2e('the newTag line of a kustomization carries the image finding', async () => {
    await wb.openFile(DEV);
    const rows = await expectRows(DEV, expectedRows(DEV), `Problems of ${DEV}`);
    const latest = rows.find((row) => row.code === 'image-tag-latest')!;
    assert.equal(latest.line, 11);
    assert.match(readFileSync(join(FIXTURE, 'overlays', 'dev', 'kustomization.yaml'), 'utf8').split('\n')[10], /^\s+newTag: latest/);
    // A base shared by both overlays names them.
    const shared = (await rowsOf(BASE)).find((row) => row.code === 'capabilities-add')!;
    assert.match(shared.message, /\(in overlays dev, prod\)/);
  });

  e2e('an unsaved edit to the patch is built', async () => {
    await wb.openFile(PATCH);
    await wb.goTo(14, 25);
    await wb.page.keyboard.press('Shift+End');
    await wb.type('false');
    await expectRows(PATCH, [], `Problems of the edited ${PATCH}`);
    // Proof the overlay was built again rather than dropped: the rest of it is still reported.
    await expectRows(BASE, expectedRows(BASE), `Problems of ${BASE} after the edit`);
  });
});
