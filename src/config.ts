// Typed getters over `fintechK8s.*`: the one place the client reads settings. Defaults come from
// package.json (VS Code fills them in); resource-scoped settings are read for the file or folder at hand,
// so a workspace folder's own value applies to it. Nothing is cached: a changed setting applies at once.
import * as vscode from 'vscode';
import { SETTINGS_SECTION, type SeverityName } from '../server/protocol';
import type { ClientSettings, ResourceSettingKey } from './config-keys';

export class Config {
  /** A deploy stops on findings at or above this severity, as set for the file or folder deployed. */
  deployGateSeverity(resource: vscode.Uri): SeverityName {
    return this.forResource('deploy.gateSeverity', resource);
  }

  /** Glob of files Scan Workspace skips in this folder, on top of files.exclude. */
  scanExclude(folder: vscode.WorkspaceFolder): string {
    return this.forResource('scan.exclude', folder.uri);
  }

  /** Contexts whose names match need a modal confirmation before a deploy. */
  get productionContextPattern(): string {
    return read('productionContextPattern');
  }

  get redactLogs(): boolean {
    return read('logs.redact');
  }

  /** helm for Deploy Chart and Rollback: this path, else `helm` on PATH. */
  get helmPath(): string {
    return read('helm.path');
  }

  /** How long `helm upgrade --wait` and `helm rollback --wait` wait for the rollout before rolling back. */
  get helmTimeoutSeconds(): number {
    const value = read('helm.timeoutSeconds');
    if (typeof value === 'number' && Number.isFinite(value) && value >= 1) return Math.round(value);
    // A hand-edited settings.json may hold anything; the manifest's default then applies.
    return vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<number>('helm.timeoutSeconds')!.defaultValue!;
  }

  /** Calls listener when one of these settings changes, in any scope. */
  onDidChange(keys: (keyof ClientSettings)[], listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((event) => {
      if (keys.some((key) => event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`))) listener();
    });
  }

  private forResource<K extends ResourceSettingKey>(key: K, resource: vscode.Uri): ClientSettings[K] {
    return read(key, resource);
  }
}

function read<K extends keyof ClientSettings>(key: K, scope?: vscode.Uri): ClientSettings[K] {
  // package.json declares a default for every key (the manifest test checks it), so a value is always there.
  return vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).get(key) as ClientSettings[K];
}
