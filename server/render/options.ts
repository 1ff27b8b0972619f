// Where a root's render settings come from: `.fintech-k8s.yaml` (a `helm:` entry per chart directory,
// relative to the settings file) unless the CLI's flags say otherwise.
import { isAbsolute, resolve } from 'node:path';
import type { ConfigInput } from '../engine/config';
import type { HelmRenderOptions } from './types';

/** The settings file's `helm:` entry for a chart; values files resolved against the chart directory. */
export function helmOptionsFromConfig(
  chartDir: string,
  config: ConfigInput | undefined,
  configDir: string | undefined,
): HelmRenderOptions | undefined {
  if (!config?.helm || configDir === undefined) return undefined;
  const entry = Object.entries(config.helm).find(([path]) => resolve(configDir, path) === chartDir)?.[1];
  if (!entry) return undefined;
  return {
    valuesFiles: (entry.values ?? []).map((file) => (isAbsolute(file) ? file : resolve(chartDir, file))),
    set: entry.set ?? [],
    releaseName: entry.releaseName,
    namespace: entry.namespace,
  };
}
