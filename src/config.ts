// Typed getters over `fintechK8s.*`: the one place the client reads settings.
import * as vscode from 'vscode';
import { SETTINGS_SECTION, type SeverityName } from '../server/protocol';

export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SETTINGS_SECTION);
  }

  get enable(): boolean {
    return this.section.get<boolean>('enable', true);
  }

  get severityThreshold(): SeverityName {
    return this.section.get<SeverityName>('severityThreshold', 'info');
  }

  /** Contexts whose names match need a modal confirmation before a deploy. */
  get productionContextPattern(): string {
    return this.section.get<string>('productionContextPattern', 'prod|prd|live');
  }

  get deployGateSeverity(): SeverityName {
    return this.section.get<SeverityName>('deploy.gateSeverity', 'error');
  }

  get redactLogs(): boolean {
    return this.section.get<boolean>('logs.redact', true);
  }

  /** Glob of files Scan Workspace skips, on top of files.exclude. */
  get scanExclude(): string {
    return this.section.get<string>('scan.exclude', '**/{node_modules,.git}/**');
  }

  /** helm for Deploy Chart and Rollback: this path, else `helm` on PATH. */
  get helmPath(): string {
    return this.section.get<string>('helm.path', '');
  }

  /** How long `helm upgrade --wait` and `helm rollback --wait` wait for the rollout before rolling back. */
  get helmTimeoutSeconds(): number {
    const value = this.section.get<number>('helm.timeoutSeconds', 300);
    return Number.isFinite(value) && value >= 1 ? Math.round(value) : 300;
  }
}
