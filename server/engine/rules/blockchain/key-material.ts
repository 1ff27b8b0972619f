// Recognising blockchain key material in text: signing-key file names, CometBFT key JSON, encrypted
// keystores, 64-hex private keys and BIP-39 seed phrases. Seed phrases come from the shared secrets
// detector (checksum-validated against the @scure/bip39 English list; the secrets rules leave them
// to this group). 64-hex keys are judged here, with looser naming than the secrets rules use: a hex
// string under a neutral name is reported, one under a hash/root/address/public-key name is not.
import { findSeedPhrases } from '../secrets/detect';

/** ConfigMap keys (file names once mounted) that hold signing or node keys. */
const KEY_FILES: [RegExp, string][] = [
  [/^priv_validator_key\.json$/i, 'a CometBFT validator signing key (priv_validator_key.json)'],
  [/^node_key\.json$/i, 'a CometBFT node key (node_key.json)'],
  [/^jwt(?:secret)?\.hex$/i, 'the Engine API JWT secret (jwt.hex)'],
  [/^UTC--/, 'an Ethereum account keystore (UTC--…)'],
  [/^keystore-m_\d+(?:_\d+)*-\d+\.json$/i, 'an EIP-2335 validator keystore'],
  [/^nodekey$/i, 'a devp2p node key (nodekey)'],
];

export function keyFileKind(name: string): string | undefined {
  for (const [pattern, kind] of KEY_FILES) if (pattern.test(name)) return kind;
  return undefined;
}

const COMETBFT_PRIV_KEY = /"priv_key"\s*:\s*\{[^}]*"type"\s*:\s*"tendermint\/PrivKey/;
const KEYSTORE_CIPHERTEXT = /"ciphertext"\s*:/i;
const KEYSTORE_KDF = /"kdf"\s*:/i;
const EXTENDED_PRIVATE_KEY = /(?<![1-9A-Za-z])[xyzt]prv[1-9A-HJ-NP-Za-km-z]{100,112}(?![1-9A-Za-z])/;
const HEX64 = /(?<![0-9A-Za-z])(?:0x)?[0-9a-fA-F]{64}(?![0-9A-Za-z])/g;
/** A content hash or image digest precedes its hex: `sha256:`, `@sha256:`, `sha256=`; `salt$hmac` (bitcoind rpcauth). */
const DIGEST_PREFIX = /(?:sha-?256|sha-?512|blake2b?|keccak(?:256)?)[:=-]\s*$|[@$]$/i;
/** The key a value is assigned to on its line: `name: value`, `name = "value"`, `"name":"value"`. */
const LINE_KEY = /([A-Za-z0-9_.-]+)["']?\s*[:=]\s*["']?$/;
/** Names that say the hex is a key. */
const KEY_NAME = /priv|secret|mnemonic|seed|jwt|signing|nodekey|node_key|(?:^|[_.-])(?:pk|sk)(?:$|[_.-])/i;
/** Names that say the hex is public: a hash, digest, root, address or public key. */
const PUBLIC_NAME =
  /hash|digest|checksum|sha|root|txid|(?:^|[_.-])tx|block|genesis|assume|commit|checkpoint|state|merkle|address|fingerprint|salt|nonce|pub|withdrawal|(?:^|[_.-])id$|contract/i;

function isRandomLooking(hex: string): boolean {
  // Hashes with proof-of-work zeros, padded addresses, and placeholders like 0x000…01 or abab… are not keys.
  if (/0{12,}/.test(hex)) return false;
  return new Set(hex.toLowerCase()).size >= 10;
}

export interface KeyMaterial {
  kind: string;
  /** A masked form for messages (never the value). */
  masked: string;
}

/**
 * Key material in a text value; `name` is the env var, ConfigMap key or annotation it sits under,
 * used when a 64-hex string has no key of its own on its line.
 */
export function findKeyMaterial(value: string, name: string): KeyMaterial[] {
  const found: KeyMaterial[] = [];
  if (value.length < 32) return found;
  if (COMETBFT_PRIV_KEY.test(value)) found.push({ kind: 'a CometBFT private key ("priv_key")', masked: '***' });
  if (KEYSTORE_CIPHERTEXT.test(value) && KEYSTORE_KDF.test(value))
    found.push({ kind: 'an encrypted keystore ("crypto.ciphertext")', masked: '***' });
  const xprv = EXTENDED_PRIVATE_KEY.exec(value);
  if (xprv) found.push({ kind: 'a BIP-32 extended private key', masked: `${xprv[0].slice(0, 4)}…, ${xprv[0].length} chars` });
  if (found.length === 0) {
    for (const match of value.matchAll(HEX64)) {
      const start = match.index!;
      const before = value.slice(Math.max(0, value.lastIndexOf('\n', start - 1) + 1), start);
      if (DIGEST_PREFIX.test(before)) continue;
      const hex = match[0].replace(/^0x/, '');
      if (!isRandomLooking(hex)) continue;
      const context = LINE_KEY.exec(before)?.[1] ?? name;
      if (!KEY_NAME.test(context) && PUBLIC_NAME.test(context)) continue;
      found.push({
        kind: 'a 64-hex private key',
        // The `0x` prefix is notation, not key: no digit of the key is shown.
        masked: `${match[0].startsWith('0x') ? '0x…, ' : ''}${hex.length} hex digits`,
      });
      break;
    }
  }
  const seed = findSeedPhrases(value)[0];
  if (seed) found.push({ kind: seed.what.replace(/^a (\d+) /, 'a $1-word '), masked: '***' });
  return found;
}

export function describeAll(found: readonly KeyMaterial[]): string {
  return found.map((f) => (f.masked === '***' ? f.kind : `${f.kind} (${f.masked})`)).join(' and ');
}
