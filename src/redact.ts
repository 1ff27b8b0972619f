// Log redaction for the VS Code side (the client can mask a line without loading client-node). The pure
// implementation lives in src/kube/logs/redact.ts so the log tailer (src/kube, its own TS project) can
// use it too: src references src/kube, not the other way round.
export { createRedactor, redactCardNumbers, redactSeedPhrases, type Redactor, type RedactorOptions } from './kube/logs/redact';
