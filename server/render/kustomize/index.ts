// Kustomize overlays as render roots: the kustomizations no other one includes, built with kustomize.
import type { Renderer } from '../registry';
import { renderKustomize } from './build';
import { discoverKustomizeRoots } from './discover';

export const kustomizeRenderer: Renderer = {
  kind: 'kustomize',
  program: 'kustomize',
  // `kubectl kustomize` builds the same way when kustomize itself is not installed.
  fallbackProgram: 'kubectl',
  findRoots: (files) => discoverKustomizeRoots(files),
  render: renderKustomize,
};
