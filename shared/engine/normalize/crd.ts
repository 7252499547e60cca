// CustomResourceDefinition defaults (apiextensions-apiserver pkg/apis/apiextensions/v1/defaults.go):
// singular is the lower-cased kind, listKind is `<Kind>List`, conversion is `{strategy: None}`, and
// a conversion webhook's service port is 443.
import { dropIfEqual, obj, str } from '../json.ts';
import { eachSide } from './types.ts';

export const crdNormalizer = eachSide('crd-defaults', (o) => {
  if (o.kind !== 'CustomResourceDefinition' || o.apiVersion !== 'apiextensions.k8s.io/v1') return;
  const spec = obj(o, 'spec');
  const names = obj(spec, 'names');
  const kind = str(names, 'kind');
  if (kind !== undefined) {
    dropIfEqual(names, 'singular', kind.toLowerCase());
    dropIfEqual(names, 'listKind', `${kind}List`);
  }
  const conversion = obj(spec, 'conversion');
  dropIfEqual(obj(obj(obj(conversion, 'webhook'), 'clientConfig'), 'service'), 'port', 443);
  dropIfEqual(spec, 'conversion', { strategy: 'None' });
});
