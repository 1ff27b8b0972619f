import { asArray, asMap, asString, getIn } from '../../objects';
import type { K8sObject, Path, RuleContext, Rule } from '../../types';
import { annotationPath, annotationText, isIngress, NGINX_PREFIX, objectPath } from './ingress';

// ingress-nginx has no per-Ingress `ssl-protocols` annotation: client-side protocols are the
// controller ConfigMap's `ssl-protocols` key (F5's nginx.org controller uses the same key). Per
// Ingress there is only `proxy-ssl-protocols`, for TLS to the backend. Other controllers say it
// elsewhere: the AWS Load Balancer Controller's `ssl-policy` annotation, Traefik's TLSOption
// `minVersion`, Istio's Gateway `minProtocolVersion`.
const STRONG_PROTOCOLS = 'TLSv1.2 TLSv1.3';
const WEAK_NGINX_PROTOCOLS = new Set(['sslv2', 'sslv3', 'tlsv1', 'tlsv1.1']);
const PROXY_SSL_PROTOCOLS = `${NGINX_PREFIX}proxy-ssl-protocols`;

const ALB_SSL_POLICY = 'alb.ingress.kubernetes.io/ssl-policy';
const ALB_RECOMMENDED_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
// ELB policy names state their minimum version as `-1-0-` / `-1-1-`; three older names allow
// TLS 1.0 without saying so.
const ALB_WEAK_POLICY = /-1-[01]-/;
const ALB_WEAK_POLICIES = new Set(['ELBSecurityPolicy-2016-08', 'ELBSecurityPolicy-2015-05', 'ELBSecurityPolicy-FS-2018-06']);

const WEAK_TRAEFIK_VERSIONS = new Set(['VersionTLS10', 'VersionTLS11']);
const WEAK_ISTIO_VERSIONS = new Set(['TLSV1_0', 'TLSV1_1']);

/** The weak protocols an nginx `ssl_protocols` value enables, as written. */
function weakNginxProtocols(value: string): string[] {
  return value.split(/\s+/).filter((token) => WEAK_NGINX_PROTOCOLS.has(token.toLowerCase()));
}

function reportNginx(context: RuleContext, path: Path, what: string, value: string): void {
  const weak = weakNginxProtocols(value);
  if (weak.length === 0) return;
  context.report({
    path,
    message: `${what} enables ${weak.join(', ')}; only TLSv1.2 and TLSv1.3 are acceptable.`,
    fix: { title: `Set "${STRONG_PROTOCOLS}"`, ops: [{ op: 'set', path, value: STRONG_PROTOCOLS }] },
  });
}

function checkIngress(object: K8sObject, context: RuleContext): void {
  const proxy = annotationText(object, PROXY_SSL_PROTOCOLS);
  if (proxy !== undefined)
    reportNginx(
      context,
      annotationPath(object, PROXY_SSL_PROTOCOLS),
      `Ingress "${object.name}" proxy-ssl-protocols (TLS to the backend)`,
      proxy,
    );
  const policy = annotationText(object, ALB_SSL_POLICY)?.trim();
  if (policy && (ALB_WEAK_POLICY.test(policy) || ALB_WEAK_POLICIES.has(policy))) {
    const path = annotationPath(object, ALB_SSL_POLICY);
    context.report({
      path,
      message: `Ingress "${object.name}" uses ALB security policy ${policy}, which accepts TLS versions below 1.2.`,
      fix: { title: `Set ssl-policy ${ALB_RECOMMENDED_POLICY}`, ops: [{ op: 'set', path, value: ALB_RECOMMENDED_POLICY }] },
    });
  }
}

function checkConfigMap(object: K8sObject, context: RuleContext): void {
  const value = asString(getIn(object.value, ['data', 'ssl-protocols']));
  if (value !== undefined)
    reportNginx(context, objectPath(object, 'data', 'ssl-protocols'), `ConfigMap "${object.name}" ssl-protocols`, value);
}

function checkTraefikTlsOption(object: K8sObject, context: RuleContext): void {
  // Traefik defaults minVersion to VersionTLS12; only an explicit older version is weak.
  const minVersion = asString(getIn(object.value, ['spec', 'minVersion']));
  if (!minVersion || !WEAK_TRAEFIK_VERSIONS.has(minVersion)) return;
  const path = objectPath(object, 'spec', 'minVersion');
  context.report({
    path,
    message: `TLSOption "${object.name}" accepts ${minVersion}; the minimum must be VersionTLS12.`,
    fix: { title: 'Set minVersion: VersionTLS12', ops: [{ op: 'set', path, value: 'VersionTLS12' }] },
  });
}

function checkIstioGateway(object: K8sObject, context: RuleContext): void {
  // Istio's gateways default to TLS 1.2 as the minimum; only an explicit older version is weak.
  asArray(getIn(object.value, ['spec', 'servers'])).forEach((server, i) => {
    const minVersion = asString(getIn(asMap(server), ['tls', 'minProtocolVersion']));
    if (!minVersion || !WEAK_ISTIO_VERSIONS.has(minVersion)) return;
    const path = objectPath(object, 'spec', 'servers', i, 'tls', 'minProtocolVersion');
    context.report({
      path,
      message: `Gateway "${object.name}" server ${i + 1} accepts ${minVersion}; the minimum must be TLSV1_2.`,
      fix: { title: 'Set minProtocolVersion: TLSV1_2', ops: [{ op: 'set', path, value: 'TLSV1_2' }] },
    });
  });
}

export const ingressWeakTlsProtocols: Rule = {
  id: 'ingress-weak-tls-protocols',
  group: 'ingress-tls',
  title: 'Ingress TLS must not allow TLS 1.0 or 1.1',
  severity: 'error',
  rationale:
    'TLS 1.0 and 1.1 are not strong cryptography under PCI DSS: a payment endpoint that still negotiates them fails the ASV scan and exposes cardholder sessions to downgrade attacks.',
  remediation:
    'Allow only TLS 1.2 and 1.3: `ssl-protocols: "TLSv1.2 TLSv1.3"` in the ingress-nginx ConfigMap (and `proxy-ssl-protocols` on Ingresses), an `ELBSecurityPolicy-TLS13-1-2-*` ALB policy, Traefik `minVersion: VersionTLS12`, Istio `minProtocolVersion: TLSV1_2`.',
  references: { pci: ['4.2.1'] },
  check(object, context) {
    switch (object.kind) {
      case 'Ingress':
        if (isIngress(object)) checkIngress(object, context);
        return;
      case 'ConfigMap':
        checkConfigMap(object, context);
        return;
      case 'TLSOption':
        if (object.apiVersion.startsWith('traefik.')) checkTraefikTlsOption(object, context);
        return;
      case 'Gateway':
        if (object.apiVersion.startsWith('networking.istio.io/')) checkIstioGateway(object, context);
        return;
    }
  },
};
