import type { Rule } from '../../types';
import { danglingService } from './dangling-service';
import { mtlsNotStrict } from './mtls-not-strict';
import { netpolAllowAllCidr } from './netpol-allow-all-cidr';
import { netpolDanglingSelector } from './netpol-dangling-selector';
import { pciDefaultDenyEgress } from './pci-default-deny-egress';
import { pciDefaultDenyIngress } from './pci-default-deny-ingress';
import { podNotIsolated } from './pod-not-isolated';
import { serviceExposed } from './service-exposed';
import { serviceExternalIps } from './service-external-ips';
import { serviceTargetPort } from './service-target-port';
import { sshPort } from './ssh-port';

export const NETWORK_RULES: Rule[] = [
  podNotIsolated,
  pciDefaultDenyIngress,
  pciDefaultDenyEgress,
  netpolAllowAllCidr,
  netpolDanglingSelector,
  serviceExposed,
  serviceExternalIps,
  sshPort,
  danglingService,
  serviceTargetPort,
  mtlsNotStrict,
];
