// The contract between the renderers (helm, kustomize: they run programs, so they live here, beside the
// engine and never in it) and their two callers, the CLI and the language server. A renderer turns a root
// (a chart, a kustomization) into rendered text for the engine plus a pure mapping from findings on that
// text back to the template, values, base, patch or kustomization line that wrote them.
import type { SourceFile } from '../engine/engine';
import type { FileResult, Problem } from '../engine/types';

export type RootKind = 'helm' | 'kustomize';

/** A chart or a kustomization that is rendered and linted as one unit. */
export interface RenderRoot {
  kind: RootKind;
  /** Absolute directory of the chart or kustomization. */
  dir: string;
  /**
   * The files whose text feeds this root's output (templates, values files, bases, patches, kustomization
   * files, generator inputs): an edit to any of them re-renders the root, and none of them is linted on
   * its own as a standalone manifest.
   */
  inputs: readonly string[];
}

export interface RenderRequest {
  root: RenderRoot;
  /** The program to run (from `fintechK8s.<tool>.path`, `--<tool>-path`, else PATH); undefined: none found. */
  program: string | undefined;
  /** Unsaved editor buffers by absolute path; copied only into a private temporary directory. */
  unsaved?: ReadonlyMap<string, string>;
  /** Minor Kubernetes version ("1.37") the output is rendered and validated for. */
  kubernetesVersion: string;
  signal?: AbortSignal;
  /** How a chart is rendered (values files, --set, release name, namespace); helm roots only. */
  helm?: HelmRenderOptions;
}

/** `helm template`'s inputs beyond the chart: from `.fintech-k8s.yaml` (`helm:`) or the CLI's flags. */
export interface HelmRenderOptions {
  /** Absolute paths, in `-f` order: a later file wins. */
  valuesFiles: readonly string[];
  set: readonly string[];
  releaseName?: string;
  namespace?: string;
}

/** What a render hands the engine, and how to bring the engine's answer back to the source files. */
export interface RenderedRoot {
  root: RenderRoot;
  /** The rendered text, one SourceFile per rendered source; their names are virtual and never shown. */
  files: SourceFile[];
  /** Results on the rendered files → results on the source files (findings, related locations, problems). */
  toSources(results: readonly FileResult[]): FileResult[];
  /**
   * What stopped the render, on the source line the renderer names (`template: ledger/templates/x.yaml:12:3`),
   * or one info on the root when no program is found. A root with an error-level problem is not clean.
   */
  problems: Problem[];
}
