// JSON Schema validation of answers against the OpenAPI document, with ajv (draft 2020-12, the
// dialect of OpenAPI 3.1). The whole document is added once so `#/components/...` refs resolve;
// ajv's strict mode rejects a keyword it does not know, so the document cannot use one that would
// be silently ignored. Errors are spelled the way the suite's assertions read them.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

type Schema = { [key: string]: unknown };

const DOC_ID = 'openapi';
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** `/drift_records/0/severity` -> `$.drift_records[0].severity`. */
function location(instancePath: string): string {
  return (
    '$' +
    instancePath
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
      .join('')
  );
}

function describeError(e: ErrorObject): string {
  const at = location(e.instancePath);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${at}: missing required '${String(params['missingProperty'])}'`;
    case 'additionalProperties':
      return `${at}: unexpected property '${String(params['additionalProperty'])}'`;
    case 'anyOf':
      return `${at}: matches none of anyOf`;
    case 'type':
      return `${at}: expected ${String(params['type'])}, got ${typeOf(e.data)} ${JSON.stringify(e.data)}`;
    case 'format':
      return params['format'] === 'date-time'
        ? `${at}: ${JSON.stringify(e.data)} is not an RFC 3339 date-time`
        : `${at}: ${JSON.stringify(e.data)} is not a ${String(params['format'])}`;
    default:
      return `${at}: ${e.message ?? e.keyword}`;
  }
}

export class SchemaChecker {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly root: Schema) {
    this.ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true });
    this.ajv.addFormat('date-time', (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)));
    // The document's own keywords are not JSON Schema; ajv walks into `components` and `paths`
    // for refs and sees these as unknown keywords of the root.
    for (const keyword of ['openapi', 'info', 'servers', 'tags', 'paths', 'components'])
      this.ajv.addKeyword({ keyword });
    this.ajv.addSchema({ ...root, $id: DOC_ID }, DOC_ID);
  }

  /** Resolves `#/a/b/c` inside the document. */
  resolve(ref: string): Schema {
    let node: unknown = this.root;
    for (const part of ref.replace(/^#\//, '').split('/')) {
      node = isSchema(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    }
    if (!isSchema(node)) throw new Error(`unresolvable $ref ${ref}`);
    return node;
  }

  /** Error messages (empty when `value` conforms). `schema` is a schema of the document. */
  check(schema: Schema, value: unknown): string[] {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      // Refs in the document are relative to it; compile this schema as if it sat in the document.
      validate = this.ajv.compile(rebase(schema) as Schema);
      this.compiled.set(key, validate);
    }
    if (validate(value)) return [];
    return [...new Set((validate.errors ?? []).map(describeError))];
  }
}

/** `#/components/...` refs made absolute (`openapi#/components/...`) for a schema outside the document. */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase);
  if (!isSchema(node)) return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${DOC_ID}${v}` : rebase(v),
    ]),
  );
}
