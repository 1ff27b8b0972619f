// Kubeconfig files the explorer tests need: the harness kubeconfig split across two files (as users
// combine them through KUBECONFIG), and one pointing at a port where nothing listens.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';

interface Named {
  name: string;
}

interface RawKubeconfig {
  clusters: Named[];
  users: Named[];
  contexts: (Named & { context: { user: string; cluster: string } })[];
  'current-context'?: string;
}

export interface TempDir {
  path: string;
  remove(): void;
}

export function tempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

function write(path: string, config: object): string {
  writeFileSync(path, yaml.dump(config), { mode: 0o600 });
  return path;
}

/**
 * Splits a kubeconfig in two files: `first` holds every context except `secondContext` (and the current
 * context), `second` holds `secondContext` with its user and names it current-context, which the merge
 * must ignore because the first file sets one. Both files carry the cluster, as real files do.
 */
export function splitKubeconfig(source: string, dir: string, secondContext: string): { first: string; second: string } {
  const config = yaml.load(readFileSync(source, 'utf8')) as RawKubeconfig;
  const moved = config.contexts.find((c) => c.name === secondContext);
  if (!moved) throw new Error(`no context ${secondContext} in ${source}`);
  const firstContexts = config.contexts.filter((c) => c !== moved);
  const firstUsers = new Set(firstContexts.map((c) => c.context.user));
  const first = write(join(dir, 'admin.yaml'), {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: config.clusters,
    users: config.users.filter((u) => firstUsers.has(u.name)),
    contexts: firstContexts,
    'current-context': config['current-context'],
  });
  const second = write(join(dir, 'dev.yaml'), {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: config.clusters.filter((c) => c.name === moved.context.cluster),
    users: config.users.filter((u) => u.name === moved.context.user),
    contexts: [moved],
    'current-context': moved.name,
  });
  return { first, second };
}

/** A 127.0.0.1 port that was free a moment ago (listened on, then closed): connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A kubeconfig whose only context points at `server`. `user` is the kubeconfig `user:` body. */
export function singleContextKubeconfig(path: string, server: string, user: object = { token: 'not-a-real-token' }): string {
  return write(path, {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'nowhere', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'someone', user }],
    contexts: [{ name: 'nowhere', context: { cluster: 'nowhere', user: 'someone' } }],
    'current-context': 'nowhere',
  });
}

/** The context names of a kubeconfig file. */
export function contextNames(path: string): string[] {
  return ((yaml.load(readFileSync(path, 'utf8')) as RawKubeconfig).contexts ?? []).map((c) => c.name);
}
