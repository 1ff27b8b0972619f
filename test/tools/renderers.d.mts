// Types of renderers.mjs for the TypeScript tests that build or find the pinned helm and kustomize.
export function ensureRenderers(): { helm: string; kustomize: string };
export function pinnedVersion(tool: 'helm' | 'kustomize'): string;
