import type { Fix, K8sObject, RelatedReport, Rule, WorkspaceIndex } from '../../types';
import { objectLabel, pciScopeRelated, relatedTo } from '../related';
import { annotationPath, annotationText, classNameOf, isIngress, isIngressNginx, NGINX_PREFIX, nginxClassOf, parseBool } from './ingress';

const SSL_REDIRECT = `${NGINX_PREFIX}ssl-redirect`;
const FORCE_SSL_REDIRECT = `${NGINX_PREFIX}force-ssl-redirect`;

/** The IngressClass that hands the Ingress to ingress-nginx, when the workspace defines it: the rule applies because of it. */
function classRelated(object: K8sObject, workspace: WorkspaceIndex): RelatedReport[] {
  const ingressClass = nginxClassOf(object, workspace);
  if (!ingressClass) return [];
  const how = classNameOf(object) ? '' : 'the default class, ';
  return [
    relatedTo(ingressClass, `${objectLabel(ingressClass)} is ${how}served by ingress-nginx`, [...ingressClass.path, 'spec', 'controller']),
  ];
}

export const ingressSslRedirect: Rule = {
  id: 'ingress-ssl-redirect',
  group: 'ingress-tls',
  title: 'NGINX Ingresses must redirect HTTP to HTTPS',
  severity: 'warning',
  rationale:
    'Without a redirect, a client that types http:// or follows an old link sends its card data or login in clear text before anything tells it to switch to HTTPS.',
  remediation:
    'Do not set `nginx.ingress.kubernetes.io/ssl-redirect: "false"`; in PCI namespaces set `nginx.ingress.kubernetes.io/force-ssl-redirect: "true"` so the redirect holds even if the controller-wide default is turned off.',
  references: { pci: ['4.2.1'] },
  check(object, context) {
    if (!isIngress(object) || !isIngressNginx(object, context.workspace)) return;
    const force = parseBool(annotationText(object, FORCE_SSL_REDIRECT));
    // force-ssl-redirect wins over ssl-redirect in ingress-nginx's template.
    if (force === true) return;
    const redirect = parseBool(annotationText(object, SSL_REDIRECT));
    const redirectPath = annotationPath(object, SSL_REDIRECT);
    const forcePath = annotationPath(object, FORCE_SSL_REDIRECT);
    const enableRedirect = { op: 'set' as const, path: redirectPath, value: 'true' };
    const enableForce = { op: 'set' as const, path: forcePath, value: 'true' };

    if (context.workspace.isPciNamespace(object.namespace)) {
      // The ssl-redirect default (true for TLS hosts) can be switched off controller-wide in a
      // ConfigMap the workspace may not hold; in the CDE the redirect must be stated on the Ingress.
      const fix: Fix = {
        title: 'Set force-ssl-redirect: "true"',
        ops: redirect === false ? [enableRedirect, enableForce] : [enableForce],
      };
      const related = [...(pciScopeRelated(context.workspace, object.namespace) ?? []), ...classRelated(object, context.workspace)];
      context.report(
        redirect === false
          ? {
              path: redirectPath,
              message: `Ingress "${object.name}" in PCI namespace ${object.namespace ?? 'default'} turns the HTTPS redirect off (ssl-redirect: "false").`,
              fix,
              related,
            }
          : {
              path: forcePath,
              message: `Ingress "${object.name}" in PCI namespace ${object.namespace ?? 'default'} does not force the HTTPS redirect (force-ssl-redirect is ${force === false ? '"false"' : 'not set'}).`,
              fix,
              related,
            },
      );
      return;
    }
    if (redirect === false) {
      context.report({
        path: redirectPath,
        message: `Ingress "${object.name}" turns the HTTPS redirect off (ssl-redirect: "false"); plain HTTP requests are served.`,
        fix: { title: 'Set ssl-redirect: "true"', ops: [enableRedirect] },
        related: classRelated(object, context.workspace),
      });
    }
  },
};
