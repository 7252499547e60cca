// A chart repository's credentials from a Secret (keys `username` and `password`), read when a fetch
// needs them with whatever kubeconfig the caller holds: the agent's service account, or the user's
// for `analyze --local`. Never kept beyond the fetch, never logged.
import type { KubeConfig } from '@kubernetes/client-node';
import { kubeGet } from '../../kube/rest.ts';
import { RenderError } from '../errors.ts';
import type { Credentials } from './repositories.ts';

function decoded(data: Record<string, unknown>, key: string): string | null {
  const v = data[key];
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : null;
}

/** Reads `username` and `password` of the repository's Secret (when a fetch needs them). */
export function secretCredentials(
  kc: KubeConfig,
  url: string,
  namespace: string,
  name: string,
): () => Promise<Credentials> {
  const where = `Secret ${namespace}/${name} (credentials of ${url})`;
  return async () => {
    const res = await kubeGet(
      kc,
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`,
    ).catch((err: Error) => {
      throw new RenderError('fetch', `${where}: cannot read it: ${err.message.split('\n')[0]}`);
    });
    if (res.status !== 200)
      throw new RenderError(
        'fetch',
        res.status === 404
          ? `${where} does not exist`
          : `${where}: the API server answered ${res.status} (reading it needs get on it)`,
      );
    const data = ((res.body as { data?: unknown } | null)?.data ?? {}) as Record<string, unknown>;
    const username = decoded(data, 'username');
    const password = decoded(data, 'password');
    if (username === null || password === null)
      throw new RenderError('fetch', `${where} needs the keys username and password`);
    return { username, password };
  };
}
