// The secrets detector: true positives in every known format, and the look-alikes a security team
// would reject the tool over (UUIDs, digests, base64 of text, order ids, placeholders, file paths).
// Token-shaped values are assembled from parts so that secret scanners do not flag this file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  cardDataName,
  credentialName,
  detectValue,
  detectValues,
  findCardNumbers,
  findConnectionCredentials,
  findKnownFormats,
  findSeedPhrases,
  findTrackData,
  isGenericCredential,
  isNonSecretValue,
  looksRandom,
  maskValue,
  scanText,
  shannonEntropy,
  type SecretKind,
} from '../../server/engine/rules/secrets/detect';
import { luhnValid } from '../../lib/card-numbers';
import { analyzeText } from '../../server/engine/engine';
import { FIXTURES_DIR } from '../support/fixtures';

const b64url = (text: string) => Buffer.from(text).toString('base64url');
const AWS_ID = 'AKIA' + 'H7HKVAF7RZC43CWY';
const AWS_SECRET = 'loGvU1Pk6IXEHna0xu8D' + 'Azm6UIv71CqHiv7scfkM';
const GITHUB = 'ghp' + '_VUY0zVMQoHzwIYQqU86bf92ImRhSHNeeqACT';
const GITHUB_PAT = 'github' + '_pat_11ABCDEFG0' + 'x7Kq2mWd9RtLp4ZsVb8NcY3eHu6JfQa1_' + 'Gk5TnXr0PwLy7MbVc2DzSe9AqHj4UoIiKf3Rg8NtWx1Yp';
const STRIPE = 'sk' + '_live_l7WDl1lD8rxviCOA8HhL47H1';
const SLACK = 'xox' + 'b-00854699386-703035035040-7Vh513ltIQMzkpGozMNWXQDw';
const JWT = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"svc-settlement","iat":1767225600}')}.dDzGZQ5ZmEkQgH60y_nhBAR_4Wzoxn1ej2WxBfAlMiw`;
const PEM = [
  '-----BEGIN EC ' + 'PRIVATE KEY-----',
  'MHcCAQEEIF4Q9AGghplehI4sMa55x8AJ/zF5Pl4yUMdHs+J33QhQoAoGCCqGSM49',
  'AwEHoUQDQgAEUZG5ksoU788dFnn9znSJ5R4SMEFoQxran/nuUHX5phwcnjEqUrJc',
  'bo+VyOmxG70USgu1UrxTbJE05qzFAMPa5g==',
  '-----END EC ' + 'PRIVATE KEY-----',
].join('\n');
const SEED_12 = 'antenna soap daughter execute equal follow rural current heavy life peasant butter';
const SEED_24 =
  'judge huge toast journey clever mixture virtual apart village destroy royal breeze arch blouse lava turtle tragic juice toast obvious wrist offer leader erosion';
const HEX_KEY = '74edc7bbeea0bdad2c6e56eb82ff64141b2bf46ae79f778fa674cf22df8e88ee';
const PAN = '4556376932179082';

function kindOf(name: string | undefined, value: string): SecretKind | undefined {
  return detectValue(name, value)?.kind;
}

describe('credential names', () => {
  it('recognises names that announce a credential', () => {
    for (const name of [
      'DB_PASSWORD',
      'PGPASSWORD',
      'MYSQL_ROOT_PASSWORD',
      'dbPassword',
      'spring.datasource.password',
      'REDIS_PASS',
      'KEYSTORE_PASSPHRASE',
      'JWT_SECRET',
      'client_secret',
      'STRIPE_SECRET_KEY',
      'SECRET_KEY_BASE',
      'x-api-key',
      'PSP_API_KEY',
      'apiKey',
      'GITHUB_TOKEN',
      'refreshToken',
      'API_TOKEN_V2',
      'aws_secret_access_key',
      'SIGNER_PRIVATE_KEY',
      'ENCRYPTION_KEY',
      'AZURE_STORAGE_ACCOUNT_KEY',
      'LEDGER_CONNECTION_STRING',
      'SMTP_CREDENTIALS',
    ]) {
      assert.equal(credentialName(name), 'strong', name);
    }
    for (const name of ['CACHE_KEY', 'WEBHOOK_SIGNATURE', 'SIGNER_KEY_V2', 'HMAC', 'COOKIE'])
      assert.equal(credentialName(name), 'weak', name);
  });

  it('ignores names about a credential rather than the credential', () => {
    for (const name of [
      'TOKEN_URL',
      'TOKEN_ENDPOINT',
      'TOKEN_TTL',
      'TOKEN_ISSUER',
      'PASSWORD_MIN_LENGTH',
      'SECRET_NAME',
      'PASSWORD_ENCODER',
      'PASSWORD_HASH',
      'STRIPE_PUBLISHABLE_KEY',
      'JWT_PUBLIC_KEY',
      'TOKENIZATION_SERVICE_URL',
      'CARD_TOKENIZER',
      'AWS_ACCESS_KEY_ID',
      'BYPASS',
      'SSL_PASS_THROUGH',
      'KAFKA_TOPIC',
      'LOG_LEVEL',
    ]) {
      assert.equal(credentialName(name), undefined, name);
    }
  });

  it('recognises card verification and track data keys', () => {
    for (const name of ['cvv', 'CARD_CVV', 'cvc2', 'track1', 'TRACK_2', 'trackData', 'pan', 'cardNumber', 'card_number'])
      assert.ok(cardDataName(name), name);
    for (const name of ['CVV_ENCRYPTION_ENABLED', 'PAN_MASKING', 'company', 'expand', 'panel', 'cardholder_name'])
      assert.ok(!cardDataName(name), name);
  });
});

describe('known formats (true positives)', () => {
  const cases: [string, string, SecretKind][] = [
    ['AWS access key id', AWS_ID, 'aws-access-key'],
    ['temporary AWS key id', 'ASIA' + 'Q3ZL6X2NYB7K4M5D', 'aws-access-key'],
    ['GitHub personal token', GITHUB, 'github-token'],
    ['GitHub OAuth token', 'gho' + GITHUB.slice(3), 'github-token'],
    ['GitHub app token', 'ghs' + GITHUB.slice(3), 'github-token'],
    ['GitHub fine-grained token', GITHUB_PAT, 'github-token'],
    ['Stripe live secret key', STRIPE, 'stripe-key'],
    ['Stripe restricted key', 'rk' + STRIPE.slice(2), 'stripe-key'],
    ['Slack bot token', SLACK, 'slack-token'],
    ['Slack user token', 'xoxp' + SLACK.slice(4), 'slack-token'],
    ['Slack webhook', 'https://hooks.slack.com/services/' + 'T0A1B2C3D/B0E4F5G6H/' + 'q7Kx2mWd9RtLp4ZsVb8NcY3e', 'slack-webhook'],
    ['JWT', JWT, 'jwt'],
    ['PEM private key', PEM, 'pem-private-key'],
  ];
  for (const [label, value, kind] of cases) {
    it(label, () => {
      assert.equal(kindOf(undefined, value), kind);
      assert.equal(kindOf(undefined, `Authorization: Bearer ${value}`), kind, 'inside a longer value');
    });
  }

  it('finds an AWS secret access key next to its access key id', () => {
    const results = detectValues([
      { name: 'AWS_KEY', value: AWS_ID },
      { name: 'AWS_KEY_2', value: AWS_SECRET },
      { name: 'REGION', value: 'eu-west-1' },
    ]);
    assert.deepEqual(
      results.map((r) => r?.kind),
      ['aws-access-key', 'aws-secret-key', undefined],
    );
    // Without the id nearby, a 40-character string under a neutral name is not claimed as an AWS key.
    assert.equal(detectValues([{ name: 'BUILD', value: AWS_SECRET }])[0], undefined);
  });

  it('finds a PEM private key in every flavour, including a JSON-escaped one', () => {
    assert.equal(findKnownFormats(PEM.replace(/EC /g, 'RSA ')).length, 1);
    assert.equal(findKnownFormats(PEM.replace(/EC /g, 'OPENSSH ')).length, 1);
    assert.equal(findKnownFormats(PEM.replace(/EC /g, '')).length, 1);
    assert.equal(findKnownFormats(JSON.stringify({ key: PEM })).length, 1);
  });

  it('finds BIP-39 seed phrases with a valid checksum, using the real English word list', () => {
    assert.equal(findSeedPhrases(SEED_12)[0]?.kind, 'seed-phrase');
    assert.equal(findSeedPhrases(`mnemonic = "${SEED_24}"`)[0]?.what, 'a 24 BIP-39 seed phrase');
    assert.equal(findSeedPhrases(SEED_12.replace(/ /g, '\n'))[0]?.kind, 'seed-phrase');
    assert.equal(kindOf('WALLET_MNEMONIC', SEED_12), 'seed-phrase');
  });

  it('finds a 64-hex private key under a key name', () => {
    assert.equal(kindOf('SIGNER_PRIVATE_KEY', HEX_KEY), 'hex-private-key');
    assert.equal(kindOf('VALIDATOR_KEY', '0x' + HEX_KEY), 'hex-private-key');
  });

  it('finds user:password in connection URLs and connection strings', () => {
    assert.equal(kindOf('DATABASE_URL', 'postgres://ledger:S3cr3t-Ledger@ledger-db:5432/ledger'), 'url-credentials');
    assert.equal(kindOf(undefined, 'redis://:hunter2hunter2@cache:6379/0'), 'url-credentials');
    assert.equal(kindOf(undefined, 'mongodb+srv://svc:pa%24%24word9@cluster0.mongodb.net/payments'), 'url-credentials');
    assert.equal(kindOf(undefined, 'jdbc:postgresql://db:5432/ledger?user=ledger&password=Ledger2026'), 'url-credentials');
    assert.equal(kindOf(undefined, 'Server=sql01;Database=Payments;User Id=app;Password=Winter2026!;'), 'url-credentials');
    assert.equal(findConnectionCredentials('amqp://settle:Q9vK2mXs@rabbitmq:5672/')[0].masked, 'amqp://settle:***@rabbitmq:5672/');
  });

  it('finds a credential in a URL query string', () => {
    assert.equal(kindOf('CALLBACK', 'https://psp.example.net/notify?merchant=42&access_token=Zk8Qm2Xr7Vt4Lp9N'), 'url-token');
  });

  it('finds Luhn-valid card numbers with and without separators', () => {
    for (const pan of [PAN, '4556 3769 3217 9082', '4556-3769-3217-9082', '5425045956021720', '371477601316244', '3714 776013 16244']) {
      assert.equal(findCardNumbers(`card=${pan}`).length, 1, pan);
    }
    assert.equal(kindOf(undefined, PAN), 'card-number');
  });

  it('finds magnetic-stripe track data', () => {
    assert.equal(findTrackData(`%B${PAN}^DOE/JANE^2812101000000000000000000`).length, 1);
    assert.equal(findTrackData(`;${PAN}=28121010000000000?`).length, 1);
  });

  it('reports a literal under a credential name whatever it looks like', () => {
    assert.equal(kindOf('DB_PASSWORD', 'hunter2'), 'named-credential');
    assert.equal(kindOf('JWT_SECRET', 'correct horse battery staple'), 'named-credential');
    assert.equal(kindOf('spring.datasource.password', 'Ledger#2026'), 'named-credential');
    assert.equal(kindOf('CLIENT_SECRET', 'payments-api-client'), 'named-credential');
    assert.equal(kindOf('DB_PASSWORD', 'ledger-2026-prod'), 'named-credential');
  });

  it('needs a random-looking value under a weak name', () => {
    assert.equal(kindOf('WEBHOOK_KEY', 'KZNqiFz1StUoreYP6ZIGWaI2dRWDoXQnhBc9ZTyzazw='), 'high-entropy');
    assert.equal(kindOf('CACHE_KEY', 'user-profile'), undefined);
    assert.equal(kindOf('PARTITION_KEY', 'accountId'), undefined);
  });
});

describe('look-alikes (must not fire)', () => {
  const quiet: [string | undefined, string][] = [
    // Ids, digests and hashes.
    ['REQUEST_ID', '3f2b8c1e-9d4a-4e7b-a1c2-5f6e7d8c9b0a'],
    ['API_KEY', '3f2b8c1e-9d4a-4e7b-a1c2-5f6e7d8c9b0a'.toUpperCase()],
    ['IMAGE', 'registry.example.com/payments/api@sha256:' + HEX_KEY],
    ['SECRET_DIGEST', 'sha256:' + HEX_KEY],
    ['checksum/secret', HEX_KEY],
    ['GENESIS_HASH', '0x' + HEX_KEY],
    ['TX_HASH', HEX_KEY],
    [undefined, HEX_KEY],
    ['COMMIT', 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3'],
    // Base64 of ordinary text under a weak name.
    ['BANNER_KEY', Buffer.from('Welcome to the payments platform').toString('base64')],
    ['AUTH', Buffer.from('hello world, this is a test').toString('base64')],
    // Order ids and references that fail Luhn, timestamps, amounts.
    ['ORDER_ID', '4556376932179083'],
    ['ORDER_ID', 'ORD-2026-000184467213'],
    ['SETTLEMENT_REF', '20260501120000123'],
    ['EPOCH_MS', '1767225600000'],
    ['AMOUNT', '4556376932179082.50'],
    ['PHONE', '+4556376932179082'],
    ['TEST_CARD', '4111 1111 1111 1111'],
    ['STRIPE_TEST_CARD', '4242424242424242'],
    // Placeholders.
    ['DB_PASSWORD', 'CHANGE_ME'],
    ['DB_PASSWORD', '<password>'],
    ['DB_PASSWORD', '${DB_PASSWORD}'],
    ['DB_PASSWORD', '$(DB_PASSWORD)'],
    ['DB_PASSWORD', '{{ .Values.db.password }}'],
    ['DB_PASSWORD', 'REPLACE_ME'],
    ['API_KEY', 'your-api-key-here'],
    ['API_KEY', 'example'],
    ['API_KEY', 'dummy'],
    ['API_KEY', 'xxxxxxxx'],
    ['API_KEY', '********'],
    ['AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    // The JDK's truststore default guards public CA certificates, not a secret.
    ['TRUSTSTORE_PASSWORD', 'changeit'],
    ['PEM', '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----'],
    ['SEED', 'test test test test test test test test test test test junk'],
    // References to a secret store.
    ['DB_PASSWORD', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ledger/db-AbCdEf'],
    ['API_TOKEN', 'vault:secret/data/payments#token'],
    ['CLIENT_SECRET', 'projects/payments-prod/secrets/psp-client-secret/versions/latest'],
    ['DB_PASSWORD', 'database/creds/ledger'],
    // File paths, under file-ish names and key-ish ones.
    ['DB_PASSWORD_FILE', '/var/run/secrets/ledger-db/password'],
    ['TLS_KEY_PATH', '/etc/tls/tls.key'],
    ['SIGNER_KEY_DIR', '/var/run/secrets/signer'],
    ['ORDERER_GENERAL_TLS_PRIVATEKEY', '/etc/hyperledger/orderer/tls/tls.key'],
    ['GOOGLE_APPLICATION_CREDENTIALS', '/var/secrets/google/key.json'],
    // Booleans, numbers, durations, hosts, versions, plain URLs.
    ['PASSWORD_REQUIRED', 'true'],
    ['DB_PASSWORD', 'false'],
    ['API_TOKEN', '3600'],
    ['TOKEN', '15m'],
    ['SECRET', 'vault.security.svc.cluster.local:8200'],
    ['TOKEN', 'https://auth.example.com/oauth2/token'],
    ['DATABASE_URL', 'postgres://ledger@ledger-db:5432/ledger'],
    ['DATABASE_URL', 'postgres://ledger:$(DB_PASSWORD)@ledger-db:5432/ledger'],
    ['DATABASE_URL', 'postgres://ledger:${DB_PASSWORD}@ledger-db:5432/ledger'],
    ['GIT_REPO', 'git@github.com:fintech/payments.git'],
    ['CONTACT', 'payments-oncall@example.com'],
    ['SECRET', 'v1.4.2'],
    ['SECRET', ''],
    // The name of a Secret object, not its value.
    ['TLS_SECRET', 'payments-api-tls'],
    ['IMAGE_PULL_SECRETS', 'registry-credentials'],
    // Neutral names with ordinary values.
    ['KAFKA_BOOTSTRAP_SERVERS', 'payments-kafka-bootstrap.kafka.svc:9093'],
    ['JAVA_OPTS', '-XX:MaxRAMPercentage=75 -Djava.io.tmpdir=/tmp'],
    ['FEATURE_FLAGS', 'instant-payouts,sepa-credit,fx-quotes'],
    ['CLASS', 'com.example.payments.SettlementJob'],
    ['BUILD', AWS_SECRET],
  ];
  for (const [name, value] of quiet) {
    it(`${name ?? '(no name)'} = ${value.length > 48 ? value.slice(0, 45) + '…' : value}`, () => {
      assert.equal(detectValue(name, value), undefined);
    });
  }

  it('ignores ordinary word lists and phrases with a bad checksum', () => {
    assert.deepEqual(findSeedPhrases('wrap sibling mask raw subject then chicken own speed that scatter zoo'), []);
    assert.deepEqual(findSeedPhrases('alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike'), []);
    assert.deepEqual(findSeedPhrases(SEED_12.split(' ').slice(0, 11).join(' ')), [], 'eleven words');
  });

  it('ignores numbers that fail Luhn or that no card scheme issues', () => {
    assert.ok(!luhnValid('4556376932179083'));
    assert.deepEqual(findCardNumbers('order 4556376932179083 paid'), []);
    assert.deepEqual(findCardNumbers('ts=1767225600000 id=0000000000000000'), []);
    assert.deepEqual(findCardNumbers('digest a94a8fe5ccb19ba61c4c0873d391e987982fbbd3'), []);
  });

  it('is not random: identifiers, base64 of text, UUIDs, short strings', () => {
    for (const value of [
      'SuperLongConfigurationName1',
      'payments-api-v2-production',
      Buffer.from('hello world, this is a test').toString('base64'),
      '3f2b8c1e-9d4a-4e7b-a1c2-5f6e7d8c9b0a',
      'Ab1Cd2Ef3',
      '/var/lib/postgresql/data/pgdata',
    ]) {
      assert.ok(!looksRandom(value), value);
    }
    for (const value of ['KZNqiFz1StUoreYP6ZIGWaI2dRWDoXQnhBc9ZTyzazw=', HEX_KEY, 'X7#kP9!qL2@mZ4$wR8^tY3', AWS_SECRET])
      assert.ok(looksRandom(value), value);
  });

  it('treats booleans, numbers and paths as settings', () => {
    for (const value of ['true', 'False', '42', '0.25', '30s', '512Mi', '/etc/tls/tls.key']) assert.ok(isNonSecretValue(value), value);
  });
});

describe('well-known default passwords', () => {
  const defaults: [string, string][] = [
    ['DB_PASSWORD', 'changeme'],
    ['POSTGRES_PASSWORD', 'password'],
    ['FABRIC_CA_SERVER_BOOTSTRAP_PASSWORD', 'adminpw'],
    ['RABBITMQ_DEFAULT_PASS', 'guest'],
    ['KEYSTORE_PASSWORD', 'changeit'],
    ['pass', 'peer0pw'],
    ['ADMIN_PASSWORD', 'Admin'],
  ];
  for (const [name, value] of defaults) {
    it(`${name} = ${value} is a default password, not a generic credential`, () => {
      const finding = detectValue(name, value);
      assert.equal(finding?.kind, 'default-password');
      assert.ok(!isGenericCredential(finding!));
      assert.doesNotMatch(finding!.masked, new RegExp(value, 'i'));
    });
  }

  it('needs a credential name: a user called admin is no password', () => {
    assert.equal(detectValue('ADMIN_USER', 'admin'), undefined);
    assert.equal(detectValue('PASSWORD_POLICY', 'secret'), undefined);
  });

  it('are reported once, by weak-default-password, not again by the generic secret rules', () => {
    const text = readFileSync(join(FIXTURES_DIR, 'secrets', 'weak-default-password', 'fail.yaml'), 'utf8');
    const rules = analyzeText('fail.yaml', text).findings.map((f) => f.ruleId);
    assert.equal(rules.filter((id) => id === 'weak-default-password').length, 6);
    assert.deepEqual(
      rules.filter((id) => id === 'secret-literal-in-env' || id === 'secret-in-configmap'),
      [],
    );
  });

  it('finds them in configuration files as pairs', () => {
    const found = scanText('registry:\n  identities:\n    - name: admin\n      pass: adminpw\n');
    assert.deepEqual(
      found.map((f) => f.kind),
      ['default-password'],
    );
  });
});

describe('entropy', () => {
  it('measures bits per character', () => {
    assert.equal(shannonEntropy(''), 0);
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
    assert.ok(Math.abs(shannonEntropy('0123456789abcdef') - 4) < 1e-9);
  });
});

describe('scanning configuration files', () => {
  it('finds named pairs in properties, .env, YAML, JSON and XML', () => {
    const kinds = (text: string) => scanText(text).map((f) => f.kind);
    assert.deepEqual(kinds('spring.datasource.url=jdbc:postgresql://db:5432/ledger\nspring.datasource.password=Ledger#2026\n'), [
      'named-credential',
    ]);
    assert.deepEqual(kinds('export PSP_API_KEY="Zk8Qm2Xr7Vt4Lp9N3w"\n'), ['named-credential']);
    assert.deepEqual(kinds('psp:\n  endpoint: https://psp.example.net\n  clientSecret: Zk8Qm2Xr7Vt4Lp9N3w\n'), ['named-credential']);
    assert.deepEqual(kinds('{"psp": {"apiKey": "Zk8Qm2Xr7Vt4Lp9N3w", "timeout": 30}}'), ['named-credential']);
    assert.deepEqual(kinds('<datasource><password>Ledger#2026</password></datasource>'), ['named-credential']);
    assert.deepEqual(kinds(`[default]\naws_access_key_id = ${AWS_ID}\naws_secret_access_key = ${AWS_SECRET}\n`), [
      'aws-access-key',
      'aws-secret-key',
    ]);
    // The password of a connection string is one finding, not also a named pair.
    assert.deepEqual(kinds('url: jdbc:postgresql://db:5432/ledger?user=settle&password=Sett1e-2026\n'), ['url-credentials']);
  });

  it('stays quiet on placeholders and references in files', () => {
    assert.deepEqual(scanText('spring.datasource.password=${DB_PASSWORD}\napi.key=<set me>\ntoken.ttl=3600\n# password=hunter2\n'), []);
    assert.deepEqual(scanText('{"passwordPolicy": {"minLength": 12}, "tokenUrl": "https://auth.example.com/token"}'), []);
  });
});

describe('masking', () => {
  it('never prints any character of the value, short or long', () => {
    assert.equal(maskValue('hunter2'), '"***" (7 chars)');
    assert.equal(maskValue('Ledger#2026x'), '"***" (12 chars)');
    assert.equal(maskValue(AWS_SECRET), '"***" (40 chars)');
  });

  it('shows only public prefixes of known formats, and the last four digits of a PAN', () => {
    const findings = [
      detectValue(undefined, AWS_ID),
      detectValue(undefined, GITHUB),
      detectValue(undefined, STRIPE),
      detectValue(undefined, JWT),
      detectValue(undefined, PEM),
      detectValue(undefined, PAN),
      detectValue('DATABASE_URL', 'postgres://ledger:S3cr3t-Ledger@ledger-db:5432/ledger'),
      detectValue('WALLET', SEED_12),
      detectValue('DB_PASSWORD', 'hunter2'),
    ];
    for (const finding of findings) {
      assert.ok(finding);
      for (const secret of [
        AWS_ID.slice(4),
        GITHUB.slice(4),
        STRIPE.slice(8),
        JWT.slice(3, 40),
        'MHcCAQEEIF4Q',
        PAN.slice(0, 12),
        'S3cr3t',
        'antenna',
        'hunter2',
      ]) {
        assert.ok(!finding.masked.includes(secret), `${finding.kind} leaks in ${finding.masked}`);
      }
    }
    assert.equal(findCardNumbers('4556 3769 3217 9082')[0].masked, '**** **** **** 9082');
  });
});
