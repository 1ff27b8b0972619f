// The secret formats of lib/secret-patterns, run through both users: the rule engine's detector (what a
// manifest lint calls a credential) and the log redactor (what a log tail masks). They must agree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findKnownFormats, findSeedPhrases, type SecretFinding } from '../../server/engine/rules/secrets/detect';
import { createRedactor } from '../../src/kube/logs/redact';

const b64url = (text: string) => Buffer.from(text).toString('base64url');
const JWT_HEADER = b64url('{"alg":"HS256","typ":"JWT"}');
const JWT_PAYLOAD = b64url('{"sub":"svc-settlement","iat":1767225600}');

/** Written in pieces so no scanner mistakes this file for a leak. */
const SECRETS: { name: string; text: string; kind: SecretFinding['kind'] }[] = [
  { name: 'long-term AWS access key id', text: 'AKIA' + 'H7HKVAF7RZC43CWY', kind: 'aws-access-key' },
  { name: 'temporary AWS access key id', text: 'ASIA' + 'Q3ZL6X2NYB7K4M5D', kind: 'aws-access-key' },
  { name: 'signed JWT', text: `${JWT_HEADER}.${JWT_PAYLOAD}.dDzGZQ5ZmEkQgH60y_nhBAR_4Wzoxn1ej2WxBfAlMiw`, kind: 'jwt' },
  {
    name: 'PEM private key',
    text: [
      '-----BEGIN EC ' + 'PRIVATE KEY-----',
      'MHcCAQEEIF4Q9AGghplehI4sMa55x8AJ/zF5Pl4yUMdHs+J33QhQoAoGCCqGSM49',
      'AwEHoUQDQgAEUZG5ksoU788dFnn9znSJ5R4SMEFoQxran/nuUHX5phwcnjEqUrJc',
      '-----END EC ' + 'PRIVATE KEY-----',
    ].join('\n'),
    kind: 'pem-private-key',
  },
  {
    name: 'BIP-39 seed phrase',
    text: 'antenna soap daughter execute equal follow rural current heavy life peasant butter',
    kind: 'seed-phrase',
  },
];

const NOT_SECRETS: { name: string; text: string }[] = [
  // Base32 has no 0, 1, 8 or 9: this is no AWS key id (the two copies once disagreed here).
  { name: 'AKIA followed by non-base32 characters', text: 'AKIA' + 'IOSFODNN7EXAMP01' },
  { name: 'an AWS role id (not a credential)', text: 'AROA' + 'H7HKVAF7RZC43CWY' },
  { name: 'an unsigned JWT', text: `${JWT_HEADER}.${JWT_PAYLOAD}.` },
  { name: 'a certificate', text: '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUJ\n-----END CERTIFICATE-----' },
  { name: 'twelve ordinary words', text: 'the quick brown fox jumps over the lazy dog and then runs far away' },
];

function detected(text: string): SecretFinding[] {
  return [...findKnownFormats(text), ...findSeedPhrases(text)];
}

/** Each line of the text through one redactor, as a log stream would send it. */
function redacted(text: string): string {
  const redact = createRedactor();
  return text
    .split('\n')
    .map((line) => redact(`app: ${line}`))
    .join('\n');
}

/** What the redactor left of the secret: its characters past a short public prefix. */
function leaked(secret: string, output: string): boolean {
  return secret
    .split('\n')
    .filter((line) => !line.startsWith('-----'))
    .some((line) => line.length > 8 && output.includes(line.slice(4)));
}

describe('secret patterns: the detector and the log redactor agree', () => {
  for (const sample of SECRETS) {
    it(`both catch ${sample.name}`, () => {
      assert.deepEqual(
        detected(sample.text).map((f) => f.kind),
        [sample.kind],
      );
      const output = redacted(sample.text);
      assert.ok(!leaked(sample.text, output), `the redactor let it through: ${output}`);
    });
  }

  for (const sample of NOT_SECRETS) {
    it(`neither flags ${sample.name}`, () => {
      assert.deepEqual(detected(sample.text), []);
      const lines = sample.text.split('\n').map((line) => `app: ${line}`);
      assert.equal(redacted(sample.text), lines.join('\n'));
    });
  }
});
