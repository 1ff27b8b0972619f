import type { Rule } from '../../types';
import { resourceAmountRule } from './resource-amount';

export const cpuRequests: Rule = resourceAmountRule({
  id: 'cpu-requests',
  title: 'Containers should request CPU',
  severity: 'warning',
  rationale:
    'Without a CPU request the scheduler reserves nothing for the container and it is the first to be starved when a node is busy, so authorisation or matching latency degrades exactly at peak load.',
  remediation:
    'Set `resources.requests.cpu` on every container and init container to its measured steady-state usage (or give the namespace a LimitRange with a `defaultRequest`).',
  references: { pci: [], nsa: ['Network separation and hardening: resource policies'], like: 'polaris cpuRequestsMissing' },
  kind: 'requests',
  resource: 'cpu',
  noun: 'CPU request',
  consequence: 'the scheduler reserves no CPU for it, so a busy node can starve it.',
  placeholder: '100m',
});
