// Checks real answers of the server against agent/api/openapi.yaml: the response's path and
// method must be documented with that status, and its JSON body must match the schema.
// Answers for routes that do not exist (404) or the wrong method (405) must be Error bodies.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SchemaChecker } from './schema.ts';

type Node = { [key: string]: unknown };

const DOC_PATH = new URL('../../agent/api/openapi.yaml', import.meta.url);

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function child(node: unknown, key: string): Node | undefined {
  const v = isNode(node) ? node[key] : undefined;
  return isNode(v) ? v : undefined;
}

export class OpenApiDoc {
  readonly doc: Node;
  readonly checker: SchemaChecker;
  private readonly routes: { template: string; regexp: RegExp; params: number }[];

  constructor(text = readFileSync(DOC_PATH, 'utf8')) {
    const parsed: unknown = parse(text);
    if (!isNode(parsed)) throw new Error('OpenAPI document is not an object');
    this.doc = parsed;
    this.checker = new SchemaChecker(parsed);
    this.routes = Object.keys(child(parsed, 'paths') ?? {})
      .map((template) => ({
        template,
        regexp: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        params: (template.match(/\{/g) ?? []).length,
      }))
      // Literal paths (`/active`) win over templated ones (`/{resourceId}`), as in the router.
      .sort((a, b) => a.params - b.params);
  }

  /** The documented path template for a concrete request path, if any. */
  template(path: string): string | undefined {
    return this.routes.find((r) => r.regexp.test(path))?.template;
  }

  private deref(node: Node | undefined): Node | undefined {
    const ref = node?.['$ref'];
    return typeof ref === 'string' ? this.checker.resolve(ref) : node;
  }

  /** Problems with this answer (empty when it conforms to the document). */
  check(method: string, url: string, status: number, contentType: string, body: unknown): string[] {
    const path = new URL(url, 'http://x').pathname;
    const template = this.template(path);
    const operation = template
      ? child(child(child(this.doc, 'paths'), template), method.toLowerCase())
      : undefined;
    const where = `${method} ${path} -> ${status}`;
    if (!operation) {
      if (status === 404 || status === 405) return this.checkError(where, contentType, body);
      return [`${where}: not documented`];
    }
    const response = this.deref(child(child(operation, 'responses'), String(status)));
    if (!response) {
      if (status === 405 || status === 413) return this.checkError(where, contentType, body);
      return [`${where}: status not documented for ${method} ${template}`];
    }
    const content = child(response, 'content') ?? {};
    const mediaType = Object.keys(content).find((t) => contentType.startsWith(t));
    if (!mediaType)
      return [`${where}: content type ${contentType} not documented (${Object.keys(content).join(', ')})`];
    const schema = child(child(content, mediaType), 'schema');
    if (!schema || mediaType !== 'application/json') return [];
    return this.checker.check(schema, body).map((e) => `${where}: ${e}`);
  }

  private checkError(where: string, contentType: string, body: unknown): string[] {
    if (!contentType.startsWith('application/json'))
      return [`${where}: error answer is not JSON (${contentType})`];
    return this.checker.check({ $ref: '#/components/schemas/Error' }, body).map((e) => `${where}: ${e}`);
  }
}
