// Rendering charts and overlays for the CLI and the language server (runs programs: never in the engine).
export { discoverRoots, rootOfFile, type DiscoveredRoots } from './discover';
export { programFor, renderRoot, rendererFor, RENDERERS, type Renderer } from './registry';
export type { HelmRenderOptions, RenderedRoot, RenderRequest, RenderRoot, RootKind } from './types';
export { resultsOnSources } from './results';
export { helmOptionsFromConfig } from './options';
