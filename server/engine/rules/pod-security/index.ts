import type { Rule } from '../../types';
import { runAsNonRoot } from './run-as-non-root';
import { privilegedContainer } from './privileged-container';
import { hostNetwork } from './host-network';
import { hostPid } from './host-pid';
import { hostIpc } from './host-ipc';
import { hostProcess } from './host-process';
import { allowPrivilegeEscalation } from './allow-privilege-escalation';
import { runAsRootUser } from './run-as-root-user';
import { runAsRootGroup } from './run-as-root-group';
import { lowUid } from './low-uid';
import { readOnlyRootFilesystem } from './read-only-root-filesystem';
import { capabilitiesDropAll } from './capabilities-drop-all';
import { capabilitiesAdd } from './capabilities-add';
import { dangerousCapabilities } from './dangerous-capabilities';
import { seccompProfile } from './seccomp-profile';
import { apparmorUnconfined } from './apparmor-unconfined';
import { selinuxOptions } from './selinux-options';
import { procMount } from './proc-mount';
import { unsafeSysctls } from './unsafe-sysctls';
import { hostPathVolume } from './host-path-volume';
import { sensitiveHostMount } from './sensitive-host-mount';
import { containerRuntimeSocket } from './container-runtime-socket';
import { restrictedVolumeTypes } from './restricted-volume-types';
import { hostPort } from './host-port';
import { shareProcessNamespace } from './share-process-namespace';
import { hostUsers } from './host-users';
import { automountServiceAccountToken } from './automount-service-account-token';
import { namespacePodSecurity } from './namespace-pod-security';

export const POD_SECURITY_RULES: Rule[] = [
  runAsNonRoot,
  privilegedContainer,
  hostNetwork,
  hostPid,
  hostIpc,
  hostProcess,
  allowPrivilegeEscalation,
  runAsRootUser,
  runAsRootGroup,
  lowUid,
  readOnlyRootFilesystem,
  capabilitiesDropAll,
  capabilitiesAdd,
  dangerousCapabilities,
  seccompProfile,
  apparmorUnconfined,
  selinuxOptions,
  procMount,
  unsafeSysctls,
  hostPathVolume,
  sensitiveHostMount,
  containerRuntimeSocket,
  restrictedVolumeTypes,
  hostPort,
  shareProcessNamespace,
  hostUsers,
  automountServiceAccountToken,
  namespacePodSecurity,
];
