// Types for renderers.mjs (plain JavaScript so it runs before `npm ci`).
export declare function pinnedVersion(tool: 'helm' | 'kustomize'): string;
export declare function ensureRenderers(): { helm: string; kustomize: string };
