// The generated Deployment the speed benchmarks scan: `npm run bench` and the peers comparison share it.

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
