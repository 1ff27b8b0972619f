import { nearestTo, relativeFile } from '../../nearest';
import type { K8sObject, Rule, WorkspaceIndex } from '../../types';
import { objectLabel, relatedTo } from '../related';
import { namespaceOf, objectPath, serviceSelectorOf, serviceWorkloads, workloadsIn } from './policies';

/** API groups whose custom resources never run pods (certificates, mesh routing, policies, sealed secrets). */
const NO_POD_GROUPS =
  /^(?:(?:acme\.)?cert-manager\.io|(?:networking|security|telemetry)\.istio\.io|(?:crd\.)?projectcalico\.org|cilium\.io|external-secrets\.io|bitnami\.com|traefik\.(?:io|containo\.us)|kyverno\.io|templates\.gatekeeper\.sh|constraints\.gatekeeper\.sh)$/;
/** monitoring.coreos.com kinds that only configure scraping and alerting. */
const NO_POD_KINDS = /^(?:ServiceMonitor|PodMonitor|Probe|PrometheusRule|AlertmanagerConfig|ScrapeConfig)$/;

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * A custom resource of the namespace that an operator may turn into pods (a CloudNativePG Cluster, a
 * Fabric peer of the HLF operator, a Strimzi Kafka): the pods a Service selects may be its.
 */
function operatorResourceIn(namespace: string, workspace: WorkspaceIndex): K8sObject | undefined {
  return workspace.groupedBy('custom resources by namespace', (object) => {
    const group = groupOf(object.apiVersion);
    // Built-in groups have no dot (apps, batch) or end in .k8s.io; custom ones are DNS names of their own.
    if (!group.includes('.') || group.endsWith('.k8s.io') || NO_POD_GROUPS.test(group) || NO_POD_KINDS.test(object.kind)) return undefined;
    return [namespaceOf(object), object];
  })(namespace)[0];
}

export const danglingService: Rule = {
  id: 'dangling-service',
  group: 'network',
  title: 'Service selector should match a workload',
  severity: 'warning',
  rationale:
    'A Service whose selector matches no pod has no endpoints: callers such as the checkout or settlement jobs get connection errors, usually after a label was renamed in one place only. Pods an operator creates from a custom resource are not in the manifests, so there the finding is only info.',
  remediation: 'Make the Service `selector` match the pod template labels of the workload it fronts, or remove the Service.',
  references: { pci: [], like: 'kube-linter dangling-service' },
  check(object, context) {
    if (object.kind !== 'Service') return;
    const selected = serviceWorkloads(object, context.workspace);
    if (!selected) return;
    const namespace = namespaceOf(object);
    const workloads = workloadsIn(namespace, context.workspace);
    // No workload of the namespace in the workspace: its pods are deployed from elsewhere.
    if (workloads.length === 0) return;
    const selector = serviceSelectorOf(object)!;
    const shown = Object.entries(selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    if (selected.length > 0) return;
    const operator = operatorResourceIn(namespace, context.workspace);
    if (operator) {
      context.report({
        path: objectPath(object, 'spec', 'selector'),
        severity: 'info',
        message: `Service "${object.name}" selects no pod of the workloads in namespace "${namespace}" (labels ${shown}); ${objectLabel(operator)} (${operator.apiVersion}) may have an operator create them.`,
        related: [relatedTo(operator, `${objectLabel(operator)}: a custom resource whose operator may run the selected pods`)],
      });
      return;
    }
    // The workload nearest the Service is the one it most likely meant: show its labels to compare.
    const nearest = nearestTo(
      object.file,
      workloads.map((w) => ({ file: w.object.file, w })),
    )!.w;
    const labels = Object.entries(nearest.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    context.report({
      path: objectPath(object, 'spec', 'selector'),
      message: `Service "${object.name}" selects no pod: none of the ${workloads.length} workload(s) in namespace "${namespace}" has pod template labels ${shown}.`,
      related: [
        relatedTo(
          nearest.object,
          `The nearest workload, ${objectLabel(nearest.object)} in ${relativeFile(object.file, nearest.object.file)}, has pod labels ${labels || '(none)'}`,
          [...nearest.pod.metadataPath, 'labels'],
        ),
      ],
    });
  },
};
