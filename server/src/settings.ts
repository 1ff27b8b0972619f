// Settings for one document: the editor's `fintechK8s.*` (pulled per document, as lsp-sample does)
// merged over the workspace folder's `.fintech-k8s.yaml`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import { CONFIG_FILE_NAME, ConfigError, parseConfigFile, resolveConfig, type ConfigInput } from '../engine/config';
import { ALL_RULES } from '../engine/rules';
import type { ResolvedConfig } from '../engine/types';
import { SETTINGS_SECTION, type FintechK8sSettings } from '../protocol';

export const DEFAULT_SETTINGS: FintechK8sSettings = { enable: true, severityThreshold: 'info', trustedRegistries: [], pciNamespaces: [] };

export interface DocumentSettings {
  enable: boolean;
  config: ResolvedConfig;
}

export interface ConfigFileState {
  uri: string;
  input?: ConfigInput;
  error?: string;
}

const KNOWN_RULE_IDS = new Set(ALL_RULES.map((rule) => rule.id));

export class SettingsProvider {
  private readonly editorSettings = new Map<string, Promise<FintechK8sSettings>>();
  private readonly configFiles = new Map<string, ConfigFileState>();

  constructor(
    private readonly connection: Connection,
    private folders: string[],
    private readonly canPullConfiguration: boolean,
    /** Told when a workspace file is (re)read, so its errors can be shown on it. */
    private readonly onConfigFileRead: (state: ConfigFileState) => void,
  ) {}

  setFolders(folders: string[]): void {
    this.folders = folders;
    this.configFiles.clear();
  }

  async forDocument(uri: string): Promise<DocumentSettings> {
    const editor = await this.editorSettingsFor(uri);
    const folder = this.folderOf(uri);
    const file = folder ? this.configFileOf(folder) : undefined;
    const config = resolveConfig(file?.input, {
      trustedRegistries: editor.trustedRegistries,
      pciNamespaces: editor.pciNamespaces,
      severityThreshold: editor.severityThreshold,
    });
    return { enable: editor.enable, config };
  }

  settingsChanged(): void {
    this.editorSettings.clear();
  }

  configFileChanged(uri: string): void {
    for (const [folder, state] of this.configFiles) if (state.uri === uri) this.configFiles.delete(folder);
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

  private folderOf(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const path = fileURLToPath(uri);
    return this.folders.filter((folder) => path === folder || path.startsWith(folder + '/')).sort((a, b) => b.length - a.length)[0];
  }

  private configFileOf(folder: string): ConfigFileState {
    let state = this.configFiles.get(folder);
    if (state) return state;
    const path = join(folder, CONFIG_FILE_NAME);
    state = { uri: pathToFileURL(path).href };
    try {
      state.input = parseConfigFile(readFileSync(path, 'utf8'), KNOWN_RULE_IDS);
    } catch (error) {
      if (error instanceof ConfigError) state.error = error.message;
      else if ((error as NodeJS.ErrnoException).code !== 'ENOENT') state.error = `${CONFIG_FILE_NAME}: ${(error as Error).message}`;
    }
    this.configFiles.set(folder, state);
    this.onConfigFileRead(state);
    return state;
  }
}
