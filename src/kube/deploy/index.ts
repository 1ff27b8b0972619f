// Deploy pipeline: plan → dry run → diff → apply → rollout, plus the production-context check. No vscode.
export { FIELD_MANAGER, KubeApiError } from './api';
export {
  applyPlan,
  isNoOp,
  OVERRIDE_REASON_ANNOTATION,
  type ApplyOptions,
  type ApplyProgress,
  type ApplyReport,
  type ObjectApplyResult,
} from './apply';
export { diffPlan, renderDiff, type DiffOptions, type DiffText, type ObjectDiff } from './diff';
export { dryRunPlan, type DryRunOptions, type DryRunOutcome, type DryRunSuccess } from './dry-run';
export type { FailureCategory, FieldCause, ObjectFailure } from './object-failure';
export {
  describeObject,
  fieldPathOf,
  locateField,
  planDeploy,
  type DeployPlan,
  type FieldLocation,
  type KubeManifest,
  type PlanError,
  type PlannedObject,
  type PlanOptions,
  type SourcePosition,
  type SourceRange,
} from './plan';
export { checkProductionContext, type ProductionCheck } from './production';
export { waitForRollout, type RolloutOptions, type RolloutState, type RolloutStatus, type WorkloadRef } from './rollout';
