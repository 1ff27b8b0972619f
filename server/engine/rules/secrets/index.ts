import type { Rule } from '../../types';
import { secretLiteralInEnv } from './secret-literal-in-env';
import { secretInEnvVar } from './secret-in-env-var';
import { secretInConfigmap } from './secret-in-configmap';
import { secretInAnnotation } from './secret-in-annotation';
import { secretPlaintextManifest } from './secret-plaintext-manifest';
import { basicAuthSecret } from './basic-auth-secret';
import { databaseUrlCredentials } from './database-url-credentials';
import { panInManifest } from './pan-in-manifest';
import { defaultServiceAccount } from './default-service-account';
import { weakDefaultPassword } from './weak-default-password';

export const SECRETS_RULES: Rule[] = [
  secretLiteralInEnv,
  secretInEnvVar,
  secretInConfigmap,
  secretInAnnotation,
  secretPlaintextManifest,
  basicAuthSecret,
  databaseUrlCredentials,
  panInManifest,
  weakDefaultPassword,
  defaultServiceAccount,
];
