// API versions Kubernetes has removed (through 1.33), from the upstream deprecation guide. Data only:
// a new removal is one more row. `fix` is true only where the replacement accepts the very same
// object unchanged and with the same meaning; elsewhere the note says what has to change.
import { asMap, getIn } from '../../objects';

export interface RemovedApi {
  apiVersion: string;
  kinds: readonly string[];
  /** Kubernetes minor version that stopped serving it. */
  removedIn: string;
  /** apiVersion to use instead; null when the API has no successor. */
  replacement: string | null;
  /** Whether switching apiVersion alone is a safe, mechanical fix. */
  fix: boolean;
  /** What else changes, or what to use when there is no successor. */
  note?: string;
  /** Extra condition for the fix on this particular object. */
  fixableWhen?: (value: Record<string, unknown>) => boolean;
}

const APPS_V1_NOTE = 'apps/v1 requires spec.selector and changes defaults (rollout strategy, revisionHistoryLimit)';
const PSP_NOTE = 'enforce Pod Security Standards with Pod Security Admission (pod-security.kubernetes.io/* namespace labels)';
const PLC_NOTE = 'assuredConcurrencyShares became nominalConcurrencyShares';

/** policy/v1beta1 read an empty selector as "no pods", policy/v1 as "every pod in the namespace". */
function hasNonEmptySelector(value: Record<string, unknown>): boolean {
  const selector = asMap(getIn(value, ['spec', 'selector']));
  return selector !== undefined && Object.keys(selector).length > 0;
}

export const REMOVED_APIS: readonly RemovedApi[] = [
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['Deployment', 'DaemonSet', 'ReplicaSet'],
    removedIn: '1.16',
    replacement: 'apps/v1',
    fix: false,
    note: APPS_V1_NOTE,
  },
  { apiVersion: 'extensions/v1beta1', kinds: ['NetworkPolicy'], removedIn: '1.16', replacement: 'networking.k8s.io/v1', fix: true },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['PodSecurityPolicy'],
    removedIn: '1.16',
    replacement: null,
    fix: false,
    note: `PodSecurityPolicy itself was removed in 1.25: ${PSP_NOTE}`,
  },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['Ingress'],
    removedIn: '1.22',
    replacement: 'networking.k8s.io/v1',
    fix: false,
    note: 'backends became service.name/service.port and every path needs a pathType',
  },
  {
    apiVersion: 'apps/v1beta1',
    kinds: ['Deployment', 'StatefulSet'],
    removedIn: '1.16',
    replacement: 'apps/v1',
    fix: false,
    note: APPS_V1_NOTE,
  },
  {
    apiVersion: 'apps/v1beta2',
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'],
    removedIn: '1.16',
    replacement: 'apps/v1',
    fix: true,
  },
  { apiVersion: 'batch/v2alpha1', kinds: ['CronJob'], removedIn: '1.21', replacement: 'batch/v1', fix: true },
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], removedIn: '1.25', replacement: 'batch/v1', fix: true },
  {
    apiVersion: 'policy/v1beta1',
    kinds: ['PodDisruptionBudget'],
    removedIn: '1.25',
    replacement: 'policy/v1',
    fix: true,
    note: 'an empty selector selects no pods in v1beta1 but every pod in the namespace in v1',
    fixableWhen: hasNonEmptySelector,
  },
  { apiVersion: 'policy/v1beta1', kinds: ['PodSecurityPolicy'], removedIn: '1.25', replacement: null, fix: false, note: PSP_NOTE },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kinds: ['Ingress'],
    removedIn: '1.22',
    replacement: 'networking.k8s.io/v1',
    fix: false,
    note: 'backends became service.name/service.port and every path needs a pathType',
  },
  { apiVersion: 'networking.k8s.io/v1beta1', kinds: ['IngressClass'], removedIn: '1.22', replacement: 'networking.k8s.io/v1', fix: true },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1alpha1',
    kinds: ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
    removedIn: '1.22',
    replacement: 'rbac.authorization.k8s.io/v1',
    fix: true,
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1beta1',
    kinds: ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
    removedIn: '1.22',
    replacement: 'rbac.authorization.k8s.io/v1',
    fix: true,
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1beta1',
    kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    removedIn: '1.22',
    replacement: 'admissionregistration.k8s.io/v1',
    fix: false,
    note: 'sideEffects and admissionReviewVersions become required and failurePolicy defaults to Fail',
  },
  {
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kinds: ['CustomResourceDefinition'],
    removedIn: '1.22',
    replacement: 'apiextensions.k8s.io/v1',
    fix: false,
    note: 'every served version needs a structural openAPIV3Schema',
  },
  {
    apiVersion: 'apiregistration.k8s.io/v1beta1',
    kinds: ['APIService'],
    removedIn: '1.22',
    replacement: 'apiregistration.k8s.io/v1',
    fix: true,
  },
  {
    apiVersion: 'authentication.k8s.io/v1beta1',
    kinds: ['TokenReview'],
    removedIn: '1.22',
    replacement: 'authentication.k8s.io/v1',
    fix: true,
  },
  {
    apiVersion: 'authorization.k8s.io/v1beta1',
    kinds: ['SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview'],
    removedIn: '1.22',
    replacement: 'authorization.k8s.io/v1',
    fix: false,
    note: 'spec.group was renamed spec.groups',
  },
  {
    apiVersion: 'certificates.k8s.io/v1beta1',
    kinds: ['CertificateSigningRequest'],
    removedIn: '1.22',
    replacement: 'certificates.k8s.io/v1',
    fix: false,
    note: 'spec.signerName and spec.usages become required',
  },
  { apiVersion: 'coordination.k8s.io/v1beta1', kinds: ['Lease'], removedIn: '1.22', replacement: 'coordination.k8s.io/v1', fix: true },
  { apiVersion: 'scheduling.k8s.io/v1beta1', kinds: ['PriorityClass'], removedIn: '1.22', replacement: 'scheduling.k8s.io/v1', fix: true },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
    removedIn: '1.22',
    replacement: 'storage.k8s.io/v1',
    fix: true,
  },
  {
    apiVersion: 'autoscaling/v2beta1',
    kinds: ['HorizontalPodAutoscaler'],
    removedIn: '1.25',
    replacement: 'autoscaling/v2',
    fix: false,
    note: 'metric targets moved under target, so targetAverageUtilization becomes target.averageUtilization',
  },
  {
    apiVersion: 'discovery.k8s.io/v1beta1',
    kinds: ['EndpointSlice'],
    removedIn: '1.25',
    replacement: 'discovery.k8s.io/v1',
    fix: false,
    note: 'topology was replaced by zone, nodeName and deprecatedTopology',
  },
  {
    apiVersion: 'events.k8s.io/v1beta1',
    kinds: ['Event'],
    removedIn: '1.25',
    replacement: 'events.k8s.io/v1',
    fix: false,
    note: 'deprecated fields were renamed with a deprecated prefix',
  },
  { apiVersion: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], removedIn: '1.25', replacement: 'node.k8s.io/v1', fix: true },
  { apiVersion: 'autoscaling/v2beta2', kinds: ['HorizontalPodAutoscaler'], removedIn: '1.26', replacement: 'autoscaling/v2', fix: true },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
    kinds: ['FlowSchema'],
    removedIn: '1.26',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
    fix: true,
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
    kinds: ['PriorityLevelConfiguration'],
    removedIn: '1.26',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
    fix: false,
    note: PLC_NOTE,
  },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], removedIn: '1.27', replacement: 'storage.k8s.io/v1', fix: true },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
    kinds: ['FlowSchema'],
    removedIn: '1.29',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
    fix: true,
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
    kinds: ['PriorityLevelConfiguration'],
    removedIn: '1.29',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
    fix: false,
    note: PLC_NOTE,
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    kinds: ['FlowSchema', 'PriorityLevelConfiguration'],
    removedIn: '1.32',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
    fix: true,
  },
];

const BY_VERSION_AND_KIND = new Map<string, RemovedApi>();
for (const row of REMOVED_APIS) for (const kind of row.kinds) BY_VERSION_AND_KIND.set(`${row.apiVersion} ${kind}`, row);

export function removedApi(apiVersion: string, kind: string): RemovedApi | undefined {
  return BY_VERSION_AND_KIND.get(`${apiVersion} ${kind}`);
}
