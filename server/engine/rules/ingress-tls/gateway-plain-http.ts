import { asArray, asMap, asString } from '../../objects';
import type { K8sObject, Path, Rule, RuleContext } from '../../types';
import { tlsHostCovers } from './ingress';

const GATEWAY_API = 'gateway.networking.k8s.io/';
const ISTIO = 'networking.istio.io/';
/** Protocols a Gateway API listener serves encrypted. */
const ENCRYPTED = new Set(['HTTPS', 'TLS']);
/** Istio server protocols that carry HTTP in clear text. */
const ISTIO_PLAIN = new Set(['HTTP', 'HTTP2']);

interface Listener {
  hostname?: string;
  protocol: string;
  path: Path;
}

function listenersOf(object: K8sObject): Listener[] {
  const result: Listener[] = [];
  asArray(asMap(object.value.spec)?.listeners).forEach((item, i) => {
    const listener = asMap(item);
    const protocol = asString(listener?.protocol);
    if (!listener || !protocol) return;
    result.push({ hostname: asString(listener.hostname) || undefined, protocol, path: [...object.path, 'spec', 'listeners', i] });
  });
  return result;
}

/**
 * An HTTP listener is fine when an HTTPS listener serves its hostname (the HTTP one then carries the
 * redirect route). A listener without hostname matches every host: only an HTTPS listener without
 * hostname covers it, except that a catch-all HTTP listener beside HTTPS listeners is the usual
 * port-80 redirect listener.
 */
function coveredBy(http: Listener, encrypted: readonly Listener[]): boolean {
  if (http.hostname === undefined) return encrypted.length > 0;
  return encrypted.some((l) => l.hostname === undefined || tlsHostCovers(l.hostname, http.hostname!));
}

function checkGatewayApi(object: K8sObject, context: RuleContext): void {
  const listeners = listenersOf(object);
  const encrypted = listeners.filter((l) => ENCRYPTED.has(l.protocol));
  for (const listener of listeners) {
    if (listener.protocol !== 'HTTP' || coveredBy(listener, encrypted)) continue;
    const host = listener.hostname ? `hostname ${listener.hostname}` : 'every hostname';
    context.report({
      path: [...listener.path, 'protocol'],
      message: `Gateway "${object.name}" serves ${host} over plain HTTP, with no HTTPS listener for it.`,
    });
  }
}

function checkIstio(object: K8sObject, context: RuleContext): void {
  asArray(asMap(object.value.spec)?.servers).forEach((item, i) => {
    const server = asMap(item);
    const port = asMap(server?.port);
    const protocol = asString(port?.protocol)?.toUpperCase();
    if (!server || !protocol || !ISTIO_PLAIN.has(protocol)) return;
    if (asMap(server.tls)?.httpsRedirect === true) return;
    const hosts = asArray(server.hosts).filter((h): h is string => typeof h === 'string');
    context.report({
      path: [...object.path, 'spec', 'servers', i, 'port', 'protocol'],
      message: `Istio Gateway "${object.name}" serves ${hosts.length > 0 ? hosts.join(', ') : 'its hosts'} over plain ${protocol} without tls.httpsRedirect.`,
    });
  });
}

export const gatewayPlainHttp: Rule = {
  id: 'gateway-plain-http',
  group: 'ingress-tls',
  title: 'Gateways must not serve hosts over plain HTTP only',
  severity: 'error',
  rationale:
    'A Gateway listener or server on plain HTTP with no HTTPS counterpart accepts card data, credentials and session tokens in clear text over the network, which PCI DSS forbids outright; the Ingress TLS checks do not see Gateway API or Istio gateways.',
  remediation:
    'Add an HTTPS listener (with `tls.certificateRefs`) for each hostname and keep the HTTP listener only for a redirect HTTPRoute; on an Istio Gateway, set `tls.httpsRedirect: true` on the HTTP server and serve the hosts from an HTTPS server.',
  references: { pci: ['4.2.1'] },
  check(object, context) {
    if (object.kind !== 'Gateway') return;
    if (object.apiVersion.startsWith(GATEWAY_API)) checkGatewayApi(object, context);
    else if (object.apiVersion.startsWith(ISTIO)) checkIstio(object, context);
  },
};
