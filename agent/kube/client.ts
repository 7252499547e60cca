// Kubernetes access: the KubeConfig from a file, the default chain or the in-cluster service
// account, and a raw JSON GET (lists must stay plain JSON, the same shape watch events have).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubernetesConfig } from '../config/schema.ts';

export function loadKubeConfig(config: KubernetesConfig): KubeConfig {
  const kc = new KubeConfig();
  if (config.in_cluster) kc.loadFromCluster();
  else if (config.kubeconfig) kc.loadFromFile(config.kubeconfig);
  else kc.loadFromDefault();
  if (config.context) {
    // setCurrentContext accepts a name that does not exist, so check it here.
    if (!kc.getContexts().some((c) => c.name === config.context)) {
      throw new Error(
        `kubernetes.context: no context named ${JSON.stringify(config.context)} in the kubeconfig (have: ${kc
          .getContexts()
          .map((c) => c.name)
          .join(', ')})`,
      );
    }
    kc.setCurrentContext(config.context);
  }
  if (!kc.getCurrentCluster()) throw new Error('kubernetes: the kubeconfig names no current cluster');
  return kc;
}

export class KubeHttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** GET `path` (with query) from the API server and parse the JSON body. */
export async function getJson(kc: KubeConfig, path: string, timeoutMs = 30_000): Promise<unknown> {
  const server = kc.getCurrentCluster()?.server ?? '';
  const url = new URL(server + path);
  const opts: RequestOptions = { method: 'GET', headers: { accept: 'application/json' }, timeout: timeoutMs };
  await kc.applyToHTTPSOptions(opts);
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          reject(new KubeHttpError(status, `GET ${url.pathname}: HTTP ${status} ${text.slice(0, 300)}`));
          return;
        }
        try {
          resolve(JSON.parse(text) as unknown);
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url.pathname}: timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
