// The CLI's side of rendering: finds the charts (and other roots) among the scanned files, renders each
// once, and brings the engine's results on the rendered text back to the chart's own files.
import type { ConfigInput } from '../engine/config';
import { analyzeEach, type AnalyzeOptions } from '../engine/engine';
import { mergeRootResults, rootNames, type RootResults } from '../engine/source-map/merge-roots';
import type { FileResult, ResolvedConfig } from '../engine/types';
import { discoverRoots, programFor, renderRoot, type HelmRenderOptions, type RenderedRoot, type RootKind } from '../render';
import { helmOptionsFromConfig } from '../render/options';
import { resultsOnSources } from '../render/results';

export interface RenderFlags {
  valuesFiles: string[];
  set: string[];
  releaseName?: string;
  namespace?: string;
  helmPath?: string;
  kustomizePath?: string;
}

export interface RenderedTargets {
  /** Files that belong to a root: not linted on their own. */
  claimed: Set<string>;
  /** Roots that could not be rendered for want of the program: the scan is not clean. */
  unrendered: number;
  /**
   * Analyses each root on its own (its cross-file rules see its objects only, never another overlay's or
   * chart's) and hands on the results on its source files; a file several roots share comes once, each
   * finding naming the roots it occurs in.
   */
  analyze(options: AnalyzeOptions, emit: (result: FileResult) => void): void;
}

export async function renderTargets(
  files: readonly string[],
  config: ResolvedConfig,
  configFile: { input: ConfigInput; dir: string } | undefined,
  flags: RenderFlags,
): Promise<RenderedTargets> {
  const { roots, claimed } = discoverRoots(files);
  const rendered: RenderedRoot[] = [];
  let unrendered = 0;
  for (const root of roots) {
    const configured = root.kind === 'helm' ? flags.helmPath : flags.kustomizePath;
    const program = programFor(root.kind, configured);
    if (!program) unrendered++;
    rendered.push(
      await renderRoot({
        root,
        program,
        kubernetesVersion: config.kubernetesVersion,
        helm: root.kind === 'helm' ? helmOptions(root.dir, flags, configFile) : undefined,
      }),
    );
  }
  return {
    claimed,
    unrendered,
    analyze(options, emit) {
      const byKind = new Map<RootKind, { dir: string; results: FileResult[] }[]>();
      for (const root of rendered) {
        const results: FileResult[] = [];
        analyzeEach(root.files, options, (result) => results.push(result));
        const list = byKind.get(root.root.kind) ?? [];
        list.push({ dir: root.root.dir, results: resultsOnSources(root, results) });
        byKind.set(root.root.kind, list);
      }
      for (const [kind, roots] of byKind) {
        const names = rootNames(roots.map((r) => r.dir));
        const named: RootResults[] = roots.map((r, i) => ({ name: names[i], results: r.results }));
        for (const result of mergeRootResults(named, kind === 'helm' ? 'chart' : 'overlay')) emit(result);
      }
    },
  };
}

/** The CLI's flags when any is given, else the settings file's entry for the chart. */
function helmOptions(
  chartDir: string,
  flags: RenderFlags,
  configFile: { input: ConfigInput; dir: string } | undefined,
): HelmRenderOptions | undefined {
  const fromFlags =
    flags.valuesFiles.length > 0 || flags.set.length > 0 || flags.releaseName !== undefined || flags.namespace !== undefined;
  const fromConfig = helmOptionsFromConfig(chartDir, configFile?.input, configFile?.dir);
  if (!fromFlags) return fromConfig;
  return {
    valuesFiles: flags.valuesFiles.length > 0 ? flags.valuesFiles : (fromConfig?.valuesFiles ?? []),
    set: flags.set.length > 0 ? flags.set : (fromConfig?.set ?? []),
    releaseName: flags.releaseName ?? fromConfig?.releaseName,
    namespace: flags.namespace ?? fromConfig?.namespace,
  };
}
