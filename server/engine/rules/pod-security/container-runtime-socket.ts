import { podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { hostPathVolumesOf, isAtOrUnder } from './_volumes';

const RUNTIMES: Record<string, string> = {
  'docker.sock': 'Docker',
  'containerd.sock': 'containerd',
  'crio.sock': 'CRI-O',
  'cri-dockerd.sock': 'cri-dockerd',
  'dockershim.sock': 'dockershim',
  'podman.sock': 'Podman',
};

// Default socket locations (with /var/run folded into /run), so that mounting a parent directory counts too.
const DEFAULT_SOCKETS = [
  '/run/docker.sock',
  '/run/containerd/containerd.sock',
  '/run/k3s/containerd/containerd.sock',
  '/run/crio/crio.sock',
  '/run/cri-dockerd.sock',
  '/run/dockershim.sock',
  '/run/podman/podman.sock',
];

const SOCKET_FILE = /(?:^|\/)((?:docker|containerd|crio|cri-dockerd|dockershim|podman)\.sock)$/;

/** /var/run is a symlink to /run on every current distribution. */
function canonical(path: string): string {
  return isAtOrUnder(path, '/var/run') ? '/run' + path.slice('/var/run'.length) : path;
}

function socketName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export const containerRuntimeSocket: Rule = {
  id: 'container-runtime-socket',
  group: 'pod-security',
  title: 'Pods must not mount the container runtime socket',
  severity: 'error',
  rationale:
    'Whoever can talk to the Docker, containerd or CRI-O socket can start privileged containers on the node and read every container’s memory and files: it is root on the node and on all payment workloads running there.',
  remediation:
    'Remove the hostPath volume that exposes the runtime socket; build images with a rootless builder (BuildKit rootless, Kaniko) and collect container metadata through the Kubernetes API or a dedicated, isolated node agent.',
  references: { pci: ['2.2.6'], cis: ['5.2.12'], pss: 'baseline', like: 'kube-linter docker-sock' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    for (const volume of hostPathVolumesOf(pod)) {
      if (volume.normalised === undefined) continue;
      const path = canonical(volume.normalised);
      const file = SOCKET_FILE.exec(path)?.[1];
      let message: string | undefined;
      if (file) message = `Volume "${volume.name}" mounts the ${RUNTIMES[file]} runtime socket ${volume.rawPath} from the node.`;
      else {
        const contained = DEFAULT_SOCKETS.filter((socket) => isAtOrUnder(socket, path)).map(socketName);
        if (contained.length > 0) {
          const names = [...new Set(contained)];
          const what =
            names.length === 1 ? `the container runtime socket ${names[0]}` : `the container runtime sockets (${names.join(', ')})`;
          message = `Volume "${volume.name}" mounts ${volume.rawPath} from the node, a directory that contains ${what}.`;
        }
      }
      if (message) context.report({ path: [...volume.hostPathPath, 'path'], message });
    }
  },
};
