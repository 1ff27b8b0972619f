import { containersOf, podSpecOf, type ContainerAt, ownValue } from '../../objects';
import type { Rule } from '../../types';
import { flagsOf, isWildcardAddress, isWildcardList, nodeContainers, signerContainers, switchOn, type Flag } from './nodes';

/** Flags that choose the RPC listen address (geth/erigon/reth/bor, legacy geth, Besu, Nethermind, bitcoind). */
const BIND_FLAGS = new Set(['http.addr', 'ws.addr', 'rpcaddr', 'wsaddr', 'rpc-http-host', 'rpc-ws-host', 'jsonrpc.host', 'rpcbind']);
/** Flags that list the JSON-RPC namespaces served. */
const API_FLAGS = new Set([
  'http.api',
  'ws.api',
  'rpcapi',
  'wsapi',
  'rpc-http-api',
  'rpc-ws-api',
  'rpc-http-apis',
  'rpc-ws-apis',
  'jsonrpc.enabledmodules',
]);
/** Namespaces that manage the node, its accounts or its mining: never for untrusted callers. */
const DANGEROUS_APIS = new Set(['admin', 'personal', 'debug', 'miner', 'all', '*']);
/** CORS origins and Host allow-lists that `*` opens to any web page (DNS rebinding). */
const ALLOW_LIST_FLAGS = new Set([
  'http.corsdomain',
  'rpccorsdomain',
  'ws.origins',
  'wsorigins',
  'graphql.corsdomain',
  'http.vhosts',
  'rpcvhosts',
  'graphql.vhosts',
  'rpc-http-cors-origins',
  'host-allowlist',
  'jsonrpc.corsorigins',
  'rest-api-cors-origins',
  'rest-api-host-allowlist',
  'http-cors-origins',
  'http-host-allowlist',
]);
/** Switches that are unsafe whatever else is set. */
const UNSAFE_SWITCHES: Record<string, string> = {
  'allow-insecure-unlock': 'lets RPC callers unlock accounts over HTTP',
  'rpc.allow-unprotected-txs': 'accepts transactions without replay protection (EIP-155)',
  'rpc-allow-unprotected-txs': 'accepts transactions without replay protection (EIP-155)',
  'rpc.unsafe': 'enables CometBFT unsafe RPC methods (dial_peers, unsafe_flush_mempool…)',
};

function dangerousApis(flag: Flag): string[] {
  return (flag.value ?? '')
    .split(/[,\s]+/)
    .map((api) =>
      api
        .trim()
        .replace(/^["'[]|["'\]]$/g, '')
        .toLowerCase(),
    )
    .filter((api) => DANGEROUS_APIS.has(api));
}

export const rpcUnsafeFlags: Rule = {
  id: 'rpc-unsafe-flags',
  group: 'blockchain',
  title: 'Node RPC must not run with unsafe flags',
  severity: 'error',
  rationale:
    'Admin, personal, debug and miner namespaces on an RPC bound to every interface, wildcard CORS or Host allow-lists, and insecure account unlocking are how exchange hot wallets have been drained through their own nodes.',
  remediation:
    'Bind RPC to the pod IP (`$(POD_IP)`) or localhost, serve only `eth,net,web3`, list real host names in `--http.vhosts` / `--http-host-allowlist` and real origins in CORS flags, and drop `--allow-insecure-unlock`, `--rpc.allow-unprotected-txs` and `--rpc.unsafe`. Sign with a remote signer, not an unlocked node account.',
  references: { pci: ['2.2.4', '2.2.5'] },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    const all = containersOf(pod);
    const containers = new Set<ContainerAt>([
      ...nodeContainers(object, pod, all).map((n) => n.container),
      ...signerContainers(all).map((s) => s.container),
    ]);
    for (const container of containers) {
      const flags = flagsOf(container);
      const wildcardBind = flags.find((f) => BIND_FLAGS.has(f.name) && isWildcardAddress(f.value));
      for (const flag of flags) {
        if (wildcardBind && API_FLAGS.has(flag.name)) {
          const apis = dangerousApis(flag);
          if (apis.length > 0)
            context.report({
              path: flag.path,
              message: `${container.label} serves the ${apis.join(', ')} RPC namespace${apis.length > 1 ? 's' : ''} on every interface (${wildcardBind.raw}).`,
            });
        } else if (ALLOW_LIST_FLAGS.has(flag.name) && isWildcardList(flag.value)) {
          context.report({ path: flag.path, message: `${container.label} sets ${flag.raw}: any origin or Host header is accepted.` });
        } else if (flag.name === 'rpcallowip' && /^(0\.0\.0\.0\/0|::\/0)$/.test((flag.value ?? '').trim())) {
          context.report({ path: flag.path, message: `${container.label} sets ${flag.raw}: RPC accepts connections from any address.` });
        } else if (ownValue(UNSAFE_SWITCHES, flag.name) && switchOn(flag)) {
          context.report({ path: flag.path, message: `${container.label} sets ${flag.raw}, which ${UNSAFE_SWITCHES[flag.name]}.` });
        }
      }
    }
  },
};
