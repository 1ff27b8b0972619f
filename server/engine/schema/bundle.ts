// The bundled schemas on disk (dist/schemas), read on first use per Kubernetes version. The bundles
// sit next to the built server and CLI; from sources (tests, scripts) they are read from dist/.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaBundle } from './model';
import { schemaFileName } from './versions';

const loaded = new Map<string, SchemaBundle>();

function schemaDirectory(): string {
  const candidates = [
    process.env.FINTECH_K8S_SCHEMAS,
    // dist/server.js and dist/cli.js
    join(__dirname, 'schemas'),
    // server/engine/schema/*.ts run from sources
    join(__dirname, '..', '..', '..', 'dist', 'schemas'),
  ].filter((dir): dir is string => Boolean(dir));
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0];
}

/** The bundle for a supported minor version ("1.37"); throws when the build did not produce it. */
export function bundledSchemas(minor: string): SchemaBundle {
  let bundle = loaded.get(minor);
  if (!bundle) {
    const file = join(schemaDirectory(), schemaFileName(minor));
    if (!existsSync(file))
      throw new Error(`the Kubernetes ${minor} schema is not bundled (${schemaFileName(minor)} is missing; run npm run build)`);
    bundle = JSON.parse(readFileSync(file, 'utf8')) as SchemaBundle;
    loaded.set(minor, bundle);
  }
  return bundle;
}
