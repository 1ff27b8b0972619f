import {
  asArray,
  asMap,
  asString,
  containersOf,
  getIn,
  labelsOf,
  podLabelsOf,
  podSpecOf,
  type ContainerAt,
  type PodSpecAt,
} from '../../objects';
import type { K8sObject, Rule, WorkspaceIndex } from '../../types';
import { objectLabel, relatedTo } from '../related';
import { clientOf, flagsOf, hasNodeLabel, NODE_ROLE_LABEL, nodeContainers } from './nodes';
import { namespaceOf } from './workspace';

/** Files that hold a key that signs blocks or attestations (not TLS keystores such as client-keystore.p12). */
const SIGNING_KEY_FILE = /(?:^|\/)(?:priv_validator_key\.json|UTC--[^/]*|keystore-m_\d+(?:_\d+)*-\d+\.json)$/i;
/** Flags that point a client at its validator signing keys. */
const SIGNING_KEY_FLAGS = new Set([
  'validator-keys',
  'validators-dir',
  'wallet-dir',
  'keystoresdir',
  'importkeystores',
  'priv_validator_key_file',
  'vote-account',
]);

/** Why a workload is a validator, or undefined when it is not one. */
function validatorEvidence(object: K8sObject, pod: PodSpecAt): string | undefined {
  const all = containersOf(pod);
  const candidates = all.filter((c) => c.list !== 'ephemeralContainers' && clientOf(c)?.role !== 'signer');
  for (const container of candidates) {
    const client = clientOf(container);
    if (client?.role === 'validator') return `${container.label} runs the ${client.name} validator client`;
  }
  for (const container of candidates) {
    const flag = flagsOf(container).find((f) => SIGNING_KEY_FLAGS.has(f.name));
    if (flag) return `${container.label} loads validator keys (${flag.name})`;
    const file = signingKeyMount(container, pod);
    if (file) return `${container.label} mounts the signing key ${file}`;
  }
  const labels = { ...labelsOf(object.value), ...podLabelsOf(pod) };
  if (labels[NODE_ROLE_LABEL] === 'validator') return `it is labelled ${NODE_ROLE_LABEL}: validator`;
  // "validator" in a name alone is not enough in a bank (an IBAN or payment validator): only on a node.
  const isNode = nodeContainers(object, pod, all).some((n) => n.client) || hasNodeLabel(object, pod);
  if (isNode && (/validator/i.test(object.name) || Object.values(labels).some((v) => /validator/i.test(v))))
    return 'it is a node named or labelled as a validator';
  return undefined;
}

function signingKeyMount(container: ContainerAt, pod: PodSpecAt): string | undefined {
  const volumes = new Map(asArray(pod.spec.volumes).map((v) => [asString(asMap(v)?.name), asMap(v)]));
  for (const item of asArray(container.container.volumeMounts)) {
    const mount = asMap(item);
    if (!mount) continue;
    for (const path of [asString(mount.subPath), asString(mount.mountPath)])
      if (path && SIGNING_KEY_FILE.test(path)) return path.slice(path.lastIndexOf('/') + 1);
    const volume = volumes.get(asString(mount.name));
    if (!volume) continue;
    const sources = [
      volume.secret,
      volume.configMap,
      ...asArray(getIn(volume, ['projected', 'sources'])).flatMap((s) => [asMap(s)?.secret, asMap(s)?.configMap]),
    ];
    for (const source of sources) {
      for (const entry of asArray(asMap(source)?.items)) {
        for (const name of [asString(asMap(entry)?.key), asString(asMap(entry)?.path)])
          if (name && SIGNING_KEY_FILE.test(name)) return name.slice(name.lastIndexOf('/') + 1);
      }
    }
  }
  for (const item of asArray(container.container.env)) {
    const value = asString(asMap(item)?.value);
    if (value && SIGNING_KEY_FILE.test(value)) return value.slice(value.lastIndexOf('/') + 1);
  }
  return undefined;
}

function autoscalerMax(object: K8sObject, workspace: WorkspaceIndex): { object: K8sObject; max: number } | undefined {
  for (const hpa of workspace.ofKind('HorizontalPodAutoscaler')) {
    if (namespaceOf(hpa) !== namespaceOf(object)) continue;
    const target = asMap(getIn(hpa.value, ['spec', 'scaleTargetRef']));
    if (target?.kind !== object.kind || target?.name !== object.name) continue;
    const max = getIn(hpa.value, ['spec', 'maxReplicas']);
    if (typeof max === 'number') return { object: hpa, max };
  }
  return undefined;
}

export const validatorReplicas: Rule = {
  id: 'validator-replicas',
  group: 'blockchain',
  title: 'Validators must run as a single replica StatefulSet',
  severity: 'error',
  rationale:
    'Two processes signing with the same validator key double-sign, and the protocol slashes the stake and ejects the validator; a Deployment’s rolling update or a second replica is exactly that. Slashing is a direct loss of customer or treasury funds.',
  remediation:
    'Run each validator key set in a StatefulSet with `replicas: 1` (no HPA), keep slashing protection enabled, and get availability from a remote signer with its own slashing protection rather than from replicas.',
  references: { pci: [] },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod || !['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController'].includes(object.kind)) return;
    const evidence = validatorEvidence(object, pod);
    if (!evidence) return;
    const replicasPath = [...object.path, 'spec', 'replicas'];
    const replicas = getIn(object.value, ['spec', 'replicas']);
    const count = replicas === undefined || replicas === null ? 1 : typeof replicas === 'number' ? replicas : undefined;
    const hpa = autoscalerMax(object, context.workspace);
    const why = `(${evidence})`;
    if (object.kind === 'DaemonSet') {
      context.report({
        path: [...object.path, 'kind'],
        message: `Validator DaemonSet "${object.name}" runs one signer per node ${why}: every copy double-signs.`,
      });
    } else if (count !== undefined && count > 1) {
      context.report({
        path: replicasPath,
        message: `Validator ${object.kind} "${object.name}" runs ${count} replicas ${why}: they double-sign with the same key.`,
      });
    } else if (hpa && hpa.max > 1) {
      context.report({
        path: replicasPath,
        message: `HorizontalPodAutoscaler "${hpa.object.name}" may scale validator ${object.kind} "${object.name}" to ${hpa.max} replicas ${why}.`,
        related: [
          relatedTo(hpa.object, `${objectLabel(hpa.object)} sets maxReplicas: ${hpa.max}`, [...hpa.object.path, 'spec', 'maxReplicas']),
        ],
      });
    } else if (object.kind === 'Deployment') {
      context.report({
        path: [...object.path, 'kind'],
        message: `Validator "${object.name}" runs as a Deployment ${why}: a rollout or an unreachable node can start a second pod while the first still signs; use a StatefulSet with one replica.`,
      });
    }
  },
};
