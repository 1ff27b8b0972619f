import type { Rule } from '../../types';
import { cardDataName, findCardNumbers, findTrackData, isPlaceholder, pairsInText, type SecretFinding } from './detect';
import { visitLeaves } from './tree';

/** Fields the API server writes: numeric ids there (resourceVersion, uid) say nothing about card data. */
const SKIPPED_TOP = new Set(['status']);
const SKIPPED_METADATA = new Set(['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink']);
const TRIVIAL = /^(?:|true|false|yes|no|on|off|enabled?|disabled?|none|null|required|optional|masked|redacted|tokeni[sz]ed|encrypted)$/i;

export const panInManifest: Rule = {
  id: 'pan-in-manifest',
  group: 'secrets',
  title: 'Manifests must not contain card numbers or card verification data',
  severity: 'error',
  rationale:
    'A primary account number in a manifest puts cardholder data in Git, CI logs and every cluster that receives the object, pulling all of them into PCI scope; CVV and magnetic-stripe track data may not be stored after authorisation at all.',
  remediation:
    'Remove the card data, purge it from the repository history, and handle it as an incident; use the schemes\u2019 public test numbers (4111 1111 1111 1111, 4242 4242 4242 4242 …) in sandbox configuration, and tokens instead of PANs elsewhere.',
  references: { pci: ['3.3.1', '3.5.1'] },
  check(object, context) {
    const base = object.path.length;
    visitLeaves(object.value, [...object.path], (leaf) => {
      const top = leaf.path[base];
      if (SKIPPED_TOP.has(top as string) || (top === 'metadata' && SKIPPED_METADATA.has(leaf.path[base + 1] as string))) return;
      const text = typeof leaf.value === 'number' ? (Number.isSafeInteger(leaf.value) ? String(leaf.value) : '') : leaf.value;
      const findings: SecretFinding[] = [...findCardNumbers(text), ...findTrackData(text)];
      // Secret data is base64: card numbers hide in it as well as anywhere else.
      if (object.kind === 'Secret' && top === 'data' && typeof leaf.value === 'string') {
        const decoded = Buffer.from(leaf.value, 'base64').toString('latin1');
        findings.push(...findCardNumbers(decoded), ...findTrackData(decoded));
      }
      const cardKeys = new Set<string>();
      if (leaf.key !== undefined && cardDataName(leaf.key) && holdsCardData(text)) cardKeys.add(leaf.key);
      // Keys inside configuration files (`cvv=123`) count as keys too.
      if (typeof leaf.value === 'string' && leaf.value.includes('\n')) {
        for (const pair of pairsInText(leaf.value))
          if (pair.name && cardDataName(pair.name) && holdsCardData(pair.value)) cardKeys.add(pair.name);
      }
      if (findings.length === 0 && cardKeys.size === 0) return;
      context.report({ path: [...leaf.path], message: describe(findings, cardKeys) });
    });
  },
};

/** A key named `cvv` holding a value, not a setting about CVVs (`cvv: required`) or a masked one. */
function holdsCardData(value: string): boolean {
  const v = value.trim();
  return !TRIVIAL.test(v) && !isPlaceholder(v) && !/^[*x#•]+\d{0,4}$/i.test(v);
}

function describe(findings: SecretFinding[], cardKeys: Set<string>): string {
  const parts = findings.map((f) => `${f.what} ${f.masked}`);
  for (const key of cardKeys) parts.push(`card data under the key "${key}"`);
  return `Cardholder data in the manifest: ${parts.join(', ')}.`;
}
