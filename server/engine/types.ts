// The rule engine's vocabulary. Offsets and lines here are plain numbers, never LSP types:
// the CLI, the language server and the deploy gate all speak this.

export type Severity = 'error' | 'warning' | 'info';

/** What a severity setting may also say: turn the rule off. */
export type SeveritySetting = Severity | 'off';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/** A YAML path inside one document: map keys and sequence indexes. */
export type Path = readonly (string | number)[];

/** Half-open character offsets into the whole file's text. */
export interface Span {
  start: number;
  end: number;
}

/** Zero-based line and character, as editors count them. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type RuleGroup =
  'pod-security' | 'resources' | 'images' | 'network' | 'secrets' | 'rbac' | 'ingress-tls' | 'storage' | 'payments' | 'blockchain' | 'meta';

export interface References {
  /** PCI DSS v4.0 requirements the rule supports (informative mapping). */
  pci: string[];
  /** CIS Kubernetes Benchmark controls. */
  cis?: string[];
  /** NSA/CISA Kubernetes Hardening Guide sections. */
  nsa?: string[];
  /** Pod Security Standards profile whose control this rule enforces. */
  pss?: 'baseline' | 'restricted';
  /** The peer check with the same intent, for users coming from another tool. */
  like?: string;
}

export interface RuleMeta {
  id: string;
  group: RuleGroup;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  references: References;
}

/**
 * A mechanical remedy, expressed on the YAML structure; fixes.ts turns it into minimal text edits.
 * Paths are document paths (as in Report.path).
 */
export type FixOp =
  /** Set a scalar or a small structure at path, creating missing parent maps. */
  | { op: 'set'; path: Path; value: unknown }
  /** Remove the pair or sequence item at path. */
  | { op: 'delete'; path: Path }
  /** Append an item to the sequence at path, creating the sequence when missing. */
  | { op: 'append'; path: Path; value: unknown };

export interface Fix {
  title: string;
  ops: FixOp[];
}

export interface Report {
  /** Where the problem is; when it names a key that is missing, the nearest existing parent is shown. */
  path: Path;
  message: string;
  fix?: Fix;
  /** Objects elsewhere in the workspace that cause the finding or make it more severe. */
  related?: RelatedReport[];
  /** The key at path is the problem (an unknown field): the range covers the key, not its value. */
  keyOnly?: boolean;
  /**
   * Offsets into the string value at path when the finding is about part of it (a flag inside a
   * multi-line shell script): the range is that part as written, on its own line, when the source
   * shows it unchanged; otherwise the whole value.
   */
  within?: Span;
  /**
   * A lower severity than the rule's for this finding (a probe on an undeclared port number that may
   * well work); the finding takes the lower of this and the rule's configured severity.
   */
  severity?: Severity;
}

/** An object a finding depends on (a Service exposing this node, the Namespace label that puts it in PCI scope). */
export interface RelatedReport {
  object: K8sObject;
  /** Path inside that object's document; the object itself (its metadata.name) when absent. */
  path?: Path;
  message: string;
}

export interface ObjectRef {
  kind: string;
  apiVersion: string;
  name: string;
  namespace?: string;
}

/** One Kubernetes object of a document (a List contributes one per item). */
export interface K8sObject extends ObjectRef {
  /** The object's plain value. */
  value: Record<string, unknown>;
  /** Path of the object inside its document: [] or ['items', i]. */
  path: Path;
  file: string;
  /** Index of the YAML document in the file. */
  docIndex: number;
  /**
   * Where the object's metadata.name pair (else its document) is, recorded for objects whose file's text the
   * engine will not hold (the language server's workspace index), so findings elsewhere can link to them.
   */
  anchor?: Range;
}

export interface RuleContext {
  config: ResolvedConfig;
  workspace: WorkspaceIndex;
  /** Every rule id the engine knows, for rules that check references to rules. */
  knownRuleIds: ReadonlySet<string>;
  report(report: Report): void;
  /**
   * Whether the value at a document path is written as a plain (unquoted, non-block) scalar: `yes`,
   * not `"yes"`. Values are read as YAML 1.2, where both are strings; the API server's YAML 1.1 reader
   * makes the plain one a boolean. Costs a positioned parse of the document: ask only for suspects.
   */
  isPlainScalar?(path: Path): boolean;
}

export interface Rule extends RuleMeta {
  check(object: K8sObject, context: RuleContext): void;
}

/** Objects visible to rules that look beyond one document (a PDB, a ServiceAccount, a quota). */
export interface WorkspaceIndex {
  all(): readonly K8sObject[];
  ofKind(kind: string): readonly K8sObject[];
  /** The object of that kind and name in the namespace (an unset namespace reads as default). */
  find(kind: string, namespace: string | undefined, name: string): K8sObject | undefined;
  isPciNamespace(namespace: string | undefined): boolean;
  /**
   * Every object's entry (from `entryOf`, which must depend on the object alone) grouped by key. The part
   * of the workspace shared between analyses is grouped once per `name`, so a rule that needs all
   * workloads does not walk 50,000 objects on each keystroke.
   */
  groupedBy<T>(name: string, entryOf: (object: K8sObject) => [key: string, entry: T] | undefined): (key: string) => readonly T[];
}

export interface Suppression {
  by: 'annotation' | 'comment';
  reason: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  span: Span;
  range: Range;
  /** Path inside the document, as the rule reported it. */
  path: Path;
  docIndex: number;
  object: ObjectRef;
  fix?: Fix;
  /** Set when an annotation or comment silences this finding; it is kept for reports. */
  suppressed?: Suppression;
  /** Where the objects the finding depends on are, possibly in other files. */
  related?: RelatedLocation[];
}

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

/** Something that stopped (part of) a file from being analysed. */
export interface Problem {
  code:
    | 'yaml-syntax'
    | 'helm-template'
    | 'file-too-large'
    | 'binary-file'
    | 'too-complex'
    | 'config-invalid'
    | 'rule-failed'
    | 'internal-error'
    /** The renderer (helm, kustomize) refused the chart or overlay: its error, on the line it names. */
    | 'render-failed'
    /** The chart or overlay was not rendered (no program found, untrusted workspace): no findings for it. */
    | 'render-unavailable'
    /** kustomize could not build an overlay (an error it printed, a remote resource we never fetch). */
    | 'kustomize-build'
    /** No helm or kustomize to render a chart or overlay with: its built findings are missing. */
    | 'renderer-not-found';
  severity: Severity;
  message: string;
  file: string;
  span: Span;
  range: Range;
}

export interface FileResult {
  file: string;
  findings: Finding[];
  problems: Problem[];
  objects: ObjectRef[];
}

/** Settings after merging editor settings, the workspace file and defaults. */
export interface ResolvedConfig {
  /** Per-rule severity or 'off'; rules absent here keep their default. */
  rules: Record<string, SeveritySetting>;
  trustedRegistries: string[];
  pciNamespaces: string[];
  /** Findings below this are dropped. */
  severityThreshold: Severity;
  maxFileBytes: number;
  /** Minor version whose bundled OpenAPI schema manifests are validated against ("1.37"). */
  kubernetesVersion: string;
}
