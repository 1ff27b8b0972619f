// Recognising blockchain software in pod specs, shared by the blockchain rules: which containers run
// a node client (by image, by the binary they start, by the ports they declare, or because the pod
// is labelled `fintech-k8s.io/role: node`), which run a remote signer, and the command-line flags
// they are started with.
import {
  asArray,
  asMap,
  asString,
  containersOf,
  labelsOf,
  ownValue,
  podLabelsOf,
  podSpecOf,
  type ContainerAt,
  type PodSpecAt,
} from '../../objects';
import type { K8sObject, Path, Span } from '../../types';
import { parseImageRef } from '../images/image-ref';

export type ClientRole = 'execution' | 'consensus' | 'node' | 'validator' | 'signer';

export interface Client {
  /** The client's usual name: geth, lighthouse, bitcoind, web3signer… */
  name: string;
  chain: string;
  role: ClientRole;
}

export const NODE_ROLE_LABEL = 'fintech-k8s.io/role';

function c(name: string, chain: string, role: ClientRole): Client {
  return { name, chain, role };
}

/**
 * Image repository path components (exact, lower case) that name a client. Exact components keep
 * look-alikes out: `bitcoind-exporter` or `geth-dashboard` are not nodes.
 */
const IMAGE_COMPONENTS: Record<string, Client> = {
  geth: c('geth', 'ethereum', 'execution'),
  'go-ethereum': c('geth', 'ethereum', 'execution'),
  'op-geth': c('op-geth', 'optimism', 'execution'),
  nethermind: c('nethermind', 'ethereum', 'execution'),
  erigon: c('erigon', 'ethereum', 'execution'),
  besu: c('besu', 'ethereum', 'execution'),
  reth: c('reth', 'ethereum', 'execution'),
  'op-reth': c('op-reth', 'optimism', 'execution'),
  bor: c('bor', 'polygon', 'execution'),
  // GoQuorum, the geth fork Quorum networks run (quorumengineering/quorum).
  quorum: c('goquorum', 'ethereum', 'execution'),
  avalanchego: c('avalanchego', 'avalanche', 'node'),
  lighthouse: c('lighthouse', 'ethereum', 'consensus'),
  teku: c('teku', 'ethereum', 'consensus'),
  prysm: c('prysm', 'ethereum', 'consensus'),
  'beacon-chain': c('prysm', 'ethereum', 'consensus'),
  'nimbus-eth2': c('nimbus', 'ethereum', 'consensus'),
  nimbus: c('nimbus', 'ethereum', 'consensus'),
  lodestar: c('lodestar', 'ethereum', 'consensus'),
  grandine: c('grandine', 'ethereum', 'consensus'),
  bitcoind: c('bitcoind', 'bitcoin', 'node'),
  bitcoin: c('bitcoind', 'bitcoin', 'node'),
  'bitcoin-core': c('bitcoind', 'bitcoin', 'node'),
  btcd: c('btcd', 'bitcoin', 'node'),
  litecoind: c('litecoind', 'litecoin', 'node'),
  zcashd: c('zcashd', 'zcash', 'node'),
  solana: c('solana-validator', 'solana', 'node'),
  'solana-validator': c('solana-validator', 'solana', 'node'),
  agave: c('agave-validator', 'solana', 'node'),
  'agave-validator': c('agave-validator', 'solana', 'node'),
  'jito-solana': c('agave-validator', 'solana', 'node'),
  gaia: c('gaiad', 'cosmos', 'node'),
  gaiad: c('gaiad', 'cosmos', 'node'),
  cosmovisor: c('cosmovisor', 'cosmos', 'node'),
  osmosis: c('osmosisd', 'osmosis', 'node'),
  osmosisd: c('osmosisd', 'osmosis', 'node'),
  'celestia-app': c('celestia-appd', 'celestia', 'node'),
  cometbft: c('cometbft', 'cosmos', 'node'),
  tendermint: c('tendermint', 'cosmos', 'node'),
  polkadot: c('polkadot', 'polkadot', 'node'),
  'polkadot-parachain': c('polkadot-parachain', 'polkadot', 'node'),
  'cardano-node': c('cardano-node', 'cardano', 'node'),
  octez: c('octez-node', 'tezos', 'node'),
  rippled: c('rippled', 'xrpl', 'node'),
  'stellar-core': c('stellar-core', 'stellar', 'node'),
  'fabric-peer': c('fabric-peer', 'fabric', 'node'),
  'fabric-orderer': c('fabric-orderer', 'fabric', 'node'),
  web3signer: c('web3signer', 'ethereum', 'signer'),
  tmkms: c('tmkms', 'cosmos', 'signer'),
  horcrux: c('horcrux', 'cosmos', 'signer'),
  dirk: c('dirk', 'ethereum', 'signer'),
};

/** Multi-component repositories whose last component alone is too generic. */
const IMAGE_PATHS: [RegExp, Client][] = [
  [/(?:^|\/)ethereum\/client-go$/, c('geth', 'ethereum', 'execution')],
  [/(?:^|\/)prysm\/validator$/, c('prysm', 'ethereum', 'validator')],
  [/(?:^|\/)parity\/(?:polkadot|substrate)$/, c('polkadot', 'polkadot', 'node')],
];

/** The binary a container starts (command[0], basename), for images built in-house. */
const BINARIES: Record<string, Client> = {
  geth: IMAGE_COMPONENTS.geth,
  nethermind: IMAGE_COMPONENTS.nethermind,
  'nethermind.runner': IMAGE_COMPONENTS.nethermind,
  erigon: IMAGE_COMPONENTS.erigon,
  besu: IMAGE_COMPONENTS.besu,
  reth: IMAGE_COMPONENTS.reth,
  bor: IMAGE_COMPONENTS.bor,
  avalanchego: IMAGE_COMPONENTS.avalanchego,
  lighthouse: IMAGE_COMPONENTS.lighthouse,
  teku: IMAGE_COMPONENTS.teku,
  'beacon-chain': IMAGE_COMPONENTS.prysm,
  nimbus_beacon_node: IMAGE_COMPONENTS.nimbus,
  nimbus_validator_client: c('nimbus', 'ethereum', 'validator'),
  lodestar: IMAGE_COMPONENTS.lodestar,
  bitcoind: IMAGE_COMPONENTS.bitcoind,
  btcd: IMAGE_COMPONENTS.btcd,
  litecoind: IMAGE_COMPONENTS.litecoind,
  zcashd: IMAGE_COMPONENTS.zcashd,
  'solana-validator': IMAGE_COMPONENTS['solana-validator'],
  'agave-validator': IMAGE_COMPONENTS['agave-validator'],
  gaiad: IMAGE_COMPONENTS.gaiad,
  cosmovisor: IMAGE_COMPONENTS.cosmovisor,
  osmosisd: IMAGE_COMPONENTS.osmosisd,
  'celestia-appd': IMAGE_COMPONENTS['celestia-app'],
  cometbft: IMAGE_COMPONENTS.cometbft,
  tendermint: IMAGE_COMPONENTS.tendermint,
  polkadot: IMAGE_COMPONENTS.polkadot,
  'cardano-node': IMAGE_COMPONENTS['cardano-node'],
  'octez-node': IMAGE_COMPONENTS.octez,
  rippled: IMAGE_COMPONENTS.rippled,
  'stellar-core': IMAGE_COMPONENTS['stellar-core'],
  web3signer: IMAGE_COMPONENTS.web3signer,
  tmkms: IMAGE_COMPONENTS.tmkms,
  horcrux: IMAGE_COMPONENTS.horcrux,
  dirk: IMAGE_COMPONENTS.dirk,
};

/** Node RPC / API ports (the catalogue's list for rpc-port-exposed). */
export const RPC_PORTS: ReadonlyMap<number, string> = new Map([
  [8545, 'EVM JSON-RPC'],
  [8546, 'EVM WebSocket RPC'],
  [8551, 'EVM Engine API'],
  [8332, 'Bitcoin RPC'],
  [8899, 'Solana RPC'],
  [8900, 'Solana WebSocket RPC'],
  [26657, 'CometBFT RPC'],
  [1317, 'Cosmos REST (LCD)'],
  [9090, 'Cosmos gRPC'],
  [9944, 'Substrate RPC'],
  [9933, 'Substrate HTTP RPC'],
  [5052, 'beacon node API'],
]);

/** RPC ports other software also uses (Prometheus on 9090): only counted on a recognised node. */
export const AMBIGUOUS_RPC_PORTS: ReadonlySet<number> = new Set([1317, 9090]);

/** Ports that identify a node on their own: RPC and P2P ports no common software shares. */
const NODE_PORTS = new Set([
  8545, 8546, 8551, 30303, 8332, 8333, 18332, 18333, 8899, 8900, 26656, 26657, 9944, 9933, 30333, 5052, 7050, 7051,
]);

export interface NodeInfo {
  container: ContainerAt;
  /** Undefined when only the ports or the role label mark the container as a node. */
  client?: Client;
}

const clientCache = new Map<string, Client | null>();

/** The client an image runs, by its repository path; undefined for anything else. */
export function clientOfImage(image: string): Client | undefined {
  let cached = clientCache.get(image);
  if (cached === undefined) {
    cached = findClient(image) ?? null;
    if (clientCache.size > 5000) clientCache.clear();
    clientCache.set(image, cached);
  }
  return cached ?? undefined;
}

function findClient(image: string): Client | undefined {
  const parsed = parseImageRef(image.trim());
  const repository = (parsed.ok ? parsed.ref.repository : image.split(/[@:]/)[0]).toLowerCase();
  const components = repository.split('/');
  if (components.some((component) => component.includes('exporter'))) return undefined;
  for (const [pattern, client] of IMAGE_PATHS) if (pattern.test(repository)) return client;
  for (let i = components.length - 1; i >= 0; i--) {
    const client = ownValue(IMAGE_COMPONENTS, components[i]);
    if (client) return client;
  }
  return undefined;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).toLowerCase();
}

const containerClients = new WeakMap<ContainerAt, Client | null>();

/** The client a container runs, by image or by the binary it starts. */
export function clientOf(container: ContainerAt): Client | undefined {
  let client = containerClients.get(container);
  if (client === undefined) containerClients.set(container, (client = findContainerClient(container) ?? null));
  return client ?? undefined;
}

function findContainerClient(container: ContainerAt): Client | undefined {
  const image = asString(container.container.image);
  const fromImage = image ? clientOfImage(image) : undefined;
  const command = asString(asArray(container.container.command)[0]);
  const fromBinary = command ? ownValue(BINARIES, basename(command)) : undefined;
  const client = fromImage ?? fromBinary;
  if (!client) return undefined;
  // A consensus client started as a validator client signs: it is a validator, not a beacon node.
  if (client.role === 'consensus' && startsValidatorClient(container)) return { ...client, role: 'validator' };
  if (client.chain === 'solana' && hasFlag(container, ['vote-account'])) return { ...client, role: 'validator' };
  return client;
}

const VALIDATOR_SUBCOMMANDS = new Set(['vc', 'validator', 'validator_client', 'validator-client']);

function startsValidatorClient(container: ContainerAt): boolean {
  const words = [...asArray(container.container.command).slice(1), ...asArray(container.container.args)]
    .map((w) => asString(w) ?? '')
    .flatMap((w) => w.split(/\s+/));
  // Images without an entrypoint take the binary as the first argument: `lighthouse vc`.
  const first = words.find((w) => w && !w.startsWith('-') && !ownValue(BINARIES, basename(w)));
  return first !== undefined && VALIDATOR_SUBCOMMANDS.has(first.toLowerCase());
}

function declaresNodePort(container: ContainerAt): boolean {
  return asArray(container.container.ports).some((p) => NODE_PORTS.has(asMap(p)?.containerPort as number));
}

/** Whether the pod template (or the workload) carries `fintech-k8s.io/role: node`. */
export function hasNodeLabel(object: K8sObject, pod: PodSpecAt): boolean {
  return podLabelsOf(pod)[NODE_ROLE_LABEL] === 'node' || labelsOf(object.value)[NODE_ROLE_LABEL] === 'node';
}

const nodeCache = new WeakMap<PodSpecAt, NodeInfo[]>();

/**
 * The containers of a pod that run a blockchain node (signers excluded): recognised by client image
 * or binary, or by declaring a conventional node port. When the pod is labelled as a node but no
 * container is recognised, its app containers count (an in-house image).
 */
export function nodeContainers(object: K8sObject, pod: PodSpecAt, all: readonly ContainerAt[]): NodeInfo[] {
  let result = nodeCache.get(pod);
  if (result) return result;
  result = [];
  for (const container of all) {
    if (container.list === 'ephemeralContainers') continue;
    const client = clientOf(container);
    if (client?.role === 'signer') continue;
    if (client || declaresNodePort(container)) result.push({ container, client });
  }
  if (result.length === 0 && hasNodeLabel(object, pod)) {
    for (const container of all) if (container.list === 'containers') result.push({ container });
  }
  nodeCache.set(pod, result);
  return result;
}

/** Containers running a remote signer (web3signer, tmkms, horcrux, dirk). */
export function signerContainers(all: readonly ContainerAt[]): { container: ContainerAt; client: Client }[] {
  const result: { container: ContainerAt; client: Client }[] = [];
  for (const container of all) {
    if (container.list === 'ephemeralContainers') continue;
    const client = clientOf(container);
    if (client?.role === 'signer') result.push({ container, client });
  }
  return result;
}

/** Whether any pod-running object of the workspace list is a node (used for Services' targets). */
export function isNodeWorkload(object: K8sObject, options: { byPortOnly?: boolean } = {}): boolean {
  const pod = podSpecOf(object);
  if (!pod) return false;
  const infos = nodeContainers(object, pod, containersOf(pod));
  if (options.byPortOnly) return infos.length > 0;
  return infos.some((info) => info.client) || hasNodeLabel(object, pod);
}

// ---------------------------------------------------------------------------------------------------
// Command-line flags

export interface Flag {
  /**
   * Lower case, without leading dashes, in its current spelling: `http.addr`, `rpcbind`, `jsonrpc.host`
   * (geth's pre-1.10 `--rpcaddr` reads as `http.addr`, `--pprofaddr` as `pprof.addr`).
   */
  name: string;
  /** The value after `=` or the following word, shell variables set earlier in the script filled in; undefined for a bare switch. */
  value?: string;
  /** The command/args item (or env value) it was read from. */
  path: Path;
  /** Offsets of the flag inside that item when the item is a script of several words. */
  within?: Span;
  /** As written (with its value), for messages. */
  raw: string;
}

/**
 * geth's flags before 1.10 (still accepted by Quorum/GoQuorum, bor and older forks, and by Prysm for
 * pprof): the rules know the current spelling only, so the old one is read as the new.
 */
const LEGACY_FLAGS: Record<string, string> = {
  rpc: 'http',
  rpcaddr: 'http.addr',
  rpcport: 'http.port',
  rpcapi: 'http.api',
  rpccorsdomain: 'http.corsdomain',
  rpcvhosts: 'http.vhosts',
  wsaddr: 'ws.addr',
  wsport: 'ws.port',
  wsapi: 'ws.api',
  wsorigins: 'ws.origins',
  pprofaddr: 'pprof.addr',
  pprofport: 'pprof.port',
  minerthreads: 'miner.threads',
};

const flagCache = new WeakMap<ContainerAt, Flag[]>();

/** Env prefixes of clients that read every CLI option from `<PREFIX>_<OPTION>` (Besu, Teku, Web3Signer). */
const ENV_FLAG_PREFIXES = /^(BESU|TEKU|WEB3SIGNER)_([A-Z0-9_]+)$/;
/** Shell punctuation around a word: quotes, `;`, `&&`, `|`, a line continuation `\`, parentheses. */
const TRAILING_PUNCTUATION = /[;&|)\\"'`]/;
const LEADING_PUNCTUATION = /["'(`]/;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
const SHELL_VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

interface Word {
  text: string;
  path: Path;
  within?: Span;
  /** Shell variables assigned before this word in the same script. */
  variables?: ReadonlyMap<string, string>;
  /** The word ends its command (`;`, `&&`, `|`, or a line break without `\\`): the next word is no value of it. */
  endsCommand?: boolean;
}

/** The words of a script item with their offsets, shell punctuation trimmed, `NAME=value` assignments followed. */
function scriptWords(text: string, path: Path, words: Word[]): void {
  // Copied on each assignment, so every word keeps the variables as they were when it ran.
  let variables: ReadonlyMap<string, string> = new Map();
  let previous: Word | undefined;
  let commentEnd = -1;
  for (const match of text.matchAll(/\S+/g)) {
    if (match.index < commentEnd) continue;
    if (match[0].startsWith('#')) {
      // A shell comment runs to the end of its line.
      const newline = text.indexOf('\n', match.index);
      commentEnd = newline === -1 ? text.length : newline;
      continue;
    }
    const matchEnd = match.index + match[0].length;
    let start = match.index;
    let end = matchEnd;
    while (end > start && TRAILING_PUNCTUATION.test(text[end - 1])) end--;
    while (start < end && LEADING_PUNCTUATION.test(text[start])) start++;
    // A line break after the word ends the command unless the word is a `\\` continuation.
    const lineEnds = /^[ \t]*(?:\r?\n|$)/.test(text.slice(matchEnd, matchEnd + 64)) && !match[0].endsWith('\\');
    const endsCommand = /[;&|]/.test(text.slice(end, matchEnd)) || lineEnds;
    if (start >= end) {
      if (previous && /[;&|]/.test(match[0])) previous.endsCommand = true;
      continue;
    }
    const word = text.slice(start, end);
    const assignment = ASSIGNMENT.exec(word);
    if (assignment) variables = new Map(variables).set(assignment[1], expand(unquote(assignment[2]), variables));
    previous = { text: word, path, within: { start, end }, variables, endsCommand };
    words.push(previous);
  }
}

function expand(value: string, variables: ReadonlyMap<string, string> | undefined): string {
  if (!variables || variables.size === 0 || !value.includes('$')) return value;
  return value.replace(
    SHELL_VARIABLE,
    (whole, braced: string | undefined, bare: string | undefined) => variables.get(braced ?? bare!) ?? whole,
  );
}

function unquote(value: string): string {
  return value.replace(/^["']|["']$/g, '');
}

/**
 * A container's flags from command and args. Items with spaces (a `sh -c` script) are split into
 * words, each flag keeping its offset inside the item. `--flag=value` and `--flag value` both count;
 * a following word that starts with `-` is the next flag, not a value.
 */
export function flagsOf(container: ContainerAt): Flag[] {
  let flags = flagCache.get(container);
  if (flags) return flags;
  flags = [];
  const words: Word[] = [];
  for (const list of ['command', 'args'] as const) {
    asArray(container.container[list]).forEach((item, i) => {
      const text = typeof item === 'number' || typeof item === 'boolean' ? String(item) : asString(item);
      if (text === undefined) return;
      const path = [...container.path, list, i];
      if (!/\s/.test(text.trim())) words.push({ text: text.trim(), path });
      else scriptWords(text, path, words);
    });
  }
  for (let i = 0; i < words.length; i++) {
    const { text, path, within, variables } = words[i];
    if (!/^--?[A-Za-z]/.test(text)) continue;
    const body = text.replace(/^-+/, '');
    const eq = body.indexOf('=');
    if (eq !== -1) {
      const name = body.slice(0, eq).toLowerCase();
      const value = expand(unquote(body.slice(eq + 1)), variables);
      flags.push({ name: LEGACY_FLAGS[name] ?? name, value, path, within, raw: text });
      continue;
    }
    const name = body.toLowerCase();
    const next = words[i + 1];
    // The next word is this flag's value only when it follows in the same item or is the next item.
    const value =
      next && !next.text.startsWith('-') && !words[i].endsCommand && (next.path === path || !next.within) ? next.text : undefined;
    flags.push({
      name: LEGACY_FLAGS[name] ?? name,
      value: value === undefined ? undefined : expand(unquote(value), variables),
      path,
      within,
      raw: value === undefined ? text : `${text} ${value}`,
    });
  }
  asArray(container.container.env).forEach((item, i) => {
    const env = asMap(item);
    const name = asString(env?.name);
    const value = env?.value;
    if (!name || (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')) return;
    const match = ENV_FLAG_PREFIXES.exec(name);
    if (!match) return;
    flags.push({
      name: match[2].toLowerCase().replace(/_/g, '-'),
      value: String(value),
      path: [...container.path, 'env', i, 'value'],
      raw: `${name}=${value}`,
    });
  });
  flagCache.set(container, flags);
  return flags;
}

export function findFlag(container: ContainerAt, names: readonly string[]): Flag | undefined {
  const flags = flagsOf(container);
  for (let i = flags.length - 1; i >= 0; i--) if (names.includes(flags[i].name)) return flags[i];
  return undefined;
}

export function hasFlag(container: ContainerAt, names: readonly string[]): boolean {
  return findFlag(container, names) !== undefined;
}

/** A switch's state: `--x`, `--x=true` are on; `--x=false` is off. */
export function switchOn(flag: Flag | undefined): boolean {
  if (!flag) return false;
  if (flag.value === undefined || !/^(true|false|0|1)$/i.test(flag.value)) return true;
  return /^(true|1)$/i.test(flag.value);
}

/** An address that listens on every interface. */
export function isWildcardAddress(value: string | undefined): boolean {
  if (value === undefined) return false;
  const trimmed = value.trim().replace(/^["']|["']$/g, '');
  // `:8545` and `tcp://:26657` (Go listen syntax) listen on every interface too.
  if (/^(?:[a-z]+:\/\/)?:\d+$/i.test(trimmed)) return true;
  const host = trimmed
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/^\[([^\]]*)\](?::\d+)?$/, '$1')
    .replace(/^([^:]*):\d+$/, '$1');
  return host === '0.0.0.0' || host === '::' || host === '*';
}

/** Allow-list values that let anything in (`*`, `all`). */
export function isWildcardList(value: string | undefined): boolean {
  if (value === undefined) return false;
  return value
    .split(',')
    .map((v) => v.trim().replace(/^["']|["']$/g, ''))
    .some((v) => v === '*' || v.toLowerCase() === 'all');
}
