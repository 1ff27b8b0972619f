import type { Rule } from '../../types';
import { cpuLimits } from './cpu-limits';
import { cpuRequests } from './cpu-requests';
import { cronjobConcurrency } from './cronjob-concurrency';
import { ephemeralStorageLimits } from './ephemeral-storage-limits';
import { jobTtl } from './job-ttl';
import { livenessProbe } from './liveness-probe';
import { memoryLimits } from './memory-limits';
import { memoryRequests } from './memory-requests';
import { namespaceQuota } from './namespace-quota';
import { pdbBlocksEviction } from './pdb-blocks-eviction';
import { podDisruptionBudget } from './pod-disruption-budget';
import { probePortMismatch } from './probe-port-mismatch';
import { readinessProbe } from './readiness-probe';
import { replicasMinimum } from './replicas-minimum';
import { topologySpread } from './topology-spread';

export const RESOURCES_RULES: Rule[] = [
  cpuRequests,
  memoryRequests,
  memoryLimits,
  cpuLimits,
  ephemeralStorageLimits,
  livenessProbe,
  readinessProbe,
  probePortMismatch,
  replicasMinimum,
  podDisruptionBudget,
  pdbBlocksEviction,
  topologySpread,
  jobTtl,
  cronjobConcurrency,
  namespaceQuota,
];
