// Manifest text → the objects to deploy, in dependency order, each with the source positions needed to put
// an API error (a field path) back on its line. Pure: no cluster access.
import { LineCounter, parseAllDocuments, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, DocumentOptions, Node as YamlNode, ParseOptions, SchemaOptions } from 'yaml';
import { parseFieldPath, pathKey, resolveSegments } from './field-path';

/** Zero-based, as in VS Code and LSP. */
export interface SourcePosition {
  offset: number;
  line: number;
  character: number;
}

export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

export type KubeManifest = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string };
};

export interface PlannedObject {
  /** The manifest as plain JSON; `metadata.namespace` filled in for namespaced kinds. */
  object: KubeManifest;
  kind: string;
  apiVersion: string;
  name: string;
  /** Undefined for cluster-scoped kinds. */
  namespace?: string;
  file: string;
  /** Index of the `---` document in the file (counting empty documents too). */
  docIndex: number;
  /** The whole document. */
  range: SourceRange;
  /** Where errors without a locatable field go: the document's first line. */
  headRange: SourceRange;
  /** Source range of every key and list item, by canonical path (see pathKey). */
  keyRanges: Record<string, SourceRange>;
}

export interface PlanError {
  file: string;
  docIndex: number;
  message: string;
  range: SourceRange;
}

export interface DeployPlan {
  objects: PlannedObject[];
  errors: PlanError[];
}

export interface PlanOptions {
  /** The context's namespace, for namespaced objects that name none. Default `default`. */
  namespace?: string;
  /** Scope from discovery, when the caller has it; undefined falls back to the built-in list. */
  isNamespaced?: (apiVersion: string, kind: string) => boolean | undefined;
  /** Where `text` starts in its file (Deploy Selection), so positions are the file's. */
  origin?: SourcePosition;
}

/** Kinds that live outside namespaces (core Kubernetes; custom kinds are read from CRDs in the same text). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'ComponentStatus',
  'ClusterTrustBundle',
  'DeviceClass',
]);

/**
 * Apply order: what others need must exist first (a namespace before its contents, a CRD before its custom
 * resources, quotas and accounts before the pods admission checks against them, config before the workloads
 * that mount it). Webhook configurations and everything unknown come last, so a webhook whose Service is not
 * up yet cannot block the rest of the deploy.
 */
const APPLY_RANK: Record<string, number> = {
  Namespace: 0,
  CustomResourceDefinition: 1,
  PriorityClass: 1,
  ResourceQuota: 1,
  LimitRange: 1,
  StorageClass: 1,
  ServiceAccount: 2,
  Role: 2,
  ClusterRole: 2,
  RoleBinding: 2,
  ClusterRoleBinding: 2,
  ConfigMap: 3,
  Secret: 3,
  PersistentVolume: 4,
  PersistentVolumeClaim: 4,
  Service: 5,
  Deployment: 6,
  StatefulSet: 6,
  DaemonSet: 6,
  ReplicaSet: 6,
  ReplicationController: 6,
  Pod: 6,
  Job: 6,
  CronJob: 6,
};
const LAST_RANK = 7;

/** `Deployment payments/web`, `Namespace payments`: how messages name an object. */
export function describeObject(planned: Pick<PlannedObject, 'kind' | 'name' | 'namespace'>): string {
  return `${planned.kind} ${planned.namespace ? `${planned.namespace}/` : ''}${planned.name}`;
}

export function applyRank(kind: string): number {
  return APPLY_RANK[kind] ?? LAST_RANK;
}

// YAML 1.1 as kubectl reads it (`0644` is octal, `yes` is true), without the 1.1 types kubectl does not
// resolve: timestamps and base-60 numbers stay strings (`time: 12:30` in a ConfigMap).
const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  merge: true,
  uniqueKeys: true,
  prettyErrors: false,
  customTags: (tags) => tags.filter((t) => typeof t === 'string' || (t.format !== 'TIME' && !t.tag.endsWith(':timestamp'))),
};

export function planDeploy(text: string, file: string, options: PlanOptions = {}): DeployPlan {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter });
  const position = positionOf(text, lineCounter, options.origin);
  const rangeOf = (start: number, end: number): SourceRange => ({ start: position(start), end: position(end) });
  const headOf = (start: number, end: number) => rangeOf(start, Math.min(end, lineEnd(text, start)));

  const documents = Array.isArray(docs) ? docs : [docs];
  const errors: PlanError[] = [];
  const candidates: { value: Record<string, unknown>; doc: Document.Parsed; docIndex: number }[] = [];
  documents.forEach((doc, docIndex) => {
    const [docStart, , docEnd] = doc.range;
    const contentStart = doc.contents?.range[0] ?? docStart;
    const fail = (message: string, range = headOf(contentStart, docEnd)) => errors.push({ file, docIndex, message, range });
    if (doc.errors.length > 0) {
      const error = doc.errors[0];
      // An error at the end of input (an unclosed bracket) is shown on the last written character.
      const last = Math.max(0, text.trimEnd().length - 1);
      const start = Math.min(error.pos[0], last);
      fail(`YAML syntax error: ${error.message.split('\n')[0]}`, rangeOf(start, Math.max(Math.min(error.pos[1], last + 1), start + 1)));
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      fail(`YAML could not be read: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (value === null || value === undefined) return; // An empty document (comments only) deploys nothing.
    if (typeof value !== 'object' || Array.isArray(value)) {
      fail(`Document ${docIndex + 1} is not a Kubernetes object (a mapping with apiVersion, kind and metadata).`);
      return;
    }
    candidates.push({ value: value as Record<string, unknown>, doc, docIndex });
  });

  const customScopes = customResourceScopes(candidates.map((c) => c.value));
  const namespaced = (apiVersion: string, kind: string): boolean =>
    options.isNamespaced?.(apiVersion, kind) ?? customScopes.get(`${groupOf(apiVersion)}/${kind}`) ?? !CLUSTER_SCOPED.has(kind);

  const objects: PlannedObject[] = [];
  const seen = new Set<string>();
  for (const { value, doc, docIndex } of candidates) {
    const [docStart, , docEnd] = doc.range;
    const head = headOf(doc.contents?.range[0] ?? docStart, docEnd);
    const fail = (message: string) => errors.push({ file, docIndex, message, range: head });
    const { apiVersion, kind } = value;
    const metadata = value.metadata as Record<string, unknown> | undefined;
    if (typeof apiVersion !== 'string' || !apiVersion || typeof kind !== 'string' || !kind) {
      fail('Missing apiVersion or kind: not a Kubernetes object.');
      continue;
    }
    if (kind === 'List' || (kind.endsWith('List') && Array.isArray(value.items))) {
      fail(`${kind} is not deployed as such: write each object as its own \`---\` document.`);
      continue;
    }
    if (!metadata || typeof metadata !== 'object' || metadata.name === undefined || metadata.name === null || metadata.name === '') {
      fail(`${kind} has no metadata.name (server-side apply needs a name; generateName is not supported).`);
      continue;
    }
    if (typeof metadata.name !== 'string') {
      // YAML 1.1 reads `n`, `no`, `on`, `0644`… as booleans and numbers, exactly as kubectl does.
      fail(`${kind} metadata.name reads as the ${typeof metadata.name} ${String(metadata.name)}, not a string: quote it.`);
      continue;
    }
    const isNamespaced = namespaced(apiVersion, kind);
    const given = typeof metadata.namespace === 'string' && metadata.namespace ? metadata.namespace : undefined;
    const namespace = isNamespaced ? (given ?? options.namespace ?? 'default') : undefined;
    const identity = `${groupOf(apiVersion)}/${kind}/${namespace ?? ''}/${metadata.name}`;
    if (seen.has(identity)) {
      fail(`${kind} ${namespace ? `${namespace}/` : ''}${metadata.name} is defined twice in this text.`);
      continue;
    }
    seen.add(identity);
    const object = { ...value, metadata: isNamespaced ? { ...metadata, namespace } : { ...metadata } } as KubeManifest;
    objects.push({
      object,
      kind,
      apiVersion,
      name: metadata.name,
      namespace,
      file,
      docIndex,
      range: rangeOf(docStart, docEnd),
      headRange: head,
      keyRanges: indexKeyRanges(doc, text, rangeOf),
    });
  }

  // Array.prototype.sort is stable: objects of the same rank keep their order in the file.
  objects.sort((a, b) => applyRank(a.kind) - applyRank(b.kind));
  errors.sort((a, b) => a.docIndex - b.docIndex);
  return { objects, errors };
}

export interface FieldLocation {
  range: SourceRange;
  /** False when the field is absent (e.g. a required value): the range is then its nearest present parent. */
  exact: boolean;
}

/** The source range of an API field path (`spec.template.spec.containers[0].image`, `.spec.ports[port=80]`). */
export function locateField(planned: PlannedObject, fieldPath: string): FieldLocation {
  const { path, complete } = resolveSegments(planned.object, parseFieldPath(fieldPath));
  for (let length = path.length; length > 0; length--) {
    const range = planned.keyRanges[pathKey(path.slice(0, length))];
    if (range) return { range, exact: complete && length === path.length };
  }
  return { range: planned.headRange, exact: false };
}

/** The written part of an API field path as a plain path (`['spec', 'template', 'spec', 'containers', 0]`). */
export function fieldPathOf(planned: PlannedObject, fieldPath: string): (string | number)[] {
  return resolveSegments(planned.object, parseFieldPath(fieldPath)).path;
}

/** Custom kinds declared by CRDs in the same text: `${group}/${kind}` → namespaced. */
function customResourceScopes(values: Record<string, unknown>[]): Map<string, boolean> {
  const scopes = new Map<string, boolean>();
  for (const value of values) {
    if (value.kind !== 'CustomResourceDefinition') continue;
    const spec = value.spec as { group?: unknown; scope?: unknown; names?: { kind?: unknown } } | undefined;
    if (typeof spec?.group === 'string' && typeof spec.names?.kind === 'string') {
      scopes.set(`${spec.group}/${spec.names.kind}`, spec.scope !== 'Cluster');
    }
  }
  return scopes;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * Ranges of every mapping key (through its value when the value is a scalar) and every list item (its first
 * line only, so a diagnostic on a container does not paint the whole block).
 */
function indexKeyRanges(
  doc: Document.Parsed,
  text: string,
  rangeOf: (start: number, end: number) => SourceRange,
): Record<string, SourceRange> {
  const ranges: Record<string, SourceRange> = {};
  const visit = (node: unknown, path: (string | number)[]) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
        const key = String(pair.key.value);
        const childPath = [...path, key];
        const value = pair.value as YamlNode | null;
        const end = isScalar(value) && value.range ? value.range[1] : pair.key.range[1];
        ranges[pathKey(childPath)] = rangeOf(pair.key.range[0], end);
        visit(value, childPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const childPath = [...path, index];
        const itemRange = (item as YamlNode | null)?.range;
        if (itemRange) ranges[pathKey(childPath)] = rangeOf(itemRange[0], Math.min(itemRange[1], lineEnd(text, itemRange[0])));
        visit(item, childPath);
      });
    }
  };
  visit(doc.contents, []);
  return ranges;
}

function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  const end = newline === -1 ? text.length : newline;
  return end > offset && text[end - 1] === '\r' ? end - 1 : end;
}

function positionOf(text: string, lineCounter: LineCounter, origin?: SourcePosition): (offset: number) => SourcePosition {
  return (rawOffset) => {
    const offset = Math.max(0, Math.min(rawOffset, text.length));
    const { line, col } = lineCounter.linePos(offset);
    const position = { offset, line: line - 1, character: col - 1 };
    if (!origin) return position;
    return {
      offset: offset + origin.offset,
      line: position.line + origin.line,
      character: position.line === 0 ? position.character + origin.character : position.character,
    };
  };
}
