import type { Rule } from '../../types';
import { pvcInPciWithoutClass } from './pvc-in-pci-without-class';
import { storageclassUnencrypted } from './storageclass-unencrypted';
import { hostPathPersistentVolume } from './host-path-persistent-volume';

export const STORAGE_RULES: Rule[] = [storageclassUnencrypted, pvcInPciWithoutClass, hostPathPersistentVolume];
