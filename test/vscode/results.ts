// The outcome of one run of the extension-host suite, written by the suite (suite/index.ts) to the file
// named by FINTECH_K8S_VSCODE_RESULTS and read by the runner (run.ts): the channel that works the same
// in a desktop VS Code and in code-server.

/** Which files run in which window: trust is a property of the window, so each kind gets its own. */
export const SUITES = {
  trusted: ['activation', 'commands', 'diagnostics', 'code-actions', 'hover', 'configuration', 'clusters-tree'],
  untrusted: ['activation', 'untrusted'],
} as const;

export type SuiteName = keyof typeof SUITES;

export interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface SuiteResults {
  suite: SuiteName;
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  tests: TestResult[];
}
