// The generated Deployments the speed benchmarks scan: `npm run bench` and the peers comparison share them.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A Deployment of about 26 lines; every third one hardened, the others with typical gaps. */
export function deployment(i: number): string {
  const hardened = i % 3 === 0;
  const security = hardened
    ? `          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}`
    : `          securityContext:
            privileged: ${i % 7 === 0}
            runAsUser: ${i % 5 === 0 ? 0 : 1000}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: service-${i}
  namespace: team-${i % 40}
  labels: {app: service-${i}, tier: ${i % 2 ? 'api' : 'worker'}}
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels: {app: service-${i}}
  template:
    metadata:
      labels: {app: service-${i}}
    spec:
      containers:
        - name: app
          image: registry.example.com/team-${i % 40}/service-${i}:${hardened ? '1.2.3' : 'latest'}
          ports:
            - containerPort: ${8000 + (i % 100)}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
${security}
`;
}

export interface Corpus {
  dir: string;
  objects: number;
  files: number;
}

/** Deployments first … first+count-1 as one multi-document file. */
export function deploymentsText(first: number, count: number): string {
  return Array.from({ length: count }, (_, k) => deployment(first + k)).join('---\n');
}

/** `objects` Deployments in files of 20, written afresh into `dir`. */
export function writeDeploymentCorpus(dir: string, objects: number): Corpus {
  const perFile = 20;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = Math.ceil(objects / perFile);
  for (let f = 0; f < files; f++)
    writeFileSync(
      join(dir, `deployments-${String(f).padStart(3, '0')}.yaml`),
      deploymentsText(f * perFile, Math.min(perFile, objects - f * perFile)),
    );
  return { dir, objects, files };
}
