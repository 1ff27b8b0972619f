// What the secrets rules read from workloads and ConfigMaps, worked out once per object: several rules
// (secret-literal-in-env, database-url-credentials, secret-in-configmap) look at the same values and
// split the findings by kind (see detect.ts).
import { asArray, asMap, asString, containersOf, isMap, podSpecOf, type ContainerAt } from '../../objects';
import type { K8sObject, Path } from '../../types';
import { detectValues, isTextBlock, scanText, type SecretFinding } from './detect';

export interface EnvFinding {
  container: ContainerAt;
  name: string;
  path: Path;
  finding: SecretFinding;
}

const envCache = new WeakMap<K8sObject, EnvFinding[]>();

/** Credentials in literal env `value:`s of every container; the env of one container is one group (an AWS key pair). */
export function envFindings(object: K8sObject): EnvFinding[] {
  let cached = envCache.get(object);
  if (cached) return cached;
  cached = [];
  const pod = podSpecOf(object);
  if (pod) {
    for (const container of containersOf(pod)) {
      const entries: { name: string; value: string; index: number }[] = [];
      asArray(container.container.env).forEach((entry, index) => {
        const env = asMap(entry);
        const value = asString(env?.value);
        if (env && value !== undefined) entries.push({ name: asString(env.name) ?? '', value, index });
      });
      if (entries.length === 0) continue;
      detectValues(entries).forEach((finding, i) => {
        if (finding)
          cached!.push({ container, name: entries[i].name, path: [...container.path, 'env', entries[i].index, 'value'], finding });
      });
    }
  }
  envCache.set(object, cached);
  return cached;
}

export interface DataFinding {
  key: string;
  path: Path;
  findings: SecretFinding[];
}

const configMapCache = new WeakMap<K8sObject, DataFinding[]>();

/** Keys of binary files that are key stores whatever their bytes look like. */
const KEY_STORE_FILE = /\.(?:p12|pfx|jks|jceks|keystore|bcfks|kdbx)$|(?:^|[._-])id_(?:rsa|ecdsa|ed25519|dsa)$/i;

/**
 * Credentials in a ConfigMap: single-line values are judged with their key as the name (`DB_PASSWORD:
 * hunter2`, all keys together so an AWS key pair is recognised), files and JSON are scanned line by line.
 */
export function configMapFindings(object: K8sObject): DataFinding[] {
  if (object.kind !== 'ConfigMap') return [];
  let cached = configMapCache.get(object);
  if (cached) return cached;
  cached = [];
  const data = asMap(object.value.data) ?? {};
  const single: { name: string; value: string }[] = [];
  for (const [key, raw] of Object.entries(data)) {
    const value = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : undefined;
    if (value === undefined) continue;
    if (isTextBlock(value)) {
      const findings = scanText(value);
      if (findings.length > 0) cached.push({ key, path: [...object.path, 'data', key], findings });
    } else single.push({ name: key, value });
  }
  detectValues(single).forEach((finding, i) => {
    if (finding) cached!.push({ key: single[i].name, path: [...object.path, 'data', single[i].name], findings: [finding] });
  });
  for (const [key, raw] of Object.entries(asMap(object.value.binaryData) ?? {})) {
    if (typeof raw !== 'string') continue;
    const path = [...object.path, 'binaryData', key];
    if (KEY_STORE_FILE.test(key)) {
      cached.push({ key, path, findings: [{ kind: 'named-credential', what: 'a key store file', masked: `${raw.length} base64 chars` }] });
      continue;
    }
    const decoded = Buffer.from(raw, 'base64').toString('latin1');
    const findings = scanText(decoded);
    if (findings.length > 0) cached.push({ key, path, findings });
  }
  // Report in document order of the keys.
  const order = new Map(Object.keys(data).map((k, i) => [k, i]));
  cached.sort((a, b) => (order.get(a.key) ?? 1e9) - (order.get(b.key) ?? 1e9));
  configMapCache.set(object, cached);
  return cached;
}

/** `a literal password under "db.password" ("***" (7 chars)) and a PEM private key (…)`; `key` is the name already shown. */
export function describeFindings(findings: readonly SecretFinding[], key?: string): string {
  const parts = findings.slice(0, 4).map((f) => `${f.what}${f.name && f.name !== key ? ` under "${f.name}"` : ''} (${f.masked})`);
  if (findings.length > 4) parts.push(`${findings.length - 4} more`);
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export function isEnvLike(value: unknown): value is { name: string; value: string } {
  return isMap(value) && typeof value.name === 'string' && typeof value.value === 'string';
}
