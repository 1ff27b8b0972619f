import type { Rule } from '../../types';
import { chainDataEphemeral } from './chain-data-ephemeral';
import { engineApiWithoutJwt } from './engine-api-without-jwt';
import { keyMaterialInConfigmap } from './key-material-in-configmap';
import { nodeMetricsExposed } from './node-metrics-exposed';
import { rpcPortExposed } from './rpc-port-exposed';
import { rpcUnsafeFlags } from './rpc-unsafe-flags';
import { signerNotIsolated } from './signer-not-isolated';
import { validatorReplicas } from './validator-replicas';

export const BLOCKCHAIN_RULES: Rule[] = [
  rpcPortExposed,
  rpcUnsafeFlags,
  engineApiWithoutJwt,
  keyMaterialInConfigmap,
  validatorReplicas,
  nodeMetricsExposed,
  signerNotIsolated,
  chainDataEphemeral,
];
