import { annotationsOf, asString, getIn } from '../../objects';
import type { Rule } from '../../types';
import { annotationPath, isIngress, NGINX_PREFIX, objectPath, parseBool } from './ingress';

// Annotations whose value is pasted verbatim into nginx.conf. ingress-nginx: CVE-2021-25742 (any
// Ingress author can read the controller's token and every Secret). F5's nginx.org controller has
// the same raw-config annotations, with the same effect when its -enable-snippets flag is on.
const SNIPPET_ANNOTATIONS = new Set([
  `${NGINX_PREFIX}configuration-snippet`,
  `${NGINX_PREFIX}server-snippet`,
  `${NGINX_PREFIX}auth-snippet`,
  `${NGINX_PREFIX}stream-snippet`,
  `${NGINX_PREFIX}modsecurity-snippet`,
  'nginx.org/server-snippets',
  'nginx.org/location-snippets',
]);

export const ingressSnippetAnnotation: Rule = {
  id: 'ingress-snippet-annotation',
  group: 'ingress-tls',
  title: 'Ingresses must not inject raw NGINX configuration',
  severity: 'error',
  rationale:
    'Snippet annotations paste arbitrary directives into the shared ingress controller, which holds the TLS keys and can read every Secret in the cluster (CVE-2021-25742): whoever can edit an Ingress can take over the payment edge.',
  remediation:
    'Replace the snippet with the dedicated annotation or controller ConfigMap setting, and set `allow-snippet-annotations: "false"` in the ingress-nginx ConfigMap.',
  references: { pci: ['6.2.4'] },
  check(object, context) {
    if (isIngress(object)) {
      for (const [key, value] of Object.entries(annotationsOf(object.value))) {
        if (!SNIPPET_ANNOTATIONS.has(key)) continue;
        // An empty snippet injects nothing.
        if (value === null || value === undefined || String(value).trim() === '') continue;
        context.report({
          path: annotationPath(object, key),
          message: `Ingress "${object.name}" injects raw NGINX configuration through ${key} (CVE-2021-25742).`,
        });
      }
      return;
    }
    // The ingress-nginx ConfigMap switch that lets every Ingress author do the above.
    if (object.kind === 'ConfigMap') {
      const allow = asString(getIn(object.value, ['data', 'allow-snippet-annotations']));
      if (parseBool(allow) !== true) return;
      context.report({
        path: objectPath(object, 'data', 'allow-snippet-annotations'),
        message: `ConfigMap "${object.name}" sets allow-snippet-annotations: "true", letting any Ingress inject raw NGINX configuration (CVE-2021-25742).`,
      });
    }
  },
};
