// Log redaction: what must be masked (card numbers, tokens, passwords, keys, seed phrases) and the
// look-alikes that must stay readable (order ids, timestamps, phone numbers, UUIDs, digests, amounts,
// ordinary English, boolean flags).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { luhnValid } from '../../lib/card-numbers';
import { createRedactor } from '../../src/kube/logs/redact';

/** Appends the Luhn check digit, so tests can build valid numbers of any shape. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

function redact(line: string): string {
  return createRedactor()(line);
}

function unchanged(lines: string[]): void {
  const r = createRedactor();
  for (const line of lines) assert.equal(r(line), line, `should stay as it is: ${line}`);
}

describe('Luhn', () => {
  it('accepts valid numbers and rejects a changed digit', () => {
    assert.ok(luhnValid('79927398713'));
    assert.ok(luhnValid('4111111111111111'));
    assert.ok(!luhnValid('4111111111111112'));
    assert.ok(!luhnValid('79927398710'));
  });
});

describe('card numbers', () => {
  it('masks a Luhn-valid PAN to its last four digits, keeping the separators where they were', () => {
    assert.equal(redact('card=4111111111111111 ok'), 'card=************1111 ok');
    assert.equal(redact('card 4111 1111 1111 1111 charged'), 'card **** **** **** 1111 charged');
    assert.equal(redact('pan: 5555-5555-5555-4444'), 'pan: ****-****-****-4444');
    assert.equal(redact('amex 3782 822463 10005 ok'), 'amex **** ****** *0005 ok');
  });

  it('masks every brand and length from 13 to 19 digits', () => {
    const pans = [
      '4222222222222', // Visa, 13
      '30569309025904', // Diners, 14
      '378282246310005', // Amex, 15
      '6011111111111117', // Discover, 16
      '3530111333300000', // JCB, 16
      '2221000000000009', // Mastercard 2-series, 16
      '2200000000000004', // Mir, 16
      withCheckDigit('62123456789012345'), // UnionPay, 18
      withCheckDigit('622126000000000000'), // 19
    ];
    for (const pan of pans) {
      assert.ok(luhnValid(pan), pan);
      assert.equal(redact(`pan=${pan}`), `pan=${'*'.repeat(pan.length - 4)}${pan.slice(-4)}`, pan);
    }
  });

  it('masks several cards in a line, at the start and end of the line, and inside JSON and query strings', () => {
    assert.equal(redact('4111111111111111 and 5555555555554444'), '************1111 and ************4444');
    assert.equal(redact('{"pan":"4111111111111111","exp":"12/29"}'), '{"pan":"************1111","exp":"12/29"}');
    assert.equal(redact('GET /pay?card=4111111111111111&amount=5'), 'GET /pay?card=************1111&amount=5');
    assert.equal(redact('card=4111111111111111.'), 'card=************1111.');
  });

  it('leaves order ids, timestamps and phone numbers that are not card numbers', () => {
    unchanged([
      'order 4111111111111112 settled', // fails Luhn
      'order_id=1234567890123456', // fails Luhn
      `ts=${withCheckDigit('171456789012')}`, // epoch milliseconds, Luhn-valid by chance: no card starts with 1 at 13 digits
      `at ${withCheckDigit('2026050112000012')}`, // compact timestamp: no scheme issues 20…
      `ref ${withCheckDigit('000000123456789')}`, // zero-padded id
      '2026-05-01T12:00:00.123456789Z payment accepted',
      '2026-05-01 12:00:00,123 INFO done',
      'call +1 415 555 2671 or +44 20 7946 0958 or (415) 555-2671',
      `intl +${withCheckDigit('441234567890123')}`, // + means a phone number
      'version 1.2.3 build 20260501 port 8443',
    ]);
  });

  it('leaves UUIDs, hex digests, amounts and digit runs too long for a card', () => {
    unchanged([
      'trace 123e4567-e89b-12d3-a456-426614174000',
      'uuid 12345678-1234-1234-1234-123456789012',
      'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'digest deadbeef4111111111111111cafe', // a valid PAN glued into hex is part of the digest
      `total ${withCheckDigit('412345678901')}.45 EUR`, // the integer part of an amount
      'rate 0.4111111111111111', // a fraction
      `big ${'4111111111111111'.padEnd(24, '1')}`, // 24 digits is no card
      'amount=12.50 fee=0.30 balance=1042.75',
    ]);
  });
});

describe('secrets', () => {
  it('masks bearer tokens and Authorization headers, keeping the scheme', () => {
    assert.equal(redact('Authorization: Bearer abc.def-ghi_jkl123'), 'Authorization: Bearer ***');
    assert.equal(redact('authorization=bearer abcdefghijkl'), 'authorization=bearer ***');
    assert.equal(redact('curl -H "Authorization: Basic dXNlcjpwYXNz" x'), 'curl -H "Authorization: Basic ***" x');
    assert.equal(redact('{"Authorization":"Bearer abc123def456"}'), '{"Authorization":"Bearer ***"}');
    assert.equal(redact('calling with Bearer 0123456789abcdef'), 'calling with Bearer ***');
    assert.equal(redact('bearer=0123456789abcdef next'), 'bearer=*** next');
  });

  it('masks password, secret, token and api-key values in key=value, key: value and JSON', () => {
    const cases: [string, string][] = [
      ['login password=hunter2 user=bob', 'login password=*** user=bob'],
      ['PASSWORD=hunter2', 'PASSWORD=***'],
      ['db_password="p@ss word" host=db', 'db_password="***" host=db'],
      ['passwd: hunter2', 'passwd: ***'],
      ['{"user":"bob","password":"hunter2"}', '{"user":"bob","password":"***"}'],
      ['{"password": "hunter2", "pin": 1}', '{"password": "***", "pin": 1}'],
      ["secret='s3cr3t'", "secret='***'"],
      ['client_secret=abc123&grant_type=client_credentials', 'client_secret=***&grant_type=client_credentials'],
      ['GET /cb?access_token=abc.def&state=1', 'GET /cb?access_token=***&state=1'],
      ['refresh_token: r-123', 'refresh_token: ***'],
      ['api_key=AIzaSyD-123', 'api_key=***'],
      ['apikey=abcdef', 'apikey=***'],
      ['x-api-key: abcdef', 'x-api-key: ***'],
      ['aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key=***'],
      ['card_cvv=123 exp=12/29', 'card_cvv=*** exp=12/29'],
      ['log "{\\"password\\":\\"hunter2\\"}"', 'log "{\\"password\\":\\"***\\"}"'],
    ];
    for (const [line, expected] of cases) assert.equal(redact(line), expected, line);
  });

  it('leaves boolean and null flags whose key merely mentions a secret (they reveal nothing)', () => {
    unchanged(['password_reset_requested=true', '{"password_changed": false, "token_revoked": null}', 'mfa_token_required=FALSE user=bob']);
  });

  it('leaves ordinary sentences that mention secrets without a value', () => {
    unchanged([
      'Please reset your password using the link we sent',
      'token expired for user bob',
      'missing bearer token',
      'secret "db-creds" not found',
      '-----BEGIN CERTIFICATE-----',
      'akia is not a key, nor is AKIA123',
    ]);
  });

  it('masks AWS access key ids, JWTs and passwords in URLs', () => {
    assert.equal(redact('key AKIAIOSFODNN7EXAMPLE loaded'), 'key AKIA**************** loaded');
    assert.equal(redact('temp ASIAIOSFODNN7EXAMPLE'), 'temp ASIA****************');
    assert.equal(redact('jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.dDzGZQ5ZmEkQgH60y_nhBAR_4Wzoxn1ej2WxBfAlMiw end'), 'jwt *** end');
    assert.equal(redact('db postgres://app:s3cr3t@db:5432/ledger'), 'db postgres://app:***@db:5432/ledger');
    unchanged(['GET https://api.example.com:8443/v1/pay', 'mailto:ops@example.com']);
  });

  it('masks a PEM private key on one line, keeping the markers', () => {
    assert.equal(
      redact('key=-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA\\n-----END RSA PRIVATE KEY----- loaded'),
      'key=-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY----- loaded',
    );
    assert.equal(redact('-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXk'), '-----BEGIN OPENSSH PRIVATE KEY-----***');
  });

  it('masks the body lines of a multi-line PEM private key, and only those', () => {
    const r = createRedactor();
    const lines = [
      'loading key',
      '-----BEGIN EC PRIVATE KEY-----',
      'MHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49',
      'AwEHoUQDQgAEPR3tU2Fta9ktY+6P9G0cWO+0kETA6SFs38GecTyfWxlv6AZHpSl=',
      '-----END EC PRIVATE KEY-----',
      'key loaded',
    ];
    assert.deepEqual(
      lines.map((l) => r(l)),
      ['loading key', '-----BEGIN EC PRIVATE KEY-----', '***', '***', '-----END EC PRIVATE KEY-----', 'key loaded'],
    );
    // Without an END marker, the first line that is not key material ends the block.
    const cut = createRedactor();
    assert.deepEqual(
      ['-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'request served in 12 ms'].map((l) => cut(l)),
      ['-----BEGIN PRIVATE KEY-----', '***', 'request served in 12 ms'],
    );
  });
});

describe('BIP-39 seed phrases', () => {
  const twelve = 'abandon ability able about above absent absorb abstract absurd abuse access accident';

  it('uses the full official English list', () => {
    assert.equal(wordlist.length, 2048);
    assert.equal(wordlist[0], 'abandon');
    assert.equal(wordlist[2047], 'zoo');
  });

  it('masks 12 and 24 consecutive list words, also separated by commas or in JSON', () => {
    assert.equal(redact(`restored wallet from ${twelve}`), 'restored wallet from [12 words redacted]');
    const twentyFour = Array.from({ length: 24 }, (_, i) => wordlist[(i * 89) % 2048]).join(' ');
    // The pair masks the first word (a bare value ends at a space), the phrase rule the other 23.
    assert.equal(redact(`mnemonic=${twentyFour}`), 'mnemonic=*** [23 words redacted]');
    assert.equal(redact(`wallet ${twentyFour} stored`), 'wallet [24 words redacted] stored');
    // A list word right before the phrase ("seed" is on the list) is masked with it: a longer run still hides it all.
    assert.equal(redact(`seed ${twentyFour} stored`), '[25 words redacted] stored');
    assert.equal(redact(`{"words":"${twelve.split(' ').join(', ')}"}`), '{"words":"[12 words redacted]"}');
    assert.equal(redact(twelve.toUpperCase()), '[12 words redacted]');
  });

  it('leaves English sentences with a few list words, and runs shorter than 12', () => {
    unchanged([
      'The payment was approved after a manual review of the account by the risk team',
      'Retrying settlement batch after the upstream bank gateway answered with a temporary error',
      twelve.split(' ').slice(0, 11).join(' '),
      // 12 list-shaped words but one (settlement) is not on the list: two runs of 6.
      'abandon ability able about above absent settlement absorb abstract absurd abuse access accident',
    ]);
  });
});

describe('createRedactor options and state', () => {
  it('turns each kind off on its own and takes another mask', () => {
    const line = 'card=4111111111111111 password=hunter2';
    assert.equal(createRedactor({ cards: false })(line), 'card=4111111111111111 password=***');
    assert.equal(createRedactor({ secrets: false })(line), 'card=************1111 password=hunter2');
    assert.equal(createRedactor({ mask: '[REDACTED]' })(line), 'card=************1111 password=[REDACTED]');
    const seed = 'abandon ability able about above absent absorb abstract absurd abuse access accident';
    assert.equal(createRedactor({ seedPhrases: false })(seed), seed);
  });

  it('keeps PEM state per redactor: one stream inside a key does not mask another stream', () => {
    const a = createRedactor();
    const b = createRedactor();
    a('-----BEGIN PRIVATE KEY-----');
    assert.equal(b('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'), 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    assert.equal(a('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'), '***');
  });

  it('stays linear on hostile lines (no catastrophic backtracking)', () => {
    const r = createRedactor();
    const hostile = [
      '4111 '.repeat(20_000),
      '1'.repeat(100_000),
      'abandon '.repeat(20_000),
      'secret_key_'.repeat(10_000),
      'password:"'.repeat(10_000),
      'eyJ' + 'a'.repeat(100_000),
      'bearer '.repeat(20_000),
    ];
    for (const line of hostile) {
      const started = performance.now();
      r(line);
      const ms = performance.now() - started;
      assert.ok(ms < 1_000, `${line.slice(0, 20)}… (${line.length} chars) took ${ms.toFixed(0)} ms`);
    }
  });
});
