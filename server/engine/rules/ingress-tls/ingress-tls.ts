import { getIn } from '../../objects';
import type { K8sObject, Rule } from '../../types';
import { annotationText, ingressRules, isIngress, objectPath, parseBool, tlsEntries, tlsHostCovers } from './ingress';

/**
 * TLS handled outside spec.tls: load balancers with a certificate named in an annotation serve
 * HTTPS for every host of the Ingress (AWS's controller also discovers ACM certificates by host name
 * when an HTTPS listener is declared), and ingress-nginx's SSL passthrough hands the TLS stream to
 * the backend, which terminates it.
 */
function tlsElsewhere(object: K8sObject): string | undefined {
  if (parseBool(annotationText(object, 'nginx.ingress.kubernetes.io/ssl-passthrough')) === true) return 'SSL passthrough';
  if (annotationText(object, 'alb.ingress.kubernetes.io/certificate-arn')?.trim())
    return 'an ACM certificate (alb.ingress.kubernetes.io/certificate-arn)';
  if (/"HTTPS"/i.test(annotationText(object, 'alb.ingress.kubernetes.io/listen-ports') ?? '')) return 'an HTTPS listener';
  if (annotationText(object, 'ingress.gcp.kubernetes.io/pre-shared-cert')?.trim()) return 'a pre-shared certificate';
  if (annotationText(object, 'networking.gke.io/managed-certificates')?.trim()) return 'a Google-managed certificate';
  if (annotationText(object, 'appgw.ingress.kubernetes.io/appgw-ssl-certificate')?.trim()) return 'an Application Gateway certificate';
  if (parseBool(annotationText(object, 'traefik.ingress.kubernetes.io/router.tls')) === true) return 'Traefik router TLS';
  return undefined;
}

export const ingressTls: Rule = {
  id: 'ingress-tls',
  group: 'ingress-tls',
  title: 'Every Ingress host must be served over TLS',
  severity: 'error',
  rationale:
    'An Ingress host without a TLS certificate accepts card data, credentials and session tokens in clear text over the public network, which PCI DSS forbids outright.',
  remediation:
    'Add a `spec.tls` entry whose `hosts` list every host of the Ingress rules (wildcards cover one label), with the certificate Secret in `secretName`; or terminate TLS at the cloud load balancer with its certificate annotation (e.g. `alb.ingress.kubernetes.io/certificate-arn`, `networking.gke.io/managed-certificates`).',
  references: { pci: ['4.2.1'], like: 'polaris tlsSettingsMissing' },
  check(object, context) {
    if (!isIngress(object)) return;
    const rules = ingressRules(object);
    const hasDefault =
      getIn(object.value, ['spec', 'defaultBackend']) !== undefined || getIn(object.value, ['spec', 'backend']) !== undefined;
    if (rules.length === 0 && !hasDefault) return;
    if (tlsElsewhere(object)) return;
    const entries = tlsEntries(object);
    if (!entries || entries.length === 0) {
      const hosts = rules.map((r) => r.label);
      context.report({
        path: objectPath(object, 'spec', 'tls'),
        message: `Ingress "${object.name}" has no spec.tls entry: ${hosts.length > 0 ? hosts.join(', ') : 'its default backend'} ${hosts.length > 1 ? 'are' : 'is'} served over plain HTTP.`,
      });
      return;
    }
    // The API documents a tls entry without hosts as "the wildcard host setting for the load
    // balancer controller": the controller applies that certificate to every host (or, like
    // ingress-nginx, by the certificate's SANs). TLS is then configured for all hosts; which
    // certificate matches is the controller's business, so we do not second-guess it.
    if (entries.some((e) => e.hosts.length === 0)) return;
    for (const rule of rules) {
      if (rule.host === undefined) {
        context.report({
          path: rule.path,
          message: `Ingress "${object.name}" has a rule without host; only a tls entry without hosts covers it, so other host names reach it over plain HTTP.`,
        });
        continue;
      }
      const host = rule.host;
      if (entries.some((e) => e.hosts.some((h) => tlsHostCovers(h, host)))) continue;
      context.report({
        path: [...rule.path, 'host'],
        message: `Ingress "${object.name}" serves host ${rule.label} without TLS: no tls entry lists it.`,
      });
    }
  },
};
