import { createRedactor } from './logs/redact';
export const r = createRedactor();
