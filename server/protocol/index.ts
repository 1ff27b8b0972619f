// Messages and settings shared by the client (src/) and the language server (server/src/).
// Types only on the client side: it never imports the engine.
import { RequestType } from 'vscode-languageserver-protocol';

export type SeverityName = 'error' | 'warning' | 'info';

/** The `fintechK8s.*` settings the server pulls per document through workspace/configuration. */
export interface FintechK8sSettings {
  enable: boolean;
  severityThreshold: SeverityName;
  trustedRegistries: string[];
  pciNamespaces: string[];
}

export const SETTINGS_SECTION = 'fintechK8s';

export const DIAGNOSTIC_SOURCE = 'fintech-k8s';

export interface ScanFilesParams {
  /** File URIs to analyse from disk (or from the editor when open); results go to the Problems panel. */
  uris: string[];
}

export interface ScanFilesResult {
  files: number;
  findings: number;
  /** Files that could not be analysed (YAML errors, too large, binary). */
  failedFiles: number;
}

/** Lints a batch of workspace files; the client sends batches so it can report progress and cancel. */
export namespace ScanFilesRequest {
  export const type = new RequestType<ScanFilesParams, ScanFilesResult, void>('fintechK8s/scanFiles');
}

/** Arguments of the client command that inserts a suppression comment once the user gives a reason. */
export interface SuppressArguments {
  uri: string;
  /** Zero-based line the comment goes above. */
  line: number;
  ruleId: string;
}

export const SUPPRESS_COMMAND = 'fintechK8s.suppressWithReason';
