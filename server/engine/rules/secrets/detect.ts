// Credential detection shared by the secrets rules (and open to any rule that needs it): names that
// announce a credential, values in a known credential format, and entropy for the cases in between.
// The bar is "a security team trusts it": every detector has look-alikes it must stay quiet on (UUIDs,
// sha256 digests, base64 of ordinary text, order ids that fail Luhn, placeholders, file paths), and a
// finding never carries the value itself, only a masked form.
//
// Each finding has a kind, so rules can split the work without reporting one value twice:
// card numbers belong to pan-in-manifest, connection strings with a password to
// database-url-credentials, seed phrases and bare 64-hex keys to the blockchain group's
// key-material-in-configmap; everything else to the secret-* rules.
import { validateMnemonic } from '@scure/bip39';
import { wordlist as bip39English } from '@scure/bip39/wordlists/english.js';
import { AWS_ACCESS_KEY_ID, JWT, PEM_PRIVATE_KEY_BLOCK, SEED_PHRASE_MIN_WORDS, SEED_WORD_RUN } from '../../../../lib/secret-patterns';
import { looksLikePan } from '../../../../lib/card-numbers';

export type SecretKind =
  | 'aws-access-key'
  | 'aws-secret-key'
  | 'github-token'
  | 'stripe-key'
  | 'slack-token'
  | 'slack-webhook'
  | 'jwt'
  | 'pem-private-key'
  | 'seed-phrase'
  | 'hex-private-key'
  | 'url-credentials'
  | 'url-token'
  | 'card-number'
  | 'named-credential'
  | 'default-password'
  | 'high-entropy';

export interface SecretFinding {
  kind: SecretKind;
  /** For messages: "an AWS access key id", "a literal password". */
  what: string;
  /** Safe to print: a public prefix or the first characters, and the length. Never the secret. */
  masked: string;
  /** The name the value sits under (env var, data key, key inside a file), when there is one. */
  name?: string;
}

/** Kinds that other rules own; the generic secret rules leave them alone. */
export const CARD_KINDS: ReadonlySet<SecretKind> = new Set(['card-number']);
export const CONNECTION_KINDS: ReadonlySet<SecretKind> = new Set(['url-credentials']);
export const KEY_MATERIAL_KINDS: ReadonlySet<SecretKind> = new Set(['seed-phrase', 'hex-private-key']);
/** A well-known default under a credential name: weak-default-password's, in env, ConfigMaps and Secrets. */
export const DEFAULT_PASSWORD_KINDS: ReadonlySet<SecretKind> = new Set(['default-password']);

/** What the secret-literal/configmap/annotation rules report: credentials that no more specific rule owns. */
export function isGenericCredential(finding: SecretFinding): boolean {
  return (
    !CARD_KINDS.has(finding.kind) &&
    !CONNECTION_KINDS.has(finding.kind) &&
    !KEY_MATERIAL_KINDS.has(finding.kind) &&
    !DEFAULT_PASSWORD_KINDS.has(finding.kind)
  );
}

// ---------------------------------------------------------------------------------------------------
// Masking

/**
 * `"***" (40 chars)`: no character of the value, not even its first few (a password's or a mnemonic's
 * start is part of it); the message names the key and the kind of value instead.
 */
export function maskValue(value: string): string {
  return `"***" (${value.length} chars)`;
}

/** A known format's public prefix (AKIA, ghp_, sk_live_) is safe to show and helps find the value. */
function maskWithPrefix(prefix: string, value: string): string {
  return `"${prefix}***" (${value.length} chars)`;
}

// ---------------------------------------------------------------------------------------------------
// Names

/** Split `DB_PASSWORD`, `dbPassword`, `spring.datasource.password`, `x-api-key` into lowercase words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** Words that name a credential on their own (`password`, `pgpassword`, `accesstoken`). */
const STRONG_WORD =
  /^(?:\w*pass(?:word|wd|phrase)|pass|pwd|\w*secret|secrets|\w*token|tokens|credentials?|creds|apikey|privatekey|privkey|accesskey|secretkey|signingkey|encryptionkey|masterkey|sessionkey|accountkey|sharedkey|hmackey|mnemonic|connectionstring|connstr|connstring)$/;
/** Words that name a credential together with the word after them (`api key`, `connection string`). */
const STRONG_PAIRS = new Set([
  'api key',
  'private key',
  'priv key',
  'access key',
  'secret key',
  'signing key',
  'encryption key',
  'master key',
  'session key',
  'shared key',
  'account key',
  'hmac key',
  'client secret',
  'connection string',
  'conn str',
  'conn string',
  'seed phrase',
  'auth token',
]);
/** Words that suggest a credential only when the value also looks random (`CACHE_KEY: user-profile` is fine). */
const WEAK_WORD = /^(?:key|keys|auth|salt|seed|signature|sig|hmac|cookie)$/;
/** Words that may follow the credential word without changing what the value is (`SECRET_KEY_BASE`, `API_TOKEN_V2`). */
const QUALIFIER =
  /^(?:value|val|base|b64|base64|hex|raw|plain|plaintext|str|string|text|literal|current|new|old|previous|prev|next|primary|secondary|backup|prod|production|staging|stage|dev|live|main|default|override|v?\d+)$/;
/** Words that make the name about a credential rather than the credential (`token id`, `public key`, `password hash`). */
const NOT_A_CREDENTIAL =
  /^(?:public|publishable|pub|checksum|hash|digest|sha\d*|md5|fingerprint|etag|tokenization|tokenizer|tokenize|detokenize)$/;

export type NameStrength = 'strong' | 'weak';

/**
 * How strongly a name announces a credential: the credential word must be the last word, or be
 * followed only by qualifiers, so `TOKEN_URL`, `PASSWORD_FILE`, `SECRET_NAME`, `PASSWORD_MIN_LENGTH`
 * and `TOKENIZATION_SERVICE` (card tokenization, everywhere in payments) say nothing.
 */
export function credentialName(name: string): NameStrength | undefined {
  const words = nameWords(name);
  if (words.length === 0 || words.some((w) => NOT_A_CREDENTIAL.test(w))) return undefined;
  // Strip trailing qualifiers one at a time: `connection string` and `secret key base` must survive it.
  for (let end = words.length; end >= 1; end--) {
    const last = words[end - 1];
    if (end >= 2 && STRONG_PAIRS.has(`${words[end - 2]} ${last}`)) return 'strong';
    if (STRONG_WORD.test(last)) return 'strong';
    if (WEAK_WORD.test(last)) return 'weak';
    if (!QUALIFIER.test(last)) return undefined;
  }
  return undefined;
}

/** Names of files, paths and directories hold a location, never the secret (`DB_PASSWORD_FILE`). */
const LOCATION_NAME = /(?:^|[_.-])(?:file|path|dir|directory|location|mount)$/i;

/** Keys that hold payment-card data that must never be stored after authorisation (PCI DSS 3.3.1). */
/** Cheap gate: most keys of a manifest mention none of these. */
const CARD_DATA_HINT = /cv[vc]|cav|track|pan|pin|card|security/i;
const CARD_DATA_WORD = /^(?:cvv2?|cvc2?|cav2|track1|track2|trackdata|pan|pinblock|cardnumber|cardno)$/;
const CARD_DATA_PAIRS = new Set([
  'track 1',
  'track 2',
  'track data',
  'card number',
  'card no',
  'card num',
  'pin block',
  'security code',
  'card verification',
]);

/**
 * Whether a key names card verification or track data or a PAN (`cvv`, `card_cvc2`, `TRACK2`,
 * `cardNumber`). Qualifier words are stripped as for credentials, so `CVV_ENCRYPTION_ENABLED` and
 * `PAN_MASKING` are about handling card data, not card data.
 */
export function cardDataName(name: string): boolean {
  if (!CARD_DATA_HINT.test(name)) return false;
  const words = nameWords(name);
  if (words.length === 0) return false;
  for (let end = words.length; end >= 1; end--) {
    const last = words[end - 1];
    if (CARD_DATA_WORD.test(last) || (end >= 2 && CARD_DATA_PAIRS.has(`${words[end - 2]} ${last}`))) return true;
    if (!QUALIFIER.test(last)) return false;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Values that are not secrets

const BOOLEAN_OR_EMPTY = /^(?:|true|false|yes|no|on|off|y|n|enabled?|disabled?|none|null|nil|undefined|required|optional)$/i;
const NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DURATION_OR_SIZE = /^\d+(?:\.\d+)?(?:ns|us|ms|s|m|h|d|w|y|[KMGTPE]i?|[kmgtpe]b?)$/;
/** Whole-value placeholders: documentation and example values, never a real secret. */
const PLACEHOLDER_WORD =
  /^(?:change[-_ .]?(?:me|it|this)\d*|pass(?:word|wd)\d*|p@ssw0rd|secret\d*|example|dummy|sample|placeholder|replace[-_ ]?(?:me|this)?|todo|tbd|fixme|redacted|masked|hidden|empty|default|test(?:ing)?|fake|foo|bar|foobar|baz|x{3,}|\*{3,}|\.{3}|…|-+|_+|n\/?a|unset|notset|not[-_ ]set|none)$/i;
/** Placeholders inside a value: `your-api-key-here`, `<password>`, `REPLACE_WITH_TOKEN`, `example-token`. */
const PLACEHOLDER_PART =
  /^<[^<>]*>$|^\[[^[\]]*\]$|^(?:your|my|insert|enter|put)[-_ ]|[-_ ]here$|example|(?:^|[-_ .])(?:dummy|placeholder|changeme|change[-_]me|replace[-_]?me|replace[-_]with|redacted|sample|fake)(?:$|[-_ .\d])/i;
/** Values filled in at deploy or run time: `${VAR}`, `$(VAR)` (Kubernetes dependent variables), `{{ .Values.x }}`, `%(x)s`. */
const TEMPLATE_REFERENCE = /\$\{[^}]*\}|\$\([^)]*\)|\{\{.*?\}\}|%\([^)]*\)s|^\$[A-Z_][A-Z0-9_]*$|^@@[^@]+@@$|^__[A-Z0-9_]+__$/;
/** References to a secret store: the value says where the secret is, not what it is. */
const STORE_REFERENCE =
  /^(?:arn:aws[\w-]*:(?:secretsmanager|ssm|kms):|vault:|ref\+\w+:\/\/|op:\/\/|akv:\/\/|azurekeyvault:|gcp(?:sm)?:\/\/|sm:\/\/|projects\/[^/]+\/secrets\/|secretmanager:|awssm:|k8s:\/\/|kubernetes:\/\/|file:)/i;
/** An absolute path such as `/etc/tls/tls.key` or a Windows path: where a key lives, not the key. */
const ABSOLUTE_PATH = /^(?:\/[\w.@-]+)+\/?$|^[A-Za-z]:\\[\w\\. -]+$|^~\/[\w./-]+$/;
/** A path segment mixing lower, upper case and digits over 8+ characters is base64 that happens to start with `/`. */
const RANDOM_SEGMENT = /(?=[^/]*[a-z])(?=[^/]*[A-Z])(?=[^/]*\d)[^/]{8,}/;

function isAbsolutePath(value: string): boolean {
  return ABSOLUTE_PATH.test(value) && !RANDOM_SEGMENT.test(value);
}
/** A relative path of lowercase words (`database/creds/payments`, a Vault path): mixed-case base64 never looks like this. */
const LOWERCASE_PATH = /^[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)+\/?$/;
/** Kubernetes names, hosts and DNS names (`ledger-db.payments.svc.cluster.local:5432`). */
const HOSTNAME = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?::\d{1,5})?$|^(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `sha256:<hex>`, `@sha256:<hex>`, `sha512-<base64>` (npm integrity), `md5:<hex>`. */
const DIGEST = /^@?(?:sha(?:1|224|256|384|512)|md5|blake2b?|sha3-\d+)[:-][0-9A-Za-z+/=_-]+$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const VERSION = /^v?\d+(?:\.\d+){1,3}(?:[-+][\w.-]+)?$/;

/** True for placeholders, references and plain settings: values that cannot be a committed secret. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return PLACEHOLDER_WORD.test(v) || PLACEHOLDER_PART.test(v) || TEMPLATE_REFERENCE.test(v) || STORE_REFERENCE.test(v);
}

/**
 * A value that cannot be a secret whatever its name says: empty, boolean, number, duration, path,
 * host, UUID, digest, date, version, placeholder or secret-store reference.
 */
export function isNonSecretValue(value: string): boolean {
  const v = value.trim();
  return (
    BOOLEAN_OR_EMPTY.test(v) ||
    NUMBER.test(v) ||
    DURATION_OR_SIZE.test(v) ||
    isPlaceholder(v) ||
    isAbsolutePath(v) ||
    LOWERCASE_PATH.test(v) ||
    HOSTNAME.test(v) ||
    UUID.test(v) ||
    DIGEST.test(v) ||
    TIMESTAMP.test(v) ||
    VERSION.test(v) ||
    isPlainUrl(v)
  );
}

/** A URL with neither a password nor a credential query parameter: an endpoint, not a secret. */
function isPlainUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !URL_USERINFO.test(value) && !URL_TOKEN_PARAM.test(value) && !SLACK_WEBHOOK.test(value);
}

// ---------------------------------------------------------------------------------------------------
// Default passwords

/**
 * Passwords that products ship as defaults or that quick-starts set (Fabric CA's adminpw, RabbitMQ's
 * guest, MinIO's minioadmin, Java keystores' changeit, the postgres image's documented example): the
 * first ones anyone tries. Several read as placeholders too, but under a credential name in a manifest
 * they are the credential in use.
 */
const DEFAULT_PASSWORDS: ReadonlySet<string> = new Set([
  'password',
  'password1',
  'password123',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'pass',
  'pass123',
  'admin',
  'admin123',
  'adminadmin',
  'administrator',
  'adminpw',
  'changeme',
  'changeit',
  'secret',
  'secret123',
  'root',
  'toor',
  'guest',
  'postgres',
  'mysql',
  'minioadmin',
  'letmein',
  'qwerty',
  '1234',
  '123456',
  '12345678',
]);
/** Fabric CA samples register identities with `<name>pw` secrets (peer0pw, ordererpw, org1adminpw). */
const FABRIC_SAMPLE_SECRET = /^(?:admin|peer|orderer|user|client|org|ca)[a-z0-9]{0,12}pw$/;

/** A truststore holds public CA certificates; the JDK's `changeit` on one protects nothing secret. */
const TRUSTSTORE_NAME = /trust[-_. ]?store/i;

/** A well-known default password under `name`, a strong credential name (see credentialName). */
export function isDefaultPassword(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  return (DEFAULT_PASSWORDS.has(v) || FABRIC_SAMPLE_SECRET.test(v)) && !TRUSTSTORE_NAME.test(name);
}

// ---------------------------------------------------------------------------------------------------
// Entropy

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

const HEX = /^[0-9a-fA-F]+$/;
const BASE64ISH = /^[A-Za-z0-9+/_-]+={0,2}$/;
const PRINTABLE_NO_SPACE = /^[\x21-\x7e]+$/;

/**
 * Whether a value looks machine-generated. Thresholds depend on the charset (hex carries at most 4
 * bits a character, base64 6) and on the length (a short string cannot reach high entropy: a random
 * 20-character base62 string averages about 4.1 bits, a 40-character one about 4.9). Calibrated so
 * that about 99% of random keys pass and English identifiers, hostnames and base64 of text do not.
 */
export function looksRandom(value: string): boolean {
  const v = value.trim();
  if (v.length < 16 || v.length > 4096 || !PRINTABLE_NO_SPACE.test(v)) return false;
  if (UUID.test(v) || DIGEST.test(v) || TIMESTAMP.test(v) || HOSTNAME.test(v) || VERSION.test(v) || isAbsolutePath(v)) return false;
  const entropy = shannonEntropy(v);
  const lengthBits = Math.log2(Math.min(v.length, 256));
  if (HEX.test(v)) {
    // Hex keys are 32+ characters; shorter hex runs are ids and short digests.
    return v.length >= 32 && entropy >= Math.min(3.0, lengthBits - 2.2) && /[a-f]/i.test(v) && /\d/.test(v);
  }
  if (BASE64ISH.test(v)) {
    if (!/\d/.test(v) || !/[a-z]/.test(v) || !/[A-Z]/.test(v)) return false;
    if (decodesToText(v)) return false;
    return entropy >= Math.min(4.2, lengthBits - 0.6);
  }
  // Generated passwords with punctuation.
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(v)).length;
  return classes >= 3 && entropy >= Math.min(4.0, lengthBits - 0.7);
}

/** Base64 of ordinary text (`aGVsbG8gd29ybGQ=`) is encoded, not random. */
function decodesToText(value: string): boolean {
  if (value.length % 4 === 1) return false;
  const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length < 8) return false;
  let letters = 0;
  for (const b of bytes) {
    if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)) {
      if ((b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 32) letters++;
    } else return false;
  }
  return letters / bytes.length >= 0.6;
}

// ---------------------------------------------------------------------------------------------------
// Known formats

interface KnownFormat {
  kind: SecretKind;
  what: string;
  pattern: RegExp;
  /** Characters of the match that are a public prefix, safe to show. */
  prefix: (match: string) => string;
}

/** AWS access key ids for credentials; ids of roles and groups (AROA, AGPA…) are not secrets. */
const AWS_ACCESS_KEY = new RegExp(AWS_ACCESS_KEY_ID, 'g');
/** An AWS secret access key: 40 base64 characters, recognised only next to an access key id. */
const AWS_SECRET_KEY = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g;
const URL_USERINFO = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/?#]*:[^\s@/?#]+@[^\s/?#]+/i;
const URL_TOKEN_PARAM =
  /[?&](?:access_token|api[_-]?key|apikey|token|auth|password|passwd|pwd|secret|client_secret|sig|signature|x-amz-signature|x-goog-signature)=[^&#\s]{8,}/i;
const SLACK_WEBHOOK = /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{20,}/;

const KNOWN_FORMATS: KnownFormat[] = [
  { kind: 'aws-access-key', what: 'an AWS access key id', pattern: AWS_ACCESS_KEY, prefix: (m) => m.slice(0, 4) },
  {
    kind: 'github-token',
    what: 'a GitHub token',
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{50,240})(?![A-Za-z0-9_])/g,
    prefix: (m) => (m.startsWith('github_pat_') ? 'github_pat_' : m.slice(0, 4)),
  },
  {
    kind: 'stripe-key',
    what: 'a Stripe live secret key',
    pattern: /(?<![A-Za-z0-9_])(?:sk|rk)_live_[A-Za-z0-9]{20,247}(?![A-Za-z0-9_])/g,
    prefix: (m) => m.slice(0, 8),
  },
  {
    kind: 'slack-token',
    what: 'a Slack token',
    pattern: /(?<![A-Za-z0-9_-])xox[abposr]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9_-])/g,
    prefix: (m) => m.slice(0, 5),
  },
  {
    kind: 'slack-webhook',
    what: 'a Slack webhook URL',
    pattern: new RegExp(SLACK_WEBHOOK.source, 'g'),
    prefix: () => 'https://hooks.slack.com/',
  },
  {
    kind: 'jwt',
    what: 'a JSON Web Token',
    pattern: new RegExp(JWT, 'g'),
    prefix: () => 'eyJ',
  },
  {
    kind: 'pem-private-key',
    what: 'a PEM private key',
    pattern: new RegExp(PEM_PRIVATE_KEY_BLOCK, 'g'),
    prefix: (m) => m.slice(0, m.indexOf('-----', 5) + 5),
  },
];

/** Cheap gate before running the format regexes over a long text. */
const FORMAT_HINT = /AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|_live_|xox[abposr]-|hooks\.slack\.com|eyJ|-----BEGIN/;

/** Every credential in a known format found anywhere in the text. */
export function findKnownFormats(text: string): SecretFinding[] {
  if (!FORMAT_HINT.test(text)) return [];
  const found: SecretFinding[] = [];
  for (const format of KNOWN_FORMATS) {
    for (const match of text.matchAll(format.pattern)) {
      const value = match[0];
      if (PLACEHOLDER_PART.test(value) && format.kind !== 'pem-private-key') continue;
      found.push({ kind: format.kind, what: format.what, masked: maskWithPrefix(format.prefix(value), value) });
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------
// Connection strings

const URL_WITH_PASSWORD = /\b([a-z][a-z0-9+.-]*):\/\/([^\s:@/?#]*):([^\s@/?#]+)@([^\s/?#]+)([^\s"'<>]*)/gi;
/** `password=` inside JDBC query strings and ADO.NET / libpq keyword connection strings. */
const CONNECTION_PASSWORD = /(^|[;?&\s])(password|pwd|passwd)\s*=\s*('[^']*'|"[^"]*"|[^;&\s"']+)/gi;
const CONNECTION_PASSWORD_NAME = /^(?:password|pwd|passwd)$/i;
const CONNECTION_STRING_HINT =
  /^jdbc:|:\/\/|(?:^|;)\s*(?:server|host|data source|datasource|addr|address|user id|uid|username|user|dbname|database|initial catalog)\s*=/i;

/**
 * Connection URLs and connection strings that embed a password, masked:
 * `postgres://ledger:***@ledger-db:5432/ledger`. A password filled in at run time (`$(DB_PASSWORD)`,
 * `${DB_PASSWORD}`) is the recommended pattern and is not reported.
 */
export function findConnectionCredentials(text: string): SecretFinding[] {
  const found: SecretFinding[] = [];
  if (text.includes('://')) {
    for (const match of text.matchAll(URL_WITH_PASSWORD)) {
      const [, scheme, user, password, host, rest] = match;
      if (isPlaceholder(decodeSafe(password)) || password === '***') continue;
      found.push({
        kind: 'url-credentials',
        what: 'a connection URL with an embedded password',
        masked: `${scheme}://${user}:***@${host}${stripQuerySecrets(rest)}`,
      });
    }
  }
  if (/passw|pwd/i.test(text)) {
    for (const line of text.split('\n')) {
      if (!CONNECTION_STRING_HINT.test(line.trim())) continue;
      for (const match of line.matchAll(CONNECTION_PASSWORD)) {
        const password = match[3].replace(/^['"]|['"]$/g, '');
        if (isPlaceholder(password) || BOOLEAN_OR_EMPTY.test(password)) continue;
        found.push({
          kind: 'url-credentials',
          what: 'a connection string with an embedded password',
          masked: `${match[2]}=*** (${password.length} chars)`,
        });
      }
    }
  }
  return found;
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function stripQuerySecrets(rest: string): string {
  const q = rest.indexOf('?');
  return q === -1 ? rest : rest.slice(0, q);
}

// ---------------------------------------------------------------------------------------------------
// Card numbers

/**
 * 13–19 digits, or groups of 4 joined by one kind of separator (4-4-4-4, 4-6-5 Amex …), not glued to
 * letters or digits (hex digests, ids) nor part of a decimal amount or an international phone number.
 */
const CARD_CANDIDATE = /(?<![0-9A-Za-z+_]|\d[.,])(?:\d{13,19}|\d{4}([ -])\d{4,6}(?:\1\d{1,6}){1,3})(?![0-9A-Za-z_]|[.,]\d)/g;
const HAS_DIGIT_RUN = /\d{4}[ -]?\d{4}/;

/**
 * The schemes' published test numbers (Visa 4111…, Stripe 4242…, Mastercard 5555…): public, in every
 * sandbox configuration, and never a cardholder's account.
 */
const TEST_PANS = new Set([
  '4111111111111111',
  '4242424242424242',
  '4012888888881881',
  '4222222222222',
  '4000056655665556',
  '4000000000000002',
  '4000000000000077',
  '4000000000000341',
  '4000000000003220',
  '4000000000009995',
  '5555555555554444',
  '5105105105105100',
  '5200828282828210',
  '2223003122003222',
  '378282246310005',
  '371449635398431',
  '378734493671000',
  '6011111111111117',
  '6011000990139424',
  '30569309025904',
  '38520000023237',
  '3530111333300000',
  '3566002020360505',
  '6200000000000005',
]);

/** `**** **** **** 9855`: only the last four digits stay, as PCI DSS allows when displaying a PAN. */
function maskPan(candidate: string): string {
  let keep = 4;
  const out = candidate.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] < '0' || out[i] > '9') continue;
    if (keep > 0) keep--;
    else out[i] = '*';
  }
  return out.join('');
}

/** Luhn-valid card numbers in a text (public test numbers excepted), masked to their last four digits. */
export function findCardNumbers(text: string): SecretFinding[] {
  if (!HAS_DIGIT_RUN.test(text)) return [];
  const found: SecretFinding[] = [];
  for (const match of text.matchAll(CARD_CANDIDATE)) {
    const digits = match[0].replace(/\D/g, '');
    if (!looksLikePan(digits) || TEST_PANS.has(digits)) continue;
    if (/^(\d)\1+$/.test(digits)) continue;
    found.push({ kind: 'card-number', what: 'a card number (PAN)', masked: maskPan(match[0]) });
  }
  return found;
}

/** Magnetic-stripe track data: track 1 `%B<PAN>^NAME^…`, track 2 `;<PAN>=<YYMM>…`. */
const TRACK_DATA = /%B\d{13,19}\^[^^]{2,26}\^\d{4}|;\d{13,19}=\d{4}\d*\??/g;

export function findTrackData(text: string): SecretFinding[] {
  if (!/[%;]\S?\d{13}/.test(text)) return [];
  return [...text.matchAll(TRACK_DATA)].map((m) => ({
    kind: 'card-number' as const,
    what: 'magnetic-stripe track data',
    masked: `${m[0][0]}*** (${m[0].length} chars)`,
  }));
}

// ---------------------------------------------------------------------------------------------------
// BIP-39 seed phrases

const BIP39_WORDS: ReadonlySet<string> = new Set(bip39English);
const SEED_LENGTHS = [24, 21, 18, 15, 12];
const WORD_RUN = new RegExp(SEED_WORD_RUN, 'gi');
/** Development mnemonics published with every toolchain (Hardhat/Anvil, the BIP-39 all-zero vector): they hold no funds of value. */
const PUBLIC_TEST_MNEMONICS = new Set([
  'test test test test test test test test test test test junk',
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art',
]);

/**
 * Runs of 12, 15, 18, 21 or 24 words of the BIP-39 English list whose checksum is valid: a wallet
 * accepts nothing else, and the checksum keeps ordinary word lists (1 in 16 chance for 12 words) out.
 */
export function findSeedPhrases(text: string): SecretFinding[] {
  if (text.length < 47) return [];
  const found: SecretFinding[] = [];
  for (const run of text.matchAll(WORD_RUN)) {
    const words = run[0]
      .toLowerCase()
      .split(/[\s,]+/)
      .filter(Boolean);
    let i = 0;
    while (i < words.length) {
      if (!BIP39_WORDS.has(words[i])) {
        i++;
        continue;
      }
      let j = i;
      while (j < words.length && BIP39_WORDS.has(words[j])) j++;
      const phrase = seedIn(words.slice(i, j));
      if (phrase) found.push({ kind: 'seed-phrase', what: `a ${phrase} BIP-39 seed phrase`, masked: `${phrase} words` });
      i = j;
    }
  }
  return found;
}

/** The word count of the first valid mnemonic in a run of list words (bounded: a run is a few dozen words at most). */
function seedIn(words: string[]): number | undefined {
  if (words.length < SEED_PHRASE_MIN_WORDS || words.length > 96) return undefined;
  for (const length of SEED_LENGTHS) {
    for (let start = 0; start + length <= words.length; start++) {
      const phrase = words.slice(start, start + length).join(' ');
      if (PUBLIC_TEST_MNEMONICS.has(phrase)) continue;
      if (validateMnemonic(phrase, bip39English)) return length;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// One named value

const HEX_KEY = /^(?:0x)?[0-9a-fA-F]{64}$/;

/**
 * Classifies one value under its name (an env var, a data key, a key inside a file). Known formats
 * win over names (they say what the credential is); a strong name reports any literal that is not a
 * placeholder, path or plain setting; a weak name (`*_KEY`, `*_AUTH`) needs a random-looking value;
 * without a name only known formats count: entropy alone would flag digests and ids.
 */
export function detectValue(name: string | undefined, value: string): SecretFinding | undefined {
  const v = value.trim();
  if (v.length === 0 || v.length > 1_000_000) return undefined;
  const known = findKnownFormats(v);
  if (known.length > 0) return { ...known[0], name };
  const connection = findConnectionCredentials(v);
  if (connection.length > 0) return { ...connection[0], name };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) && URL_TOKEN_PARAM.test(v)) {
    const q = v.indexOf('?');
    return { kind: 'url-token', what: 'a URL with a credential in its query string', masked: `${v.slice(0, q)}?***`, name };
  }
  const cards = findCardNumbers(v);
  if (cards.length > 0) return { ...cards[0], name };
  const seeds = v.includes(' ') || v.includes(',') ? findSeedPhrases(v) : [];
  if (seeds.length > 0) return { ...seeds[0], name };
  if (name === undefined || LOCATION_NAME.test(name)) return undefined;
  const strength = credentialName(name);
  if (strength === 'strong' && isDefaultPassword(name, v)) {
    return { kind: 'default-password', what: `a well-known default ${describeName(name)}`, masked: maskValue(v), name };
  }
  if (!strength || isNonSecretValue(v)) return undefined;
  if (HEX_KEY.test(v) && shannonEntropy(v.replace(/^0x/, '')) >= 3) {
    return { kind: 'hex-private-key', what: 'a 64-hex private key', masked: maskValue(v), name };
  }
  if (strength === 'strong' && namesSecretObject(name, v)) return undefined;
  if (strength === 'strong') return { kind: 'named-credential', what: `a literal ${describeName(name)}`, masked: maskValue(v), name };
  if (looksRandom(v)) return { kind: 'high-entropy', what: 'a random-looking key', masked: maskValue(v), name };
  return undefined;
}

/** A Kubernetes object name (lowercase, hyphenated): what `TLS_SECRET` or `IMAGE_PULL_SECRETS` usually hold. */
const OBJECT_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)+$/;

/** `TLS_SECRET: payments-api-tls` names a Secret object; `JWT_SECRET`'s value would not look like one. */
function namesSecretObject(name: string, value: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  return (
    (last === 'secret' || last === 'secrets') && words[words.length - 2] !== 'client' && OBJECT_NAME.test(value) && !looksRandom(value)
  );
}

/** `password`, `API key`, `token`: what the name says the value is, for messages. */
function describeName(name: string): string {
  const words = nameWords(name);
  const joined = ` ${words.join(' ')} `;
  if (/ (?:\w*pass(?:word|wd)|pass|pwd) /.test(joined)) return 'password';
  if (/pass ?phrase|mnemonic|seed phrase/.test(joined)) return 'passphrase';
  if (/private ?key|priv ?key/.test(joined)) return 'private key';
  if (/api ?key/.test(joined)) return 'API key';
  if (/connection ?string|conn ?str/.test(joined)) return 'connection string';
  if (/token /.test(joined)) return 'token';
  if (/secret|key /.test(joined)) return 'secret';
  return 'credential';
}

export interface NamedValue {
  name: string | undefined;
  value: string;
}

/**
 * detectValue over a group of values that belong together (a container's env, a ConfigMap's data, the
 * pairs of one file): an AWS secret access key is recognised by sitting next to an access key id.
 * Returns one entry per input, undefined where nothing was found.
 */
export function detectValues(values: readonly NamedValue[]): (SecretFinding | undefined)[] {
  const results = values.map((entry) => detectValue(entry.name, entry.value));
  const hasAccessKey = results.some((r) => r?.kind === 'aws-access-key');
  if (!hasAccessKey) return results;
  return results.map((result, i) => {
    if (result && result.kind !== 'high-entropy' && result.kind !== 'named-credential') return result;
    const v = values[i].value.trim();
    AWS_SECRET_KEY.lastIndex = 0;
    if (v.length === 40 && AWS_SECRET_KEY.test(v) && /\d/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v) && !isPlaceholder(v)) {
      return { kind: 'aws-secret-key', what: 'an AWS secret access key', masked: maskValue(v), name: values[i].name };
    }
    return result;
  });
}

// ---------------------------------------------------------------------------------------------------
// Text: configuration files inside a ConfigMap, annotation values

/** `key = value`, `key: value`, `"key": "value"`, `export KEY=value`, `--key=value` on one line. */
const LINE_PAIR =
  /(?:^|[\s{,;?&(])(?:export\s+|--?)?(["']?)([A-Za-z_][\w.-]{0,100})\1\s*(?:=|:(?!\/\/))[ \t]*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s,;#"'{}[\]&<][^\s,;"'\]&]*))/g;
/** `<password>value</password>` in XML configuration. */
const XML_PAIR = /<([A-Za-z_][\w.-]{0,100})>([^<>\n]{1,4096})<\/\1>/g;

/** Pairs that a configuration file spells out line by line (properties, .env, YAML, JSON, TOML, XML). */
export function pairsInText(text: string): NamedValue[] {
  const pairs: NamedValue[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.length === 0 || trimmed.startsWith('#') || trimmed.startsWith('//') || trimmed.startsWith(';')) continue;
    // The password parameter of a connection string is findConnectionCredentials' finding, not a separate one.
    const connection = CONNECTION_STRING_HINT.test(trimmed) || trimmed.includes('://');
    for (const match of trimmed.matchAll(LINE_PAIR)) {
      if (connection && CONNECTION_PASSWORD_NAME.test(match[2])) continue;
      pairs.push({ name: match[2], value: match[3] ?? match[4] ?? match[5] ?? '' });
    }
    if (trimmed.includes('</')) for (const match of trimmed.matchAll(XML_PAIR)) pairs.push({ name: match[1], value: match[2] });
  }
  return pairs;
}

/** Kinds that only a named pair reveals; the others were already found in the whole text. */
const PAIR_ONLY_KINDS: ReadonlySet<SecretKind> = new Set([
  'named-credential',
  'default-password',
  'high-entropy',
  'hex-private-key',
  'aws-secret-key',
  'url-token',
]);

/**
 * Every credential in a block of text: known formats and connection credentials anywhere, card
 * numbers and seed phrases, and named pairs on each line. At most one finding per kind and masked
 * form, so a key repeated in a file is one finding.
 */
export function scanText(text: string): SecretFinding[] {
  const found: SecretFinding[] = [
    ...findKnownFormats(text),
    ...findConnectionCredentials(text),
    ...findCardNumbers(text),
    ...findTrackData(text),
    ...findSeedPhrases(text),
  ];
  const pairs = pairsInText(text);
  const pairFindings = detectValues(pairs);
  for (const finding of pairFindings) {
    if (!finding) continue;
    // Formats, URLs and cards found in the pair were already found in the whole text.
    if (PAIR_ONLY_KINDS.has(finding.kind)) {
      found.push(finding);
    }
  }
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = `${f.kind} ${f.masked} ${f.name ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether a value is worth scanning as text (a file, JSON, several lines) rather than as one value. */
export function isTextBlock(value: string): boolean {
  return value.includes('\n') || /^\s*[{[<]/.test(value);
}
