// The rows of the defaults oracle (defaults-oracle.test.ts) and of DEFAULTS.md: a manifest that
// leaves fields to kube-apiserver, the defaults the server must put there (path → value), and the
// normaliser rule that makes them no drift.
import type { JsonObject, KubeObject } from '../../shared/types.ts';

export interface DefaultRow {
  name: string;
  /** Resource for `kubectl get <resource>/<name>`. */
  resource: string;
  clusterScoped?: boolean;
  object: KubeObject;
  /** Dotted path (list indexes as numbers) → the value the server defaults it to. */
  defaults: Record<string, JsonObject[string]>;
  /** Name of the normaliser that covers these defaults. */
  rule: string;
}

const meta = (name: string): JsonObject => ({ name });
const pod = (spec: JsonObject, labels: JsonObject = { app: 'x' }): JsonObject => ({
  metadata: { labels },
  spec,
});
const c = (extra: JsonObject = {}): JsonObject => ({
  name: 'c',
  image: 'registry.example.com/app:1.0',
  ...extra,
});

export const DEFAULT_ROWS: DefaultRow[] = [
  {
    name: 'Deployment: replicas, strategy, history, progress deadline',
    resource: 'deployment',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('d1'),
      spec: { selector: { matchLabels: { app: 'x' } }, template: pod({ containers: [c()] }) },
    },
    defaults: {
      'spec.replicas': 1,
      'spec.revisionHistoryLimit': 10,
      'spec.progressDeadlineSeconds': 600,
      'spec.strategy': { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
    rule: 'workload-defaults',
  },
  {
    name: 'PodSpec and Container defaults in a template (dnsPolicy, restartPolicy, pull policy, termination)',
    resource: 'deployment',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('d2'),
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'x' } },
        template: pod({ containers: [c(), { name: 'l', image: 'nginx:latest' }] }),
      },
    },
    defaults: {
      'spec.template.spec.dnsPolicy': 'ClusterFirst',
      'spec.template.spec.restartPolicy': 'Always',
      'spec.template.spec.schedulerName': 'default-scheduler',
      'spec.template.spec.terminationGracePeriodSeconds': 30,
      'spec.template.spec.securityContext': {},
      'spec.template.spec.containers.0.imagePullPolicy': 'IfNotPresent',
      'spec.template.spec.containers.1.imagePullPolicy': 'Always',
      'spec.template.spec.containers.0.terminationMessagePath': '/dev/termination-log',
      'spec.template.spec.containers.0.terminationMessagePolicy': 'File',
    },
    rule: 'workload-defaults',
  },
  {
    name: 'deprecated serviceAccount alias: serviceAccountName copied from it, and back',
    resource: 'deployment',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('d3'),
      spec: {
        selector: { matchLabels: { app: 'x' } },
        template: pod({ serviceAccount: 'builder', containers: [c()] }),
      },
    },
    defaults: {
      'spec.template.spec.serviceAccountName': 'builder',
    },
    rule: 'workload-defaults',
  },
  {
    name: 'probes, httpGet path and scheme, volume modes, token expiry, fieldRef apiVersion',
    resource: 'deployment',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('d4'),
      spec: {
        selector: { matchLabels: { app: 'x' } },
        template: pod({
          containers: [
            c({
              readinessProbe: { httpGet: { port: 8080 } },
              env: [{ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
            }),
          ],
          volumes: [
            { name: 's', secret: { secretName: 's' } },
            { name: 'm', configMap: { name: 'm' } },
            { name: 'p', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } },
            { name: 'h', hostPath: { path: '/tmp' } },
          ],
        }),
      },
    },
    defaults: {
      'spec.template.spec.containers.0.readinessProbe.httpGet.path': '/',
      'spec.template.spec.containers.0.readinessProbe.httpGet.scheme': 'HTTP',
      'spec.template.spec.containers.0.readinessProbe.periodSeconds': 10,
      'spec.template.spec.containers.0.readinessProbe.timeoutSeconds': 1,
      'spec.template.spec.containers.0.readinessProbe.successThreshold': 1,
      'spec.template.spec.containers.0.readinessProbe.failureThreshold': 3,
      'spec.template.spec.containers.0.env.0.valueFrom.fieldRef.apiVersion': 'v1',
      'spec.template.spec.volumes.0.secret.defaultMode': 420,
      'spec.template.spec.volumes.1.configMap.defaultMode': 420,
      'spec.template.spec.volumes.2.projected.defaultMode': 420,
      'spec.template.spec.volumes.2.projected.sources.0.serviceAccountToken.expirationSeconds': 3600,
      'spec.template.spec.volumes.3.hostPath.type': '',
    },
    rule: 'workload-defaults',
  },
  {
    name: 'Service: clusterIP "" and targetPort 0 are allocated/defaulted like absent ones',
    resource: 'service',
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('s1'),
      spec: { clusterIP: '', selector: { app: 'x' }, ports: [{ port: 80, targetPort: 0 }] },
    },
    defaults: {
      'spec.type': 'ClusterIP',
      'spec.sessionAffinity': 'None',
      'spec.internalTrafficPolicy': 'Cluster',
      'spec.ipFamilyPolicy': 'SingleStack',
      'spec.ipFamilies': ['IPv4'],
      'spec.ports.0.protocol': 'TCP',
      'spec.ports.0.targetPort': 80,
    },
    rule: 'service-defaults',
  },
  {
    name: 'Service NodePort/LoadBalancer: nodePort allocated, externalTrafficPolicy, LB node ports, ClientIP timeout',
    resource: 'service',
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('s2'),
      spec: {
        type: 'LoadBalancer',
        sessionAffinity: 'ClientIP',
        selector: { app: 'x' },
        ports: [{ port: 443, nodePort: 0 }],
      },
    },
    defaults: {
      'spec.externalTrafficPolicy': 'Cluster',
      'spec.allocateLoadBalancerNodePorts': true,
      'spec.sessionAffinityConfig': { clientIP: { timeoutSeconds: 10800 } },
    },
    rule: 'service-defaults',
  },
  {
    name: 'NetworkPolicy: policyTypes from the rules, port protocol TCP',
    resource: 'networkpolicy',
    object: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('np1'),
      spec: { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }], egress: [{}] },
    },
    defaults: { 'spec.policyTypes': ['Ingress', 'Egress'], 'spec.ingress.0.ports.0.protocol': 'TCP' },
    rule: 'networking-defaults',
  },
  {
    name: 'IngressClass: parameters scope Cluster',
    resource: 'ingressclass',
    clusterScoped: true,
    object: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: meta('ic1'),
      spec: { controller: 'example.com/c', parameters: { apiGroup: 'example.com', kind: 'P', name: 'p' } },
    },
    defaults: { 'spec.parameters.scope': 'Cluster' },
    rule: 'networking-defaults',
  },
  {
    name: 'Job: completions, parallelism, backoff, mode, suspend, replacement',
    resource: 'job',
    object: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('j1'),
      spec: { template: pod({ restartPolicy: 'Never', containers: [c()] }, { app: 'batch' }) },
    },
    defaults: {
      'spec.completions': 1,
      'spec.parallelism': 1,
      'spec.backoffLimit': 6,
      'spec.completionMode': 'NonIndexed',
      'spec.suspend': false,
      'spec.podReplacementPolicy': 'TerminatingOrFailed',
    },
    rule: 'workload-defaults',
  },
  {
    name: 'Job: labels copied from the template, the controller labels included',
    resource: 'job',
    object: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('j2'),
      spec: { template: pod({ restartPolicy: 'Never', containers: [c()] }, { app: 'batch' }) },
    },
    defaults: { 'metadata.labels.app': 'batch', 'metadata.labels.job-name': 'j2' },
    rule: 'job-labels-from-template',
  },
  {
    name: 'CronJob: concurrency, suspend, history limits',
    resource: 'cronjob',
    object: {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta('cj1'),
      spec: {
        schedule: '*/5 * * * *',
        jobTemplate: { spec: { template: pod({ restartPolicy: 'OnFailure', containers: [c()] }) } },
      },
    },
    defaults: {
      'spec.concurrencyPolicy': 'Allow',
      'spec.suspend': false,
      'spec.successfulJobsHistoryLimit': 3,
      'spec.failedJobsHistoryLimit': 1,
    },
    rule: 'workload-defaults',
  },
  {
    name: 'StatefulSet: pod management, update strategy, PVC retention',
    resource: 'statefulset',
    object: {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('ss1'),
      spec: {
        serviceName: 'x',
        selector: { matchLabels: { app: 'x' } },
        template: pod({ containers: [c()] }),
      },
    },
    defaults: {
      'spec.podManagementPolicy': 'OrderedReady',
      'spec.updateStrategy': { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } },
      'spec.persistentVolumeClaimRetentionPolicy': { whenDeleted: 'Retain', whenScaled: 'Retain' },
    },
    rule: 'workload-defaults',
  },
  {
    name: 'DaemonSet: update strategy (maxSurge 0, maxUnavailable 1)',
    resource: 'daemonset',
    object: {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta('ds1'),
      spec: { selector: { matchLabels: { app: 'x' } }, template: pod({ containers: [c()] }) },
    },
    defaults: {
      'spec.updateStrategy': { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
    },
    rule: 'workload-defaults',
  },
  {
    name: 'HorizontalPodAutoscaler: minReplicas, CPU 80% metric',
    resource: 'hpa',
    object: {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta('h1'),
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd1' }, maxReplicas: 5 },
    },
    defaults: {
      'spec.minReplicas': 1,
      'spec.metrics': [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
    },
    rule: 'hpa-defaults',
  },
  {
    name: 'RoleBinding: roleRef and User subject API group',
    resource: 'rolebinding',
    object: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('rb1'),
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'alice' }],
    },
    defaults: {
      'roleRef.apiGroup': 'rbac.authorization.k8s.io',
      'subjects.0.apiGroup': 'rbac.authorization.k8s.io',
    },
    rule: 'other-kind-defaults',
  },
  {
    name: 'StorageClass: reclaimPolicy Delete, volumeBindingMode Immediate',
    resource: 'storageclass',
    clusterScoped: true,
    object: {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: meta('sc1'),
      provisioner: 'example.com/p',
    },
    defaults: { reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' },
    rule: 'other-kind-defaults',
  },
  {
    name: 'PriorityClass: preemptionPolicy PreemptLowerPriority',
    resource: 'priorityclass',
    clusterScoped: true,
    object: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: meta('pc1'), value: 10 },
    defaults: { preemptionPolicy: 'PreemptLowerPriority' },
    rule: 'other-kind-defaults',
  },
  {
    name: 'PersistentVolume: reclaim policy Retain, volumeMode Filesystem',
    resource: 'pv',
    clusterScoped: true,
    object: {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: meta('pv1'),
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv1' } },
    },
    defaults: { 'spec.persistentVolumeReclaimPolicy': 'Retain', 'spec.volumeMode': 'Filesystem' },
    rule: 'other-kind-defaults',
  },
  {
    name: 'CSIDriver: attach, pod info, capacity, fsGroup policy, lifecycle modes, republish',
    resource: 'csidriver',
    clusterScoped: true,
    object: {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSIDriver',
      metadata: meta('csi1.example.com'),
      spec: {},
    },
    defaults: {
      'spec.attachRequired': true,
      'spec.podInfoOnMount': false,
      'spec.storageCapacity': false,
      'spec.fsGroupPolicy': 'ReadWriteOnceWithFSType',
      'spec.volumeLifecycleModes': ['Persistent'],
      'spec.requiresRepublish': false,
    },
    rule: 'other-kind-defaults',
  },
  {
    name: 'EndpointSlice: port name "" and protocol TCP',
    resource: 'endpointslice',
    object: {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: meta('es1'),
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.1.2.3'] }],
      ports: [{ port: 80 }],
    },
    defaults: { 'ports.0.name': '', 'ports.0.protocol': 'TCP' },
    rule: 'other-kind-defaults',
  },
  {
    name: 'CustomResourceDefinition: conversion None, singular, listKind',
    resource: 'crd',
    object: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: meta('gadgets.example.com'),
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { kind: 'Gadget', plural: 'gadgets' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      size: { type: 'integer', default: 3 },
                      tls: {
                        type: 'object',
                        default: {},
                        properties: { port: { type: 'integer', default: 443 } },
                      },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    },
    defaults: {
      'spec.conversion': { strategy: 'None' },
      'spec.names.singular': 'gadget',
      'spec.names.listKind': 'GadgetList',
    },
    rule: 'crd-defaults',
  },
  {
    name: 'downward API resourceFieldRef divisor "0" (env, downwardAPI volume, projection)',
    resource: 'deployment',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('d-divisor'),
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'x' } },
        template: pod({
          containers: [
            c({
              env: [{ name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory' } } }],
            }),
          ],
          volumes: [
            {
              name: 'd',
              downwardAPI: {
                items: [{ path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'requests.cpu' } }],
              },
            },
            {
              name: 'p',
              projected: {
                sources: [
                  {
                    downwardAPI: {
                      items: [
                        { path: 'm', resourceFieldRef: { containerName: 'c', resource: 'limits.memory' } },
                      ],
                    },
                  },
                ],
              },
            },
          ],
        }),
      },
    },
    defaults: {
      'spec.template.spec.containers.0.env.0.valueFrom.resourceFieldRef.divisor': '0',
      'spec.template.spec.volumes.0.downwardAPI.items.0.resourceFieldRef.divisor': '0',
      'spec.template.spec.volumes.1.projected.sources.0.downwardAPI.items.0.resourceFieldRef.divisor': '0',
    },
    rule: 'workload-defaults',
  },
  {
    name: 'ValidatingWebhookConfiguration: failure/match policy, selectors, timeout, rule scope, port',
    resource: 'validatingwebhookconfiguration',
    clusterScoped: true,
    object: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: meta('vwc1'),
      webhooks: [
        {
          name: 'check.example.com',
          clientConfig: { service: { name: 'hook', namespace: 'default', path: '/validate' } },
          // A group nothing here creates: the webhook (failurePolicy Fail) must not stop the other rows.
          rules: [
            {
              apiGroups: ['example.com'],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['gizmos'],
            },
          ],
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
        },
      ],
    },
    defaults: {
      'webhooks.0.failurePolicy': 'Fail',
      'webhooks.0.matchPolicy': 'Equivalent',
      'webhooks.0.namespaceSelector': {},
      'webhooks.0.objectSelector': {},
      'webhooks.0.timeoutSeconds': 10,
      'webhooks.0.rules.0.scope': '*',
      'webhooks.0.clientConfig.service.port': 443,
    },
    rule: 'admission-defaults',
  },
  {
    name: 'MutatingWebhookConfiguration: as validating, plus reinvocationPolicy Never',
    resource: 'mutatingwebhookconfiguration',
    clusterScoped: true,
    object: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: meta('mwc1'),
      webhooks: [
        {
          name: 'inject.example.com',
          clientConfig: { url: 'https://hook.example.com/mutate' },
          rules: [
            {
              apiGroups: ['example.com'],
              apiVersions: ['v1'],
              operations: ['CREATE'],
              resources: ['gizmos'],
            },
          ],
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
        },
      ],
    },
    defaults: {
      'webhooks.0.failurePolicy': 'Fail',
      'webhooks.0.matchPolicy': 'Equivalent',
      'webhooks.0.namespaceSelector': {},
      'webhooks.0.objectSelector': {},
      'webhooks.0.timeoutSeconds': 10,
      'webhooks.0.reinvocationPolicy': 'Never',
      'webhooks.0.rules.0.scope': '*',
    },
    rule: 'admission-defaults',
  },
  {
    name: 'ValidatingAdmissionPolicy: failurePolicy, matchConstraints policy, selectors, rule scope',
    resource: 'validatingadmissionpolicy',
    clusterScoped: true,
    object: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: meta('vap1'),
      spec: {
        matchConstraints: {
          resourceRules: [
            { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] },
          ],
        },
        validations: [{ expression: 'object.spec.replicas <= 5' }],
      },
    },
    defaults: {
      'spec.failurePolicy': 'Fail',
      'spec.matchConstraints.matchPolicy': 'Equivalent',
      'spec.matchConstraints.namespaceSelector': {},
      'spec.matchConstraints.objectSelector': {},
      'spec.matchConstraints.resourceRules.0.scope': '*',
    },
    rule: 'admission-defaults',
  },
  {
    name: 'ValidatingAdmissionPolicyBinding: matchResources policy, selectors, rule scope',
    resource: 'validatingadmissionpolicybinding',
    clusterScoped: true,
    object: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: meta('vapb1'),
      spec: {
        policyName: 'vap1',
        validationActions: ['Deny'],
        matchResources: {
          excludeResourceRules: [
            { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] },
          ],
        },
      },
    },
    defaults: {
      'spec.matchResources.matchPolicy': 'Equivalent',
      'spec.matchResources.namespaceSelector': {},
      'spec.matchResources.objectSelector': {},
      'spec.matchResources.excludeResourceRules.0.scope': '*',
    },
    rule: 'admission-defaults',
  },
  {
    name: 'MutatingAdmissionPolicy: failurePolicy, matchConstraints policy, selectors, rule scope',
    resource: 'mutatingadmissionpolicy',
    clusterScoped: true,
    object: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingAdmissionPolicy',
      metadata: meta('map1'),
      spec: {
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] },
          ],
        },
        reinvocationPolicy: 'Never',
        mutations: [
          {
            patchType: 'ApplyConfiguration',
            applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"x": "y"}}}' },
          },
        ],
      },
    },
    defaults: {
      'spec.failurePolicy': 'Fail',
      'spec.matchConstraints.matchPolicy': 'Equivalent',
      'spec.matchConstraints.namespaceSelector': {},
      'spec.matchConstraints.objectSelector': {},
      'spec.matchConstraints.resourceRules.0.scope': '*',
    },
    rule: 'admission-defaults',
  },
  {
    name: 'custom resource: its CRD schema defaults',
    resource: 'gadgets.example.com',
    object: {
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: meta('g1'),
      spec: {},
    },
    defaults: { 'spec.size': 3, 'spec.tls': { port: 443 } },
    rule: 'crd-schema-defaults',
  },
];
