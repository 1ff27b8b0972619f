import { asArray, asMap, asString, containersOf, podSpecOf, type ContainerAt, type PodSpecAt } from '../../objects';
import type { Rule } from '../../types';
import { findFlag, nodeContainers } from './nodes';

/** Flags naming the data directory (geth/erigon/reth/besu/nethermind/prysm/lighthouse, teku, substrate, cosmos, solana). */
const DATA_DIR_FLAGS = ['datadir', 'data-dir', 'data-path', 'base-path', 'home', 'ledger', 'db-path', 'data.dir'];
/** Env variables naming it (Hyperledger Fabric peer and orderer, cosmovisor). */
const DATA_DIR_ENV = ['CORE_PEER_FILESYSTEMPATH', 'ORDERER_FILELEDGER_LOCATION', 'DAEMON_HOME'];
/** Mount paths for scratch space, sockets and configuration: an emptyDir there is expected. */
const SCRATCH = /^\/(?:tmp|var\/tmp|run|var\/run|dev\/shm|etc|config|scripts|cache|var\/cache|home\/[^/]+\/\.cache)(?:\/|$)/;

interface Mount {
  index: number;
  mountPath: string;
  volume: string;
}

function mountsOf(container: ContainerAt): Mount[] {
  const mounts: Mount[] = [];
  asArray(container.container.volumeMounts).forEach((item, index) => {
    const m = asMap(item);
    const mountPath = asString(m?.mountPath);
    const volume = asString(m?.name);
    if (mountPath && volume) mounts.push({ index, mountPath: mountPath.replace(/\/+$/, '') || '/', volume });
  });
  return mounts;
}

/** Volume types by name; names absent from `volumes` are StatefulSet volumeClaimTemplates. */
function volumeTypes(pod: PodSpecAt): Map<string, string> {
  const types = new Map<string, string>();
  for (const item of asArray(pod.spec.volumes)) {
    const v = asMap(item);
    const name = asString(v?.name);
    if (!v || !name) continue;
    types.set(name, Object.keys(v).find((k) => k !== 'name') ?? 'unknown');
  }
  return types;
}

function dataDirOf(container: ContainerAt): string | undefined {
  const flag = findFlag(container, DATA_DIR_FLAGS);
  if (flag?.value?.startsWith('/')) return flag.value.replace(/\/+$/, '') || '/';
  for (const item of asArray(container.container.env)) {
    const env = asMap(item);
    const value = asString(env?.value);
    if (DATA_DIR_ENV.includes(asString(env?.name) ?? '') && value?.startsWith('/')) return value.replace(/\/+$/, '') || '/';
  }
  return undefined;
}

function covers(mountPath: string, dir: string): boolean {
  return mountPath === '/' || dir === mountPath || dir.startsWith(`${mountPath}/`);
}

const CONFIG_TYPES = new Set(['secret', 'configMap', 'downwardAPI', 'projected']);

export const chainDataEphemeral: Rule = {
  id: 'chain-data-ephemeral',
  group: 'blockchain',
  title: 'Blockchain nodes must keep chain data on a persistent volume',
  severity: 'warning',
  rationale:
    'A node whose data directory is an emptyDir (or the container’s own filesystem) loses the chain on every reschedule and spends hours to days resyncing, during which deposits are not credited and withdrawals wait; a validator also loses its slashing-protection history.',
  remediation:
    'Mount the data directory from a PersistentVolumeClaim (a StatefulSet `volumeClaimTemplate` on an encrypted StorageClass) and keep emptyDir for scratch space such as /tmp.',
  references: { pci: [] },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    const types = volumeTypes(pod);
    for (const { container } of nodeContainers(object, pod, containersOf(pod))) {
      if (container.list !== 'containers') continue;
      const mounts = mountsOf(container);
      const dir = dataDirOf(container);
      if (dir) {
        const mount = mounts.filter((m) => covers(m.mountPath, dir)).sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
        if (!mount) {
          context.report({
            path: [...container.path, 'volumeMounts'],
            message: `${container.label} keeps its data directory ${dir} on no volume at all: the container's own filesystem is discarded on restart.`,
          });
        } else if (types.get(mount.volume) === 'emptyDir') {
          context.report({
            path: [...container.path, 'volumeMounts', mount.index],
            message: `${container.label} keeps its data directory ${dir} on emptyDir volume "${mount.volume}": the chain is lost whenever the pod is rescheduled.`,
          });
        }
        continue;
      }
      // No data directory flag: an emptyDir outside scratch paths, with nothing persistent mounted, holds the data.
      const persistent = mounts.some((m) => {
        const type = types.get(m.volume);
        return type === undefined || (type !== 'emptyDir' && !CONFIG_TYPES.has(type));
      });
      if (persistent) continue;
      const mount = mounts.find((m) => types.get(m.volume) === 'emptyDir' && !SCRATCH.test(m.mountPath));
      if (mount)
        context.report({
          path: [...container.path, 'volumeMounts', mount.index],
          message: `${container.label} mounts emptyDir volume "${mount.volume}" at ${mount.mountPath} and no persistent volume: its chain data is lost whenever the pod is rescheduled.`,
        });
    }
  },
};
