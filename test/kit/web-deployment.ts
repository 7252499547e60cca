// The small Deployment the multi-agent suites declare and drift (`kubectl scale deployment/web`):
// two replicas of nginx, as YAML text for a test repository or `kubectl apply -f -`.

/** Deployment `web` in `namespace`, as Git declares it. */
export function webDeployment(namespace: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: ${namespace} }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "nginx:1.27.3" }] }
`;
}
