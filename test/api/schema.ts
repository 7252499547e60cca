// A small JSON Schema checker for the subset the OpenAPI document uses ($ref, type, const, enum,
// properties, required, additionalProperties, propertyNames, items, anyOf, numeric and string
// bounds, pattern, format date-time). Unknown keywords fail loudly, so the document cannot use a
// keyword this checker would silently ignore.
type Schema = { [key: string]: unknown };

const IGNORED = new Set(['description', 'default', 'example', 'title']);
const KNOWN = new Set([
  '$ref',
  'type',
  'const',
  'enum',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'anyOf',
  'minimum',
  'maximum',
  'minLength',
  'pattern',
  'format',
]);
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

function typeMatches(v: unknown, type: string): boolean {
  const actual = typeOf(v);
  return actual === type || (type === 'number' && actual === 'integer');
}

export class SchemaChecker {
  constructor(private readonly root: Schema) {}

  /** Resolves `#/a/b/c` inside the document. */
  resolve(ref: string): Schema {
    let node: unknown = this.root;
    for (const part of ref.replace(/^#\//, '').split('/')) {
      node = isSchema(node) ? node[part] : undefined;
    }
    if (!isSchema(node)) throw new Error(`unresolvable $ref ${ref}`);
    return node;
  }

  /** Error messages (empty when `value` conforms). */
  check(schema: Schema, value: unknown, at = '$'): string[] {
    const errors: string[] = [];
    for (const key of Object.keys(schema)) {
      if (!KNOWN.has(key) && !IGNORED.has(key))
        errors.push(`${at}: schema uses unsupported keyword '${key}'`);
    }
    if (typeof schema['$ref'] === 'string')
      return [...errors, ...this.check(this.resolve(schema['$ref']), value, at)];
    errors.push(...this.checkScalar(schema, value, at));
    if (Array.isArray(schema['anyOf'])) {
      const branches = schema['anyOf'].filter(isSchema);
      if (!branches.some((b) => this.check(b, value, at).length === 0))
        errors.push(`${at}: matches none of anyOf`);
    }
    if (isSchema(value)) errors.push(...this.checkObject(schema, value, at));
    if (Array.isArray(value) && isSchema(schema['items'])) {
      const items = schema['items'];
      value.forEach((item, i) => errors.push(...this.check(items, item, `${at}[${i}]`)));
    }
    return errors;
  }

  private checkScalar(schema: Schema, value: unknown, at: string): string[] {
    const errors: string[] = [];
    const type = schema['type'];
    const types = typeof type === 'string' ? [type] : Array.isArray(type) ? type.map(String) : [];
    if (types.length > 0 && !types.some((t) => typeMatches(value, t))) {
      errors.push(`${at}: expected ${types.join('|')}, got ${typeOf(value)} ${JSON.stringify(value)}`);
    }
    if ('const' in schema && value !== schema['const'])
      errors.push(`${at}: expected ${JSON.stringify(schema['const'])}`);
    if (Array.isArray(schema['enum']) && !schema['enum'].includes(value)) {
      errors.push(`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema['enum'])}`);
    }
    if (typeof value === 'number') {
      if (typeof schema['minimum'] === 'number' && value < schema['minimum'])
        errors.push(`${at}: ${value} < minimum`);
      if (typeof schema['maximum'] === 'number' && value > schema['maximum'])
        errors.push(`${at}: ${value} > maximum`);
    }
    if (typeof value === 'string') {
      if (typeof schema['minLength'] === 'number' && value.length < schema['minLength'])
        errors.push(`${at}: too short`);
      if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) {
        errors.push(`${at}: ${JSON.stringify(value)} does not match ${schema['pattern']}`);
      }
      if (schema['format'] === 'date-time' && !(DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)))) {
        errors.push(`${at}: ${JSON.stringify(value)} is not an RFC 3339 date-time`);
      }
    }
    return errors;
  }

  private checkObject(schema: Schema, value: Schema, at: string): string[] {
    const errors: string[] = [];
    const properties = isSchema(schema['properties']) ? schema['properties'] : {};
    if (Array.isArray(schema['required'])) {
      for (const name of schema['required']) {
        if (!(String(name) in value)) errors.push(`${at}: missing required '${String(name)}'`);
      }
    }
    for (const [key, v] of Object.entries(value)) {
      const property = properties[key];
      if (isSchema(property)) {
        errors.push(...this.check(property, v, `${at}.${key}`));
        continue;
      }
      if (isSchema(schema['propertyNames']))
        errors.push(...this.check(schema['propertyNames'], key, `${at}{${key}}`));
      const extra = schema['additionalProperties'];
      if (extra === false) errors.push(`${at}: unexpected property '${key}'`);
      else if (isSchema(extra)) errors.push(...this.check(extra, v, `${at}.${key}`));
    }
    return errors;
  }
}
