// Recognising HSM / PKCS#11 PINs and KMS credentials by the name they are stored under (env var,
// ConfigMap key, config-file key) and by PKCS#11 URIs that carry `pin-value`.

/** Tokens that put a name in HSM / PKCS#11 / KMS context. */
const HSM_CONTEXT = new Set([
  'hsm',
  'pkcs11',
  'p11',
  'softhsm',
  'cloudhsm',
  'yubihsm',
  'luna',
  'cryptoki',
  'thales',
  'ncipher',
  'utimaco',
  'kms',
  'cloudkms',
  'keyvault',
  'hsmpin',
]);
/** Last tokens that name a credential. */
const CREDENTIAL_END = new Set([
  'pin',
  'password',
  'passwd',
  'pass',
  'passphrase',
  'secret',
  'credentials',
  'credential',
  'creds',
  'token',
  'authkey',
  'hsmpin',
  'userpin',
  'sopin',
]);
/** Two-token endings that name a credential (ACCESS_KEY, CLIENT_SECRET…); a bare KEY is usually a key id. */
const CREDENTIAL_PAIRS = new Set(['access key', 'secret key', 'api key', 'auth key', 'client secret', 'private key', 'service account']);
/** PIN names that need no HSM word: USER_PIN, SO_PIN, TOKEN_PIN, SLOT_PIN, CKU_USER_PIN. */
const PIN_OWNERS = new Set(['user', 'so', 'token', 'slot', 'partition', 'crypto', 'cku']);
/** Suffixes that turn a credential name into a reference to where it lives. */
const REFERENCE_END = new Set(['file', 'path', 'dir', 'location']);
/** Values that are not the credential: references, placeholders. */
const NOT_A_VALUE =
  /^(?:\$\{[^}]*\}|\$\([^)]*\)|<[^>]*>|env:.*|file:.*|vault:.*|ref\+.*|changeme|change[-_]me|replace[-_]?me|todo|xx+|\*+|example|placeholder|none|null|dummy|true|false)$/i;

export const PKCS11_URI_PIN = /pkcs11:[^\s"']*[?;&]pin-value=[^\s"'&;]+/i;

export function tokensOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Whether a name holds an HSM PIN or KMS credential. `hsmFile` says the surrounding file is an HSM
 * or PKCS#11 configuration, where a bare `pin` or `password` key counts too.
 */
export function isHsmCredentialName(tokens: readonly string[], hsmFile = false): boolean {
  if (tokens.length === 0) return false;
  const last = tokens[tokens.length - 1];
  const pair = tokens.slice(-2).join(' ');
  const credential = CREDENTIAL_END.has(last) || (tokens.length >= 2 && CREDENTIAL_PAIRS.has(pair));
  if (!credential) return false;
  if (hsmFile || tokens.some((t) => HSM_CONTEXT.has(t)) || / key vault /.test(` ${tokens.join(' ')} `)) return true;
  return (last === 'pin' && tokens.length >= 2 && PIN_OWNERS.has(tokens[tokens.length - 2])) || last === 'userpin' || last === 'sopin';
}

/**
 * A literal stored under a name: is it an HSM credential? Names ending in _FILE/_PATH/_DIR with an
 * absolute path are references to a mounted file (the right way); with anything else the name
 * without the suffix decides.
 */
export function isHsmCredential(name: string, value: string, hsmFile = false): boolean {
  const trimmed = value.trim().replace(/^["']|["']$/g, '');
  if (trimmed === '' || NOT_A_VALUE.test(trimmed)) return false;
  if (PKCS11_URI_PIN.test(trimmed)) return true;
  let tokens = tokensOf(name);
  if (tokens.length > 1 && REFERENCE_END.has(tokens[tokens.length - 1])) {
    if (trimmed.startsWith('/')) return false;
    tokens = tokens.slice(0, -1);
  }
  if (!isHsmCredentialName(tokens, hsmFile)) return false;
  // A credential is never an absolute path or a URL without user info.
  return !trimmed.startsWith('/') && !/^[a-z][a-z0-9+.-]*:\/\/[^@]*$/i.test(trimmed);
}

const HSM_FILE_HINT = /pkcs11|cryptoki|softhsm|yubihsm|cloudhsm|\bhsm\b|\[hsm|luna|\bkms\b/i;
const CONFIG_LINE = /(?<=^|[\s{,;])["']?([A-Za-z][A-Za-z0-9_.-]*)["']?[ \t]*[:=][ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#,}\n]+))/gm;

/** Keys of a config file (TOML, INI, YAML, properties, JSON) that hold an HSM credential. */
export function hsmCredentialsInFile(content: string): string[] {
  const hsmFile = HSM_FILE_HINT.test(content);
  const keys: string[] = [];
  if (PKCS11_URI_PIN.test(content)) keys.push('pin-value (PKCS#11 URI)');
  for (const match of content.matchAll(CONFIG_LINE)) {
    const value = match[2] ?? match[3] ?? match[4] ?? '';
    if (isHsmCredential(match[1], value, hsmFile) && !keys.includes(match[1])) keys.push(match[1]);
  }
  return keys;
}

export function masked(value: string): string {
  return `*** (${value.length} chars)`;
}
