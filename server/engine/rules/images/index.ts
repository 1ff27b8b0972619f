import type { Rule } from '../../types';
import { deprecatedApiVersion } from './deprecated-api-version';
import { imageDigest } from './image-digest';
import { imagePullPolicy } from './image-pull-policy';
import { imageTagLatest } from './image-tag-latest';
import { trustedRegistry } from './trusted-registry';

export const IMAGES_RULES: Rule[] = [imageTagLatest, imageDigest, imagePullPolicy, trustedRegistry, deprecatedApiVersion];
