// The YAML shape of Go templates: keys by indentation, and the actions that write into each block with the
// values they read (the `.` of `with`/`range`, an `if` that keeps it, `define` bodies left out).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outlineTemplate, type OutlineNode } from '../../server/engine/source-map/template-outline';

function entry(node: OutlineNode, ...keys: (string | number)[]): OutlineNode {
  let current = node;
  for (const key of keys) current = typeof key === 'number' ? current.items[key] : current.entries.find((e) => e.key === key)!;
  assert.ok(current, `no ${keys.join('.')}`);
  return current;
}

const TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "ledger.fullname" . }}
  labels:
{{ include "ledger.labels" . | indent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      {{- with .Values.pod }}
      {{- if .hostUsers }}
      hostUsers: {{ .hostUsers }}
      {{- end }}
      {{- with $.Release }}
      schedulerName: {{ .Name }}
      {{- end }}
      {{- end }}
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          command: |
            echo {{ .Values.ignored }}
            key: not a key
          {{- range .Values.extraEnv }}
          {{- end }}
---
{{- define "ledger.unused" -}}
kind: NotWritten
{{- end }}
apiVersion: v1
kind: Service
`;

describe('template outline', () => {
  const [deployment, service] = outlineTemplate(TEMPLATE);

  it('follows keys and items by indentation, with their lines', () => {
    assert.equal(entry(deployment.root, 'spec', 'replicas').line, 7);
    assert.deepEqual(entry(deployment.root, 'spec', 'replicas').valueRefs, [['replicaCount']]);
    assert.equal(entry(deployment.root, 'spec', 'template', 'spec', 'containers', 0).line, 19);
    assert.equal(entry(deployment.root, 'spec', 'template', 'spec', 'containers', 0, 'image').line, 20);
  });

  it('attaches an action to the block its nindent/indent writes into, whatever its own indentation', () => {
    const labels = entry(deployment.root, 'metadata', 'labels');
    assert.deepEqual(
      labels.actions.map((a) => [a.line, a.include]),
      [[5, true]],
    );
    const securityContext = entry(deployment.root, 'spec', 'template', 'spec', 'containers', 0, 'securityContext');
    assert.deepEqual(securityContext.actions[0].values, [['securityContext']]);
  });

  it('reads `.` inside with .Values.x as x, through an if, and not inside a with over something else', () => {
    const spec = entry(deployment.root, 'spec', 'template', 'spec');
    assert.deepEqual(entry(spec, 'hostUsers').valueRefs, [['pod', 'hostUsers']]);
    assert.deepEqual(entry(spec, 'schedulerName').valueRefs, []);
  });

  it('skips block scalar content and define bodies', () => {
    const container = entry(deployment.root, 'spec', 'template', 'spec', 'containers', 0);
    assert.deepEqual(
      container.entries.map((e) => e.key),
      ['name', 'image', 'securityContext', 'command'],
    );
    assert.deepEqual(
      service.root.entries.map((e) => e.key),
      ['apiVersion', 'kind'],
    );
  });
});
