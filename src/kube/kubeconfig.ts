// Loads kubeconfig the way kubectl does (KUBECONFIG with several files, first file wins, paths relative to
// their file), into an in-memory KubeConfig the extension may re-point at another context without ever
// writing the user's files. In an untrusted workspace, credential plugins are never executed.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { UnusableCredentialsError } from './errors';

export type AuthKind = 'token' | 'certificate' | 'exec' | 'oidc' | 'basic' | 'none';

export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  server?: string;
  authKind: AuthKind;
  /** Basename of the credential command (`aws`, `gke-gcloud-auth-plugin`) when authKind is exec. */
  execCommand?: string;
  /** Why requests with this context will fail before reaching the cluster (untrusted exec, unreadable token file). */
  unusable?: string;
}

export interface LoadedKubeConfig {
  /** In-memory copy: safe to re-point (see withContext); never exported back to the user's files. */
  kubeConfig: KubeConfig;
  contexts: ContextInfo[];
  currentContext: string | undefined;
  /** The namespace requests go to by default: the current context's, else `default`. */
  namespace: string;
  /** Files that were read, in precedence order (empty for in-cluster or no config). */
  files: string[];
  /** Problems worth showing once (unreadable file, invalid entry); never contain credentials. */
  problems: string[];
}

export interface LoadKubeConfigOptions {
  /** Explicit files (a setting, a test): used instead of KUBECONFIG; a missing one is reported. */
  kubeconfigPaths?: string[];
  env?: NodeJS.ProcessEnv;
  /** False in an untrusted workspace: exec plugins and auth-provider commands are never run. */
  allowExecAuth: boolean;
  /** Start on this context instead of the file's current-context. */
  context?: string;
  /** Override the namespace of the selected context (in memory only). */
  namespace?: string;
}

type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const UNUSABLE_PROVIDER = 'fintech-k8s/unusable-credentials';

interface RawEntry {
  name?: unknown;
  [key: string]: unknown;
}

interface RawConfig {
  clusters: RawEntry[];
  users: RawEntry[];
  contexts: RawEntry[];
  currentContext?: string;
}

export function loadKubeConfig(options: LoadKubeConfigOptions): LoadedKubeConfig {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const { files, explicit } = kubeconfigFiles(options.kubeconfigPaths, env);
  const readable = files.filter((file) => {
    if (existsSync(file)) return true;
    // kubectl silently skips missing KUBECONFIG entries, but a path the user set explicitly should exist.
    if (explicit) problems.push(`Kubeconfig file not found: ${file}`);
    return false;
  });

  if (readable.length === 0 && !explicit && env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromCluster();
    return finish(kubeConfig, [], problems, options);
  }

  const raw = mergeFiles(readable, problems);
  const users = buildUsers(raw.users, options.allowExecAuth, problems);
  const kubeConfig = makeKubeConfig({
    clusters: buildEntries<Cluster>(raw.clusters, 'clusters', problems),
    users: users.map((u) => u.user),
    contexts: buildEntries<Context>(raw.contexts, 'contexts', problems),
    currentContext: raw.currentContext,
  });
  return finish(kubeConfig, readable, problems, options, new Map(users.map((u) => [u.user.name, u.info])));
}

/**
 * The same configuration pointed at another context (and optionally namespace), as a new in-memory
 * KubeConfig: the user's kubeconfig files are not touched. Throws if the context does not exist.
 */
export function withContext(loaded: LoadedKubeConfig, name: string, namespace?: string): LoadedKubeConfig {
  const source = loaded.kubeConfig;
  if (!source.getContextObject(name)) throw new Error(`No context named ${name} in the kubeconfig`);
  const contexts = source.getContexts().map((c) => (c.name === name && namespace ? { ...c, namespace } : c));
  const kubeConfig = makeKubeConfig({ clusters: source.getClusters(), users: source.getUsers(), contexts, currentContext: name });
  return {
    ...loaded,
    kubeConfig,
    contexts: loaded.contexts.map((c) => (c.name === name && namespace ? { ...c, namespace } : c)),
    currentContext: name,
    namespace: namespace ?? kubeConfig.getContextObject(name)?.namespace ?? 'default',
  };
}

/** Names for error messages: the current context, its user, server and namespace. */
export function currentTarget(kubeConfig: KubeConfig): { context?: string; user?: string; server?: string; namespace: string } {
  const name = kubeConfig.getCurrentContext();
  const context = name ? kubeConfig.getContextObject(name) : null;
  return {
    context: name || undefined,
    user: context?.user,
    server: kubeConfig.getCurrentCluster()?.server,
    namespace: context?.namespace ?? 'default',
  };
}

/** Which files kubectl would read, in precedence order. */
export function kubeconfigFiles(paths: string[] | undefined, env: NodeJS.ProcessEnv): { files: string[]; explicit: boolean } {
  if (paths && paths.length > 0) return { files: unique(paths.map((p) => resolve(p))), explicit: true };
  const fromEnv = env.KUBECONFIG;
  if (fromEnv) return { files: unique(fromEnv.split(delimiter).filter(Boolean)), explicit: false };
  const home = env.HOME || (process.platform === 'win32' ? env.USERPROFILE : undefined) || homedir();
  return { files: [join(home, '.kube', 'config')], explicit: false };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** kubectl's merge: the first file to define a cluster, user or context name wins, and so does its current-context. */
function mergeFiles(files: string[], problems: string[]): RawConfig {
  const merged: RawConfig = { clusters: [], users: [], contexts: [] };
  for (const file of files) {
    let document: unknown;
    try {
      document = yaml.load(readFileSync(file, 'utf8'));
    } catch (error) {
      // js-yaml's message quotes the offending lines, which may hold a token: report the position only.
      const e = error as { reason?: string; mark?: { line?: number }; code?: string };
      const where = e.mark?.line !== undefined ? ` (line ${e.mark.line + 1})` : '';
      problems.push(`Cannot read kubeconfig ${file}: ${e.reason ?? e.code ?? 'unreadable'}${where}`);
      continue;
    }
    if (!document || typeof document !== 'object') continue;
    const config = document as Record<string, unknown>;
    const dir = dirname(file);
    addNew(merged.clusters, config.clusters, (entry) => resolvePaths(entry, 'cluster', ['certificate-authority'], dir));
    addNew(merged.users, config.users, (entry) => resolveUserPaths(entry, dir));
    addNew(merged.contexts, config.contexts, (entry) => entry);
    const current = config['current-context'];
    if (!merged.currentContext && typeof current === 'string' && current) merged.currentContext = current;
  }
  return merged;
}

function addNew(target: RawEntry[], entries: unknown, prepare: (entry: RawEntry) => RawEntry): void {
  if (!Array.isArray(entries)) return;
  for (const entry of entries as RawEntry[]) {
    if (!entry || typeof entry !== 'object') continue;
    if (typeof entry.name === 'string' && target.some((existing) => existing.name === entry.name)) continue;
    target.push(prepare(entry));
  }
}

function resolvePaths(entry: RawEntry, section: string, keys: string[], dir: string): RawEntry {
  const body = entry[section];
  if (!body || typeof body !== 'object') return entry;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const key of keys) {
    const value = copy[key];
    if (typeof value === 'string' && value && !isAbsolute(value)) copy[key] = join(dir, value);
  }
  return { ...entry, [section]: copy };
}

function resolveUserPaths(entry: RawEntry, dir: string): RawEntry {
  const resolved = resolvePaths(entry, 'user', ['client-certificate', 'client-key', 'token-file'], dir);
  const user = resolved.user as Record<string, unknown> | undefined;
  const exec = user?.exec as Record<string, unknown> | undefined;
  // As kubectl: a command given as a relative path (not a bare name looked up on PATH) is relative to its file.
  if (user && exec && typeof exec.command === 'string' && !isAbsolute(exec.command) && basename(exec.command) !== exec.command) {
    return { ...resolved, user: { ...user, exec: { ...exec, command: join(dir, exec.command) } } };
  }
  return resolved;
}

type Section = 'clusters' | 'users' | 'contexts';

/** client-node's own parsing of one entry (its validation, its field names); throws if the entry is invalid. */
function parseEntry<T>(section: Section, entry: RawEntry): T {
  const single = new KubeConfig();
  single.loadFromString(JSON.stringify({ [section]: [entry] }));
  return (section === 'clusters' ? single.clusters : section === 'users' ? single.users : single.contexts)[0] as T;
}

/** Builds entries one by one so a single invalid entry is reported and skipped, not fatal for the rest. */
function buildEntries<T>(entries: RawEntry[], section: Section, problems: string[]): T[] {
  return entries.flatMap((entry, index) => {
    try {
      return [parseEntry<T>(section, entry)];
    } catch (error) {
      const name = typeof entry.name === 'string' ? entry.name : `#${index + 1}`;
      problems.push(`Skipped ${section.slice(0, -1)} ${name}: ${(error as Error).message.replace(/^\w+\[0\]\./, '')}`);
      return [];
    }
  });
}

interface BuiltUser {
  user: User;
  info: { authKind: AuthKind; execCommand?: string; unusable?: string };
}

function buildUsers(entries: RawEntry[], allowExecAuth: boolean, problems: string[]): BuiltUser[] {
  return entries.flatMap((entry, index): BuiltUser[] => {
    if (typeof entry.name !== 'string' || !entry.name) {
      problems.push(`Skipped user #${index + 1}: it has no name`);
      return [];
    }
    const body = (entry.user && typeof entry.user === 'object' ? entry.user : {}) as Record<string, unknown>;
    const classified = classifyUser(body);
    const { authKind, execCommand } = classified;
    if (authKind === 'exec' && !allowExecAuth) {
      const unusable = execCommand
        ? `This context authenticates with an exec plugin (${execCommand}): trust the workspace to use it`
        : 'This context authenticates with an exec plugin: trust the workspace to use it';
      return [{ user: unusableUser(entry.name, unusable, 'exec-untrusted'), info: { ...classified, unusable } }];
    }
    const malformed = malformedProvider(body);
    if (malformed) {
      const unusable = `User ${entry.name} cannot be used: ${malformed}`;
      problems.push(unusable);
      return [{ user: unusableUser(entry.name, unusable, 'unreadable'), info: { ...classified, unusable } }];
    }
    try {
      return [{ user: parseEntry<User>('users', entry), info: classified }];
    } catch (error) {
      // client-node reads token-file at load time; kubectl would fail at request time, so does this user.
      const reason = (error as Error).message.replace(/^\w+\[0\]\./, '');
      const tokenFile = body['token-file'];
      const unusable =
        typeof tokenFile === 'string'
          ? `Cannot read the token file of user ${entry.name} (${tokenFile}): ${reason}`
          : `User ${entry.name} cannot be used: ${reason}`;
      problems.push(unusable);
      return [{ user: unusableUser(entry.name, unusable, 'unreadable'), info: { ...classified, unusable } }];
    }
  });
}

/**
 * Every way a kubeconfig user can name a program that client-node (or kubectl) would run: `exec`, an
 * auth-provider named `exec` or with `config.exec`, and the legacy gcp/azure providers' `cmd-path` — as a
 * string, a list or anything else (client-node pastes it into a shell command line). All of them are
 * plugins: never run in an untrusted workspace.
 */
function programOf(body: Record<string, unknown>): { command: unknown } | undefined {
  if (body.exec !== undefined && body.exec !== null) return { command: (body.exec as { command?: unknown }).command };
  const provider = body['auth-provider'];
  if (!provider || typeof provider !== 'object') return undefined;
  const { name, config } = provider as { name?: unknown; config?: unknown };
  const settings = config && typeof config === 'object' ? (config as Record<string, unknown>) : {};
  if (settings.exec !== undefined && settings.exec !== null) return { command: (settings.exec as { command?: unknown }).command };
  if (settings['cmd-path'] !== undefined && settings['cmd-path'] !== null && settings['cmd-path'] !== '')
    return { command: settings['cmd-path'] };
  if (name === 'exec') return { command: undefined };
  return undefined;
}

function classifyUser(body: Record<string, unknown>): { authKind: AuthKind; execCommand?: string } {
  const program = programOf(body);
  if (program) return execKind(program.command);
  const provider = body['auth-provider'] as { name?: unknown } | undefined;
  if (provider && typeof provider === 'object') return { authKind: provider.name === 'oidc' ? 'oidc' : 'token' };
  if (body.token || body['token-file']) return { authKind: 'token' };
  if (body['client-certificate'] || body['client-certificate-data']) return { authKind: 'certificate' };
  if (body.username) return { authKind: 'basic' };
  return { authKind: 'none' };
}

function execKind(command: unknown): { authKind: AuthKind; execCommand?: string } {
  const first = Array.isArray(command) ? command[0] : command;
  if (typeof first !== 'string' || !first.trim()) return { authKind: 'exec' };
  return { authKind: 'exec', execCommand: basename(first.trim().split(/\s+/)[0]) };
}

/**
 * An auth-provider command given as anything but a string: kubectl refuses to load it (its config is a map
 * of strings), and client-node would paste a list into a shell command line. Refused even when trusted.
 */
function malformedProvider(body: Record<string, unknown>): string | undefined {
  const provider = body['auth-provider'];
  if (!provider || typeof provider !== 'object') return undefined;
  const config = (provider as { config?: unknown }).config;
  if (!config || typeof config !== 'object') return undefined;
  for (const key of ['cmd-path', 'cmd-args']) {
    const value = (config as Record<string, unknown>)[key];
    if (value !== undefined && value !== null && typeof value !== 'string') return `its auth-provider "${key}" is not a string`;
  }
  return undefined;
}

/** A user whose every request fails with `message` before anything is sent (see UnusableCredentialsAuth). */
function unusableUser(name: string, message: string, reason: UnusableCredentialsError['reason']): User {
  return { name, authProvider: { name: UNUSABLE_PROVIDER, config: { message, reason } } };
}

/** Refuses users marked by unusableUser; client-node consults it on every request path (API, watch, log, exec). */
const unusableCredentialsAuth: Authenticator = {
  isAuthProvider: (user: User) => user?.authProvider?.name === UNUSABLE_PROVIDER,
  applyAuthentication: async (user: User) => {
    const config = user.authProvider.config as { message: string; reason: UnusableCredentialsError['reason'] };
    throw new UnusableCredentialsError(config.message, config.reason);
  },
};

function makeKubeConfig(parts: {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext: string | undefined;
}): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.addAuthenticator(unusableCredentialsAuth);
  kubeConfig.loadFromOptions({ ...parts, currentContext: parts.currentContext ?? '' });
  return kubeConfig;
}

function finish(
  kubeConfig: KubeConfig,
  files: string[],
  problems: string[],
  options: LoadKubeConfigOptions,
  userInfo = new Map<string, BuiltUser['info']>(),
): LoadedKubeConfig {
  const contexts: ContextInfo[] = kubeConfig.getContexts().map((c) => {
    const info = userInfo.get(c.user) ?? { authKind: classifyLoadedUser(kubeConfig.getUser(c.user)) };
    return {
      name: c.name,
      cluster: c.cluster,
      user: c.user,
      namespace: c.namespace,
      server: kubeConfig.getCluster(c.cluster)?.server,
      ...info,
    };
  });
  let current: string | undefined = kubeConfig.getCurrentContext() || undefined;
  if (current && !kubeConfig.getContextObject(current)) {
    problems.push(`The current context ${current} is not defined in the kubeconfig`);
    current = undefined;
  }
  if (options.context) {
    if (kubeConfig.getContextObject(options.context)) current = options.context;
    else problems.push(`No context named ${options.context} in the kubeconfig`);
  }
  kubeConfig.setCurrentContext(current ?? '');
  const loaded: LoadedKubeConfig = {
    kubeConfig,
    contexts,
    currentContext: current,
    namespace: (current && kubeConfig.getContextObject(current)?.namespace) || 'default',
    files,
    problems,
  };
  return current && options.namespace ? withContext(loaded, current, options.namespace) : loaded;
}

function classifyLoadedUser(user: User | null): AuthKind {
  if (!user) return 'none';
  if (user.authProvider?.config?.tokenFile || user.token) return 'token';
  return 'none';
}
