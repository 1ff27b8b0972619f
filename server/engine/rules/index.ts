// The rule registry: every rule the engine runs, grouped as in the catalogue.
import type { Rule } from '../types';
import { BLOCKCHAIN_RULES } from './blockchain';
import { IMAGES_RULES } from './images';
import { INGRESS_TLS_RULES } from './ingress-tls';
import { META_RULES } from './meta';
import { NETWORK_RULES } from './network';
import { PAYMENTS_RULES } from './payments';
import { POD_SECURITY_RULES } from './pod-security';
import { RBAC_RULES } from './rbac';
import { RESOURCES_RULES } from './resources';
import { SECRETS_RULES } from './secrets';
import { STORAGE_RULES } from './storage';

export const ALL_RULES: readonly Rule[] = [
  ...POD_SECURITY_RULES,
  ...RESOURCES_RULES,
  ...IMAGES_RULES,
  ...NETWORK_RULES,
  ...SECRETS_RULES,
  ...RBAC_RULES,
  ...INGRESS_TLS_RULES,
  ...STORAGE_RULES,
  ...PAYMENTS_RULES,
  ...BLOCKCHAIN_RULES,
  ...META_RULES,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(ALL_RULES.map((rule) => [rule.id, rule]));
