// Container image references, parsed like the Docker reference grammar (distribution/reference):
//   [registry[:port]/]path[:tag][@algorithm:hex]
// The first path component is a registry only if it contains '.' or ':', is 'localhost', or has
// an uppercase letter; otherwise the image comes from Docker Hub (docker.io), and a single-component
// name is an official image under library/.

export const DOCKER_HUB = 'docker.io';

export interface ImageRef {
  /** The reference exactly as written. */
  raw: string;
  /** Registry host with optional port, as written ('docker.io' when implied). */
  registry: string;
  /** Repository path inside the registry ('library/nginx' for official images). */
  repository: string;
  tag?: string;
  /** 'algorithm:hex', as written. */
  digest?: string;
}

export type ImageRefResult = { ok: true; ref: ImageRef } | { ok: false; error: string };

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;
const NAME_MAX = 255;

/** Parsed references by text: a workspace names the same few images in many workloads. */
const parsedRefs = new Map<string, ImageRefResult>();
const PARSED_REFS_MAX = 10_000;

/** Parses (or recalls) an image reference; the result is shared, so callers must not change it. */
export function parseImageRef(raw: string): ImageRefResult {
  let result = parsedRefs.get(raw);
  if (!result) {
    if (parsedRefs.size >= PARSED_REFS_MAX) parsedRefs.clear();
    parsedRefs.set(raw, (result = parse(raw)));
  }
  return result;
}

function parse(raw: string): ImageRefResult {
  if (raw.length === 0) return { ok: false, error: 'empty image reference' };
  if (raw.trim() !== raw) return { ok: false, error: 'image reference has leading or trailing whitespace' };

  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { ok: false, error: `invalid digest "${digest}"` };
  }

  // A colon after the last slash starts the tag; one before it belongs to a registry port.
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { ok: false, error: `invalid tag "${tag}"` };
  }
  if (rest.length === 0) return { ok: false, error: 'image reference has no repository name' };
  if (rest.length > NAME_MAX) return { ok: false, error: `repository name is longer than ${NAME_MAX} characters` };

  let registry = DOCKER_HUB;
  let repository = rest;
  const slash = rest.indexOf('/');
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      registry = first;
      repository = rest.slice(slash + 1);
    }
  }
  if (!DOMAIN.test(registry)) return { ok: false, error: `invalid registry "${registry}"` };
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;

  for (const component of repository.split('/')) {
    if (PATH_COMPONENT.test(component)) continue;
    if (component !== component.toLowerCase()) return { ok: false, error: `repository name "${repository}" must be lowercase` };
    return { ok: false, error: `invalid repository path component "${component}"` };
  }
  return { ok: true, ref: { raw, registry, repository, tag, digest } };
}

/** Pinned to content: a well-formed sha256 digest (the only algorithm registries serve in practice). */
export function isPinnedByDigest(ref: ImageRef): boolean {
  return ref.digest !== undefined && SHA256_DIGEST.test(ref.digest);
}

/** `registry/repository`, with the registry lowercased (host names are case-insensitive). */
export function qualifiedName(ref: ImageRef): string {
  return `${ref.registry.toLowerCase()}/${ref.repository}`;
}
