// The test repository for rendering, built in the project: a Kustomize base with overlays (patches,
// generators with hash suffixes, a component, images, namespace, origin annotations), a Helm chart
// with values files (plus a hook, a test pod, a random password and a lookup), and plain manifests.
// `ns` goes into every namespace so each test has its own.

export function renderRepoFiles(ns: string): Record<string, string> {
  return {
    'plain/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: plain-config
  namespace: ${ns}
data:
  mode: plain
`,
    'kustomize/base/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
  - service.yaml
configMapGenerator:
  - name: web-settings
    literals:
      - LOG_LEVEL=info
      - FEATURE_X=off
labels:
  - pairs: { app.kubernetes.io/part-of: shop }
    includeSelectors: false
`,
    'kustomize/base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.25
          ports:
            - containerPort: 80
          envFrom:
            - configMapRef: { name: web-settings }
          resources:
            requests: { cpu: 100m, memory: 64Mi }
`,
    'kustomize/base/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports:
    - port: 80
      targetPort: 80
`,
    'kustomize/components/monitoring/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
patches:
  - target: { kind: Deployment }
    patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: any
        annotations: { prometheus.io/scrape: "true" }
`,
    'kustomize/overlays/prod/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${ns}
buildMetadata: [originAnnotations]
resources:
  - ../../base
  - namespace.yaml
components:
  - ../../components/monitoring
images:
  - name: nginx
    newTag: "1.27"
patches:
  - path: replicas.yaml
configMapGenerator:
  - name: web-settings
    behavior: merge
    literals:
      - LOG_LEVEL=warn
secretGenerator:
  - name: web-credentials
    literals:
      - password=s3cr3t-value
`,
    'kustomize/overlays/prod/namespace.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
`,
    'kustomize/overlays/prod/replicas.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
`,
    'chart/Chart.yaml': `apiVersion: v2
name: shopchart
version: 0.1.0
appVersion: "1.0"
`,
    'chart/values.yaml': `replicaCount: 1
image: { repository: nginx, tag: "1.25" }
greeting: hello
`,
    'chart/values-prod.yaml': `replicaCount: 2
greeting: bonjour
`,
    'chart/templates/_helpers.tpl': `{{- define "shop.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
`,
    'chart/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-api
  labels:
    {{- include "shop.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels: { app: {{ .Release.Name }}-api }
  template:
    metadata:
      labels: { app: {{ .Release.Name }}-api }
    spec:
      containers:
        - name: api
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          env:
            - name: GREETING
              value: {{ .Values.greeting | quote }}
`,
    'chart/templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-greeting
data:
  greeting: {{ .Values.greeting | quote }}
`,
    'chart/templates/secret.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-generated
type: Opaque
data:
  password: {{ randAlphaNum 16 | b64enc | quote }}
  user: {{ "admin" | b64enc | quote }}
`,
    'chart/templates/lookup.yaml': `{{- $existing := lookup "v1" "ConfigMap" .Release.Namespace "not-there" }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-lookup
data:
  found: {{ if $existing }}"yes"{{ else }}"no"{{ end }}
`,
    'chart/templates/hook-job.yaml': `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: busybox
`,
    'chart/templates/tests/test-connection.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-test
  annotations:
    helm.sh/hook: test
spec:
  restartPolicy: Never
  containers:
    - name: wget
      image: busybox
`,
  };
}
