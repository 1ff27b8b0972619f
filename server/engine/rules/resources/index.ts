import type { Rule } from '../../types';

export const RESOURCES_RULES: Rule[] = [];
