import type { Rule } from '../../types';
import { clusterAdminBinding } from './cluster-admin-binding';
import { defaultNamespace } from './default-namespace';
import { kubeSystemWorkload } from './kube-system-workload';
import { rbacAnonymousSubject } from './rbac-anonymous-subject';
import { rbacCreatePods } from './rbac-create-pods';
import { rbacEscalationVerbs } from './rbac-escalation-verbs';
import { rbacNodeProxy } from './rbac-node-proxy';
import { rbacPodExec } from './rbac-pod-exec';
import { rbacSecretsAccess } from './rbac-secrets-access';
import { rbacWildcard } from './rbac-wildcard';
import { defaultSaRoleBinding } from './default-sa-role-binding';
import { rbacWebhookConfigWrite } from './rbac-webhook-config-write';

export const RBAC_RULES: Rule[] = [
  clusterAdminBinding,
  rbacWildcard,
  rbacSecretsAccess,
  rbacPodExec,
  rbacCreatePods,
  rbacEscalationVerbs,
  rbacNodeProxy,
  rbacAnonymousSubject,
  defaultSaRoleBinding,
  rbacWebhookConfigWrite,
  defaultNamespace,
  kubeSystemWorkload,
];
