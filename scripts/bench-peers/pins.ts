// The peer linters `npm run bench -- --peers` compares against, pinned here and nowhere else. Bumping a
// version here makes the next run install it beside the old one in the cache.

export interface PythonPeer {
  kind: 'pypi';
  name: string;
  version: string;
}

export interface GoPeer {
  kind: 'go';
  name: string;
  /** Module path as its go.mod spells it. */
  module: string;
  /** Package to build inside the module (the main package). */
  pkg: string;
  version: string;
  /** Why this version: the proxy may serve only some versions of a module. */
  note?: string;
}

export const CHECKOV: PythonPeer = { kind: 'pypi', name: 'checkov', version: '3.3.30' };

export const KUBECONFORM: GoPeer = {
  kind: 'go',
  name: 'kubeconform',
  module: 'github.com/yannh/kubeconform',
  pkg: 'github.com/yannh/kubeconform/cmd/kubeconform',
  version: 'v0.8.0',
};

export const POLARIS: GoPeer = {
  kind: 'go',
  name: 'polaris',
  module: 'github.com/fairwindsops/polaris',
  pkg: 'github.com/fairwindsops/polaris',
  // Polaris tags releases without a "v" (e.g. "9.0.0") and its module path has no /vN suffix, so the Go
  // proxy knows it by pseudo-versions only; it refuses the version list, @latest and tag names, and
  // serves this commit (May 2022, the newest we found served). Its checks are a subset of today's.
  version: 'v0.0.0-20220512134546-92f0b6e551df',
  note: 'newest version the Go module proxy serves',
};

export interface NpmPeer {
  kind: 'npm';
  name: string;
  version: string;
  /** The package's entry script, run with node. */
  bin: string;
}

/** The YAML language server most editors run; without a schema it only parses, which is what its timing shows. */
export const YAML_LANGUAGE_SERVER: NpmPeer = {
  kind: 'npm',
  name: 'yaml-language-server',
  version: '2.0.0',
  bin: 'bin/yaml-language-server',
};
