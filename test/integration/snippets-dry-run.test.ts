// Every template, expanded with its defaults, is accepted by a real API server: a server-side apply dry
// run of each object, and of a Pod made from each pod template in a namespace that enforces the
// restricted Pod Security Standard (admission enforces on Pods, only warns on workloads).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { loadTemplate, templateFiles } from '../../scripts/snippets';
import { expandSnippet } from '../../src/templates/snippet-syntax';
import { assertAdmitted, createRestrictedNamespace, deleteNamespace } from './support/admission';
import { adminKubeConfig, clusterSkipReason } from './support/cluster';

const NAMESPACE = `snippets-${process.pid}`;

describe('templates against a real API server', { skip: clusterSkipReason() }, () => {
  let api: KubernetesObjectApi;

  before(async () => {
    api = KubernetesObjectApi.makeApiClient(adminKubeConfig());
    await createRestrictedNamespace(api, NAMESPACE);
  });

  after(() => deleteNamespace(api, NAMESPACE));

  for (const template of templateFiles().map(loadTemplate)) {
    it(`${template.prefix} passes server-side dry-run, and its pods pass restricted Pod Security`, async () => {
      // Where $1 names a Namespace, it becomes the test namespace; everything else goes into it.
      const isNamespaceTemplate = /kind: Namespace\nmetadata:\n {2}name: \$\{1:/.test(template.body);
      const text = expandSnippet(template.body, isNamespaceTemplate ? { 1: NAMESPACE } : { 2: NAMESPACE });
      const objects = parseAllDocuments(text)
        .map((doc) => doc.toJS() as KubernetesObject | null)
        .filter((o): o is KubernetesObject => !!o && typeof o === 'object');
      assert.ok(objects.length > 0);
      await assertAdmitted(api, objects, NAMESPACE);
    });
  }
});
