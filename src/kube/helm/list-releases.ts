// Helm releases of a namespace, read with the API from their release Secrets (never by running helm). The
// Secrets' data is decoded in memory and dropped; a Secret that does not decode is a warning, not a failure.
import type { KubeConfig } from '@kubernetes/client-node';
import { describeKubeError, type KubeErrorDescription } from '../errors';
import type { ExplorerOptions, KubeObject, Result } from '../explorer';
import { listAllPages, targetNames } from '../watch';
import {
  decodeReleaseSecretData,
  groupReleases,
  RELEASE_LABEL_SELECTOR,
  RELEASE_SECRET_TYPE,
  type HelmRelease,
  type HelmRevision,
} from './release-decode';

export async function listHelmReleases(
  kubeConfig: KubeConfig,
  namespace: string,
  options: ExplorerOptions = {},
): Promise<Result<HelmRelease[]>> {
  let secrets: KubeObject[];
  try {
    ({ items: secrets } = await listAllPages<KubeObject>(
      kubeConfig,
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`,
      { labelSelector: RELEASE_LABEL_SELECTOR, fieldSelector: `type=${RELEASE_SECRET_TYPE}` },
      options,
    ));
  } catch (error) {
    return {
      ok: false,
      error: describeKubeError(error, { verb: 'list', resource: 'secrets', namespace, ...targetNames(kubeConfig) }),
    };
  }
  const revisions: HelmRevision[] = [];
  const warnings: KubeErrorDescription[] = [];
  for (const secret of secrets) {
    const data = secret.data?.release;
    secret.data = undefined; // Nothing of the Secret outlives this loop but the decoded revision.
    try {
      if (!data) throw new Error('it has no release data');
      revisions.push(decodeReleaseSecretData(data));
    } catch (error) {
      warnings.push({
        kind: 'other',
        message: `Helm release Secret ${secret.metadata.name} could not be read: ${(error as Error).message}`,
      });
    }
  }
  const items = groupReleases(revisions);
  return warnings.length ? { ok: true, items, warnings } : { ok: true, items };
}
