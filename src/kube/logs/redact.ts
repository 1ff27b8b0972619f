// Log redaction: masks card numbers and secret-looking values in a log
// line before it reaches the screen. Pure (no vscode, no client-node) so the log tailer, tests and the
// benchmark share it. Most log lines hold nothing sensitive, so every detector starts with a cheap
// pre-check and only then runs its regex. The BIP-39 list comes from @scure/bip39 (audited, maintained),
// never typed in by hand.
import { wordlist as bip39English } from '@scure/bip39/wordlists/english.js';
import { looksLikePan } from '../../../lib/card-numbers';
import {
  AWS_ACCESS_KEY_ID,
  JWT,
  PEM_PRIVATE_KEY_BEGIN,
  PEM_PRIVATE_KEY_END,
  SEED_PHRASE_MIN_WORDS,
  SEED_WORD_RUN,
} from '../../../lib/secret-patterns';

export interface RedactorOptions {
  /** Luhn-valid card numbers (PAN) masked to their last four digits. Default true. */
  cards?: boolean;
  /** Bearer tokens, password/secret/token/api-key pairs, PEM private keys, AWS access keys, JWTs, URL passwords. Default true. */
  secrets?: boolean;
  /** 12–24 consecutive BIP-39 English words. Default true. */
  seedPhrases?: boolean;
  /** What a secret value becomes. Default `***`. */
  mask?: string;
}

/**
 * Masks one log line. Stateful across lines of ONE stream (a PEM private key spans several lines), so
 * create one redactor per stream.
 */
export type Redactor = (line: string) => string;

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const cards = options.cards ?? true;
  const secrets = options.secrets ?? true;
  const seeds = options.seedPhrases ?? true;
  const mask = options.mask ?? '***';
  const pem = new PemBlockState(mask);
  return (line) => {
    if (secrets) {
      if (pem.inside) {
        const masked = pem.continueBlock(line);
        if (masked !== undefined) return masked;
      }
      if (SECRET_HINT.test(line)) line = redactSecrets(line, mask, pem);
    }
    if (cards) line = redactCardNumbers(line);
    if (seeds && line.length >= SEED_MIN_CHARS) line = redactSeedPhrases(line);
    return line;
  };
}

// ---------------------------------------------------------------------------------------------------
// Card numbers

/**
 * A 13–19 digit run, or 4-digit first group then groups joined by ONE kind of single separator (4-4-4-4,
 * 4-6-5 Amex, 4-4-4-4-3 ...). Not glued to letters or digits (hex digests, ids), not the fraction or
 * integer part of a decimal amount, not an international phone number (+).
 */
const CARD_CANDIDATE = /(?<![0-9A-Za-z+]|\d[.,])(?:\d{13,19}|\d{4}([ -])\d{4,6}(?:\1\d{1,6}){1,3})(?![0-9A-Za-z]|[.,]\d)/g;
/** Cheap gate: 8 digits with at most one separator in the middle; timestamps and dates have none. */
const HAS_DIGIT_RUN = /\d{4}[ -]?\d{4}/;

export function redactCardNumbers(line: string): string {
  if (!HAS_DIGIT_RUN.test(line)) return line;
  return line.replace(CARD_CANDIDATE, (candidate) => {
    const digits = candidate.replace(/\D/g, '');
    if (!looksLikePan(digits)) return candidate;
    return maskAllButLastFourDigits(candidate);
  });
}

/** `4111 1111 1111 1111` → `**** **** **** 1111`: separators keep their places. */
function maskAllButLastFourDigits(candidate: string): string {
  let keep = 4;
  const out = candidate.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    const c = out[i];
    if (c < '0' || c > '9') continue;
    if (keep > 0) keep--;
    else out[i] = '*';
  }
  return out.join('');
}

// ---------------------------------------------------------------------------------------------------
// Secrets

/** Cheap gate: a line without any of these words cannot hold a secret this module recognises. */
const SECRET_HINT =
  /passw|passphrase|pwd|secret|token|api[_-]?key|(?:access|private|signing|encryption|master|client)[_-]?key|authoriz|bearer|mnemonic|seed[_-]?phrase|cvv|cvc|-----BEGIN|A[KSB]IA|ACCA|eyJ|:\/\/[^\s/@]*:[^\s/@]*@/i;

/** `Authorization: Bearer x`, `authorization=Basic x`, `"Authorization":"x"`: the credentials go, the scheme stays. */
const AUTHORIZATION_HEADER =
  /(\bauthorization\\?["']?\s*[=:]\s*\\?["']?(?:(?:bearer|basic|digest|negotiate|token|apikey)\s+)?)([^\s"'\\,;]+)/gi;

/** `Bearer xyz`, `bearer=xyz`, `bearer: xyz` outside an Authorization header; 8+ characters so `bearer token expired` stays. */
const BEARER = /(\bbearer(?:\s*[=:]\s*|\s+)\\?["']?)([A-Za-z0-9\-._~+/]{8,}=*)/gi;

const JWT_TOKEN = new RegExp(JWT, 'g');
/** Masked after the prefix, which says what kind of key it was. */
const AWS_ACCESS_KEY = new RegExp(AWS_ACCESS_KEY_ID, 'g');

/** `scheme://user:password@host`: the password goes. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:)([^\s@/]+)@/gi;

/**
 * Keys whose value is a secret: the word may sit inside a longer key (db_password, x-api-key,
 * aws_secret_access_key, refresh_token, card_cvv). The match starts at the word; what precedes it is kept.
 */
const SECRET_KEY =
  '(?:passw(?:or)?d|passphrase|pwd|secret|token|api[_-]?key|(?:access|private|signing|encryption|master|client)[_-]?key|credentials?|mnemonic|seed[_-]?phrase|cvv2?|cvc2?)';

/**
 * key (the rest of the key taken atomically and at most 64 characters, so a long word full of key-like
 * parts cannot make the regex backtrack quadratically), separator (`=`, `:`, `":"`, `\":\"` inside an escaped JSON string), value: a quoted string (plain or
 * with escaped quotes) or a bare token up to a delimiter.
 */
const SECRET_PAIR = new RegExp(
  `(${SECRET_KEY}(?=([\\w.-]{0,64}))\\2)((?:\\\\?["'])?\\s*[=:]\\s*)(\\\\"(?:(?!\\\\").)*\\\\"|"(?:[^"\\\\]|\\\\.)*"|'(?:[^'\\\\]|\\\\.)*'|[^\\s,;&"'}\\])\\\\]+)`,
  'gi',
);

/** Values not worth hiding: booleans and null tell nothing (`password_reset_requested=true`), empty is empty. */
const HARMLESS_VALUE = /^(?:\\?["']?)(?:true|false|null|)(?:\\?["']?)$/i;

function redactSecrets(line: string, mask: string, pem: PemBlockState): string {
  if (line.includes('-----BEGIN')) line = pem.startBlocks(line);
  if (/authoriz/i.test(line))
    line = line.replace(AUTHORIZATION_HEADER, (_m, head: string, value: string) => (value === mask ? _m : head + mask));
  if (/bearer/i.test(line)) line = line.replace(BEARER, (_m, head: string) => head + mask);
  if (line.includes('eyJ')) line = line.replace(JWT_TOKEN, mask);
  line = line.replace(SECRET_PAIR, (match, key: string, _rest: string, separator: string, value: string) =>
    HARMLESS_VALUE.test(value) ? match : key + separator + maskValue(value, mask),
  );
  if (line.includes('A'))
    line = line.replace(AWS_ACCESS_KEY, (key: string, prefix: string) => prefix + '*'.repeat(key.length - prefix.length));
  if (line.includes('://')) line = line.replace(URL_PASSWORD, (_m, head: string) => `${head}${mask}@`);
  return line;
}

/** Keeps the quotes around a value so JSON stays JSON. */
function maskValue(value: string, mask: string): string {
  if (value === mask) return value;
  if (value.startsWith('\\"')) return `\\"${mask}\\"`;
  const quote = value[0];
  if (quote === '"' || quote === "'") return quote + mask + quote;
  return mask;
}

// ---------------------------------------------------------------------------------------------------
// PEM private keys

const PEM_BEGIN = new RegExp(PEM_PRIVATE_KEY_BEGIN, 'g');
const PEM_END = new RegExp(PEM_PRIVATE_KEY_END);
/** A body line once trimmed: base64, or a header (Proc-Type, DEK-Info, Comment), or blank. Tested on the
 * trimmed line: `^\s*(…)?\s*$` backtracks quadratically over a long run of blanks. */
const PEM_BODY_LINE = /^(?:[A-Za-z0-9+/=]+|[A-Za-z-]+:.*)?$/;
/** A key is some dozens of lines; stop masking after this many in case the END marker never comes. */
const PEM_MAX_LINES = 400;

/** Tracks a multi-line private key: after a BEGIN line without its END, the following body lines are masked. */
class PemBlockState {
  inside = false;
  private lines = 0;

  constructor(private readonly mask: string) {}

  /** The whole body between markers on one line is masked; a BEGIN without END opens a block. */
  startBlocks(line: string): string {
    let out = '';
    let rest = line;
    for (;;) {
      PEM_BEGIN.lastIndex = 0;
      const begin = PEM_BEGIN.exec(rest);
      if (!begin) return out + rest;
      const bodyStart = begin.index + begin[0].length;
      out += rest.slice(0, bodyStart);
      rest = rest.slice(bodyStart);
      const end = PEM_END.exec(rest);
      if (!end) {
        this.inside = true;
        this.lines = 0;
        return out + (rest.length > 0 ? this.mask : '');
      }
      out += this.mask + end[0];
      rest = rest.slice(end.index + end[0].length);
    }
  }

  /** Masked line while inside a block; undefined when the line is not key material (the block is over). */
  continueBlock(line: string): string | undefined {
    const end = PEM_END.exec(line);
    if (end) {
      this.inside = false;
      const after = line.slice(end.index + end[0].length);
      return (end.index > 0 ? this.mask : '') + end[0] + after;
    }
    if (++this.lines > PEM_MAX_LINES || !PEM_BODY_LINE.test(line.trim())) {
      this.inside = false;
      return undefined;
    }
    return line.trim() === '' ? line : this.mask;
  }
}

// ---------------------------------------------------------------------------------------------------
// BIP-39 seed phrases

const BIP39_WORDS: ReadonlySet<string> = new Set(bip39English);
/** 12 words of at least 3 letters with single separators. */
const SEED_MIN_CHARS = SEED_PHRASE_MIN_WORDS * 4 - 1;
const WORD_RUN = new RegExp(SEED_WORD_RUN, 'gi');
const WORD = /[a-z]+/gi;

export function redactSeedPhrases(line: string): string {
  return line.replace(WORD_RUN, (run) => {
    const words = [...run.matchAll(WORD)];
    let out = '';
    let copied = 0;
    let i = 0;
    while (i < words.length) {
      if (!BIP39_WORDS.has(words[i][0].toLowerCase())) {
        i++;
        continue;
      }
      let j = i;
      while (j < words.length && BIP39_WORDS.has(words[j][0].toLowerCase())) j++;
      if (j - i >= SEED_PHRASE_MIN_WORDS) {
        const start = words[i].index!;
        const end = words[j - 1].index! + words[j - 1][0].length;
        out += run.slice(copied, start) + `[${j - i} words redacted]`;
        copied = end;
      }
      i = j;
    }
    return copied === 0 ? run : out + run.slice(copied);
  });
}
