// Build step: the bundled Kubernetes schemas (dist/schemas/kubernetes-<minor>.json). Each version's
// swagger.json comes from the k8s.io/kubernetes module zip on the Go module proxy, checked against the
// pinned sha256 and cached outside the repo, so only the first build on a machine downloads.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { compactSwagger } from '../server/engine/schema/compact';
import { KUBERNETES_VERSIONS, schemaFileName, type KubernetesVersionPin } from '../server/engine/schema/versions';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'dist', 'schemas');
const CACHE = join(process.env.FINTECH_K8S_CACHE || join(homedir(), '.cache', 'fintech-k8s'), 'kubernetes-openapi');
const SWAGGER_IN_ZIP = 'api/openapi-spec/swagger.json';

/** The first proxy of GOPROXY that is a URL (the Go tool's own setting), else the public proxy. */
function goProxy(): string {
  const entries = (process.env.GOPROXY ?? '').split(/[,|]/).filter((entry) => /^https?:\/\//.test(entry));
  return (entries[0] ?? 'https://proxy.golang.org').replace(/\/$/, '');
}

/** The version's swagger.json from the cache, downloading and verifying the module zip on a miss. */
export async function swaggerPath(pin: KubernetesVersionPin): Promise<string> {
  const cached = join(CACHE, pin.module, 'swagger.json');
  if (existsSync(cached)) return cached;
  const url = `${goProxy()}/k8s.io/kubernetes/@v/${pin.module}.zip`;
  const started = Date.now();
  const zip = await download(url);
  const digest = createHash('sha256').update(zip).digest('hex');
  if (digest !== pin.zipSha256) throw new Error(`${url}: sha256 ${digest}, expected ${pin.zipSha256}`);
  const entry = `k8s.io/kubernetes@${pin.module}/${SWAGGER_IN_ZIP}`;
  const files = unzipSync(zip, { filter: (file) => file.name === entry });
  if (!files[entry]) throw new Error(`${url}: ${SWAGGER_IN_ZIP} not found in the module`);
  mkdirSync(join(CACHE, pin.module), { recursive: true });
  writeFileSync(`${cached}.partial`, files[entry]);
  renameSync(`${cached}.partial`, cached);
  console.log(`kubernetes ${pin.module}: swagger.json from ${url} (${(zip.length / 1e6).toFixed(1)} MB, ${Date.now() - started} ms)`);
  return cached;
}

const ATTEMPTS = 3;
const DOWNLOAD_TIMEOUT_MS = 180_000;

/** The whole body, retried on network errors and 5xx (a proxy hiccup must not fail a cold build). */
async function download(url: string): Promise<Uint8Array> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      if (response.ok) return new Uint8Array(await response.arrayBuffer());
      if (response.status < 500 || attempt >= ATTEMPTS) throw new Error(`GET ${url}: HTTP ${response.status}`);
    } catch (error) {
      const failure = error as Error & { cause?: Error };
      if (failure.message.includes(': HTTP ')) throw failure;
      if (attempt >= ATTEMPTS)
        throw new Error(`GET ${url}: ${failure.cause?.message ?? failure.message} (after ${ATTEMPTS} attempts)`, { cause: error });
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000 * attempt));
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const paths = await Promise.all(KUBERNETES_VERSIONS.map(swaggerPath));
  KUBERNETES_VERSIONS.forEach((pin, i) => {
    const bundle = compactSwagger(JSON.parse(readFileSync(paths[i], 'utf8')), pin.minor);
    writeFileSync(join(OUT, schemaFileName(pin.minor)), JSON.stringify(bundle));
  });
  console.log(`built dist/schemas for Kubernetes ${KUBERNETES_VERSIONS.map((pin) => pin.minor).join(', ')}`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`kubernetes schemas: ${error.message}`);
    process.exit(1);
  });
}
