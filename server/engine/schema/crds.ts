// Schemas of custom resources from the CustomResourceDefinitions in the workspace: a manifest of a
// CRD's kind is checked against that CRD's openAPIV3Schema for its version.
import type { K8sObject, WorkspaceIndex } from '../types';
import { compactOpenApiV3 } from './compact';
import type { SchemaShape } from './model';
import { kindKey } from './model';

export interface CustomSchema {
  shape: SchemaShape;
  /** The CRD that defines it, for messages. */
  crd: K8sObject;
}

const byWorkspace = new WeakMap<WorkspaceIndex, Map<string, CustomSchema>>();
/** Compiled per CRD object: the language server keeps a file's objects until the file changes. */
const byCrd = new WeakMap<K8sObject, [string, CustomSchema][]>();

/** "group/version Kind" → schema, for every served version with a schema; built once per index. */
export function customSchemas(workspace: WorkspaceIndex): Map<string, CustomSchema> {
  let schemas = byWorkspace.get(workspace);
  if (!schemas) {
    schemas = new Map();
    for (const crd of workspace.ofKind('CustomResourceDefinition')) {
      let compiled = byCrd.get(crd);
      if (!compiled) {
        compiled = compile(crd);
        byCrd.set(crd, compiled);
      }
      for (const [key, schema] of compiled) schemas.set(key, schema);
    }
    byWorkspace.set(workspace, schemas);
  }
  return schemas;
}

function compile(crd: K8sObject): [string, CustomSchema][] {
  if (!crd.apiVersion.startsWith('apiextensions.k8s.io/')) return [];
  const spec = record(crd.value.spec);
  const group = spec.group;
  const kind = record(spec.names).kind;
  if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(spec.versions)) return [];
  const compiled: [string, CustomSchema][] = [];
  for (const version of spec.versions.map(record)) {
    const schema = record(version.schema).openAPIV3Schema;
    if (typeof version.name !== 'string' || !schema) continue;
    compiled.push([kindKey(`${group}/${version.name}`, kind), { shape: rootShape(compactOpenApiV3(schema)), crd }]);
  }
  return compiled;
}

/** Every custom resource also has apiVersion, kind and ObjectMeta, whether its schema says so or not. */
function rootShape(shape: SchemaShape): SchemaShape {
  if (shape.type !== 'object' || !shape.properties) return shape;
  return {
    ...shape,
    properties: {
      ...shape.properties,
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    },
  };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
