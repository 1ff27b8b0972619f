// The renderer behind fintechK8s/renderRoot: the chart or kustomization at the URI the client names,
// rendered by the render layer with that root's settings (program path, Kubernetes version, the chart's
// `.fintech-k8s.yaml` entry), exactly as the editor lints it. Never in an untrusted workspace.
import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { RenderRootParams } from '../protocol';
import { helmOptionsFromConfig, programFor, renderRoot, rendererFor } from '../render';
import type { RootRenderer } from './handlers/render-root';
import type { SettingsProvider } from './settings';

const ROOT_FILES = { helm: ['Chart.yaml'], kustomize: ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] } as const;

export function deployRenderer(settings: SettingsProvider, isTrusted: () => boolean): RootRenderer {
  return async (params) => {
    if (!isTrusted()) throw new ResponseError(ErrorCodes.InvalidRequest, 'helm and kustomize do not run in an untrusted workspace.');
    const dir = rootDir(params);
    const rootFile = ROOT_FILES[params.kind].map((name) => join(dir, name)).find(isFile) ?? join(dir, ROOT_FILES[params.kind][0]);
    const root = rendererFor(params.kind)
      .findRoots([rootFile])
      .find((r) => r.dir === dir);
    if (!root)
      throw new ResponseError(
        ErrorCodes.InvalidParams,
        `${dir} is not a ${params.kind === 'helm' ? 'chart (no Chart.yaml)' : 'kustomization'}`,
      );
    const { config, programPaths, configFile } = await settings.forDocument(pathToFileURL(rootFile).href);
    const program = programFor(params.kind, programPaths[params.kind] || undefined);
    if (params.kind === 'kustomize') return { rendered: await renderRoot({ root, program, kubernetesVersion: config.kubernetesVersion }) };
    // The chart's entry in .fintech-k8s.yaml (values files, --set, release name, namespace) renders and deploys
    // it; without one, the release is named after the chart's folder and goes to the namespace of the deploy.
    const fromConfig = helmOptionsFromConfig(dir, configFile?.input, configFile?.dir);
    const helm = {
      valuesFiles: [...(fromConfig?.valuesFiles ?? [])],
      set: [...(fromConfig?.set ?? [])],
      releaseName: fromConfig?.releaseName ?? basename(dir),
      namespace: fromConfig?.namespace ?? params.namespace ?? 'default',
    };
    return { rendered: await renderRoot({ root, program, kubernetesVersion: config.kubernetesVersion, helm }), helm };
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The root directory: the URI itself when it is a directory, else the folder of the file (Chart.yaml, kustomization.yaml). */
function rootDir(params: RenderRootParams): string {
  if (!params.uri.startsWith('file:')) throw new ResponseError(ErrorCodes.InvalidParams, `not a file URI: ${params.uri}`);
  const path = fileURLToPath(params.uri);
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    throw new ResponseError(ErrorCodes.InvalidParams, `${path} does not exist`);
  }
}
