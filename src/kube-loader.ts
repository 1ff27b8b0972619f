// Loads the cluster layer (dist/kube.js) on first use: @kubernetes/client-node is ~1.5 MB and takes
// ~190 ms to require, which YAML linting should never pay for.
import { join } from 'node:path';
import type * as Kube from './kube';

export type KubeModule = typeof Kube;

let loaded: KubeModule | undefined;

export function loadKube(extensionPath: string): KubeModule {
  // A runtime require of the separate bundle, on first cluster use: an import would pull it into activation.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require(join(extensionPath, 'dist', 'kube.js')) as KubeModule);
}
