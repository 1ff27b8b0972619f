// Messages and settings shared by the client (src/) and the language server (server/src/).
// Types only on the client side: it never imports the engine.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

export type SeverityName = 'error' | 'warning' | 'info';

/** The `fintechK8s.*` settings the server pulls per document through workspace/configuration. */
export interface FintechK8sSettings {
  enable: boolean;
  severityThreshold: SeverityName;
  trustedRegistries: string[];
  pciNamespaces: string[];
  /** Kubernetes minor version for schema validation ("1.37"); empty: .fintech-k8s.yaml's, else the newest bundled. */
  kubernetesVersion: string;
  /** `fintechK8s.helm.path`: the helm that renders charts; empty: helm on PATH. */
  helm: { path: string };
  /** `fintechK8s.kustomize.path`: the kustomize that builds overlays; empty: kustomize on PATH. */
  kustomize: { path: string };
}

export const SETTINGS_SECTION = 'fintechK8s';

/** What the client tells the server at start: whether the workspace is trusted (helm and kustomize run only then). */
export interface InitializationOptions {
  workspaceTrusted: boolean;
}

/** The user trusted the workspace after the server started: charts and overlays may now be rendered. */
export namespace WorkspaceTrustedNotification {
  export const type = new NotificationType<void>('fintechK8s/workspaceTrusted');
}

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

export interface AnalyzeParams {
  /** Used to find the settings (.fintech-k8s.yaml, editor settings) that apply; may be untitled. */
  uri: string;
  text: string;
}

export interface AnalyzedFinding {
  ruleId: string;
  severity: SeverityName;
  message: string;
  /** Zero-based, as in LSP. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** `Kind/namespace/name`. */
  object: string;
  suppressed?: { by: 'annotation' | 'comment'; reason: string };
}

export interface AnalyzeResult {
  findings: AnalyzedFinding[];
  /** Parse problems (YAML errors, skipped files): a deploy must not go ahead with these. */
  problems: { code: string; message: string; line: number; severity: SeverityName }[];
}

/** Runs the rule engine on a text (the deploy gate, the explorer's compliance badge): same engine, same settings. */
export namespace AnalyzeRequest {
  export const type = new RequestType<AnalyzeParams, AnalyzeResult, void>('fintechK8s/analyze');
}

export interface ComplianceReportParams {
  /** The workspace folder whose settings apply (its `.fintech-k8s.yaml`). */
  folderUri?: string;
}

export interface ComplianceReportResult {
  html: string;
  markdown: string;
  files: number;
  findings: number;
}

/** The compliance report of every YAML file in the workspace: the page an auditor is shown. */
export namespace ComplianceReportRequest {
  export const type = new RequestType<ComplianceReportParams, ComplianceReportResult, void>('fintechK8s/complianceReport');
}

export type RenderRootKind = 'helm' | 'kustomize';

export interface RenderRootParams {
  /** The chart or kustomization directory, or a file in it (`Chart.yaml`, `kustomization.yaml`). */
  uri: string;
  kind: RenderRootKind;
  /** Helm: the namespace the release goes to (the deploy's target); `.Release.Namespace` renders as this. */
  namespace?: string;
}

/** A finding on a rendered object, on the source line that wrote it (template, values, base, patch, kustomization). */
export interface RenderedFinding extends AnalyzedFinding {
  uri: string;
}

export interface RenderRootProblem {
  code: string;
  severity: SeverityName;
  message: string;
  uri: string;
  line: number;
}

/** What Helm rendered with, so `helm upgrade --install` deploys exactly what was linted. */
export interface HelmReleaseOptions {
  releaseName: string;
  namespace: string;
  /** Absolute paths of the values files beyond the chart's own values.yaml, in order. */
  valuesFiles: string[];
  set: string[];
}

export interface RenderRootResult {
  /** Names this render for LocateRenderedRequest while the server keeps it (the last few renders). */
  renderId: string;
  /** Absolute directory of the chart or kustomization. */
  dir: string;
  /**
   * The rendered objects as the cluster receives them, `---`-separated, one object per document, in the
   * renderer's order, without kustomize's build metadata. Document i is the i-th object for LocateRenderedRequest.
   */
  manifests: string;
  findings: RenderedFinding[];
  /** What stopped (part of) the render or the analysis; a deploy must not go ahead with an error here. */
  problems: RenderRootProblem[];
  helm?: HelmReleaseOptions;
}

/** Renders a chart or overlay with the real helm/kustomize and lints the result: the deploy gate of Deploy Chart/Overlay. */
export namespace RenderRootRequest {
  export const type = new RequestType<RenderRootParams, RenderRootResult, void>('fintechK8s/renderRoot');
}

export interface LocateRenderedParams {
  renderId: string;
  /** A field of a rendered object (a dry-run error's cause): its document in `manifests` and its path. */
  locations: { docIndex: number; path: (string | number)[] }[];
}

export interface LocateRenderedResult {
  /** Per location, the source line that wrote the field (or its nearest written parent); null when unknown. */
  locations: ({ uri: string; range: AnalyzedFinding['range'] } | null)[];
}

/** Puts fields of rendered objects back on their template, values, patch or kustomization lines. */
export namespace LocateRenderedRequest {
  export const type = new RequestType<LocateRenderedParams, LocateRenderedResult, void>('fintechK8s/locateRendered');
}
