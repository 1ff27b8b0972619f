// Findings that are less severe than their rule (a port that may simply be undeclared, a Service
// exposed outside PCI scope), and messages that say what is true about the object.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../server/engine/config';
import { analyzeText } from '../../server/engine/engine';
import type { ResolvedConfig } from '../../server/engine/types';

const findings = (text: string, ruleId: string, config?: ResolvedConfig) =>
  analyzeText('test.yaml', text, config ? { config } : {}).findings.filter((f) => f.ruleId === ruleId);

const probes = `apiVersion: v1
kind: Pod
metadata:
  name: controller
  namespace: ingress-nginx
spec:
  containers:
    - name: controller
      image: registry.k8s.io/ingress-nginx/controller:v1.11.2
      ports:
        - name: http
          containerPort: 80
      livenessProbe:
        httpGet: { path: /healthz, port: 10254 }
      readinessProbe:
        httpGet: { path: /healthz, port: metrics }
`;

const services = `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: core-banking
spec:
  type: LoadBalancer
  ports: [{ port: 443 }]
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: payments
  labels: {}
spec:
  type: LoadBalancer
  ports: [{ port: 443 }]
`;

describe('finding severities below the rule’s', () => {
  it('probe-port-mismatch: an undeclared number is info and says it may work; an undeclared name is an error', () => {
    const found = findings(probes, 'probe-port-mismatch');
    assert.deepEqual(
      found.map((f) => [f.range.start.line, f.severity]),
      [
        [13, 'info'],
        [15, 'error'],
      ],
    );
    assert.match(found[0].message, /may simply be undeclared/);
  });

  it('service-exposed: a warning in PCI scope, info elsewhere', () => {
    const config = resolveConfig({ pciNamespaces: ['payments'] });
    const found = findings(services, 'service-exposed', config);
    assert.deepEqual(
      found.map((f) => [f.object.namespace, f.severity]),
      [
        ['core-banking', 'info'],
        ['payments', 'warning'],
      ],
    );
    assert.doesNotMatch(found[0].message, /PCI/);
  });

  it('takes the lower of the finding’s and the configured severity, and honours the threshold', () => {
    const lowered = resolveConfig({ pciNamespaces: ['payments'], rules: { 'service-exposed': 'info' } });
    assert.deepEqual(
      findings(services, 'service-exposed', lowered).map((f) => f.severity),
      ['info', 'info'],
    );
    const threshold = resolveConfig({ pciNamespaces: ['payments'], severityThreshold: 'warning' });
    assert.deepEqual(
      findings(services, 'service-exposed', threshold).map((f) => f.object.namespace),
      ['payments'],
    );
  });
});

describe('messages that say what is true', () => {
  it('run-as-non-root names the UID a container runs as', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: web
spec:
  securityContext:
    runAsUser: 101
  containers:
    - name: nginx
      image: nginx:1.27
`;
    const [finding] = findings(text, 'run-as-non-root');
    assert.match(finding.message, /runs as UID 101 but does not set runAsNonRoot: true, so an image or override with UID 0 would start/);
  });

  it('restricted-volume-types leaves hostPath to host-path-volume', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: node
  namespace: chain
spec:
  containers:
    - name: node
      image: registry.example.com/node:1.0.0
  volumes:
    - name: data
      hostPath: { path: /var/lib/node }
    - name: share
      nfs: { server: nfs.example.com, path: /exports }
`;
    const ids = analyzeText('pod.yaml', text)
      .findings.filter((f) => f.ruleId === 'restricted-volume-types' || f.ruleId === 'host-path-volume')
      .map((f) => `${f.range.start.line} ${f.ruleId}`);
    assert.deepEqual(ids, ['11 host-path-volume', '13 restricted-volume-types']);
  });
});

describe('operator-managed pods', () => {
  it('dangling-service is info when a custom resource in the namespace may run the pods', () => {
    const text = readFileSync(join(__dirname, '..', 'fixtures', 'rules', 'network', 'dangling-service', 'fail.yaml'), 'utf8');
    const found = findings(text, 'dangling-service');
    const operator = found.filter((f) => f.object.namespace === 'fabric');
    assert.deepEqual(
      operator.map((f) => f.severity),
      ['info'],
    );
    assert.match(
      operator[0].message,
      /FabricPeer fabric\/org1-peer0 \(hlf\.kungfusoftware\.es\/v1alpha1\) may have an operator create them/,
    );
    assert.ok(found.filter((f) => f.object.namespace !== 'fabric').every((f) => f.severity === 'warning'));
  });
});
