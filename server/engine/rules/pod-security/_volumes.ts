// Pod volumes as the volume rules see them: the hostPath ones with their (normalised) host path.
import { asArray, asMap, asString, type Json, type PodSpecAt } from '../../objects';
import type { Path } from '../../types';

export interface VolumeAt {
  volume: Json;
  path: Path;
  name: string;
}

export interface HostPathVolumeAt extends VolumeAt {
  /** Document path of the `hostPath` key. */
  hostPathPath: Path;
  /** The path as written, when it is a string. */
  rawPath?: string;
  /** Absolute, without empty, `.` or `..` segments or a trailing slash; undefined for relative or non-POSIX paths. */
  normalised?: string;
}

export function volumesOf(pod: PodSpecAt): VolumeAt[] {
  const result: VolumeAt[] = [];
  asArray(pod.spec.volumes).forEach((item, i) => {
    const volume = asMap(item);
    if (!volume) return;
    result.push({ volume, path: [...pod.path, 'volumes', i], name: asString(volume.name) ?? `#${i + 1}` });
  });
  return result;
}

export function hostPathVolumesOf(pod: PodSpecAt): HostPathVolumeAt[] {
  const result: HostPathVolumeAt[] = [];
  for (const at of volumesOf(pod)) {
    if (!('hostPath' in at.volume)) continue;
    const rawPath = asString(asMap(at.volume.hostPath)?.path);
    result.push({
      ...at,
      hostPathPath: [...at.path, 'hostPath'],
      rawPath,
      normalised: rawPath === undefined ? undefined : normaliseHostPath(rawPath),
    });
  }
  return result;
}

/** `/etc/`, `//etc` and `/etc/./` all mount the same directory; compare them as `/etc`. */
export function normaliseHostPath(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (!trimmed.startsWith('/')) return undefined;
  const parts: string[] = [];
  for (const segment of trimmed.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') parts.pop();
    else parts.push(segment);
  }
  return '/' + parts.join('/');
}

/** True when `path` is `dir` or lies beneath it (both normalised). */
export function isAtOrUnder(path: string, dir: string): boolean {
  if (dir === '/') return true;
  return path === dir || path.startsWith(dir + '/');
}
