// The Kubernetes versions whose OpenAPI schemas ship with the product. The build takes each one's
// swagger.json from the k8s.io/kubernetes module on the Go module proxy (a registry, pinned by hash);
// nothing is fetched at run time.

export interface KubernetesVersionPin {
  /** Minor version users name in settings: "1.37". */
  minor: string;
  /** The k8s.io/kubernetes module version the schema is taken from. */
  module: string;
  /** sha256 of the module zip as served by the Go module proxy. */
  zipSha256: string;
}

export const KUBERNETES_VERSIONS: readonly KubernetesVersionPin[] = [
  { minor: '1.34', module: 'v1.34.4', zipSha256: '6641440638f79b2115813c8f2ba26d35b2ab7fb4d8a5111fbee279d93abf1fcb' },
  { minor: '1.35', module: 'v1.35.4', zipSha256: '9fc1e1dc3b24a61495c578c5c631c45d74707dd415d748e13fc27441f44327a6' },
  { minor: '1.36', module: 'v1.36.3', zipSha256: '42944231bce5403ec572575f23d4306e88df359108774a6de35f41d2f9a13384' },
  { minor: '1.37', module: 'v1.37.2', zipSha256: 'dcfaeb46861398df1c931948c9775b31cbe6eba35cc97ed1bb87106ab7327b9e' },
];

export const SUPPORTED_KUBERNETES_VERSIONS: readonly string[] = KUBERNETES_VERSIONS.map((pin) => pin.minor);

/** The newest bundled version: what a cluster built today most likely runs. */
export const DEFAULT_KUBERNETES_VERSION = SUPPORTED_KUBERNETES_VERSIONS[SUPPORTED_KUBERNETES_VERSIONS.length - 1];

/** "1.35", "v1.35" or "1.35.2" → "1.35" when that minor is bundled; undefined otherwise. */
export function bundledMinor(input: string): string | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(input.trim());
  if (!match) return undefined;
  const minor = `${Number(match[1])}.${Number(match[2])}`;
  return SUPPORTED_KUBERNETES_VERSIONS.includes(minor) ? minor : undefined;
}

export function schemaFileName(minor: string): string {
  return `kubernetes-${minor}.json`;
}
