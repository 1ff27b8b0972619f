// The renderers by kind. Each finds its roots among a set of files and renders one root; callers (the CLI,
// the language server) go through discoverRoots and renderRoot and never name a renderer.
import { findProgram } from '../../lib/programs/find-program';
import { helmRenderer } from './helm';
import { kustomizeRenderer } from './kustomize';
import type { RenderedRoot, RenderRequest, RenderRoot, RootKind } from './types';

export interface Renderer {
  kind: RootKind;
  /** The program's name on PATH (`fintechK8s.<kind>.path` and `--<kind>-path` name another). */
  program: string;
  /** Run instead when `program` is neither configured nor on PATH (kubectl for kustomize). */
  fallbackProgram?: string;
  /** The roots these files belong to (a chart for any file under it); each root lists its inputs. */
  findRoots(files: readonly string[]): RenderRoot[];
  render(request: RenderRequest): Promise<RenderedRoot>;
}

export const RENDERERS: readonly Renderer[] = [helmRenderer, kustomizeRenderer];

export function rendererFor(kind: RootKind): Renderer {
  const renderer = RENDERERS.find((r) => r.kind === kind);
  if (!renderer) throw new Error(`no renderer for ${kind}`);
  return renderer;
}

/** The program to render a kind of root with: the configured one, else its name on PATH, else its fallback. */
export function programFor(kind: RootKind, configured?: string): string | undefined {
  const renderer = rendererFor(kind);
  const found = findProgram(renderer.program, configured);
  if (found || (configured && configured.trim() !== '') || !renderer.fallbackProgram) return found;
  return findProgram(renderer.fallbackProgram);
}

export function renderRoot(request: RenderRequest): Promise<RenderedRoot> {
  return rendererFor(request.root.kind).render(request);
}
