import type { Rule } from '../../types';
import { SCHEMA_INVALID } from './schema-invalid';
import { SUPPRESSION_WITHOUT_REASON } from './suppression-without-reason';
import { UNKNOWN_RULE_IN_SUPPRESSION } from './unknown-rule-in-suppression';

export const META_RULES: Rule[] = [SUPPRESSION_WITHOUT_REASON, UNKNOWN_RULE_IN_SUPPRESSION, SCHEMA_INVALID];
