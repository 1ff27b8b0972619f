import { containersOf, podSpecOf, type ContainerAt, ownValue } from '../../objects';
import type { Rule } from '../../types';
import { flagsOf, isWildcardAddress, isWildcardList, nodeContainers, signerContainers, switchOn, type Flag } from './nodes';

/**
 * The RPC transports and the flags that bind them and list their namespaces (geth/erigon/reth/bor,
 * Besu, Nethermind, bitcoind; geth's pre-1.10 `--rpcaddr`/`--wsapi` arrive renamed by flagsOf).
 * Nethermind's `--JsonRpc.Host` binds both.
 */
const TRANSPORTS: { bind: ReadonlySet<string>; api: ReadonlySet<string> }[] = [
  {
    bind: new Set(['http.addr', 'rpc-http-host', 'jsonrpc.host', 'rpcbind']),
    api: new Set(['http.api', 'rpc-http-api', 'rpc-http-apis', 'jsonrpc.enabledmodules']),
  },
  { bind: new Set(['ws.addr', 'rpc-ws-host', 'jsonrpc.host']), api: new Set(['ws.api', 'rpc-ws-api', 'rpc-ws-apis']) },
];
/** Namespaces that manage the node, its accounts or its mining: never for untrusted callers. */
const DANGEROUS_APIS = new Set(['admin', 'personal', 'debug', 'miner', 'all', '*']);
/** CORS origins and Host allow-lists that `*` opens to any web page (DNS rebinding). */
const ALLOW_LIST_FLAGS = new Set([
  'http.corsdomain',
  'ws.origins',
  'graphql.corsdomain',
  'http.vhosts',
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

/** The last of the flags named (the one the client keeps). */
function findFlagIn(flags: readonly Flag[], names: ReadonlySet<string>): Flag | undefined {
  for (let i = flags.length - 1; i >= 0; i--) if (names.has(flags[i].name)) return flags[i];
  return undefined;
}

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
      // A flag written twice (or a script that repeats a command line) is one problem.
      const seen = new Set<string>();
      const report = (flag: Flag, message: string) => {
        const key = `${flag.name}=${flag.value ?? ''}`;
        if (seen.has(key)) return;
        seen.add(key);
        context.report({ path: flag.path, within: flag.within, message: `${container.label} ${message}` });
      };
      for (const flag of flags) {
        const transport = TRANSPORTS.find((t) => t.api.has(flag.name));
        if (transport) {
          const bind = findFlagIn(flags, transport.bind);
          const apis = bind && isWildcardAddress(bind.value) ? dangerousApis(flag) : [];
          if (apis.length > 0)
            report(
              flag,
              `serves the ${apis.join(', ')} RPC namespace${apis.length > 1 ? 's' : ''} on every interface (${flag.raw}, ${bind!.raw}).`,
            );
        } else if (ALLOW_LIST_FLAGS.has(flag.name) && isWildcardList(flag.value)) {
          report(flag, `sets ${flag.raw}: any origin or Host header is accepted.`);
        } else if (flag.name === 'rpcallowip' && /^(0\.0\.0\.0\/0|::\/0)$/.test((flag.value ?? '').trim())) {
          report(flag, `sets ${flag.raw}: RPC accepts connections from any address.`);
        } else if (ownValue(UNSAFE_SWITCHES, flag.name) && switchOn(flag)) {
          report(flag, `sets ${flag.raw}, which ${UNSAFE_SWITCHES[flag.name]}.`);
        }
      }
    }
  },
};
