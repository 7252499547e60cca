// HTTP calls for the API suite. Every answer is checked against the OpenAPI document before the
// test sees it, so each test of behaviour is also a test of the published contract.
import { request as httpRequest } from 'node:http';
import { OpenApiDoc } from './openapi.ts';

export interface Answer {
  status: number;
  contentType: string;
  headers: Headers;
  body: unknown;
  text: string;
}

const doc = new OpenApiDoc();

export async function call(
  base: string,
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, { method, body: init.body, headers: init.headers });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  const body: unknown = contentType.startsWith('application/json') ? JSON.parse(text) : text;
  const problems = doc.check(method, path, res.status, contentType, body);
  if (problems.length > 0)
    throw new Error(`answer does not match the OpenAPI document:\n${problems.join('\n')}`);
  return { status: res.status, contentType, headers: res.headers, body, text };
}

/** A POST whose body arrives in chunks without Content-Length (the limit must hold anyway). */
export function postChunked(
  base: string,
  path: string,
  chunks: string[],
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    // The server may answer 413 and close before every chunk is written.
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}
