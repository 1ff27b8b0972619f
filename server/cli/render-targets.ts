// The CLI's side of rendering: finds the charts (and other roots) among the scanned files, renders each
// once, and brings the engine's results on the rendered text back to the chart's own files.
import { findProgram } from '../../lib/programs/find-program';
import type { ConfigInput } from '../engine/config';
import type { SourceFile } from '../engine/engine';
import type { FileResult, ResolvedConfig } from '../engine/types';
import { discoverRoots, rendererFor, renderRoot, type HelmRenderOptions, type RenderedRoot } from '../render';
import { helmOptionsFromConfig } from '../render/options';
import { resultsOnSources } from '../render/results';

export interface RenderFlags {
  valuesFiles: string[];
  set: string[];
  releaseName?: string;
  namespace?: string;
  helmPath?: string;
}

export interface RenderedTargets {
  /** Files that belong to a root: not linted on their own. */
  claimed: Set<string>;
  /** The rendered documents of every root, for the engine (virtual names). */
  files: SourceFile[];
  /** Roots that could not be rendered for want of the program: the scan is not clean. */
  unrendered: number;
  /** Gathers the engine's results on rendered files and hands on each root's results on its sources. */
  collector(emit: (result: FileResult) => void): { owns(file: string): boolean; add(result: FileResult): void; finish(): void };
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
    const configured = root.kind === 'helm' ? flags.helmPath : undefined;
    const program = findProgram(rendererFor(root.kind).program, configured);
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
  const owner = new Map<string, number>();
  rendered.forEach((root, index) => root.files.forEach((file) => owner.set(file.file, index)));
  return {
    claimed,
    files: rendered.flatMap((root) => root.files),
    unrendered,
    collector(emit) {
      const buffers = rendered.map(() => [] as FileResult[]);
      const done = rendered.map(() => false);
      const flush = (index: number) => {
        if (done[index]) return;
        done[index] = true;
        for (const result of resultsOnSources(rendered[index], buffers[index])) emit(result);
        buffers[index] = [];
      };
      return {
        owns: (file) => owner.has(file),
        add(result) {
          const index = owner.get(result.file)!;
          buffers[index].push(result);
          if (buffers[index].length === rendered[index].files.length) flush(index);
        },
        finish: () => rendered.forEach((_, index) => flush(index)),
      };
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
