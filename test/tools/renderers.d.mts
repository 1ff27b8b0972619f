// Types for renderers.mjs (plain JavaScript so it runs before `npm ci`).
export declare function pinnedVersion(tool: 'helm' | 'kustomize'): string;
/** Builds (once, cached) the pinned helm and kustomize; their absolute paths. */
export declare function ensureRenderers(): { helm: string; kustomize: string };
