// The two calls deploy makes per object: read the live object, and server-side apply (real or dry-run) with
// the `fintech-k8s` field manager and strict field validation (an unknown or duplicated field is an error,
// as with kubectl's default --validate=strict, rather than silently dropped).
import type { KubeConfig } from '@kubernetes/client-node';
import { FIELD_MANAGER, KubeApiError, apiRequest, objectPath, resolveResource } from './api';
import type { KubeManifest } from './plan';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface ApplyCallOptions {
  dryRun?: boolean;
  /** Take over fields another manager owns instead of failing with 409 Conflict. */
  force?: boolean;
  signal?: AbortSignal;
}

export interface ApplyCallResult {
  object: KubeManifest;
  /** True when the apply created the object (HTTP 201). */
  created: boolean;
  warnings: string[];
}

/** Thrown as an API error so callers treat it like the 404 the server would give. */
function unservedKind(ref: ObjectRef): KubeApiError {
  return new KubeApiError(404, {
    reason: 'NotFound',
    code: 404,
    message: `the cluster does not serve kind ${ref.kind} in ${ref.apiVersion}`,
    details: { kind: ref.kind },
  });
}

async function pathOf(kc: KubeConfig, ref: ObjectRef, signal?: AbortSignal): Promise<{ path: string; namespaced: boolean }> {
  const resource = await resolveResource(kc, ref.apiVersion, ref.kind, signal);
  if (!resource) throw unservedKind(ref);
  return { path: objectPath(ref.apiVersion, resource, ref.namespace, ref.name), namespaced: resource.namespaced };
}

export async function serverSideApply(kc: KubeConfig, manifest: KubeManifest, options: ApplyCallOptions = {}): Promise<ApplyCallResult> {
  const ref = {
    apiVersion: manifest.apiVersion,
    kind: manifest.kind,
    name: manifest.metadata.name,
    namespace: manifest.metadata.namespace,
  };
  const { path, namespaced } = await pathOf(kc, ref, options.signal);
  // Discovery has the last word on scope: a cluster-scoped object must not carry a namespace.
  const body = namespaced ? manifest : { ...manifest, metadata: withoutNamespace(manifest.metadata) };
  const response = await apiRequest<KubeManifest>(kc, {
    method: 'PATCH',
    path,
    query: {
      fieldManager: FIELD_MANAGER,
      fieldValidation: 'Strict',
      dryRun: options.dryRun ? 'All' : undefined,
      force: options.force ? true : undefined,
    },
    // JSON is YAML: the apply content type takes the manifest as written.
    contentType: 'application/apply-patch+yaml',
    body,
    signal: options.signal,
  });
  return { object: response.body, created: response.status === 201, warnings: response.warnings };
}

/** The live object, or undefined when it does not exist (404) or its kind is not served yet. */
export async function readLive(kc: KubeConfig, ref: ObjectRef, signal?: AbortSignal): Promise<KubeManifest | undefined> {
  try {
    const { path } = await pathOf(kc, ref, signal);
    return (await apiRequest<KubeManifest>(kc, { method: 'GET', path, signal })).body;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return undefined;
    throw error;
  }
}

function withoutNamespace(metadata: KubeManifest['metadata']): KubeManifest['metadata'] {
  const { namespace: _namespace, ...rest } = metadata;
  return rest;
}
