import { annotationsOf, asMap, podSpecOf } from '../../objects';
import type { K8sObject, Path, Rule, RuleContext } from '../../types';
import { CARD_KINDS, detectValue, isTextBlock, KEY_MATERIAL_KINDS, scanText, type SecretFinding } from './detect';
import { describeFindings } from './shared';
import { scanTree } from './tree';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/**
 * Annotations that carry a digest of a Secret (Helm's `checksum/secret`) or tell a controller which
 * secret to inject or reload (`vault.hashicorp.com/agent-inject-secret-db: database/creds/ledger`):
 * references, never the value.
 */
const REFERENCE_ANNOTATION =
  /^(?:checksum|vault\.hashicorp\.com|(?:secret\.)?reloader\.stakater\.com|cert-manager\.io|external-secrets\.io|sealedsecrets\.bitnami\.com|secrets-store\.csi\.k8s\.io)\//;

export const secretInAnnotation: Rule = {
  id: 'secret-in-annotation',
  group: 'secrets',
  title: 'Annotations must not hold credentials',
  severity: 'error',
  rationale:
    'Annotations are shown by `kubectl describe` even for Secrets, copied into events and audit logs, and readable by anyone who can list the object; `kubectl apply` also copies a whole Secret, in clear text, into its last-applied-configuration annotation.',
  remediation:
    'Remove the credential from the annotation and rotate it; create Secrets with `kubectl apply --server-side` (no last-applied annotation) or from a secret store, and reference secrets by name instead of value.',
  references: { pci: ['8.6.2'] },
  check(object, context) {
    checkAnnotations(object, annotationsOf(object.value), [...object.path, 'metadata', 'annotations'], context);
    const pod = podSpecOf(object);
    if (pod && object.kind !== 'Pod')
      checkAnnotations(object, asMap(pod.metadata.annotations) ?? {}, [...pod.metadataPath, 'annotations'], context);
  },
};

function checkAnnotations(object: K8sObject, annotations: Record<string, unknown>, path: Path, context: RuleContext): void {
  for (const [key, value] of Object.entries(annotations)) {
    if (typeof value !== 'string' || value.length === 0) continue;
    if (key === LAST_APPLIED) {
      checkLastApplied(value, [...path, key], context);
      continue;
    }
    if (REFERENCE_ANNOTATION.test(key)) continue;
    // The annotation's name after its prefix names the value (`example.com/api-token`).
    const name = key.slice(key.lastIndexOf('/') + 1);
    const findings: SecretFinding[] = isTextBlock(value)
      ? scanJsonOrText(value)
      : [detectValue(name, value)].filter((f): f is SecretFinding => !!f);
    const generic = findings.filter(reportable);
    if (generic.length > 0)
      context.report({
        path: [...path, key],
        message: `Annotation "${key}" of ${object.kind} "${object.name}" holds ${describeFindings(generic, name)}.`,
      });
  }
}

/**
 * Card numbers and blockchain key material have rules of their own; connection URLs with a password
 * are reported here, as database-url-credentials covers env and ConfigMaps only.
 */
function reportable(finding: SecretFinding): boolean {
  return !CARD_KINDS.has(finding.kind) && !KEY_MATERIAL_KINDS.has(finding.kind);
}

function scanJsonOrText(value: string): SecretFinding[] {
  const json = parseJson(value);
  return json === undefined ? scanText(value) : scanTree(json);
}

function checkLastApplied(value: string, path: Path, context: RuleContext): void {
  const applied = asMap(parseJson(value));
  if (!applied) return;
  if (applied.kind === 'Secret') {
    const keys = [...Object.keys(asMap(applied.data) ?? {}), ...Object.keys(asMap(applied.stringData) ?? {})];
    if (keys.length > 0) {
      context.report({
        path,
        message: `The last-applied-configuration annotation holds a copy of the Secret's ${keys.length === 1 ? 'key' : `${keys.length} keys`} (${keys
          .slice(0, 5)
          .map((k) => `"${k}"`)
          .join(', ')}) in clear text, shown by kubectl describe.`,
      });
    }
    return;
  }
  const generic = scanTree(applied).filter(reportable);
  if (generic.length > 0)
    context.report({ path, message: `The last-applied-configuration annotation holds ${describeFindings(generic)}.` });
}

function parseJson(value: string): unknown {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}
