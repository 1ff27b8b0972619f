import type { Rule } from '../../types';
import { hsmPinInEnv } from './hsm-pin-in-env';
import { pciAuditLogging } from './pci-audit-logging';
import { pciDedicatedNodes } from './pci-dedicated-nodes';
import { pciNamespacePodSecurity } from './pci-namespace-pod-security';
import { pciScopeLabel } from './pci-scope-label';

export const PAYMENTS_RULES: Rule[] = [pciNamespacePodSecurity, pciScopeLabel, pciDedicatedNodes, hsmPinInEnv, pciAuditLogging];
