// The rule registry: every rule the engine runs, grouped as in the catalogue.
import type { Rule } from '../types';
import { IMAGES_RULES } from './images';
import { META_RULES } from './meta';
import { POD_SECURITY_RULES } from './pod-security';
import { RESOURCES_RULES } from './resources';

export const ALL_RULES: readonly Rule[] = [...POD_SECURITY_RULES, ...RESOURCES_RULES, ...IMAGES_RULES, ...META_RULES];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(ALL_RULES.map((rule) => [rule.id, rule]));
