import type { Rule } from '../../types';

export const IMAGES_RULES: Rule[] = [];
