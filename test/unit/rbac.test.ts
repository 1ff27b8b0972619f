// The rbac group's cross-file behaviour and the RBAC matching it relies on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/engine/engine';
import { grants, policyRulesOf } from '../../server/engine/rules/rbac/policy';
import type { K8sObject } from '../../server/engine/types';

const service = (name: string, namespace?: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n  ports:\n    - port: 443\n`;

function defaultNamespaceFindings(files: { file: string; text: string }[]) {
  return analyze(files)
    .flatMap((result) => result.findings)
    .filter((finding) => finding.ruleId === 'default-namespace')
    .map((finding) => ({ file: finding.file, name: finding.object.name, fix: finding.fix?.title }));
}

describe('default-namespace across files', () => {
  it('offers the fix only when the other objects of the same file agree on one namespace', () => {
    const findings = defaultNamespaceFindings([
      { file: 'apps/api.yaml', text: `${service('api', 'payments')}---\n${service('api-admin')}` },
      { file: 'apps/mixed.yaml', text: `${service('a', 'payments')}---\n${service('b', 'fraud')}---\n${service('c')}` },
      { file: 'apps/bare.yaml', text: service('d') },
    ]);
    assert.deepEqual(findings, [
      { file: 'apps/api.yaml', name: 'api-admin', fix: 'Set namespace: payments (as the other objects of this file)' },
      { file: 'apps/mixed.yaml', name: 'c', fix: undefined },
      { file: 'apps/bare.yaml', name: 'd', fix: undefined },
    ]);
  });

  it('trusts a kustomization in the same directory that sets the namespace', () => {
    const kustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: payments\nresources: [api.yaml]\n';
    const findings = defaultNamespaceFindings([
      { file: 'base/kustomization.yaml', text: kustomization },
      { file: 'base/api.yaml', text: service('api') },
      { file: 'other/api.yaml', text: `${service('api')}---\n${service('legacy', 'default')}` },
      { file: 'base/explicit.yaml', text: service('legacy', 'default') },
    ]);
    assert.deepEqual(
      findings.map((f) => `${f.file} ${f.name}`),
      ['other/api.yaml api', 'other/api.yaml legacy', 'base/explicit.yaml legacy'],
    );
  });
});

describe('RBAC matching', () => {
  const role = (rules: unknown[]): K8sObject => ({
    kind: 'Role',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    name: 'r',
    namespace: 'payments',
    value: { rules },
    path: [],
    file: 'f.yaml',
    docIndex: 0,
  });
  const exec = { groups: [''], resources: ['pods/exec'], verbs: ['create'] };

  it('matches subresources like the authorizer: "*" and "*/exec" do, "pods/*" does not', () => {
    const matched = (resources: string[]) =>
      policyRulesOf(role([{ apiGroups: [''], resources, verbs: ['create'] }])).some((rule) => grants(rule, exec));
    assert.equal(matched(['*']), true);
    assert.equal(matched(['*/exec']), true);
    assert.equal(matched(['pods/exec']), true);
    assert.equal(matched(['pods/*']), false);
    assert.equal(matched(['pods']), false);
    assert.equal(matched(['*/attach']), false);
  });

  it('requires the API group and the verb', () => {
    const [rule] = policyRulesOf(role([{ apiGroups: ['apps'], resources: ['pods/exec'], verbs: ['*'] }]));
    assert.equal(grants(rule, exec), undefined);
    const [other] = policyRulesOf(role([{ apiGroups: ['*'], resources: ['pods/exec'], verbs: ['get'] }]));
    assert.equal(grants(other, exec), undefined);
  });

  it('reads no rules from an aggregated ClusterRole (the controller overwrites them)', () => {
    const aggregated: K8sObject = {
      ...role([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
      kind: 'ClusterRole',
      namespace: undefined,
    };
    (aggregated.value as Record<string, unknown>).aggregationRule = { clusterRoleSelectors: [] };
    assert.deepEqual(policyRulesOf(aggregated), []);
  });
});
