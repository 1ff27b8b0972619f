// Helm: releases read from their Secrets, and the argument lists of the helm runs the client makes.
export {
  decodeReleaseSecretData,
  describeRevision,
  groupReleases,
  liveRevision,
  RELEASE_LABEL_SELECTOR,
  RELEASE_SECRET_TYPE,
  type HelmRelease,
  type HelmRevision,
} from './release-decode';
export { listHelmReleases } from './list-releases';
export {
  manifestObjects,
  parseHelmMajor,
  releaseNameProblem,
  rollbackArgs,
  targetArgs,
  upgradeInstallArgs,
  versionArgs,
  type HelmInvocation,
  type HelmTarget,
  type RollbackOptions,
  type UpgradeInstallOptions,
} from './helm-args';
export { helmMajorVersion, helmRollback, helmUpgradeInstall, type HelmDeployed, type HelmFailed, type RunHelm } from './helm-run';
