import { annotationsOf, asArray, asMap, asString, containersOf, getIn, podSpecOf } from '../../objects';
import type { Path, Rule } from '../../types';
import { describeAll, findKeyMaterial, keyFileKind, type KeyMaterial } from './key-material';

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

export const keyMaterialInConfigmap: Rule = {
  id: 'key-material-in-configmap',
  group: 'blockchain',
  title: 'Validator and node keys must not sit in ConfigMaps, env values or annotations',
  severity: 'error',
  rationale:
    'A validator or wallet key in a ConfigMap, an env value or an annotation is readable by anyone who can list those objects and ends up in Git, backups and `kubectl describe` output; whoever copies it can sign with it, and for a validator that means slashing or stolen funds.',
  remediation:
    'Keep keys in a Secret backed by an external store (or, better, in a remote signer / HSM such as web3signer, tmkms or horcrux) and mount them as read-only files; rotate any key that was ever committed.',
  references: { pci: ['3.6.1', '8.6.2'] },
  check(object, context) {
    if (object.kind === 'ConfigMap') {
      for (const field of ['data', 'binaryData'] as const) {
        for (const [key, value] of Object.entries(asMap(getIn(object.value, [field])) ?? {})) {
          const found: KeyMaterial[] = [];
          const file = keyFileKind(key);
          if (file) found.push({ kind: file, masked: '***' });
          const content = field === 'data' ? text(value) : undefined;
          if (content !== undefined)
            for (const f of findKeyMaterial(content, key)) if (!found.some((g) => g.kind === f.kind)) found.push(f);
          if (found.length === 0) continue;
          context.report({
            path: [...object.path, field, key],
            message: `ConfigMap "${object.name}" key "${key}" holds ${describeAll(found)}.`,
          });
        }
      }
    }

    const pod = podSpecOf(object);
    const annotated: [Record<string, unknown>, Path][] = [[annotationsOf(object.value), [...object.path, 'metadata', 'annotations']]];
    if (pod) annotated.push([asMap(pod.metadata.annotations) ?? {}, [...pod.metadataPath, 'annotations']]);
    for (const [annotations, base] of annotated) {
      for (const [key, value] of Object.entries(annotations)) {
        // Helm charts' `checksum/secrets: {{ include … | sha256sum }}` rolls pods when a Secret changes: a digest of it, never a key.
        if (key.startsWith('checksum/')) continue;
        const content = text(value);
        if (content === undefined) continue;
        const found = findKeyMaterial(content, key);
        if (found.length === 0) continue;
        context.report({ path: [...base, key], message: `Annotation "${key}" holds ${describeAll(found)}.` });
      }
    }

    if (!pod) return;
    for (const container of containersOf(pod)) {
      asArray(container.container.env).forEach((item, i) => {
        const env = asMap(item);
        const name = asString(env?.name) ?? '';
        const content = text(env?.value);
        if (content === undefined) return;
        const found = findKeyMaterial(content, name);
        if (found.length === 0) return;
        context.report({
          path: [...container.path, 'env', i, 'value'],
          message: `${container.label} env "${name}" holds ${describeAll(found)}.`,
        });
      });
    }
  },
};
