// Charts and overlays that the deploy tests (integration and e2e) write into temporary folders: the shapes
// people write (a base Deployment, a prod overlay with a namespace, a name prefix and a strategic-merge
// patch; a chart with a values-driven ConfigMap).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../server/engine/config';
import type { SettingsProvider } from '../../server/src/settings';

/** Writes `files` (relative path → text) under `root`, creating folders. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  }
}

/** The language server's settings for a render outside any workspace: the defaults. */
export const DEFAULT_SETTINGS = { forDocument: async () => ({ enable: true, config: DEFAULT_CONFIG }) } as unknown as SettingsProvider;

/** A plain Deployment (no securityContext: the gate has error findings on it). */
export function ledgerDeployment(name: string, replicas = '1', extraPodSpec = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:${extraPodSpec}
      containers:
        - name: api
          image: registry.example.com/payments/ledger:1.4.0
`;
}

/** base/ (the Deployment, optional extra resources) and overlays/prod/ patching its replicas (line 6 of replicas.yaml). */
export function ledgerOverlay(namespace: string, replicas: string, extraBase: Record<string, string> = {}): Record<string, string> {
  return {
    'base/kustomization.yaml': `resources:\n${['deployment.yaml', ...Object.keys(extraBase)].map((f) => `  - ${f}\n`).join('')}`,
    'base/deployment.yaml': ledgerDeployment('ledger-api'),
    ...Object.fromEntries(Object.entries(extraBase).map(([file, text]) => [`base/${file}`, text])),
    'overlays/prod/kustomization.yaml': `namespace: ${namespace}\nnamePrefix: prod-\nresources:\n  - ../../base\npatches:\n  - path: replicas.yaml\n`,
    'overlays/prod/replicas.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ledger-api\nspec:\n  replicas: ${replicas}\n`,
  };
}

/** The ledger chart: a ConfigMap from `.Values.message`, plus whatever templates the test adds. */
export function ledgerChart(templates: Record<string, string> = {}): Record<string, string> {
  return {
    'Chart.yaml': 'apiVersion: v2\nname: ledger\nversion: 0.3.1\nappVersion: "1.4.0"\n',
    'values.yaml': 'message: first\n',
    'templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
data:
  message: {{ .Values.message | quote }}
`,
    ...templates,
  };
}
