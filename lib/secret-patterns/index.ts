// Secret formats that both the rule engine's detectors and the log redactor recognise, written once so a
// value the lint calls a credential is a value a log tail masks. Regex sources (each user adds its own
// flags); no imports, not even Node's types.

/** AWS access key ids of credentials (long-term AKIA, temporary ASIA, ABIA, ACCA): 16 base32 characters. Group 1: the prefix. */
export const AWS_ACCESS_KEY_ID = '(?<![A-Za-z0-9])(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])';

/**
 * A signed JSON Web Token: base64url JSON header and payload (`{"` encodes to `eyJ`) and a signature;
 * a token without a signature proves nothing and is not a credential.
 */
export const JWT = '(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])';

/** The armour type of a private key: PRIVATE KEY, RSA / EC / OPENSSH / ENCRYPTED PRIVATE KEY, PGP PRIVATE KEY BLOCK. */
const PEM_KEY_TYPE = '(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?';
/** Group 1: the armour type. */
export const PEM_PRIVATE_KEY_BEGIN = `-----BEGIN (${PEM_KEY_TYPE})-----`;
export const PEM_PRIVATE_KEY_END = `-----END (${PEM_KEY_TYPE})-----`;
/**
 * A whole private key, its body there (`-----BEGIN PRIVATE KEY-----\n...\n` in documentation is not a
 * key): headers (Proc-Type, DEK-Info), 64+ base64 characters, the END of the same type. Newlines may be
 * real or written `\n` (a key inside a JSON or YAML string).
 */
export const PEM_PRIVATE_KEY_BLOCK = `${PEM_PRIVATE_KEY_BEGIN}[\\s\\\\n]*(?:[A-Za-z-]+:[^\\n]*\\n[\\s\\\\n]*)*[A-Za-z0-9+/=\\s\\\\n]{64,}?-----END \\1-----`;

/** BIP-39 mnemonics have 12 to 24 words. */
export const SEED_PHRASE_MIN_WORDS = 12;
/** 12+ words of 3–8 letters (the BIP-39 English list's word lengths) separated by whitespace or commas. */
export const SEED_WORD_RUN = '(?<![\\w-])[a-z]{3,8}(?:(?:,?\\s+|,)[a-z]{3,8}){11,}(?![\\w-])';
