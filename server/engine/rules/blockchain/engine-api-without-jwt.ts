import { containersOf, podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { findFlag, flagsOf, isWildcardAddress, switchOn } from './nodes';

interface EngineSide {
  /** Flags that turn on or configure the Engine API. */
  uses: readonly string[];
  /** Flags that give it the shared JWT secret. */
  jwt: readonly string[];
  /** Flags that set its listen address (execution clients). */
  bind: readonly string[];
  /** Flags that carry the execution endpoint URL (consensus clients); IPC paths need no JWT. */
  endpoint?: readonly string[];
}

const SIDES: EngineSide[] = [
  // geth, erigon, reth, bor, op-geth
  { uses: ['authrpc.addr', 'authrpc.port', 'authrpc.vhosts'], jwt: ['authrpc.jwtsecret'], bind: ['authrpc.addr'] },
  // Nethermind
  { uses: ['jsonrpc.enginehost', 'jsonrpc.engineport'], jwt: ['jsonrpc.jwtsecretfile'], bind: ['jsonrpc.enginehost'] },
  // Besu
  { uses: ['engine-rpc-enabled', 'engine-rpc-port', 'engine-host-allowlist'], jwt: ['engine-jwt-secret'], bind: [] },
  // Consensus clients: Lighthouse, Prysm, Teku, Nimbus, Lodestar
  {
    uses: ['execution-endpoint', 'execution-endpoints', 'ee-endpoint', 'web3-url', 'el', 'execution.urls'],
    jwt: ['execution-jwt', 'jwt-secret', 'ee-jwt-secret-file', 'jwtsecret', 'execution-jwt-secret-key'],
    bind: [],
    endpoint: ['execution-endpoint', 'execution-endpoints', 'ee-endpoint', 'web3-url', 'el', 'execution.urls'],
  },
];

export const engineApiWithoutJwt: Rule = {
  id: 'engine-api-without-jwt',
  group: 'blockchain',
  title: 'The Engine API must be authenticated with a JWT secret and not bound to every interface',
  severity: 'error',
  rationale:
    'The Engine API lets its caller choose the chain head the execution client follows; without the shared JWT secret, or listening on every interface, any pod that reaches port 8551 can feed the node a fork and stall deposits and withdrawals.',
  remediation:
    'Pass the shared secret on both sides (`--authrpc.jwtsecret=/secrets/jwt/jwt.hex` and the consensus client’s `--execution-jwt` / `--jwt-secret`) from a mounted Secret, and bind `--authrpc.addr` to the pod IP, not 0.0.0.0.',
  references: { pci: ['8.3.1'] },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    for (const container of containersOf(pod)) {
      if (container.list === 'ephemeralContainers' || flagsOf(container).length === 0) continue;
      for (const side of SIDES) {
        const used = flagsOf(container).find((f) => side.uses.includes(f.name));
        if (!used) continue;
        const bind = findFlag(container, side.bind);
        if (bind && isWildcardAddress(bind.value)) {
          context.report({
            path: bind.path,
            within: bind.within,
            message: `${container.label} binds the Engine API to every interface (${bind.raw}).`,
          });
        }
        if (side.endpoint) {
          const endpoint = findFlag(container, side.endpoint);
          if (!endpoint || !/^(https?|wss?):\/\//i.test(endpoint.value ?? '')) continue;
        }
        if (used.name === 'engine-rpc-enabled' && !switchOn(used)) continue;
        if (findFlag(container, side.jwt)?.value) continue;
        context.report({
          path: used.path,
          within: used.within,
          message: `${container.label} uses the Engine API (${used.raw}) without a JWT secret.`,
        });
      }
      const disabled = findFlag(container, ['engine-jwt-disabled']);
      if (switchOn(disabled))
        context.report({
          path: disabled!.path,
          within: disabled!.within,
          message: `${container.label} turns Engine API authentication off (${disabled!.raw}).`,
        });
    }
  },
};
