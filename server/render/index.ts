// Rendering charts and overlays for the CLI and the language server (runs programs: never in the engine).
export { discoverRoots, rootOfFile } from './discover';
export { programFor, renderRoot, rendererFor } from './registry';
export type { HelmRenderOptions, RenderedRoot, RenderRoot, RootKind } from './types';
export { resultsOnSources } from './results';
export { helmOptionsFromConfig } from './options';
