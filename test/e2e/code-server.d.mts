// Types for code-server.mjs (plain JavaScript so it runs before `npm ci`).
export declare const CODE_SERVER_VERSION: string;
export declare const VSCODE_VERSION: string;
export declare const CHROMIUM_PATH: string;
export declare const BASE_SETTINGS: Record<string, unknown>;
export declare const UNTRUSTED_SETTINGS: Record<string, unknown>;
export declare function cacheRoot(): string;
export declare function codeServerDir(): string;
export declare function isProvisioned(): boolean;
export declare function provision(): string;
export declare function ensureChromium(): string;
export declare function freePort(): Promise<number>;

export interface StartCodeServerOptions {
  /** The folder to open. */
  workspace: string;
  /** A .vsix installed with --install-extension before the server starts. */
  vsix?: string;
  /** Merged over BASE_SETTINGS into User/settings.json. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and so for the extension host. */
  env?: Record<string, string>;
  port?: number;
  healthTimeoutMs?: number;
  /** Workspace Trust on and the folder not trusted: it opens in Restricted Mode. Off by default. */
  workspaceTrust?: boolean;
}

export interface RunningCodeServer {
  /** The workbench URL with ?folder=<workspace>. */
  url: string;
  origin: string;
  port: number;
  workspace: string;
  logFile: string;
  userDataDir: string;
  extensionsDir: string;
  /** Stops code-server and every process below it, and removes its temp dirs. */
  stop(): Promise<void>;
}

export declare function startCodeServer(options: StartCodeServerOptions): Promise<RunningCodeServer>;
