// The cluster layer's public surface, loaded lazily by the VS Code client (see src/kube-loader.ts).
export { loadKubeConfig, withContext, currentTarget, type ContextInfo, type LoadedKubeConfig } from './kubeconfig';
export {
  listNamespaces,
  listWorkloads,
  listPods,
  listServices,
  listIngresses,
  listNetworkPolicies,
  listSecretNames,
  getLiveObject,
  summarizePod,
  summarizeWorkload,
  type Result,
  type NamespaceSummary,
  type WorkloadSummary,
  type PodSummary,
  type ContainerSummary,
  type ServiceSummary,
  type IngressSummary,
  type NetworkPolicySummary,
  type SecretNameSummary,
} from './explorer';
export { watchList, type WatchHandlers } from './watch';
export { describeKubeError, type KubeErrorDescription } from './errors';
export { complianceBadge, liveObjectManifest, liveObjectUri, type ComplianceBadge } from './compliance';
export * from './deploy';
export { tailLogs, type LogTarget, type TailOptions, type LogSink } from './logs';
export * from './helm';
