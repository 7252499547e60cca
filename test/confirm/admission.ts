// A real admission chain for the confirm tests, installed on a real cluster: built-in
// MutatingAdmissionPolicies (admissionregistration.k8s.io/v1, no webhook server) that add a label,
// inject a sidecar and a pod-template annotation (JSONPatch), add default requests/limits when a
// container has none, and prefix images with a mirror registry; a real mutating webhook (an HTTPS
// server in this process, registered with its caBundle, sideEffects: None) that adds an env var;
// and an audit webhook with side effects that refuses dry-runs (admissionregistration.k8s.io/v1
// accepts only sideEffects None or NoneOnDryRun; v1beta1's `Some`, which made the API server
// refuse a dry-run itself, is gone, so the webhook is called with dryRun: true and says no). Everything is bound to namespaces labelled `confirm.example.com/admission`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ControlPlane } from '../cluster/control-plane.ts';
import { selfSignedCert } from '../kit/self-signed-cert.ts';

export const ADMISSION_LABEL = 'confirm.example.com/admission';
export const MIRROR = 'mirror.example.com/';
export const SIDECAR = 'mesh-proxy';
export const POLICY_LABEL = 'policy.example.com/audited';
export const INJECTED_ANNOTATION = 'mesh.example.com/injected';
export const WEBHOOK_ENV = 'INJECTED_BY';
/** What the audit webhook answers to a dry-run. */
export const AUDIT_REFUSAL = 'audit webhook has side effects and does not support dry run';
/** Objects with this label are seen by the audit webhook, which refuses dry-runs. */
export const SIDE_EFFECTS_LABEL = 'audit.example.com/side-effects';

const DEPLOYMENTS_RULE = {
  apiGroups: ['apps'],
  apiVersions: ['v1'],
  operations: ['CREATE', 'UPDATE'],
  resources: ['deployments'],
};
const CONTAINERS = 'object.spec.template.spec.containers';
const containersApply = (list: string): string =>
  `Object{spec: Object.spec{template: Object.spec.template{spec: Object.spec.template.spec{containers: ${list}}}}}`;
const C = 'Object.spec.template.spec.containers';

interface Policy {
  name: string;
  condition?: string;
  mutation: object;
}

const POLICIES: Policy[] = [
  {
    name: 'audit-label',
    mutation: {
      patchType: 'ApplyConfiguration',
      applyConfiguration: {
        expression: `Object{metadata: Object.metadata{labels: {"${POLICY_LABEL}": "yes"}}}`,
      },
    },
  },
  {
    name: 'mesh-sidecar',
    condition: `!${CONTAINERS}.exists(c, c.name == "${SIDECAR}")`,
    mutation: {
      patchType: 'JSONPatch',
      jsonPatch: {
        expression: `[
          JSONPatch{op: "add", path: "/spec/template/spec/containers/-",
            value: ${C}{name: "${SIDECAR}", image: "proxy.example.com/mesh:1.0"}},
          has(object.spec.template.metadata.annotations)
            ? JSONPatch{op: "add", path: "/spec/template/metadata/annotations/" + jsonpatch.escapeKey("${INJECTED_ANNOTATION}"), value: "true"}
            : JSONPatch{op: "add", path: "/spec/template/metadata/annotations", value: {"${INJECTED_ANNOTATION}": "true"}}
        ]`,
      },
    },
  },
  {
    name: 'default-resources',
    condition: `${CONTAINERS}.exists(c, !has(c.resources.limits) && !has(c.resources.requests))`,
    mutation: {
      patchType: 'ApplyConfiguration',
      applyConfiguration: {
        expression: containersApply(
          `${CONTAINERS}.filter(c, !has(c.resources.limits) && !has(c.resources.requests)).map(c, ${C}{name: c.name, resources: ${C}.resources{requests: {"cpu": "100m", "memory": "64Mi"}, limits: {"cpu": "500m", "memory": "128Mi"}}})`,
        ),
      },
    },
  },
  {
    name: 'image-mirror',
    condition: `${CONTAINERS}.exists(c, !c.image.startsWith("${MIRROR}"))`,
    mutation: {
      patchType: 'ApplyConfiguration',
      applyConfiguration: {
        expression: containersApply(
          `${CONTAINERS}.filter(c, !c.image.startsWith("${MIRROR}")).map(c, ${C}{name: c.name, image: "${MIRROR}" + c.image})`,
        ),
      },
    },
  },
];

function policyObjects(): object[] {
  const out: object[] = [];
  for (const p of POLICIES) {
    out.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingAdmissionPolicy',
      metadata: { name: p.name },
      spec: {
        matchConstraints: { resourceRules: [DEPLOYMENTS_RULE] },
        ...(p.condition ? { matchConditions: [{ name: 'needed', expression: p.condition }] } : {}),
        failurePolicy: 'Fail',
        reinvocationPolicy: 'IfNeeded',
        mutations: [p.mutation],
      },
    });
    out.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingAdmissionPolicyBinding',
      metadata: { name: p.name },
      spec: {
        policyName: p.name,
        matchResources: {
          namespaceSelector: { matchExpressions: [{ key: ADMISSION_LABEL, operator: 'Exists' }] },
        },
      },
    });
  }
  return out;
}

interface Review {
  request?: { uid?: string; object?: { spec?: { template?: { spec?: { containers?: Container[] } } } } };
}
interface Container {
  name?: string;
  env?: { name?: string }[];
}

/** The JSON patch that gives each container the webhook's env var, once. */
function envPatch(review: Review): object[] {
  const containers = review.request?.object?.spec?.template?.spec?.containers ?? [];
  const ops: object[] = [];
  containers.forEach((c, i) => {
    const base = `/spec/template/spec/containers/${i}/env`;
    const entry = { name: WEBHOOK_ENV, value: 'webhook' };
    if (!c.env) ops.push({ op: 'add', path: base, value: [entry] });
    else if (!c.env.some((e) => e.name === WEBHOOK_ENV))
      ops.push({ op: 'add', path: `${base}/-`, value: entry });
  });
  return ops;
}

export interface Admission {
  /** Requests each webhook path was called with, and how many of them were dry-runs. */
  calls: Map<string, { total: number; dryRun: number }>;
  stop(): Promise<void>;
}

/** The webhook's certificate and key as PEM text (the API server gets the certificate as its CA). */
async function selfSigned(): Promise<{ key: string; cert: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-webhook-'));
  try {
    const files = await selfSignedCert(dir);
    return { key: readFileSync(files.key, 'utf8'), cert: readFileSync(files.cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function serve(calls: Admission['calls'], tls: { key: string; cert: string }): Promise<Server> {
  const server = createServer(tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Review & {
        request?: { dryRun?: boolean };
      };
      // The API server adds its timeout: `/env?timeout=10s`.
      const path = new URL(req.url ?? '/', 'https://127.0.0.1').pathname;
      const seen = calls.get(path) ?? { total: 0, dryRun: 0 };
      seen.total++;
      if (review.request?.dryRun) seen.dryRun++;
      calls.set(path, seen);
      const patch = path === '/env' ? envPatch(review) : [];
      const refuse = path === '/audit' && review.request?.dryRun === true;
      const response = {
        uid: review.request?.uid ?? '',
        allowed: !refuse,
        ...(refuse ? { status: { code: 400, message: AUDIT_REFUSAL } } : {}),
        ...(patch.length > 0
          ? { patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') }
          : {}),
      };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function webhookConfig(port: number, caBundle: string): object {
  const hook = (name: string, path: string, sideEffects: string, objectSelector?: object) => ({
    name,
    admissionReviewVersions: ['v1'],
    sideEffects,
    failurePolicy: 'Fail',
    reinvocationPolicy: 'IfNeeded',
    timeoutSeconds: 10,
    clientConfig: { url: `https://127.0.0.1:${port}${path}`, caBundle },
    rules: [{ ...DEPLOYMENTS_RULE, scope: 'Namespaced' }],
    namespaceSelector: { matchExpressions: [{ key: ADMISSION_LABEL, operator: 'Exists' }] },
    ...(objectSelector ? { objectSelector } : {}),
  });
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: 'confirm-test' },
    webhooks: [
      hook('env.confirm.example.com', '/env', 'None'),
      hook('audit.confirm.example.com', '/audit', 'NoneOnDryRun', {
        matchLabels: { [SIDE_EFFECTS_LABEL]: 'on' },
      }),
    ],
  };
}

/** Installs the policies and webhooks, and waits until a dry-run shows every one of them at work. */
export async function installAdmission(plane: ControlPlane): Promise<Admission> {
  const calls: Admission['calls'] = new Map();
  const tls = await selfSigned();
  const server = await serve(calls, tls);
  const { port } = server.address() as AddressInfo;
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [...policyObjects(), webhookConfig(port, Buffer.from(tls.cert).toString('base64'))],
  };
  await plane.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(list) });
  await waitUntilActive(plane);
  return {
    calls,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Policies are picked up by the API server's informers some moments after they are created. */
async function waitUntilActive(plane: ControlPlane): Promise<void> {
  const ns = 'confirm-probe';
  await plane.kubectlOk(['create', 'namespace', ns]);
  await plane.kubectlOk(['label', 'namespace', ns, `${ADMISSION_LABEL}=on`]);
  const probe = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'probe', namespace: ns },
    spec: {
      selector: { matchLabels: { app: 'probe' } },
      template: {
        metadata: { labels: { app: 'probe' } },
        spec: { containers: [{ name: 'c', image: 'busybox:1' }] },
      },
    },
  };
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    const r = await plane.kubectl(['create', '--dry-run=server', '-o', 'json', '-f', '-'], {
      input: JSON.stringify(probe),
    });
    last = r.code === 0 ? r.stdout : r.stderr;
    if (r.code === 0) {
      const text = r.stdout;
      const ready = [
        POLICY_LABEL,
        SIDECAR,
        INJECTED_ANNOTATION,
        '"limits"',
        MIRROR + 'busybox',
        WEBHOOK_ENV,
      ].every((s) => text.includes(s));
      if (ready) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `the admission chain did not become active within 60 s; last dry-run: ${last.slice(0, 6000)}`,
  );
}
