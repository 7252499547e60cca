// Defaults of admissionregistration.k8s.io/v1 (k8s.io/kubernetes pkg/apis/admissionregistration/v1/
// defaults.go, wired by zz_generated.defaults.go): webhook configurations, admission policies and
// their bindings. Public charts leave most of these out, and an Update (client-side apply, create)
// makes its manager own every defaulted field, so each must be known here, not only `scope`.
import type { JsonObject } from '../../types.ts';
import { arr, dropIfEqual, isObject, obj } from '../json.ts';
import { eachSide } from './types.ts';

const GROUP = 'admissionregistration.k8s.io/v1';

/** SetDefaults_Rule: a rule that names no scope covers both (`*`). */
function rules(list: JsonObject | undefined, key: string): void {
  for (const r of arr(list, key) ?? []) if (isObject(r)) dropIfEqual(r, 'scope', '*');
}

/** SetDefaults_MatchResources (the part webhooks share): policy Equivalent, empty selectors. */
function matching(m: JsonObject | undefined): void {
  dropIfEqual(m, 'matchPolicy', 'Equivalent');
  dropIfEqual(m, 'namespaceSelector', {});
  dropIfEqual(m, 'objectSelector', {});
}

/** SetDefaults_ValidatingWebhook / SetDefaults_MutatingWebhook and the service port. */
function webhook(w: JsonObject, mutating: boolean): void {
  dropIfEqual(w, 'failurePolicy', 'Fail');
  matching(w);
  dropIfEqual(w, 'timeoutSeconds', 10);
  if (mutating) dropIfEqual(w, 'reinvocationPolicy', 'Never');
  dropIfEqual(obj(obj(w, 'clientConfig'), 'service'), 'port', 443);
  rules(w, 'rules');
}

function matchResources(m: JsonObject | undefined): void {
  if (!m) return;
  matching(m);
  rules(m, 'resourceRules');
  rules(m, 'excludeResourceRules');
}

export const admissionNormalizer = eachSide('admission-defaults', (o) => {
  if (o.apiVersion !== GROUP) return;
  const spec = obj(o, 'spec');
  switch (o.kind) {
    case 'ValidatingWebhookConfiguration':
    case 'MutatingWebhookConfiguration':
      for (const w of arr(o, 'webhooks') ?? [])
        if (isObject(w)) webhook(w, o.kind === 'MutatingWebhookConfiguration');
      break;
    case 'ValidatingAdmissionPolicy':
    case 'MutatingAdmissionPolicy':
      dropIfEqual(spec, 'failurePolicy', 'Fail');
      matchResources(obj(spec, 'matchConstraints'));
      break;
    case 'ValidatingAdmissionPolicyBinding':
    case 'MutatingAdmissionPolicyBinding':
      matchResources(obj(spec, 'matchResources'));
      break;
  }
});
