// Charts, overlays and Helm releases as a user meets them: the packaged .vsix in code-server, driven in
// Chromium, against the test cluster, with the real helm and kustomize (pinned, built from the Go module
// proxy) named in the settings. Deploy Overlay (a dry-run error on the patch line, then the apply), a Helm
// release in the Clusters view with its history and badge, and Rollback to a chosen revision.
// Needs `npm run package`, `node test/e2e/code-server.mjs provision` and a test cluster.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OVERRIDE_REASON_ANNOTATION } from '../../src/kube/deploy/apply';
import { helmMajorVersion, helmUpgradeInstall } from '../../src/kube/helm/helm-run';
import { listHelmReleases } from '../../src/kube/helm/list-releases';
import { clusterSkipReason, testKubeconfigPath } from '../integration/support/cluster';
import { ledgerChart, ledgerDeployment, ledgerOverlay, writeTree } from '../support/render-fixtures';
import { ensureRenderers } from '../tools/renderers.mjs';
import { ClusterE2ESession } from './support/cluster-session';
import {
  answerInputBox,
  clearNotifications,
  clickDialogButton,
  ClustersView,
  outputLines,
  treeContextAction,
  waitForDialog,
  waitForNotification,
  waitForQuickInput,
  pickQuickInputRow,
} from './support/cluster-ui';
import { TestCluster } from './support/kube';
import { expectEventually } from './support/poll';
import { SELECTORS, type Workbench } from './support/workbench';

const RUN = `${process.pid.toString(36)}${Date.now().toString(36)}`;
const NS = `fk-e2e-rel-${RUN}`;
const RELEASE = 'ledger';
const HELM_TIMEOUT_SECONDS = 15;
const OVERRIDE_REASON = 'CHG-2207: approved for the staging rehearsal';

const kubeconfigPath = testKubeconfigPath();
const skipReason = clusterSkipReason();

let session: ClusterE2ESession;
let wb: Workbench;
let view: ClustersView;
let cluster: TestCluster;

function e2e(name: string, body: () => Promise<void>): void {
  it(name, { timeout: 240_000 }, () => session.guard(name, body));
}

/** The one dry-run error the deploy put in the Problems panel, once it is there. */
function theDryRunProblem() {
  return expectEventually(
    async () => {
      const rows = (await wb.problems()).filter((row) => row.source === 'fintech-k8s deploy');
      assert.equal(rows.length, 1, JSON.stringify(rows));
      return rows[0];
    },
    { timeout: 20_000, message: 'the dry-run error in the Problems panel' },
  );
}

/** The items of the explorer's context menu on the row labelled `label` (closed again afterwards). */
async function explorerMenu(label: string): Promise<string[]> {
  const row = wb.page
    .locator(SELECTORS.explorerRows)
    .filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
  await row.first().click({ button: 'right' });
  const items = wb.page.locator('.context-view .monaco-menu .action-item .action-label');
  await items.first().waitFor({ state: 'visible' });
  const texts = (await items.allInnerTexts()).map((text) => text.trim()).filter(Boolean);
  await wb.page.keyboard.press('Escape');
  await items.first().waitFor({ state: 'hidden' });
  return texts;
}

describe(
  'Charts, overlays and Helm releases in VS Code (code-server + Chromium + test cluster)',
  { skip: skipReason, timeout: 900_000 },
  () => {
    let chartDir: string;

    before(async () => {
      cluster = TestCluster.fromFile(kubeconfigPath!);
      await cluster.createNamespace(NS);
      const { helm, kustomize } = ensureRenderers();
      // Two revisions of a release, installed with helm as a user would have.
      chartDir = mkdtempSync(join(tmpdir(), 'fintech-k8s-e2e-chart-'));
      writeTree(chartDir, ledgerChart());
      const target = { kubeconfigFiles: [kubeconfigPath!], context: cluster.kubeConfig.getCurrentContext(), namespace: NS };
      const helmMajor = await helmMajorVersion(helm);
      for (const message of ['first', 'second']) {
        const result = await helmUpgradeInstall(helm, {
          release: RELEASE,
          chartDir,
          target,
          helmMajor,
          set: [`message=${message}`],
          timeoutSeconds: 120,
        });
        assert.ok(result.ok, !result.ok ? result.message : '');
      }
      // A short helm wait: the upgrade that cannot become ready is rolled back within seconds.
      session = await ClusterE2ESession.start(kubeconfigPath!, {
        'fintechK8s.helm.path': helm,
        'fintechK8s.kustomize.path': kustomize,
        'fintechK8s.helm.timeoutSeconds': HELM_TIMEOUT_SECONDS,
      });
      wb = session.workbench;
      view = new ClustersView(wb);
    });

    after(async () => {
      await session?.close();
      if (chartDir) rmSync(chartDir, { recursive: true, force: true });
      if (cluster) await cluster.deleteNamespace(NS);
    });

    e2e(
      'Deploy Overlay: the gate lists findings on the base, a dry-run error lands on the patch line, then the overlay is applied and rolled out',
      async () => {
        writeTree(session.workspace, ledgerOverlay(NS, '-1'));
        await clearNotifications(wb);
        await wb.openFile('overlays/prod/kustomization.yaml');
        await wb.runCommand('Fintech K8s: Deploy Overlay');
        let dialog = await waitForDialog(wb.page, /block this deploy\.$/, 120_000);
        const lines = dialog.detail.split('\n').filter((line) => !line.startsWith('…'));
        assert.ok(lines.length > 0);
        // Findings are on the source files (the base wrote the Deployment), never on rendered text.
        for (const line of lines)
          assert.match(line, /^(base\/deployment\.yaml|overlays\/prod\/(kustomization|replicas)\.yaml):\d+: \[[\w-]+\] /, line);
        await clickDialogButton(wb.page, 'Deploy anyway…');
        await answerInputBox(wb, 'Deploy anyway: reason', OVERRIDE_REASON);
        await waitForNotification(wb.page, /the API server rejected 1 object\(s\) in the dry run/, 120_000);
        const problem = await theDryRunProblem();
        assert.equal(problem.file, 'replicas.yaml');
        assert.equal(problem.line, 6, 'on the patch line `replicas: -1`');
        assert.match(problem.message, new RegExp(`Deployment ${NS}/prod-ledger-api: .*(greater than or equal to 0|must be)`));
        assert.equal(await cluster.deployment(NS, 'prod-ledger-api'), undefined, 'nothing applied after the dry run failed');

        writeTree(session.workspace, ledgerOverlay(NS, '2'));
        await wb.runCommand('Fintech K8s: Deploy Overlay');
        await waitForDialog(wb.page, /block this deploy\.$/, 120_000);
        await clickDialogButton(wb.page, 'Deploy anyway…');
        await answerInputBox(wb, 'Deploy anyway: reason', OVERRIDE_REASON);
        dialog = await waitForDialog(wb.page, /^Apply 1 object\(s\) to test-admin/, 120_000);
        assert.equal(dialog.message, 'Apply 1 object(s) to test-admin (1 changed)?');
        assert.equal(dialog.detail, `create Deployment ${NS}/prod-ledger-api`);
        await clickDialogButton(wb.page, 'Apply');
        await waitForNotification(wb.page, /Fintech K8s: deployed to test-admin and rolled out\./, 120_000);
        const deployment = await cluster.deployment(NS, 'prod-ledger-api');
        assert.equal(deployment?.spec?.replicas, 2);
        assert.equal(deployment?.metadata?.annotations?.[OVERRIDE_REASON_ANNOTATION], OVERRIDE_REASON);
        assert.ok(
          !Object.keys(deployment?.metadata?.annotations ?? {}).some((key) => key.includes('config.kubernetes.io')),
          'no kustomize build metadata reaches the cluster',
        );
      },
    );

    e2e(
      'Deploy Chart: the gate lists findings on the template lines, a dry-run error lands on the values line that set the field',
      async () => {
        writeTree(session.workspace, {
          'charts/clearing/Chart.yaml': 'apiVersion: v2\nname: clearing\nversion: 0.1.0\n',
          'charts/clearing/values.yaml': 'replicaCount: -1\n',
          'charts/clearing/templates/deployment.yaml': ledgerDeployment('{{ .Release.Name }}-api', '{{ .Values.replicaCount }}'),
        });
        await clearNotifications(wb);
        await wb.openFile('charts/clearing/values.yaml');
        await wb.runCommand('Fintech K8s: Deploy Chart');
        const dialog = await waitForDialog(wb.page, /block this deploy\.$/, 120_000);
        const lines = dialog.detail.split('\n').filter((line) => !line.startsWith('…'));
        assert.ok(lines.length > 0);
        for (const line of lines) assert.match(line, /^charts\/clearing\/(templates\/deployment|values)\.yaml:\d+: \[[\w-]+\] /, line);
        await clickDialogButton(wb.page, 'Deploy anyway…');
        await answerInputBox(wb, 'Deploy anyway: reason', OVERRIDE_REASON);
        await waitForNotification(wb.page, /the API server rejected 1 object\(s\) in the dry run/, 120_000);
        const problem = await theDryRunProblem();
        assert.equal(problem.file, 'values.yaml');
        assert.equal(problem.line, 1, 'on `replicaCount: -1`, where the value was set');
        assert.match(problem.message, /Deployment [\w-]+\/clearing-api: /);
      },
    );

    e2e(
      "Deploy Chart: rendered with the chart's .fintech-k8s.yaml entry, diffed, then helm upgrade --install names the release, revision and objects",
      async () => {
        writeTree(session.workspace, {
          'charts/settlement/Chart.yaml': 'apiVersion: v2\nname: settlement\nversion: 1.2.0\n',
          'charts/settlement/values.yaml': 'currency: USD\n',
          'charts/settlement/values-staging.yaml': 'currency: EUR\n',
          'charts/settlement/templates/configmap.yaml':
            'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\ndata:\n  currency: {{ .Values.currency | quote }}\n',
        });
        const settingsFile = join(session.workspace, '.fintech-k8s.yaml');
        writeFileSync(
          settingsFile,
          `${readFileSync(settingsFile, 'utf8')}helm:\n  charts/settlement:\n    releaseName: settlement\n    namespace: ${NS}\n    values: [values-staging.yaml]\n`,
        );
        await clearNotifications(wb);
        await wb.openFile('charts/settlement/Chart.yaml');
        await wb.runCommand('Fintech K8s: Deploy Chart');
        const dialog = await waitForDialog(wb.page, /^Deploy release settlement to test-admin/, 120_000);
        assert.equal(dialog.message, 'Deploy release settlement to test-admin (1 of 1 object(s) changed)?');
        assert.equal(dialog.detail, `create ConfigMap ${NS}/settlement-settings`);
        assert.equal(await cluster.configMap(NS, 'settlement-settings'), undefined, 'nothing deployed before "Deploy"');
        await clickDialogButton(wb.page, 'Deploy');
        await waitForNotification(
          wb.page,
          /Fintech K8s: release settlement revision 1 deployed to test-admin \(1 object\(s\)\)\./,
          180_000,
        );
        assert.deepEqual(
          (await cluster.configMap(NS, 'settlement-settings'))?.data,
          { currency: 'EUR' },
          'rendered with values-staging.yaml',
        );
        // The output channel (shown, focus kept in the editor) names the release, its revision and each object.
        await expectEventually(
          async () => {
            const lines = await outputLines(wb.page);
            assert.ok(
              lines.some((line) => line.includes(`Helm release ${NS}/settlement on test-admin: revision 1 deployed`)),
              lines.join('\n'),
            );
            assert.ok(
              lines.some((line) => line.includes(`✓ ConfigMap ${NS}/settlement-settings`)),
              lines.join('\n'),
            );
          },
          { timeout: 20_000, message: 'the deploy output' },
        );

        // The explorer offers Deploy Chart on the chart's folder and its Chart.yaml, Deploy Overlay on the overlay's
        // folder, and Deploy Current File on neither.
        await wb.openFile('charts/settlement/Chart.yaml');
        await wb.runCommand('File: Reveal Active File in Explorer View');
        await expectEventually(
          async () => {
            const onFolder = await explorerMenu('settlement');
            assert.ok(onFolder.includes('Deploy Chart'), onFolder.join(', '));
            assert.ok(!onFolder.includes('Deploy Overlay') && !onFolder.includes('Deploy Current File'), onFolder.join(', '));
          },
          { timeout: 20_000, message: "Deploy Chart in the chart folder's menu" },
        );
        const onChartFile = await explorerMenu('Chart.yaml');
        assert.ok(onChartFile.includes('Deploy Chart') && !onChartFile.includes('Deploy Current File'), onChartFile.join(', '));
        await wb.openFile('overlays/prod/kustomization.yaml');
        await wb.runCommand('File: Reveal Active File in Explorer View');
        await expectEventually(
          async () => {
            const onOverlay = await explorerMenu('prod');
            assert.ok(onOverlay.includes('Deploy Overlay') && !onOverlay.includes('Deploy Chart'), onOverlay.join(', '));
          },
          { timeout: 20_000, message: "Deploy Overlay in the overlay folder's menu" },
        );
      },
    );

    e2e('Deploy Chart: an upgrade whose rollout cannot become ready is rolled back by helm, and the user is told', async () => {
      // The new Deployment's pods name a scheduler that does not exist: the test cluster never binds them.
      writeTree(session.workspace, {
        'charts/settlement/templates/deployment.yaml': ledgerDeployment(
          '{{ .Release.Name }}-api',
          '1',
          '\n      schedulerName: no-such-scheduler',
        ),
      });
      await clearNotifications(wb);
      await wb.openFile('charts/settlement/Chart.yaml');
      await wb.runCommand('Fintech K8s: Deploy Chart');
      await waitForDialog(wb.page, /block this deploy\.$/, 120_000);
      await clickDialogButton(wb.page, 'Deploy anyway…');
      await answerInputBox(wb, 'Deploy anyway: reason', OVERRIDE_REASON);
      const dialog = await waitForDialog(wb.page, /^Deploy release settlement to test-admin/, 120_000);
      assert.equal(dialog.message, 'Deploy release settlement to test-admin (1 of 2 object(s) changed)?');
      await clickDialogButton(wb.page, 'Deploy');
      await waitForNotification(
        wb.page,
        /Fintech K8s: release settlement was not deployed to test-admin and was rolled back to its last good revision: /,
        HELM_TIMEOUT_SECONDS * 1000 + 120_000,
      );
      // Revision 1 is live again: its ConfigMap stays, the Deployment of the failed revision is gone.
      assert.deepEqual((await cluster.configMap(NS, 'settlement-settings'))?.data, { currency: 'EUR' });
      assert.equal(await cluster.deployment(NS, 'settlement-api'), undefined);
      const releases = await listHelmReleases(cluster.kubeConfig, NS);
      assert.ok(releases.ok);
      assert.deepEqual(
        releases.items.find((r) => r.name === 'settlement')?.history.map((r) => `${r.revision} ${r.status}`),
        ['3 deployed', '2 failed', '1 superseded'],
      );
    });

    e2e(
      'the Clusters view lists the Helm release with chart, revision, status and badge, its history, and rolls it back to a chosen revision',
      async () => {
        await view.open();
        await view.setSidebarWidth(640);
        const releases = await view.expand(['test-admin', NS, 'Helm Releases']);
        assert.deepEqual(
          releases.children.map((row) => row.label),
          [RELEASE, 'settlement'],
        );
        const badged = /^ledger-0\.3\.1 · rev 2 · deployed · (✓|\d+ (error|warning|info)s?.*)$/;
        await view.node(['test-admin', NS, 'Helm Releases', RELEASE], (node) => badged.test(node.row.description), 30_000);
        await view.expand(['test-admin', NS, 'Helm Releases', RELEASE, 'History']);
        const history = await view.node(['test-admin', NS, 'Helm Releases', RELEASE, 'History'], (node) => node.children.length === 2);
        assert.deepEqual(
          history.children.map((row) => row.label),
          ['rev 2', 'rev 1'],
        );
        assert.match(history.children[0].description, /^deployed · ledger-0\.3\.1 · /);
        assert.match(history.children[1].description, /^superseded · ledger-0\.3\.1 · /);

        await clearNotifications(wb);
        await treeContextAction(view, wb.page, ['test-admin', NS, 'Helm Releases', RELEASE], 'Rollback Release…');
        const rows = await waitForQuickInput(wb, /^Fintech K8s: roll ledger back to/);
        // Only the revisions before the current one, each with its status and chart.
        assert.deepEqual(
          rows.map((row) => row.label.split(',')[0]),
          ['rev 1'],
        );
        assert.match(rows[0].label, /^rev 1, superseded · ledger-0\.3\.1 · /);
        await pickQuickInputRow(wb, (label) => label.startsWith('rev 1,'), 'revision 1');
        await waitForNotification(wb.page, /Fintech K8s: ledger rolled back to revision 1 on test-admin\./, 120_000);
        assert.equal((await cluster.configMap(NS, `${RELEASE}-settings`))?.data?.message, 'first');
        // The view follows the release Secrets' watch: a new revision 3, deployed.
        await view.node(
          ['test-admin', NS, 'Helm Releases', RELEASE],
          (node) => /^ledger-0\.3\.1 · rev 3 · deployed/.test(node.row.description),
          30_000,
        );
      },
    );
  },
);
