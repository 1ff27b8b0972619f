// Recognising blockchain software (server/engine/rules/blockchain/nodes.ts): client images and their
// look-alikes, binaries of in-house images, node ports and the role label, validator clients, flags.
// Also the blockchain key-material and payments HSM-credential helpers the rules build on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containersOf, podSpecOf, type ContainerAt } from '../../server/engine/objects';
import { findKeyMaterial, keyFileKind } from '../../server/engine/rules/blockchain/key-material';
import {
  clientOf,
  clientOfImage,
  findFlag,
  flagsOf,
  isWildcardAddress,
  isWildcardList,
  nodeContainers,
  signerContainers,
} from '../../server/engine/rules/blockchain/nodes';
import { hsmCredentialsInFile, isHsmCredential } from '../../server/engine/rules/payments/hsm-credentials';
import type { K8sObject } from '../../server/engine/types';

function pod(containers: Record<string, unknown>[], labels: Record<string, string> = {}): K8sObject {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    name: 'p',
    value: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels }, spec: { containers } },
    path: [],
    file: 'test.yaml',
    docIndex: 0,
  };
}

function container(spec: Record<string, unknown>): ContainerAt {
  return containersOf(podSpecOf(pod([{ name: 'c', ...spec }]))!)[0];
}

describe('clientOfImage', () => {
  it('recognises client images by repository, with or without registry, tag or digest', () => {
    const cases: [string, string, string][] = [
      ['ethereum/client-go:v1.14.8', 'geth', 'execution'],
      ['docker.io/ethereum/client-go@sha256:' + 'a'.repeat(64), 'geth', 'execution'],
      ['nethermind/nethermind:1.27.0', 'nethermind', 'execution'],
      ['ghcr.io/paradigmxyz/reth:v1.0.3', 'reth', 'execution'],
      ['hyperledger/besu:24.7.0', 'besu', 'execution'],
      ['sigp/lighthouse:v5.2.1', 'lighthouse', 'consensus'],
      ['gcr.io/prysmaticlabs/prysm/beacon-chain:v5.0.4', 'prysm', 'consensus'],
      ['gcr.io/prysmaticlabs/prysm/validator:v5.0.4', 'prysm', 'validator'],
      ['statusim/nimbus-eth2:multiarch-v24.7.0', 'nimbus', 'consensus'],
      ['lncm/bitcoind:v27.0', 'bitcoind', 'node'],
      ['ruimarinho/bitcoin-core:24', 'bitcoind', 'node'],
      ['ghcr.io/cosmos/gaia:v18.1.0', 'gaiad', 'node'],
      ['parity/polkadot:v1.14.0', 'polkadot', 'node'],
      ['hyperledger/fabric-peer:2.5.9', 'fabric-peer', 'node'],
      ['anzaxyz/agave:v2.0.3', 'agave-validator', 'node'],
      ['consensys/web3signer:24.6.0', 'web3signer', 'signer'],
      ['ghcr.io/strangelove-ventures/horcrux:v3.3.1', 'horcrux', 'signer'],
    ];
    for (const [image, name, role] of cases) {
      const client = clientOfImage(image);
      assert.ok(client, image);
      assert.equal(client.name, name, image);
      assert.equal(client.role, role, image);
    }
  });

  it('ignores look-alikes: exporters, dashboards, other "client-go" and unrelated images', () => {
    for (const image of [
      'prom/bitcoind-exporter:0.3',
      'registry.example.com/chain/geth-exporter:1.0',
      'registry.example.com/geth/exporter:1.0',
      'registry.example.com/geth-dashboard:2.0',
      'registry.example.com/k8s/client-go:1.0',
      'quay.io/prometheus/prometheus:v2.53.0',
      'hyperledger/fabric-ca:1.5.12',
      'registry.example.com/payments/iban-validator:2.4.0',
    ])
      assert.equal(clientOfImage(image), undefined, image);
  });
});

describe('clientOf', () => {
  it('reads the binary of in-house images and the validator-client subcommand', () => {
    assert.equal(clientOf(container({ image: 'registry.example.com/chain/node:1', command: ['/usr/local/bin/besu'] }))?.name, 'besu');
    assert.equal(clientOf(container({ image: 'sigp/lighthouse:v5', args: ['lighthouse', 'vc'] }))?.role, 'validator');
    assert.equal(clientOf(container({ image: 'sigp/lighthouse:v5', args: ['lighthouse', 'bn'] }))?.role, 'consensus');
    assert.equal(clientOf(container({ image: 'consensys/teku:24', args: ['validator-client', '--network=mainnet'] }))?.role, 'validator');
    assert.equal(clientOf(container({ image: 'anzaxyz/agave:v2', args: ['--vote-account', '/keys/vote.json'] }))?.role, 'validator');
    assert.equal(clientOf(container({ image: 'anzaxyz/agave:v2', args: ['--no-voting'] }))?.role, 'node');
  });
});

describe('nodeContainers', () => {
  it('finds nodes by image, by conventional port, or by the role label; never signers', () => {
    const byImage = pod([
      { name: 'geth', image: 'ethereum/client-go:v1' },
      { name: 'proxy', image: 'envoyproxy/envoy:v1.30' },
    ]);
    assert.deepEqual(
      nodeContainers(byImage, podSpecOf(byImage)!, containersOf(podSpecOf(byImage)!)).map((n) => n.container.name),
      ['geth'],
    );
    const byPort = pod([{ name: 'node', image: 'registry.example.com/chain/node:1', ports: [{ containerPort: 8545 }] }]);
    assert.equal(nodeContainers(byPort, podSpecOf(byPort)!, containersOf(podSpecOf(byPort)!)).length, 1);
    const byLabel = pod([{ name: 'node', image: 'registry.example.com/chain/node:1' }], { 'fintech-k8s.io/role': 'node' });
    assert.equal(nodeContainers(byLabel, podSpecOf(byLabel)!, containersOf(podSpecOf(byLabel)!)).length, 1);
    const signer = pod([{ name: 'signer', image: 'consensys/web3signer:24' }]);
    assert.equal(nodeContainers(signer, podSpecOf(signer)!, containersOf(podSpecOf(signer)!)).length, 0);
    assert.equal(signerContainers(containersOf(podSpecOf(signer)!)).length, 1);
    const app = pod([{ name: 'api', image: 'registry.example.com/payments/api:1', ports: [{ containerPort: 9090 }] }]);
    assert.equal(nodeContainers(app, podSpecOf(app)!, containersOf(podSpecOf(app)!)).length, 0);
  });
});

describe('flags', () => {
  it('reads --flag=value, --flag value, single-dash flags, sh -c scripts and BESU_/TEKU_/WEB3SIGNER_ env', () => {
    const c = container({
      image: 'hyperledger/besu:24',
      command: ['sh', '-c', 'exec besu --rpc-http-host "0.0.0.0" --rpc-http-api=ETH,ADMIN'],
      args: ['-rpcbind=1.2.3.4', '--http.vhosts', '*'],
      env: [{ name: 'BESU_HOST_ALLOWLIST', value: '*' }],
    });
    assert.equal(findFlag(c, ['rpc-http-host'])?.value, '0.0.0.0');
    assert.deepEqual(findFlag(c, ['rpc-http-host'])?.path, ['spec', 'containers', 0, 'command', 2]);
    assert.equal(findFlag(c, ['rpc-http-api'])?.value, 'ETH,ADMIN');
    assert.equal(findFlag(c, ['rpcbind'])?.value, '1.2.3.4');
    assert.equal(findFlag(c, ['http.vhosts'])?.value, '*');
    assert.deepEqual(findFlag(c, ['host-allowlist'])?.path, ['spec', 'containers', 0, 'env', 0, 'value']);
    assert.ok(flagsOf(c).every((f) => f.name === f.name.toLowerCase()));
  });

  it('reads geth’s pre-1.10 spellings as the current flags, keeping the spelling for messages', () => {
    const c = container({
      image: 'quorumengineering/quorum:22.7.1',
      args: ['--rpc', '--rpcaddr=0.0.0.0', '--rpcapi', 'admin,eth', '--wsorigins=*', '--pprof', '--pprofaddr=0.0.0.0', '--pprofport=6061'],
    });
    assert.deepEqual(
      flagsOf(c).map((f) => f.name),
      ['http', 'http.addr', 'http.api', 'ws.origins', 'pprof', 'pprof.addr', 'pprof.port'],
    );
    assert.equal(findFlag(c, ['http.api'])?.raw, '--rpcapi admin,eth');
  });

  it('splits scripts into words at their offsets: line continuations, quotes, `;` and comments are not values', () => {
    const script = [
      'RPC_APIS=admin,eth',
      'args="--mine --allow-insecure-unlock ";',
      'geth \\',
      '  --rpccorsdomain "*" \\',
      '  # --rpcvhosts "*"',
      '  --rpcapi $RPC_APIS \\',
      '  --nodiscover',
      'echo started',
    ].join('\n');
    const c = container({ image: 'ethereum/client-go:v1.9.25', command: ['sh', '-c', script] });
    const unlock = findFlag(c, ['allow-insecure-unlock'])!;
    assert.equal(unlock.value, undefined);
    assert.equal(script.slice(unlock.within!.start, unlock.within!.end), '--allow-insecure-unlock');
    assert.equal(findFlag(c, ['http.corsdomain'])?.value, '*');
    assert.equal(findFlag(c, ['http.vhosts']), undefined, 'commented out');
    assert.equal(findFlag(c, ['http.api'])?.value, 'admin,eth', 'the variable set earlier in the script');
    assert.equal(findFlag(c, ['nodiscover'])?.value, undefined, 'the next line is another command');
  });

  it('tells wildcard addresses and allow-lists from specific ones', () => {
    for (const v of ['0.0.0.0', '::', '[::]', '0.0.0.0:8551', 'tcp://0.0.0.0:26657', ':6060', 'tcp://:26657', '*'])
      assert.ok(isWildcardAddress(v), v);
    for (const v of ['127.0.0.1', '$(POD_IP)', '10.0.0.5:8545', 'localhost', 'geth.blockchain.svc']) assert.ok(!isWildcardAddress(v), v);
    assert.ok(isWildcardList('*'));
    assert.ok(isWildcardList('geth,*'));
    assert.ok(isWildcardList('all'));
    assert.ok(!isWildcardList('geth,geth.blockchain.svc'));
  });
});

describe('key material', () => {
  const KEY = '14577f22ceec687cc388f5fe6211b05e097bf030a1f2d34a55c91bcb8524b1a9';

  it('recognises key files by name', () => {
    for (const name of [
      'priv_validator_key.json',
      'node_key.json',
      'jwt.hex',
      'UTC--2024-05-01T10-00-00Z--5aeda562',
      'keystore-m_12381_3600_0_0_0-1714557600.json',
      'nodekey',
    ])
      assert.ok(keyFileKind(name), name);
    for (const name of ['priv_validator_state.json', 'config.toml', 'client-keystore.p12', 'tls.key', 'deposit_data-1714557600.json'])
      assert.equal(keyFileKind(name), undefined, name);
  });

  it('finds 64-hex keys under key or neutral names, never under hash/root/public names or after a digest prefix', () => {
    assert.equal(findKeyMaterial(`0x${KEY}`, 'SIGNER_KEY')[0]?.kind, 'a 64-hex private key');
    assert.equal(findKeyMaterial(KEY, 'ops/value')[0]?.kind, 'a 64-hex private key');
    assert.equal(findKeyMaterial(`WALLET_PRIVATE_KEY=${KEY}\n`, 'wallet.env').length, 1);
    assert.ok(!findKeyMaterial(`0x${KEY}`, 'SIGNER_KEY')[0].masked.includes(KEY.slice(4)), 'masked');
    for (const [value, name] of [
      [KEY, 'GENESIS_HASH'],
      [KEY, 'checksum/config'],
      [KEY, 'VALIDATOR_PUBKEY'],
      [`image: geth@sha256:${KEY}`, 'images'],
      [`rpcauth=wallet:cb77f0957de88ff388cf817ddbc7273$${KEY}`, 'bitcoin.conf'],
      [`assumevalid=00000000000000000001${KEY.slice(20)}`, 'bitcoin.conf'],
      ['0x' + 'ab'.repeat(32), 'SIGNER_KEY'],
    ])
      assert.deepEqual(findKeyMaterial(value, name), [], `${name}: ${value}`);
  });

  it('finds checksum-valid BIP-39 phrases and CometBFT / keystore JSON', () => {
    assert.match(
      findKeyMaterial('amount era quiz horse endorse remind uncle silver scheme era undo rigid', 'x')[0]?.kind ?? '',
      /12-word BIP-39/,
    );
    assert.deepEqual(findKeyMaterial('test test test test test test test test test test test junk', 'MNEMONIC'), []);
    assert.deepEqual(findKeyMaterial('amount era quiz horse endorse remind uncle silver scheme era undo undo', 'x'), []);
    assert.equal(findKeyMaterial('{"priv_key": {"type": "tendermint/PrivKeyEd25519", "value": "x"}}', 'k').length, 1);
    assert.equal(findKeyMaterial('{"crypto":{"ciphertext":"00","kdf":"scrypt"},"version":3}', 'k').length, 1);
  });
});

describe('HSM credentials', () => {
  it('flags PINs and KMS secrets by name, not references, settings or placeholders', () => {
    for (const [name, value] of [
      ['HSM_PIN', '1234'],
      ['PKCS11_PIN', '71942083'],
      ['CKU_USER_PIN', '20240611'],
      ['SO_PIN', '11223344'],
      ['HSM_PIN_FILE', '992817'],
      ['KMS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG'],
      ['AzureKeyVaultClientSecret', 'Zx8Q~h2LkP0rTq9v'],
      ['LUNA_PARTITION_PASSWORD', 'partition-pass'],
      ['KEY_URI', 'pkcs11:token=t;object=k?pin-value=31337'],
    ])
      assert.ok(isHsmCredential(name, value), `${name}=${value}`);
    for (const [name, value] of [
      ['HSM_PIN_FILE', '/var/run/secrets/hsm/pin'],
      ['KMS_CREDENTIALS_FILE', '/var/run/secrets/kms.json'],
      ['HSM_PIN_LENGTH', '8'],
      ['KMS_KEY_ID', 'arn:aws:kms:eu-west-1:1:key/abc'],
      ['PIN_BLOCK_FORMAT', 'ISO-0'],
      ['PIN', '1234'],
      ['DB_PASSWORD', 'hunter2'],
      ['HSM_PASSWORD', '${HSM_PASSWORD}'],
      ['HSM_PIN', ''],
      ['KEY_URI', 'pkcs11:token=t;object=k?pin-source=file:/run/pin'],
    ])
      assert.ok(!isHsmCredential(name, value), `${name}=${value}`);
  });

  it('reads PINs and passwords inside HSM configuration files', () => {
    assert.deepEqual(hsmCredentialsInFile('library = /usr/lib/softhsm/libsofthsm2.so\nslot = 0\npin = 86420913\n'), ['pin']);
    assert.deepEqual(hsmCredentialsInFile('[[providers.yubihsm]]\nauth = { key = 1, password = "p4ss" }\n'), ['password']);
    assert.deepEqual(hsmCredentialsInFile('spring.datasource.password=hunter2\n'), []);
    assert.deepEqual(hsmCredentialsInFile('library = /usr/lib/softhsm/libsofthsm2.so\npin-source = /run/pin\n'), []);
  });
});
