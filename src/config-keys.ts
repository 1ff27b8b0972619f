// The `fintechK8s.*` settings the client reads, with the scope package.json declares for each. The manifest
// is their one source (defaults, enums, descriptions); test/unit/settings-manifest.test.ts keeps this table,
// the server's settings and package.json in step. No vscode import, so the test can load it.
import type { SeverityName } from '../server/protocol';

export interface ClientSettings {
  productionContextPattern: string;
  'deploy.gateSeverity': SeverityName;
  'scan.exclude': string;
  'logs.redact': boolean;
  'helm.path': string;
  'helm.timeoutSeconds': number;
}

export type SettingScope = 'window' | 'resource' | 'machine' | 'machine-overridable';

export const CLIENT_SETTING_SCOPES = {
  // Protections: user (or remote machine) settings only, so a cloned repository cannot switch them off.
  productionContextPattern: 'machine',
  'deploy.gateSeverity': 'resource',
  'scan.exclude': 'resource',
  'logs.redact': 'machine',
  'helm.path': 'machine-overridable',
  'helm.timeoutSeconds': 'window',
} as const satisfies { [K in keyof ClientSettings]: SettingScope };

/** Settings a workspace folder may set for itself: read for the file or folder they apply to. */
export type ResourceSettingKey = {
  [K in keyof ClientSettings]: (typeof CLIENT_SETTING_SCOPES)[K] extends 'resource' ? K : never;
}[keyof ClientSettings];
