// OpenAPI (Kubernetes swagger 2.0 definitions, and CRD openAPIV3Schema) → the compact schema model.
// One converter for both, so built-in kinds and custom resources are validated alike.
import type { SchemaBundle, SchemaNode, SchemaShape } from './model';
import { kindKey } from './model';

type OpenApi = Record<string, unknown>;

const DEFINITION_REF = '#/definitions/';

/** Definitions whose swagger form says less than the API server accepts. */
const SPECIAL_DEFINITIONS: Record<string, SchemaShape> = {
  // Quantities are written as numbers too (`cpu: 1`).
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'quantity' },
};

/** The structure of a Kubernetes swagger.json, keyed by apiVersion/kind. */
export function compactSwagger(swagger: { definitions: Record<string, OpenApi> }, kubernetesVersion: string): SchemaBundle {
  const definitions: Record<string, SchemaShape> = {};
  const kinds: Record<string, string> = {};
  for (const [name, definition] of Object.entries(swagger.definitions)) {
    definitions[name] = SPECIAL_DEFINITIONS[name] ?? shapeOf(definition);
    for (const gvk of (definition['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[]) ?? []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      // List kinds and the shared meta kinds (DeleteOptions, WatchEvent) are not written as manifests.
      if (gvk.kind.endsWith('List') || name.startsWith('io.k8s.apimachinery.pkg.apis.meta.')) continue;
      kinds[kindKey(apiVersion, gvk.kind)] = name;
    }
  }
  return { kubernetesVersion, kinds, definitions };
}

/** A CRD version's openAPIV3Schema (inline, no $refs). */
export function compactOpenApiV3(schema: unknown): SchemaShape {
  return isObject(schema) ? shapeOf(schema) : { type: 'any' };
}

function nodeOf(schema: unknown): SchemaNode {
  if (!isObject(schema)) return { type: 'any' };
  const ref = refOf(schema);
  return ref ?? shapeOf(schema);
}

function refOf(schema: OpenApi): string | undefined {
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith(DEFINITION_REF)) return schema.$ref.slice(DEFINITION_REF.length);
  // OpenAPI v3 wraps a lone $ref in allOf to attach a description.
  const allOf = schema.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && isObject(allOf[0])) return refOf(allOf[0]);
  return undefined;
}

function shapeOf(schema: OpenApi): SchemaShape {
  if (schema['x-kubernetes-int-or-string'] === true || schema.format === 'int-or-string') return { type: 'int-or-string' };
  // Unions we do not model: accept what the API server would have to decide.
  if (schema.anyOf || schema.oneOf || (schema.allOf && !refOf(schema))) return { type: 'any' };
  const open = schema['x-kubernetes-preserve-unknown-fields'] === true || schema['x-kubernetes-embedded-resource'] === true;
  switch (schema.type) {
    case 'string':
      return { type: schema.format === 'byte' ? 'byte' : 'string' };
    case 'integer':
    case 'number':
    case 'boolean':
      return { type: schema.type };
    case 'array':
      return { type: 'array', items: nodeOf(schema.items) };
    case 'object':
      return objectShape(schema, open);
    default:
      // No type: a free-form value (JSON, RawExtension), unless it lists fields.
      return isObject(schema.properties) ? objectShape(schema, open) : { type: 'any' };
  }
}

function objectShape(schema: OpenApi, open: boolean): SchemaShape {
  const shape: SchemaShape = { type: 'object' };
  if (isObject(schema.properties)) {
    shape.properties = {};
    for (const [field, property] of Object.entries(schema.properties)) shape.properties[field] = nodeOf(property);
  }
  if (Array.isArray(schema.required) && schema.required.length > 0) shape.required = schema.required.filter((f) => typeof f === 'string');
  const additional = schema.additionalProperties;
  if (isObject(additional)) shape.additionalProperties = nodeOf(additional);
  else if (additional === true) shape.additionalProperties = { type: 'any' };
  if (open) shape.open = true;
  return shape;
}

function isObject(value: unknown): value is OpenApi {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
