import type { Rule } from '../../types';
import { containerImages } from './containers';
import { DOCKER_HUB, qualifiedName } from './image-ref';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * An allow-list entry as a `registry[/path]` prefix: scheme and trailing slashes dropped, host
 * lowercased, index.docker.io spelled docker.io (as image references are normalised).
 */
export function normaliseEntry(entry: string): string {
  const trimmed = entry.trim().replace(SCHEME, '').replace(/\/+$/, '');
  const slash = trimmed.indexOf('/');
  let host = (slash === -1 ? trimmed : trimmed.slice(0, slash)).toLowerCase();
  if (host === 'index.docker.io') host = DOCKER_HUB;
  return slash === -1 ? host : host + trimmed.slice(slash);
}

/** Whether the image's `registry/repository` lies under the entry, on a component boundary. */
export function isTrusted(name: string, entries: readonly string[]): boolean {
  return entries.some((entry) => entry !== '' && (name === entry || name.startsWith(entry + '/')));
}

let cachedSource: readonly string[] | undefined;
let cachedEntries: string[] = [];

function entriesOf(source: readonly string[]): string[] {
  if (source !== cachedSource) {
    cachedSource = source;
    cachedEntries = source.map(normaliseEntry).filter((entry) => entry !== '');
  }
  return cachedEntries;
}

function listed(entries: readonly string[]): string {
  return entries.length <= 5 ? entries.join(', ') : `${entries.slice(0, 5).join(', ')}, … ${entries.length - 5} more`;
}

export const trustedRegistry: Rule = {
  id: 'trusted-registry',
  group: 'images',
  title: 'Images must come from a trusted registry',
  severity: 'error',
  rationale:
    'Images pulled from registries outside your allow-list bypass the vulnerability scanning, signing and change control your pipeline applies, and a public image can be replaced by its publisher at any time.',
  remediation:
    'Mirror the image into an approved registry and reference it there, or add the registry (or a `registry/path` prefix) to `trustedRegistries` in `.fintech-k8s.yaml` after review.',
  references: { pci: ['2.2.1', '6.3.1'] },
  check(object, context) {
    // Off until the team states which registries it trusts.
    if (context.config.trustedRegistries.length === 0) return;
    const entries = entriesOf(context.config.trustedRegistries);
    if (entries.length === 0) return;
    for (const { container, ref, path } of containerImages(object)) {
      const name = qualifiedName(ref);
      if (isTrusted(name, entries)) continue;
      context.report({
        path,
        message: `${container.label} image "${ref.raw}" comes from ${name}, which matches no trustedRegistries entry (${listed(entries)}).`,
      });
    }
  },
};
