// Helm 3/4 keep each release revision in a Secret (`owner=helm`, type `helm.sh/release.v1`) whose `release`
// key holds base64(gzip(JSON)), which the API's own base64 wraps once more. Decoded here, in memory only:
// the values (`config`, which may hold credentials) and the chart's files are dropped at once.
import { gunzipSync } from 'node:zlib';

export const RELEASE_SECRET_TYPE = 'helm.sh/release.v1';
export const RELEASE_LABEL_SELECTOR = 'owner=helm';

/** One revision of a release, as far as the Clusters view and the deploy commands need it. */
export interface HelmRevision {
  name: string;
  namespace: string;
  revision: number;
  /** deployed, superseded, failed, pending-install, pending-upgrade, pending-rollback, uninstalling… */
  status: string;
  chart: string;
  chartVersion: string;
  appVersion?: string;
  /** RFC 3339 time of the revision's last deploy. */
  updated?: string;
  description?: string;
  /** The rendered manifest helm applied (for the compliance badge); never the values. */
  manifest: string;
}

/** The loose JSON of helm's Release struct, as far as it is read here. */
interface ReleaseJson {
  name?: unknown;
  namespace?: unknown;
  version?: unknown;
  info?: { status?: unknown; last_deployed?: unknown; description?: unknown };
  chart?: { metadata?: { name?: unknown; version?: unknown; appVersion?: unknown } };
  manifest?: unknown;
}

const GZIP_MAGIC = [0x1f, 0x8b];
/** A release bigger than this unpacked is not a release Secret we should hold in memory (helm's own limit is 1 MiB packed). */
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

/**
 * `data.release` of a release Secret (as the API returns it, base64) → the revision. Throws an Error with a
 * plain message for anything that is not a release; the message never quotes the data.
 */
export function decodeReleaseSecretData(data: string): HelmRevision {
  const helmEncoded = Buffer.from(data, 'base64').toString('latin1');
  let packed = Buffer.from(helmEncoded, 'base64');
  if (packed.length === 0) throw new Error('the release data is empty');
  if (packed[0] === GZIP_MAGIC[0] && packed[1] === GZIP_MAGIC[1]) {
    try {
      packed = gunzipSync(packed, { maxOutputLength: MAX_UNPACKED_BYTES });
    } catch (error) {
      throw new Error(`the release data does not unpack (${(error as NodeJS.ErrnoException).code ?? 'gzip error'})`, { cause: error });
    }
  }
  let json: ReleaseJson;
  try {
    json = JSON.parse(packed.toString('utf8')) as ReleaseJson;
  } catch {
    throw new Error('the release data is not JSON');
  }
  return revisionOf(json);
}

function revisionOf(json: ReleaseJson): HelmRevision {
  if (!json || typeof json !== 'object') throw new Error('the release data is not a release');
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const name = text(json.name);
  const revision = typeof json.version === 'number' ? json.version : Number.NaN;
  if (!name || !Number.isInteger(revision)) throw new Error('the release data has no name or revision');
  const metadata = json.chart?.metadata ?? {};
  return {
    name,
    namespace: text(json.namespace) ?? '',
    revision,
    status: text(json.info?.status) ?? 'unknown',
    chart: text(metadata.name) ?? 'unknown',
    chartVersion: text(metadata.version) ?? '',
    appVersion: text(metadata.appVersion),
    updated: text(json.info?.last_deployed),
    description: text(json.info?.description),
    manifest: typeof json.manifest === 'string' ? json.manifest : '',
  };
}

/** A release and its revisions, newest first; `current` is what `helm list` shows (the newest revision). */
export interface HelmRelease {
  name: string;
  namespace: string;
  current: HelmRevision;
  history: HelmRevision[];
}

/** Revisions (any order, any releases) → releases sorted by name, each with its history newest first. */
export function groupReleases(revisions: readonly HelmRevision[]): HelmRelease[] {
  const byName = new Map<string, HelmRevision[]>();
  for (const revision of revisions) {
    const key = `${revision.namespace}/${revision.name}`;
    const list = byName.get(key) ?? [];
    list.push(revision);
    byName.set(key, list);
  }
  return [...byName.values()]
    .map((history) => {
      history.sort((a, b) => b.revision - a.revision);
      return { name: history[0].name, namespace: history[0].namespace, current: history[0], history };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.namespace.localeCompare(b.namespace));
}

/** The revision whose manifest is live: the deployed one, else the newest (a failed install has no other). */
export function liveRevision(release: HelmRelease): HelmRevision {
  return release.history.find((r) => r.status === 'deployed') ?? release.current;
}

/** `ledger-0.3.1 · rev 4 · deployed`: a release in one line. */
export function describeRevision(revision: HelmRevision): string {
  return `${revision.chart}${revision.chartVersion ? `-${revision.chartVersion}` : ''} · rev ${revision.revision} · ${revision.status}`;
}
