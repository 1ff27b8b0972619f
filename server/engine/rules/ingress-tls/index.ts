import type { Rule } from '../../types';
import { ingressDanglingBackend } from './ingress-dangling-backend';
import { ingressSnippetAnnotation } from './ingress-snippet-annotation';
import { ingressSslRedirect } from './ingress-ssl-redirect';
import { ingressTls } from './ingress-tls';
import { ingressWeakTlsProtocols } from './ingress-weak-tls-protocols';
import { gatewayPlainHttp } from './gateway-plain-http';

export const INGRESS_TLS_RULES: Rule[] = [
  ingressTls,
  ingressSslRedirect,
  ingressWeakTlsProtocols,
  ingressSnippetAnnotation,
  ingressDanglingBackend,
  gatewayPlainHttp,
];
