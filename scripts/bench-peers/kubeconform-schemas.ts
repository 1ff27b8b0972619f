// kubeconform fetches its JSON schemas from GitHub, which is out of reach here; this writes the same
// "standalone-strict" layout (what openapi2jsonschema makes for kubeconform) from the Kubernetes
// swagger.json the build already caches: one file per kind, `<kind>[-<group>]-<version>.json` in lower
// case, every $ref inlined, and `additionalProperties: false` on each object that lists its properties.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS } from '../../server/engine/schema/versions';
import { swaggerPath } from '../kubernetes-schemas';

type Schema = Record<string, unknown>;
interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const REF = '#/definitions/';
// The API server takes numbers for quantities (`cpu: 1`), though swagger types them as strings; the
// published kubeconform schemas accept both as well.
const SPECIAL: Record<string, Schema> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
};
const INT_OR_STRING: Schema = { oneOf: [{ type: 'string' }, { type: 'integer' }] };

/** kubeconform's file name for a kind: its KindSuffix is the group's first label and the version. */
export function schemaFileName({ group, version, kind }: Gvk): string {
  const groupPart = group ? `-${group.split('.')[0]}` : '';
  return `${kind}${groupPart}-${version}.json`.toLowerCase();
}

class Inliner {
  private readonly memo = new Map<string, Schema>();
  constructor(private readonly definitions: Record<string, Schema>) {}

  /** The schema with refs inlined; a recursive ref (JSONSchemaProps) becomes {} (anything). */
  expand(schema: Schema, stack: string[] = []): { schema: Schema; cut: boolean } {
    if (typeof schema.$ref === 'string') return this.definition(schema.$ref.slice(REF.length), stack);
    if (schema.format === 'int-or-string') return { schema: INT_OR_STRING, cut: false };
    const out: Schema = {};
    let cut = false;
    const sub = (value: Schema) => {
      const expanded = this.expand(value, stack);
      cut ||= expanded.cut;
      return expanded.schema;
    };
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'description' || key.startsWith('x-kubernetes-')) continue;
      if (key === 'properties')
        out.properties = Object.fromEntries(
          Object.entries(value as Record<string, Schema>).map(([name, property]) => [name, sub(property)]),
        );
      else if ((key === 'items' || key === 'additionalProperties') && typeof value === 'object' && value) out[key] = sub(value as Schema);
      else if (key === 'allOf' || key === 'oneOf' || key === 'anyOf') out[key] = (value as Schema[]).map(sub);
      else out[key] = value;
    }
    // kubectl's strict validation, as openapi2jsonschema --strict does it: unknown fields are errors
    // where the schema lists the fields (maps and preserve-unknown-fields objects stay open).
    if (out.properties && !('additionalProperties' in out) && !schema['x-kubernetes-preserve-unknown-fields'])
      out.additionalProperties = false;
    return { schema: out, cut };
  }

  private definition(name: string, stack: string[]): { schema: Schema; cut: boolean } {
    if (SPECIAL[name]) return { schema: SPECIAL[name], cut: false };
    const memo = this.memo.get(name);
    if (memo) return { schema: memo, cut: false };
    if (stack.includes(name)) return { schema: {}, cut: true };
    const found = this.definitions[name];
    if (!found) throw new Error(`swagger.json: no definition ${name}`);
    const expanded = this.expand(found, [...stack, name]);
    // Only a result that did not stop at a cycle is the same from every starting point.
    if (!expanded.cut) this.memo.set(name, expanded.schema);
    return expanded;
  }
}

/** The kinds' schemas for the default Kubernetes version, written once into the peers cache. */
export async function kubeconformSchemas(cacheDir: string): Promise<{ dir: string; minor: string; kinds: number }> {
  const pin = KUBERNETES_VERSIONS.find((candidate) => candidate.minor === DEFAULT_KUBERNETES_VERSION)!;
  const dir = join(cacheDir, 'kubeconform-schemas', `${pin.module}-standalone-strict`);
  const marker = join(dir, '.complete');
  if (existsSync(marker)) {
    const kinds = Number(readFileSync(marker, 'utf8'));
    console.log(`kubeconform schemas for Kubernetes ${pin.minor}: cached in ${dir}`);
    return { dir, minor: pin.minor, kinds };
  }
  const swagger = JSON.parse(readFileSync(await swaggerPath(pin), 'utf8')) as { definitions: Record<string, Schema> };
  const inliner = new Inliner(swagger.definitions);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  let kinds = 0;
  for (const [name, definition] of Object.entries(swagger.definitions)) {
    const gvks = definition['x-kubernetes-group-version-kind'] as Gvk[] | undefined;
    // Meta types such as DeleteOptions carry every group's GVK; the resources carry exactly one.
    if (gvks?.length !== 1) continue;
    const { schema } = inliner.expand({ $ref: `${REF}${name}` });
    writeFileSync(join(partial, schemaFileName(gvks[0])), JSON.stringify({ $schema: 'http://json-schema.org/schema#', ...schema }));
    kinds++;
  }
  writeFileSync(join(partial, '.complete'), String(kinds));
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  console.log(`kubeconform schemas for Kubernetes ${pin.minor}: ${kinds} kinds written to ${dir}`);
  return { dir, minor: pin.minor, kinds };
}
