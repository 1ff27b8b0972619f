// The cluster side as a user meets it: the packaged .vsix in code-server (VS Code 1.100.3 in the browser),
// driven in Chromium, against the local test cluster (test/cluster: a real kube-apiserver, a fake kubelet).
// KUBECONFIG points at a copy of the harness kubeconfig in a temp dir; switching context must never write
// it. Outcomes in the cluster are checked through the Kubernetes API, the rest through the UI.
// Needs `npm run package`, `node test/e2e/code-server.mjs provision` and `npm run cluster:up`.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { V1Deployment } from '@kubernetes/client-node';
import { DIAGNOSTIC_SOURCE } from '../../server/protocol';
import { OVERRIDE_REASON_ANNOTATION } from '../../src/kube/deploy/apply';
import { readTemplates } from '../../src/templates/catalog';
import { expandSnippet } from '../../src/templates/snippet-syntax';
import type { Template } from '../../src/templates/template-file';
import { clusterSkipReason, testKubeconfigPath } from '../integration/support/cluster';
import { appendLog, kubeletHarness, waitForOpenStreams, type KubeletHarness } from '../integration/support/logs';
import { ClusterE2ESession } from './support/cluster-session';
import {
  answerInputBox,
  clearNotifications,
  CLUSTER_SELECTORS,
  ClustersView,
  clickDialogButton,
  contextStatusItem,
  editorTabs,
  outputLines,
  pickQuickInputRow,
  selectedOutputChannel,
  waitForDialog,
  waitForNotification,
  waitForQuickInput,
  type TreeRow,
} from './support/cluster-ui';
import { fieldManagers, TestCluster } from './support/kube';
import { expectConsistently, expectEventually, waitFor } from './support/poll';
import { cliFindings, ROOT } from './support/session';
import { SELECTORS, type Workbench } from './support/workbench';

const RUN = `${process.pid.toString(36)}${Date.now().toString(36)}`;
/** The namespace this run creates (and deletes): a Deployment of 2 replicas is waiting there. */
const NS = `fk-e2e-${RUN}`;
const WORKLOAD = 'ledger-api';
const CONTAINER = 'api';
/** A ConfigMap deployed to prod-payments (its namespace, payments), deleted afterwards. */
const PROD_CONFIG = `fk-e2e-prod-${RUN}`;
const CARD = '4111 1111 1111 1111';
const MASKED_CARD = '**** **** **** 1111';
const OVERRIDE_REASON = 'INC-4711: approved by the change board for a one-off benchmark';

const DEPLOY = 'Fintech K8s: Deploy Current File';
const SWITCH_CONTEXT = 'Fintech K8s: Switch Context';
const SWITCH_CONTEXT_TITLE = 'Fintech K8s: switch context (the kubeconfig file is not changed)';

const harness: KubeletHarness | undefined = kubeletHarness();
const kubeconfigPath = testKubeconfigPath();
const skipReason =
  clusterSkipReason() ||
  (harness
    ? false
    : 'the cluster e2e tests need the harness cluster of test/cluster (npm run cluster:up): its contexts and its fake kubelet (Running pods, logs)');

let session: ClusterE2ESession;
let wb: Workbench;
let view: ClustersView;
let cluster: TestCluster;
let pods: string[] = [];
let testCount = 0;

/** A test whose failure leaves a screenshot in test/e2e/.artifacts/. */
function e2e(name: string, body: () => Promise<void>): void {
  testCount++;
  it(name, { timeout: 240_000 }, () => session.guard(name, body));
}

/** The Deployment waiting in NS: a plain one (so its compliance badge has errors), 2 replicas. */
function ledgerDeployment(): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: WORKLOAD, namespace: NS },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: WORKLOAD } },
      template: {
        metadata: { labels: { app: WORKLOAD } },
        spec: { containers: [{ name: CONTAINER, image: 'registry.example.com/payments/ledger:1.4.2' }] },
      },
    },
  };
}

async function template(prefix: string): Promise<Template> {
  const found = (await readTemplates(join(ROOT, 'snippets'))).find((t) => t.prefix === prefix);
  assert.ok(found, `template ${prefix} in snippets/`);
  return found;
}

/** Writes a manifest into the workspace (relative path) and returns its absolute path. */
function writeManifest(relative: string, text: string): string {
  const path = join(session.workspace, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function errorFindings(path: string) {
  return cliFindings(path, session.workspace).filter((f) => f.severity === 'error');
}

const tail = (rows: TreeRow[]) => rows.map((r) => `${r.label} [${r.icon}] ${r.description}`).join('\n');

describe(
  'Fintech K8s cluster features in VS Code (code-server + Chromium + test cluster)',
  { skip: skipReason, timeout: 1_200_000 },
  () => {
    before(async () => {
      cluster = TestCluster.fromFile(kubeconfigPath!);
      await cluster.createNamespace(NS);
      await cluster.createDeployment(NS, ledgerDeployment());
      pods = (await cluster.waitForReadyDeployment(NS, WORKLOAD, 2)).map((pod) => pod.metadata!.name!);
      session = await ClusterE2ESession.start(kubeconfigPath!);
      wb = session.workbench;
      view = new ClustersView(wb);
    });

    after(async () => {
      const published = session?.publishDocsShots(testCount) ?? [];
      if (published.length) console.log(`e2e: README screenshots written: ${published.join(', ')}`);
      await session?.close();
      if (cluster) {
        await cluster.deleteNamespace(NS);
        await cluster.deleteConfigMap('payments', PROD_CONFIG);
      }
      if (harness)
        for (const name of readdirSync(harness.logsDir))
          if (name.startsWith(`${NS}_`)) rmSync(join(harness.logsDir, name), { force: true });
    });

    e2e(
      'the Clusters view lists the contexts (current marked) and walks a namespace → Workloads → Deployment (2/2, badge) → pods → containers',
      async () => {
        await view.open();
        await view.setSidebarWidth(640);
        const kc = cluster.kubeConfig;
        const contexts = await waitFor(
          async () => {
            const rows = (await view.allRows()).filter((row) => row.level === 1);
            return rows.length === kc.getContexts().length ? rows : undefined;
          },
          { message: 'one row per kubeconfig context' },
        );
        assert.deepEqual(
          contexts.map((row) => row.label),
          kc.getContexts().map((c) => c.name),
        );
        assert.deepEqual(
          contexts.map((row) => row.label),
          ['test-admin', 'prod-payments', 'dev-payments'],
        );
        const current = contexts.filter((row) => row.description.startsWith('current'));
        assert.deepEqual(
          current.map((row) => row.label),
          [kc.getCurrentContext()],
          'exactly the kubeconfig current context is marked current',
        );
        assert.equal(current[0].icon, 'vm-active');
        for (const row of contexts.filter((r) => r !== current[0])) assert.equal(row.icon, 'vm', `${row.label} is not marked current`);

        const admin = await view.expand(['test-admin']);
        const namespaces = admin.children.map((row) => row.label);
        for (const ns of [NS, 'default', 'payments', 'restricted'])
          assert.ok(namespaces.includes(ns), `namespace ${ns} listed: ${namespaces}`);
        assert.ok(
          admin.children.every((row) => row.icon === 'symbol-namespace'),
          `only namespaces under test-admin:\n${tail(admin.children)}`,
        );

        const groups = await view.expand(['test-admin', NS]);
        assert.deepEqual(
          groups.children.map((row) => row.label),
          ['Workloads', 'Helm Releases', 'Services', 'Ingresses', 'Network Policies', 'Secrets (names only)'],
        );
        const workloads = await view.expand(['test-admin', NS, 'Workloads']);
        assert.deepEqual(
          workloads.children.map((row) => row.label),
          [WORKLOAD],
        );

        // The badge comes from the language server analysing the live object, a moment after the row.
        const badge = /^Deployment · 2\/2 · (\d+) errors?(?:, (\d+) warnings?)?(?:, (\d+) infos?)?$/;
        const deployment = await view.node(['test-admin', NS, 'Workloads', WORKLOAD], (node) => badge.test(node.row.description), 30_000);
        const [, errors, warnings = '0', infos = '0'] = badge.exec(deployment.row.description)!;
        assert.ok(Number(errors) > 0, 'the plain Deployment has error findings');
        assert.equal(deployment.row.icon, 'shield', 'a workload with errors shows the shield icon');

        await view.expand(['test-admin', NS, 'Workloads', WORKLOAD]);
        // Its children: the findings (known once the badge is), then the pods.
        const children = await view.node(
          ['test-admin', NS, 'Workloads', WORKLOAD],
          (node) => node.children.filter((row) => row.icon === 'pass-filled').length === 2,
        );
        const findings = children.children.filter((row) => ['error', 'warning', 'info'].includes(row.icon));
        const podRows = children.children.filter((row) => !findings.includes(row));
        const count = (icon: string) => findings.filter((row) => row.icon === icon).length;
        assert.deepEqual(
          { errors: count('error'), warnings: count('warning'), infos: count('info') },
          { errors: Number(errors), warnings: Number(warnings), infos: Number(infos) },
          `the finding rows match the badge "${deployment.row.description}":\n${tail(findings)}`,
        );
        for (const rule of ['run-as-non-root', 'allow-privilege-escalation', 'capabilities-drop-all'])
          assert.ok(
            findings.some((row) => row.label === rule && row.icon === 'error'),
            `${rule} is an error finding of the live Deployment:\n${tail(findings)}`,
          );
        assert.deepEqual(
          podRows.map((row) => row.label),
          pods,
          'the pods of the Deployment (from the API)',
        );
        for (const row of podRows) {
          assert.equal(row.description, 'Running · 1/1 ready', `pod ${row.label}`);
          assert.ok(row.actions.includes('Tail Logs'), `pod ${row.label} has the Tail Logs inline action`);
        }

        const containers = await view.expand(['test-admin', NS, 'Workloads', WORKLOAD, pods[0]]);
        assert.deepEqual(
          containers.children.map((row) => [row.label, row.description, row.icon]),
          [[CONTAINER, 'running', 'package']],
        );
        await session.docsShot('clusters-view');

        // A namespace-scoped user: listing namespaces is forbidden (a notice, then the context's namespace), and
        // Secrets in it are forbidden too: one clear error node, not an empty folder.
        await view.titleAction('Collapse All');
        const dev = await view.expand(['dev-payments']);
        assert.deepEqual(
          dev.children.map((row) => [row.label, row.icon]),
          [
            ['Forbidden: cannot list namespaces at cluster scope as user payments-dev', 'info'],
            ['payments', 'symbol-namespace'],
          ],
        );
        const secrets = await view.expand(['dev-payments', 'payments', 'Secrets (names only)']);
        assert.deepEqual(
          secrets.children.map((row) => [row.label, row.icon, row.expanded]),
          [['Forbidden: cannot list secrets in namespace payments as user payments-dev', 'error', undefined]],
        );
        // What the Role allows still lists, without an error node.
        const devWorkloads = await view.expand(['dev-payments', 'payments', 'Workloads']);
        assert.ok(
          !devWorkloads.children.some((row) => row.icon === 'error'),
          `dev-payments lists workloads:\n${tail(devWorkloads.children)}`,
        );
        await view.titleAction('Collapse All');
        session.assertKubeconfigUntouched();
      },
    );

    e2e('the tree follows the cluster from watches, also after a namespace is collapsed and expanded again', async () => {
      await view.open();
      const named = (name: string): V1Deployment => {
        const deployment = ledgerDeployment();
        deployment.metadata = { name, namespace: NS };
        deployment.spec!.replicas = 1;
        deployment.spec!.selector = { matchLabels: { app: name } };
        deployment.spec!.template.metadata = { labels: { app: name } };
        return deployment;
      };
      await view.expand(['test-admin', NS, 'Workloads']);
      // Created while the namespace is open: the watch brings it in, no refresh asked.
      await cluster.createDeployment(NS, named('watched-while-open'));
      await view.node(['test-admin', NS, 'Workloads'], (node) => node.children.some((row) => row.label === 'watched-while-open'), 30_000);

      await view.titleAction('Collapse All');
      await cluster.createDeployment(NS, named('created-while-collapsed'));
      await view.expand(['test-admin', NS, 'Workloads']);
      await view.node(
        ['test-admin', NS, 'Workloads'],
        (node) => node.children.some((row) => row.label === 'created-while-collapsed'),
        30_000,
      );
      // And the watch runs again after the re-expand.
      await cluster.createDeployment(NS, named('created-after-reexpand'));
      await view.node(
        ['test-admin', NS, 'Workloads'],
        (node) => node.children.some((row) => row.label === 'created-after-reexpand'),
        30_000,
      );
      await view.titleAction('Collapse All');
    });

    e2e('"Deploy Current File" on a hardened manifest: diff, "Apply", objects in the cluster, rollout completes', async () => {
      const api = await template('fk-payment-api');
      const name = 'checkout-api';
      const text =
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: checkout-config\n  namespace: ${NS}\ndata:\n  LOG_LEVEL: info\n  SETTLEMENT_CURRENCY: EUR\n---\n` +
        expandSnippet(api.body, { 1: name, 2: NS, 3: '2' });
      const path = writeManifest('deploy/checkout-api.yaml', text);
      assert.deepEqual(errorFindings(path), [], 'the manifest passes the gate (no error finding from the engine)');
      const expected = [
        `create ConfigMap ${NS}/checkout-config`,
        `create ServiceAccount ${NS}/${name}`,
        `create Deployment ${NS}/${name}`,
        `create Service ${NS}/${name}`,
        `create PodDisruptionBudget ${NS}/${name}`,
        `create NetworkPolicy ${NS}/${name}`,
      ];

      await clearNotifications(wb);
      await wb.openFile('deploy/checkout-api.yaml');
      await wb.runCommand(DEPLOY);
      const dialog = await waitForDialog(wb.page, /^Apply \d+ object\(s\) to test-admin/);
      assert.equal(dialog.message, `Apply ${expected.length} object(s) to test-admin (${expected.length} changed)?`);
      assert.deepEqual(dialog.detail.split('\n').sort(), [...expected].sort());
      assert.deepEqual(dialog.buttons.sort(), ['Apply', 'Cancel']);
      // The diff editor is open behind the modal: live (nothing) ↔ after apply.
      await wb.page.locator(CLUSTER_SELECTORS.diffEditor).waitFor({ state: 'visible' });
      assert.ok(
        (await editorTabs(wb.page)).some((tab) => tab.startsWith('test-admin: live ↔ after apply')),
        `a diff tab: ${await editorTabs(wb.page)}`,
      );
      const diffText = await wb.page.locator(`${CLUSTER_SELECTORS.diffEditor} .editor.modified .view-lines`).innerText();
      assert.match(diffText.replace(/\u00a0/g, ' '), /kind: ConfigMap/, 'the modified side shows the manifest');
      // Nothing is applied before "Apply".
      assert.equal(await cluster.configMap(NS, 'checkout-config'), undefined, 'no ConfigMap before Apply');
      assert.equal(await cluster.deployment(NS, name), undefined, 'no Deployment before Apply');
      await session.docsShot('deploy-diff');

      await clickDialogButton(wb.page, 'Apply');
      await waitForNotification(wb.page, /Fintech K8s: deployed to test-admin and rolled out\./, 120_000);

      const configMap = await cluster.configMap(NS, 'checkout-config');
      assert.deepEqual(configMap?.data, { LOG_LEVEL: 'info', SETTLEMENT_CURRENCY: 'EUR' });
      assert.ok(await cluster.serviceAccount(NS, name), 'ServiceAccount created');
      assert.ok(await cluster.service(NS, name), 'Service created');
      assert.ok(await cluster.podDisruptionBudget(NS, name), 'PodDisruptionBudget created');
      const deployment = await cluster.deployment(NS, name);
      assert.ok(deployment, 'Deployment created');
      assert.ok(
        fieldManagers(deployment).includes('fintech-k8s:Apply'),
        `server-side applied by fintech-k8s: ${fieldManagers(deployment)}`,
      );
      assert.ok(fieldManagers(configMap).includes('fintech-k8s:Apply'), `ConfigMap applied by fintech-k8s: ${fieldManagers(configMap)}`);
      assert.equal(deployment.spec?.replicas, 2);
      // "Rolled out" is what the API says too.
      assert.equal(deployment.status?.updatedReplicas, 2, 'updated replicas');
      assert.equal(deployment.status?.readyReplicas, 2, 'ready replicas');
      assert.equal(deployment.status?.availableReplicas, 2, 'available replicas');
      session.assertKubeconfigUntouched();
    });

    e2e(
      'the policy gate: an error finding blocks the deploy, dismissing creates nothing, "Deploy anyway…" records the reason',
      async () => {
        const name = 'rogue-miner';
        const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  replicas: 1
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: miner
          image: registry.example.com/tools/miner:2.0
          securityContext:
            privileged: true
`;
        const path = writeManifest('deploy/rogue-miner.yaml', text);
        const blocking = errorFindings(path);
        assert.ok(
          blocking.some((f) => f.ruleId === 'privileged-container'),
          `the engine flags privileged: true as an error: ${blocking.map((f) => f.ruleId)}`,
        );

        await clearNotifications(wb);
        await wb.openFile('deploy/rogue-miner.yaml');
        await wb.runCommand(DEPLOY);
        let dialog = await waitForDialog(wb.page, /block this deploy\.$/);
        assert.equal(dialog.message, `${blocking.length} finding(s) at or above "error" block this deploy.`);
        assert.equal(dialog.icon, 'error');
        assert.deepEqual(dialog.buttons.sort(), ['Cancel', 'Deploy anyway…']);
        // Every blocking finding, at its line, as the engine reports it.
        assert.deepEqual(
          dialog.detail
            .split('\n')
            .map((line) => /^line (\d+): \[([\w-]+)\]/.exec(line)?.slice(1, 3).join(' '))
            .sort(),
          blocking.map((f) => `${f.startLine} ${f.ruleId}`).sort(),
          dialog.detail,
        );
        await clickDialogButton(wb.page, 'Cancel');
        // The gate shows the findings in the Problems panel, and deploys nothing.
        await wb.page.locator(SELECTORS.problemsPanel).waitFor({ state: 'visible' });
        await expectConsistently(async () => {
          assert.equal(await cluster.deployment(NS, name), undefined, 'nothing created after dismissing the gate');
          assert.equal(await wb.page.locator(CLUSTER_SELECTORS.dialog).isVisible(), false, 'no further dialog');
        }, 1_500);

        // "Deploy anyway…": a reason is asked for and recorded on the applied object.
        await wb.openFile('deploy/rogue-miner.yaml');
        await wb.runCommand(DEPLOY);
        await waitForDialog(wb.page, /block this deploy\.$/);
        await clickDialogButton(wb.page, 'Deploy anyway…');
        await answerInputBox(wb, 'Deploy anyway: reason', OVERRIDE_REASON);
        dialog = await waitForDialog(wb.page, /^Apply \d+ object\(s\) to test-admin/);
        assert.equal(dialog.message, 'Apply 1 object(s) to test-admin (1 changed)?');
        assert.equal(dialog.detail, `create Deployment ${NS}/${name}`);
        await clickDialogButton(wb.page, 'Apply');
        await waitForNotification(wb.page, /Fintech K8s: deployed to test-admin and rolled out\./, 120_000);
        const deployment = await cluster.deployment(NS, name);
        assert.ok(deployment, 'the Deployment exists after "Deploy anyway…"');
        assert.equal(deployment.metadata?.annotations?.[OVERRIDE_REASON_ANNOTATION], OVERRIDE_REASON);
        assert.equal(deployment.spec?.template.spec?.containers[0].securityContext?.privileged, true);
      },
    );

    e2e(
      '"Tail Logs" on a pod streams its lines with the [pod/container] prefix, a card number masked to its last four digits',
      async () => {
        assert.ok(harness);
        const pod = pods[0];
        const prefix = `[${pod}/${CONTAINER}]`;
        const now = () => new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
        appendLog(harness, NS, pod, CONTAINER, [
          { timestamp: now(), text: 'ledger-api 1.4.2 listening on :8443' },
          { timestamp: now(), text: 'connected to ledger-postgres (pool size 10)' },
        ]);

        await wb.runCommand('View: Close All Editors');
        await view.titleAction('Collapse All');
        await view.expand(['test-admin', NS, 'Workloads', WORKLOAD]);
        await view.inlineAction(['test-admin', NS, 'Workloads', WORKLOAD, pod], 'Tail Logs');
        await waitForQuickInput(wb, 'Tail logs');
        await pickQuickInputRow(wb, (label) => label === 'Follow, from the last 100 lines', 'the follow preset');

        const channel = `Fintech K8s Logs: test-admin/${NS}/${pod}`;
        await waitFor(async () => (await selectedOutputChannel(wb.page)) === channel, { message: `the Output panel on "${channel}"` });
        const streamed = async () =>
          (await outputLines(wb.page)).filter((line) => line.startsWith('[') && !line.startsWith('[fintech-k8s]'));
        await expectEventually(
          async () =>
            assert.deepEqual(await streamed(), [
              `${prefix} ledger-api 1.4.2 listening on :8443`,
              `${prefix} connected to ledger-postgres (pool size 10)`,
            ]),
          { message: 'the existing lines in the output channel', timeout: 30_000 },
        );

        // The follow reached the kubelet: what is written now arrives through the stream.
        await waitForOpenStreams(harness, { namespace: NS, pod, container: CONTAINER }, 1);
        appendLog(harness, NS, pod, CONTAINER, [
          { timestamp: now(), text: `payment 7f3a9c authorised card=${CARD} amount=12.00 EUR` },
          { timestamp: now(), text: 'settlement batch 42 queued' },
        ]);
        const lines = await expectEventually(
          async () => {
            const shown = await outputLines(wb.page);
            assert.deepEqual((await streamed()).slice(2), [
              `${prefix} payment 7f3a9c authorised card=${MASKED_CARD} amount=12.00 EUR`,
              `${prefix} settlement batch 42 queued`,
            ]);
            return shown;
          },
          { message: 'the streamed lines, redacted', timeout: 30_000 },
        );
        const digits = CARD.replace(/ /g, '');
        for (const line of lines)
          assert.ok(!line.includes(CARD) && !line.replace(/\D/g, '').includes(digits), `unmasked card number: ${line}`);
        const page = await wb.page.content();
        assert.ok(!page.includes(CARD) && !page.includes(digits), 'the full card number appears nowhere in the workbench');
        // The README shot: the Output panel maximized next to the tree.
        await wb.runCommand('View: Toggle Maximized Panel');
        await waitFor(async () => ((await wb.page.locator('.part.panel').boundingBox())?.height ?? 0) > 600, {
          message: 'the panel maximized',
        });
        await session.docsShot('logs');
        await wb.runCommand('View: Toggle Maximized Panel');
        await waitFor(async () => ((await wb.page.locator('.part.panel').boundingBox())?.height ?? 1000) < 600, {
          message: 'the panel restored',
        });

        // "Stop Tailing Logs" ends the stream (the kubelet's follow closes).
        await wb.runCommand('Fintech K8s: Stop Tailing Logs');
        await expectEventually(async () => assert.ok((await outputLines(wb.page)).includes('[fintech-k8s] stopped')), {
          message: 'the stop notice in the channel',
        });
        await waitForOpenStreams(harness, { namespace: NS, pod, container: CONTAINER }, 0);
      },
    );

    e2e(
      '"New Manifest from Template…": the payment API with a new name in an untitled editor, no warning or error in Problems',
      async () => {
        const api = await template('fk-payment-api');
        const name = 'refunds-api';
        const defaultNamespace = 'payments';
        const expected = expandSnippet(api.body, { 1: name, 2: defaultNamespace });
        // The engine's verdict on the same text outside any workspace (an untitled file has no .fintech-k8s.yaml).
        const scratch = mkdtempSync(join(tmpdir(), 'fintech-k8s-e2e-template-'));
        try {
          writeFileSync(join(scratch, 'refunds-api.yaml'), expected);
          const serious = cliFindings(join(scratch, 'refunds-api.yaml')).filter((f) => f.severity !== 'info');
          assert.deepEqual(serious, [], 'the engine finds no warning or error in the filled template');
        } finally {
          rmSync(scratch, { recursive: true, force: true });
        }

        await wb.runCommand('Fintech K8s: New Manifest from Template…');
        await waitForQuickInput(wb, 'New Manifest from Template');
        await wb.page.locator(SELECTORS.quickInputBox).fill(api.prefix);
        await pickQuickInputRow(wb, (label) => label.startsWith(`${api.title},`), api.title);
        assert.equal(await answerInputBox(wb, `${api.title}: name`, name), 'payments-api', 'the name box offers the default');
        assert.equal(
          await answerInputBox(wb, `${api.title}: namespace`, undefined),
          defaultNamespace,
          'the namespace box offers the default',
        );

        const untitled = await waitFor(
          async () => {
            const label = await wb.page.locator(SELECTORS.activeTab).getAttribute('aria-label');
            return label && /Untitled-\d+/.exec(label)?.[0];
          },
          { message: 'an untitled editor' },
        );
        await wb.page.locator(`${SELECTORS.activeEditor}.focused`).waitFor({ state: 'visible' });
        // The editor's whole text through the clipboard (Ctrl+A, Ctrl+C): the snippet lands a moment after the tab.
        type Clipboard = { navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } } };
        const text = await expectEventually(
          async () => {
            await wb.page.evaluate(() => (globalThis as unknown as Clipboard).navigator.clipboard.writeText('(nothing copied)'));
            await wb.page.keyboard.press('Escape'); // leave the snippet's remaining tab stops
            await wb.page.keyboard.press('Control+A');
            await wb.page.keyboard.press('Control+C');
            const copied = await waitFor(
              async () => {
                const value = await wb.page.evaluate(() => (globalThis as unknown as Clipboard).navigator.clipboard.readText());
                return value === '(nothing copied)' ? undefined : value;
              },
              { message: 'the copied editor text', timeout: 5_000 },
            );
            assert.equal(copied.trimEnd(), expected.trimEnd(), 'the editor holds the template with the name and the kept namespace');
            return copied;
          },
          { message: 'the untitled editor text', timeout: 15_000, interval: 250 },
        );
        assert.match(text, new RegExp(`^  name: ${name}$`, 'm'));

        const ours = async () => (await wb.problems()).filter((row) => row.file === untitled && row.source === DIAGNOSTIC_SOURCE);
        await wb.showProblems();
        await expectConsistently(async () => {
          const serious = (await ours()).filter((row) => row.severity !== 'info');
          assert.deepEqual(serious, [], `warnings or errors for ${untitled}`);
        }, 2_500);

        // The check above means something only if the untitled editor is analysed: weaken it and the warning
        // shows up in Problems; undo and it goes away.
        const lines = text.split('\n');
        const line = lines.findIndex((l) => l.includes('readOnlyRootFilesystem: true')) + 1;
        const column = lines[line - 1].indexOf('true') + 1;
        await wb.goTo(line, column);
        await wb.page.keyboard.press('Control+D');
        await wb.page.keyboard.type('false');
        await expectEventually(
          async () => assert.ok((await ours()).some((row) => row.code === 'read-only-root-filesystem' && row.severity === 'warning')),
          { message: `read-only-root-filesystem in Problems for ${untitled}`, timeout: 20_000 },
        );
        if (!(await wb.page.locator(`${SELECTORS.activeEditor}.focused`).isVisible())) await wb.goTo(line, column);
        await wb.page.keyboard.press('Control+Z');
        await expectEventually(
          async () =>
            assert.deepEqual(
              (await ours()).filter((row) => row.severity !== 'info'),
              [],
            ),
          {
            message: `no warning for ${untitled} after undo`,
            timeout: 20_000,
          },
        );
        await wb.runCommand('View: Revert and Close Editor');
        await waitFor(async () => !(await editorTabs(wb.page)).some((tab) => tab.includes(untitled)), { message: `${untitled} closed` });
      },
    );

    e2e(
      'a production-named context asks first: Switch Context to prod-payments, cancel creates nothing, confirm deploys; kubeconfig untouched',
      async () => {
        const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${PROD_CONFIG}\ndata:\n  FEATURE_3DS2: enabled\n`;
        const path = writeManifest('deploy/prod-config.yaml', text);
        assert.deepEqual(errorFindings(path), [], 'the manifest passes the gate');

        await clearNotifications(wb);
        await wb.runCommand(SWITCH_CONTEXT);
        const rows = await waitForQuickInput(wb, SWITCH_CONTEXT_TITLE);
        assert.deepEqual(
          rows.map((row) => row.label.split(',')[0]),
          ['test-admin', 'prod-payments', 'dev-payments'],
        );
        await pickQuickInputRow(wb, (label) => label.startsWith('prod-payments,'), 'prod-payments');
        await expectEventually(
          async () =>
            assert.deepEqual(await contextStatusItem(wb.page), { text: 'prod-payments: payments', warning: true, icon: 'warning' }),
          { message: 'the status bar on prod-payments, warning colour' },
        );
        await view.open();
        await view.node(['prod-payments'], (node) => node.row.description.startsWith('current') && node.row.icon === 'vm-active');
        assert.ok(!(await view.node(['test-admin'])).row.description.startsWith('current'), 'test-admin is no longer marked current');
        session.assertKubeconfigUntouched();

        // Cancel at the confirmation: nothing is created.
        await wb.openFile('deploy/prod-config.yaml');
        await wb.runCommand(DEPLOY);
        let dialog = await waitForDialog(wb.page, /prod-payments/);
        assert.equal(dialog.message, 'Deploy to "prod-payments"?');
        assert.match(dialog.detail, /The context "prod-payments" looks like production .*Namespace: payments\./);
        assert.equal(dialog.icon, 'warning');
        assert.deepEqual(dialog.buttons.sort(), ['Cancel', 'Deploy to prod-payments']);
        await clickDialogButton(wb.page, 'Cancel');
        await expectConsistently(async () => {
          assert.equal(await cluster.configMap('payments', PROD_CONFIG), undefined, 'nothing created after Cancel');
          assert.equal(await wb.page.locator(CLUSTER_SELECTORS.dialog).isVisible(), false, 'no Apply dialog after Cancel');
        }, 1_500);

        // Confirm: the same deploy goes through the diff and Apply into the context's namespace.
        await wb.openFile('deploy/prod-config.yaml');
        await wb.runCommand(DEPLOY);
        await waitForDialog(wb.page, /^Deploy to "prod-payments"\?$/);
        await clickDialogButton(wb.page, 'Deploy to prod-payments');
        dialog = await waitForDialog(wb.page, /^Apply \d+ object\(s\) to prod-payments/);
        assert.equal(dialog.message, 'Apply 1 object(s) to prod-payments (1 changed)?');
        assert.equal(dialog.detail, `create ConfigMap payments/${PROD_CONFIG}`);
        await clickDialogButton(wb.page, 'Apply');
        await waitForNotification(wb.page, /Fintech K8s: deployed to prod-payments\./, 60_000);
        const created = await cluster.configMap('payments', PROD_CONFIG);
        assert.deepEqual(created?.data, { FEATURE_3DS2: 'enabled' });
        session.assertKubeconfigUntouched();

        // Back to test-admin from the status bar item (its command is Switch Context).
        await wb.page.locator(CLUSTER_SELECTORS.contextStatusItem).click();
        await waitForQuickInput(wb, SWITCH_CONTEXT_TITLE);
        await pickQuickInputRow(wb, (label) => label.startsWith('test-admin,'), 'test-admin');
        await expectEventually(
          async () => assert.deepEqual(await contextStatusItem(wb.page), { text: 'test-admin: default', warning: false, icon: 'cloud' }),
          { message: 'the status bar back on test-admin' },
        );
        session.assertKubeconfigUntouched();
      },
    );
  },
);
