// The compact schema the validator reads: the structure of the OpenAPI definitions (fields, types,
// required fields) without their prose. Bundled per Kubernetes version and built from workspace CRDs.

/** A named definition in the bundle (as in OpenAPI `$ref`), or an inline shape. */
export type SchemaNode = string | SchemaShape;

export type SchemaType =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'object'
  | 'array'
  /** Anything goes (RawExtension-like JSON, schema-less CRD parts). */
  | 'any'
  | 'int-or-string'
  /** resource.Quantity: a string or a number in a quantity's syntax. */
  | 'quantity'
  /** A base64-encoded string (Secret data). */
  | 'byte';

export interface SchemaShape {
  type: SchemaType;
  /** Known fields of an object; any other field is unknown unless `open`. */
  properties?: Record<string, SchemaNode>;
  required?: string[];
  /** The schema of every value of a map (labels, Secret data). */
  additionalProperties?: SchemaNode;
  /** Unknown fields are kept by the API server (x-kubernetes-preserve-unknown-fields). */
  open?: boolean;
  items?: SchemaNode;
}

/** One Kubernetes version's built-in kinds. */
export interface SchemaBundle {
  kubernetesVersion: string;
  /** "apps/v1 Deployment" → definition name. */
  kinds: Record<string, string>;
  definitions: Record<string, SchemaShape>;
}

export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}

/** The API group of an apiVersion: "" for the core group ("v1"). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** "io.k8s.api.apps.v1.DeploymentSpec" → "DeploymentSpec", for messages. */
export function shortName(definition: string): string {
  return definition.slice(definition.lastIndexOf('.') + 1);
}
