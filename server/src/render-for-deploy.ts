// The renderer behind fintechK8s/renderRoot: the root at the URI the client names, rendered by the render
// layer with the program and Kubernetes version of that root's settings. The client asks only from a
// trusted workspace (Deploy Chart / Deploy Overlay refuse to start otherwise).
import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ResponseError, ErrorCodes, type Connection } from 'vscode-languageserver';
import { findProgram } from '../../lib/programs/find-program';
import { SETTINGS_SECTION, type RenderRootParams } from '../protocol';
import { renderKustomize } from '../render/kustomize/build';
import { rootAt } from '../render/kustomize/discover';
import { helmOptionsFromConfig } from '../render/options';
import { renderRoot, rendererFor } from '../render/registry';
import type { RootRenderer } from './handlers/render-root';
import type { SettingsProvider } from './settings';

export function deployRenderer(connection: Connection, settings: SettingsProvider): RootRenderer {
  return async (params) => {
    const dir = rootDir(params);
    const uri = pathToFileURL(dir).href;
    const { config } = await settings.forDocument(`${uri}/${params.kind === 'helm' ? 'Chart.yaml' : 'kustomization.yaml'}`);
    if (params.kind === 'kustomize') {
      const root = rootAt(dir);
      if (!root)
        throw new ResponseError(ErrorCodes.InvalidParams, `${dir} holds no kustomization.yaml, kustomization.yml or Kustomization`);
      const configured = await programSetting(connection, uri, 'kustomize');
      // kustomize from the setting, else on PATH, else kubectl's built-in kustomize.
      const program = findProgram('kustomize', configured) ?? (configured ? undefined : findProgram('kubectl'));
      return { rendered: await renderKustomize({ root, program, kubernetesVersion: config.kubernetesVersion }) };
    }
    const root = rendererFor('helm').findRoots([join(dir, 'Chart.yaml')])[0];
    if (!root) throw new ResponseError(ErrorCodes.InvalidParams, `${dir} holds no Chart.yaml`);
    const program = findProgram('helm', await programSetting(connection, uri, 'helm'));
    // The chart's entry in .fintech-k8s.yaml (values files, --set, release name, namespace) renders and deploys
    // it; without one, the release is named after the chart's folder and goes to the namespace of the deploy.
    const file = settings.settingsFileFor(`${uri}/Chart.yaml`);
    const fromConfig = helmOptionsFromConfig(dir, file?.input, file?.dir);
    const helm = {
      valuesFiles: [...(fromConfig?.valuesFiles ?? [])],
      set: [...(fromConfig?.set ?? [])],
      releaseName: fromConfig?.releaseName ?? basename(dir),
      namespace: fromConfig?.namespace ?? params.namespace ?? 'default',
    };
    const rendered = await renderRoot({ root, program, kubernetesVersion: config.kubernetesVersion, helm });
    return { rendered, helm };
  };
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

async function programSetting(connection: Connection, scopeUri: string, tool: 'helm' | 'kustomize'): Promise<string | undefined> {
  const value: unknown = await connection.workspace
    .getConfiguration({ scopeUri, section: `${SETTINGS_SECTION}.${tool}.path` })
    .catch(() => undefined);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
