import type { Rule } from '../../types';
import { pvcInPciWithoutClass } from './pvc-in-pci-without-class';
import { storageclassUnencrypted } from './storageclass-unencrypted';

export const STORAGE_RULES: Rule[] = [storageclassUnencrypted, pvcInPciWithoutClass];
