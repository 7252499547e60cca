// A custom resource in Git gets what the API server gives it on write: its CRD's structural schema
// prunes undeclared fields and fills in defaults (see ../crd-schema.ts). Only the desired side: the
// live object already went through it. Without the CRD's schema (not given) nothing changes.
import { applyStructuralSchema, schemaFor } from '../crd-schema.ts';
import type { Normalizer } from './types.ts';

export const customResourceNormalizer: Normalizer = {
  name: 'crd-schema-defaults',
  normalize(desired, _live, ctx) {
    const schema = schemaFor(desired, ctx.opts.crdSchemas);
    if (schema) applyStructuralSchema(desired, schema);
  },
};
