// The images a workload pulls: every container, init container and ephemeral container with an
// `image`, parsed once. Unparseable references (templated, malformed) are left to schema checks.
import { asString, containersOf, podSpecOf, type ContainerAt, type PodSpecAt } from '../../objects';
import type { K8sObject, Path } from '../../types';
import { parseImageRef, type ImageRef } from './image-ref';

export interface ContainerImage {
  container: ContainerAt;
  ref: ImageRef;
  /** Document path of the container's `image` pair. */
  path: Path;
}

const imagesByPod = new WeakMap<PodSpecAt, readonly ContainerImage[]>();

/** Read once per pod spec: every image rule asks for the same list. */
export function containerImages(object: K8sObject): readonly ContainerImage[] {
  const pod = podSpecOf(object);
  if (!pod) return [];
  let images = imagesByPod.get(pod);
  if (!images) imagesByPod.set(pod, (images = findContainerImages(pod)));
  return images;
}

function findContainerImages(pod: PodSpecAt): ContainerImage[] {
  const result: ContainerImage[] = [];
  for (const container of containersOf(pod)) {
    // Workload controllers allow an omitted image (config management fills it in).
    const image = asString(container.container.image);
    if (!image) continue;
    const parsed = parseImageRef(image);
    if (parsed.ok) result.push({ container, ref: parsed.ref, path: [...container.path, 'image'] });
  }
  return result;
}
