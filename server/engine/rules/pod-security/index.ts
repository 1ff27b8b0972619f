import type { Rule } from '../../types';
import { runAsNonRoot } from './run-as-non-root';

export const POD_SECURITY_RULES: Rule[] = [runAsNonRoot];
