// The shipped catalog: ignore rules for what common controllers write into objects Git declares.
// Off unless named in the config (`drift.rules.ignore_catalog: [cert-manager, istio]`); each entry
// is documented in README.md ("Ignore rules"). Every rule is checked against ignoreRuleSchema by
// catalog.test.ts.
import type { IgnoreRule } from './rule.ts';

export const CATALOG_NAMES = [
  'cert-manager',
  'istio',
  'linkerd',
  'keda',
  'hpa',
  'vpa',
  'argo-rollouts',
] as const;
export type CatalogName = (typeof CATALOG_NAMES)[number];

export interface CatalogEntry {
  description: string;
  rules: readonly IgnoreRule[];
}

const ADMISSION = 'admissionregistration.k8s.io';
const webhookCa = (extra: Partial<IgnoreRule> = {}): IgnoreRule[] => [
  {
    kind: `ValidatingWebhookConfiguration.${ADMISSION}`,
    path: 'webhooks[*].clientConfig.caBundle',
    ...extra,
  },
  { kind: `MutatingWebhookConfiguration.${ADMISSION}`, path: 'webhooks[*].clientConfig.caBundle', ...extra },
];
const replicas = (managers: string[], kinds = ['Deployment', 'StatefulSet']): IgnoreRule[] =>
  kinds.map((k) => ({ kind: `${k}.apps`, path: 'spec.replicas', managers }));

export const IGNORE_CATALOG: Readonly<Record<CatalogName, CatalogEntry>> = {
  'cert-manager': {
    description: "cainjector's CA bundles in webhook configurations, CRD conversion webhooks and APIServices",
    rules: [
      ...webhookCa(),
      {
        kind: 'CustomResourceDefinition.apiextensions.k8s.io',
        path: 'spec.conversion.webhook.clientConfig.caBundle',
      },
      { kind: 'APIService.apiregistration.k8s.io', path: 'spec.caBundle' },
    ],
  },
  istio: {
    description:
      "the sidecar injector's containers, volumes, labels and annotations on Pods; istiod's CA bundles and failurePolicy on its webhooks",
    rules: [
      { kind: 'Pod', path: 'spec.containers[name=istio-proxy]' },
      { kind: 'Pod', path: 'spec.initContainers[name=istio-*]' },
      { kind: 'Pod', path: 'spec.volumes[name=istio*]' },
      { kind: 'Pod', path: 'spec.volumes[name=workload-*]' },
      { kind: 'Pod', path: 'spec.volumes[name=credential-socket]' },
      { kind: 'Pod', path: 'metadata.annotations["sidecar.istio.io/status"]' },
      { kind: 'Pod', path: 'metadata.annotations["kubectl.kubernetes.io/default-container"]' },
      { kind: 'Pod', path: 'metadata.annotations["prometheus.io/*"]' },
      { kind: 'Pod', path: 'metadata.labels["security.istio.io/tlsMode"]' },
      { kind: 'Pod', path: 'metadata.labels["service.istio.io/*"]' },
      ...webhookCa({ name: 'istio*' }),
      {
        kind: `ValidatingWebhookConfiguration.${ADMISSION}`,
        name: 'istio*',
        path: 'webhooks[*].failurePolicy',
      },
    ],
  },
  linkerd: {
    description: "the proxy injector's containers, volumes, labels and annotations on Pods",
    rules: [
      { kind: 'Pod', path: 'spec.containers[name=linkerd-proxy]' },
      { kind: 'Pod', path: 'spec.initContainers[name=linkerd-*]' },
      { kind: 'Pod', path: 'spec.volumes[name=linkerd-*]' },
      { kind: 'Pod', path: 'metadata.annotations["linkerd.io/created-by"]' },
      { kind: 'Pod', path: 'metadata.annotations["linkerd.io/proxy-version"]' },
      { kind: 'Pod', path: 'metadata.annotations["linkerd.io/trust-root-sha256"]' },
      { kind: 'Pod', path: 'metadata.annotations["linkerd.io/identity-mode"]' },
      { kind: 'Pod', path: 'metadata.labels["linkerd.io/control-plane-ns"]' },
      { kind: 'Pod', path: 'metadata.labels["linkerd.io/proxy-*"]' },
      { kind: 'Pod', path: 'metadata.labels["linkerd.io/workload-ns"]' },
    ],
  },
  keda: {
    description:
      "replicas KEDA's operator and the HPA it creates write on Deployments and StatefulSets; the CA bundles of KEDA's webhook and metrics APIService",
    rules: [
      ...replicas(['keda-operator', 'kube-controller-manager', 'horizontal-pod-autoscaler']),
      ...webhookCa({ name: 'keda-*' }),
      { kind: 'APIService.apiregistration.k8s.io', name: '*.external.metrics.k8s.io', path: 'spec.caBundle' },
    ],
  },
  hpa: {
    description:
      'replicas a HorizontalPodAutoscaler writes (manager kube-controller-manager) on Deployments, StatefulSets and ReplicaSets',
    rules: replicas(
      ['kube-controller-manager', 'horizontal-pod-autoscaler'],
      ['Deployment', 'StatefulSet', 'ReplicaSet'],
    ),
  },
  vpa: {
    description: 'container resources the VerticalPodAutoscaler sets on Pods, and its annotations',
    rules: [
      { kind: 'Pod', path: 'spec.containers[*].resources' },
      { kind: 'Pod', path: 'metadata.annotations.vpaUpdates' },
      { kind: 'Pod', path: 'metadata.annotations.vpaObservedContainers' },
    ],
  },
  'argo-rollouts': {
    description:
      'what the Rollouts controller writes: replicas of a Deployment a Rollout took over (workloadRef), the pod-template-hash selector of its Services, its revision annotations',
    rules: [
      ...replicas(['rollouts-controller'], ['Deployment']),
      { kind: 'Service', path: 'spec.selector["rollouts-pod-template-hash"]' },
      { kind: 'Service', path: 'metadata.annotations["argo-rollouts.argoproj.io/*"]' },
      { kind: 'Rollout.argoproj.io', path: 'metadata.annotations["rollout.argoproj.io/*"]' },
    ],
  },
};

/** The rules of the named entries, in catalog order, each with the entry it comes from. */
export function catalogRules(
  names: readonly CatalogName[] | undefined,
): { name: CatalogName; rule: IgnoreRule }[] {
  if (!names?.length) return [];
  return CATALOG_NAMES.filter((n) => names.includes(n)).flatMap((name) =>
    IGNORE_CATALOG[name].rules.map((rule) => ({ name, rule })),
  );
}
