import { annotationsOf, asString, containersOf, labelsOf, podLabelsOf, podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { parseImageRef } from '../images/image-ref';
import { pciScopeRelated } from '../related';

/** The label (on the workload or its pod template) that says audit logs are shipped by the platform. */
export const AUDIT_LOGGING_LABEL = 'fintech-k8s.io/audit-logging';
/** Annotations that name where the audit log is and what ships it. */
export const AUDIT_LOG_ANNOTATIONS = ['fintech-k8s.io/audit-log-shipper', 'fintech-k8s.io/audit-log-path'];

/** Log shippers recognised as sidecars: the last repository component, exact. */
const SHIPPERS = new Set([
  'fluent-bit',
  'fluentbit',
  'fluentd',
  'fluentd-kubernetes-daemonset',
  'vector',
  'filebeat',
  'promtail',
  'opentelemetry-collector',
  'opentelemetry-collector-contrib',
  'otel-collector',
  'otelcol',
  'otelcol-contrib',
]);

function isShipper(image: string | undefined): boolean {
  if (!image) return false;
  const parsed = parseImageRef(image.trim());
  const repository = parsed.ok ? parsed.ref.repository : image.split(/[@:]/)[0];
  return SHIPPERS.has(repository.slice(repository.lastIndexOf('/') + 1).toLowerCase());
}

export const pciAuditLogging: Rule = {
  id: 'pci-audit-logging',
  group: 'payments',
  title: 'CDE workloads should ship audit logs',
  severity: 'info',
  rationale:
    'PCI DSS requires audit logs of access to cardholder data to be captured and kept off the host; a CDE workload that neither runs a log shipper nor is declared to the platform’s audit logging leaves no trail when an incident has to be reconstructed.',
  remediation: `Run a log-shipping sidecar (fluent-bit, fluentd, vector, filebeat, promtail, otel-collector) or label the workload \`${AUDIT_LOGGING_LABEL}: enabled\` and annotate its pod template with \`${AUDIT_LOG_ANNOTATIONS[1]}\` and \`${AUDIT_LOG_ANNOTATIONS[0]}\` so the platform agent collects it.`,
  references: { pci: ['10.2.1'] },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod || !context.workspace.isPciNamespace(object.namespace)) return;
    if (containersOf(pod).some((c) => c.list !== 'ephemeralContainers' && isShipper(asString(c.container.image)))) return;
    const labels = { ...labelsOf(object.value), ...podLabelsOf(pod) };
    if (labels[AUDIT_LOGGING_LABEL] === 'enabled') return;
    const annotations = { ...annotationsOf(object.value), ...annotationsOf({ metadata: pod.metadata }) };
    if (AUDIT_LOG_ANNOTATIONS.some((key) => typeof annotations[key] === 'string' && (annotations[key] as string).trim() !== '')) return;
    const label = labels[AUDIT_LOGGING_LABEL];
    context.report({
      path: [...pod.metadataPath, 'labels', AUDIT_LOGGING_LABEL],
      message:
        label !== undefined
          ? `${object.kind} "${object.name}" sets ${AUDIT_LOGGING_LABEL}: ${label} and runs no log-shipping sidecar: its audit trail is not collected.`
          : `${object.kind} "${object.name}" runs in the CDE without a log-shipping sidecar, a ${AUDIT_LOGGING_LABEL}: enabled label or an audit-log annotation.`,
      related: pciScopeRelated(context.workspace, object.namespace),
    });
  },
};
