import { listSome } from '../list-some';
import { asArray, containersOf, getIn, podLabelsOf, podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { objectLabel, relatedTo } from '../related';
import { signerContainers } from './nodes';
import { namespaceOf, networkPoliciesIn, policyIsolatesIngress, policySelects } from './workspace';

export const signerNotIsolated: Rule = {
  id: 'signer-not-isolated',
  group: 'blockchain',
  title: 'Remote signers must be isolated by a NetworkPolicy',
  severity: 'warning',
  rationale:
    'A remote signer (web3signer, tmkms, horcrux) holds the keys that move customer funds and sign for validators; if any pod in the cluster can open a connection to it, one compromised workload is enough to request signatures.',
  remediation:
    'Select the signer with a NetworkPolicy whose ingress admits only the wallet and validator pods (by podSelector) on the signer port, and restrict its egress to DNS and its slashing-protection database or KMS.',
  references: { pci: ['1.3.1'] },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    const signers = signerContainers(containersOf(pod));
    if (signers.length === 0) return;
    const { container, client } = signers[0];
    const labels = podLabelsOf(pod);
    const namespace = namespaceOf(object);
    // A namespace without NetworkPolicies in the workspace is reported too: for a signer, "maybe a
    // policy exists elsewhere" is not good enough, and single-file templates carry their own policy.
    const selecting = networkPoliciesIn(namespace, context.workspace).filter((p) => policySelects(p, labels));
    const ingress = selecting.filter(policyIsolatesIngress);
    if (selecting.length === 0) {
      context.report({
        path: container.path,
        message: `${container.label} runs the ${client.name} signer, but no NetworkPolicy in namespace "${namespace}" selects its pods: every pod of the cluster can reach it.`,
      });
      return;
    }
    if (ingress.length === 0) {
      context.report({
        path: container.path,
        message: `${container.label} runs the ${client.name} signer; the NetworkPolicies selecting it (${listSome(selecting.map((p) => `"${p.name}"`))}) restrict egress only, so any pod can connect to it.`,
        related: selecting.map((p) => relatedTo(p, `${objectLabel(p)} selects the signer but restricts egress only`)),
      });
      return;
    }
    for (const policy of ingress) {
      const open = asArray(getIn(policy.value, ['spec', 'ingress'])).findIndex((rule) => asArray(getIn(rule, ['from'])).length === 0);
      if (open !== -1) {
        context.report({
          path: container.path,
          message: `${container.label} runs the ${client.name} signer, and NetworkPolicy "${policy.name}" admits ingress from any source.`,
          related: [relatedTo(policy, `${objectLabel(policy)} admits ingress from any source`, [...policy.path, 'spec', 'ingress', open])],
        });
        return;
      }
    }
  },
};
