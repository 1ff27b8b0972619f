// Settings for one document: the editor's `fintechK8s.*` (pulled per document, as lsp-sample does)
// merged over the workspace folder's `.fintech-k8s.yaml`.
import { readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import { CONFIG_FILE_NAME, ConfigError, kubernetesVersionOf, parseConfigFile, resolveConfig, type ConfigInput } from '../engine/config';
import { findConfigFile } from '../engine/config-file';
import { ALL_RULES } from '../engine/rules';
import type { ResolvedConfig } from '../engine/types';
import { SETTINGS_SECTION, type FintechK8sSettings } from '../protocol';

export const DEFAULT_SETTINGS: FintechK8sSettings = {
  enable: true,
  severityThreshold: 'info',
  trustedRegistries: [],
  pciNamespaces: [],
  kubernetesVersion: '',
  helm: { path: '' },
  kustomize: { path: '' },
};

export interface DocumentSettings {
  enable: boolean;
  config: ResolvedConfig;
  /** `fintechK8s.helm.path` / `fintechK8s.kustomize.path`; empty: the program on PATH. */
  programPaths: { helm: string; kustomize: string };
  /** The workspace settings file that applies (its `helm:` entries name charts relative to its folder). */
  configFile?: { input: ConfigInput; dir: string };
}

export interface ConfigFileState {
  uri: string;
  input?: ConfigInput;
  error?: string;
}

const KNOWN_RULE_IDS = new Set(ALL_RULES.map((rule) => rule.id));

export class SettingsProvider {
  private readonly editorSettings = new Map<string, Promise<FintechK8sSettings>>();
  /** Parsed settings files by path. */
  private readonly configFiles = new Map<string, ConfigFileState>();
  /** Folder → the settings file that governs it (null: none). */
  private readonly nearest = new Map<string, string | null>();

  constructor(
    private readonly connection: Connection,
    private folders: string[],
    private readonly canPullConfiguration: boolean,
    /** Told when a workspace file is (re)read, so its errors can be shown on it. */
    private readonly onConfigFileRead: (state: ConfigFileState) => void,
  ) {}

  setFolders(folders: string[]): void {
    this.folders = folders;
    this.configFileChanged();
  }

  async forDocument(uri: string): Promise<DocumentSettings> {
    const editor = await this.editorSettingsFor(uri);
    const file = this.configFileFor(uri);
    const config = resolveConfig(file?.input, {
      trustedRegistries: editor.trustedRegistries,
      pciNamespaces: editor.pciNamespaces,
      severityThreshold: editor.severityThreshold,
      kubernetesVersion: editorKubernetesVersion(editor.kubernetesVersion),
    });
    const programPaths = { helm: editor.helm?.path ?? '', kustomize: editor.kustomize?.path ?? '' };
    const configFile = file?.input ? { input: file.input, dir: dirname(fileURLToPath(file.uri)) } : undefined;
    return { enable: editor.enable, config, programPaths, configFile };
  }

  settingsChanged(): void {
    this.editorSettings.clear();
  }

  /** A settings file appeared, changed or went away: look them up afresh. */
  configFileChanged(): void {
    this.configFiles.clear();
    this.nearest.clear();
  }

  private editorSettingsFor(uri: string): Promise<FintechK8sSettings> {
    if (!this.canPullConfiguration) return Promise.resolve(DEFAULT_SETTINGS);
    let settings = this.editorSettings.get(uri);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
        .then((value: Partial<FintechK8sSettings> | null) => ({ ...DEFAULT_SETTINGS, ...(value ?? {}) }));
      this.editorSettings.set(uri, settings);
    }
    return settings;
  }

  /** The nearest `.fintech-k8s.yaml` at or above the document, inside its workspace folder. */
  private configFileFor(uri: string): ConfigFileState | undefined {
    // Untitled editors and live cluster objects have no folder of their own: the first workspace folder's file applies.
    const path = uri.startsWith('file:') ? fileURLToPath(uri) : this.folders[0] && join(this.folders[0], CONFIG_FILE_NAME);
    if (!path) return undefined;
    const folder = this.folders.filter((f) => path === f || path.startsWith(f + sep)).sort((a, b) => b.length - a.length)[0];
    if (!folder) return undefined;
    const directory = dirname(path);
    let file = this.nearest.get(directory);
    if (file === undefined) this.nearest.set(directory, (file = findConfigFile(directory, folder) ?? null));
    return file ? this.configFileOf(file) : undefined;
  }

  private configFileOf(path: string): ConfigFileState {
    let state = this.configFiles.get(path);
    if (state) return state;
    state = { uri: pathToFileURL(path).href };
    try {
      state.input = parseConfigFile(readFileSync(path, 'utf8'), KNOWN_RULE_IDS);
    } catch (error) {
      if (error instanceof ConfigError) state.error = error.message;
      else if ((error as NodeJS.ErrnoException).code !== 'ENOENT') state.error = `${CONFIG_FILE_NAME}: ${(error as Error).message}`;
    }
    this.configFiles.set(path, state);
    this.onConfigFileRead(state);
    return state;
  }
}

/** The editor setting is an enum of bundled versions; anything else (an old settings.json) is ignored. */
function editorKubernetesVersion(value: unknown): string | undefined {
  if (value === '' || value === undefined) return undefined;
  const minor = kubernetesVersionOf(value);
  return typeof minor === 'string' ? minor : undefined;
}
