// One watch request (`?watch=true`): newline-delimited JSON events read straight off an HTTP/1.1
// response, with the kubeconfig's credentials, as rest.ts sends every other request. Not
// client-node's Watch: that one goes through undici's fetch, which speaks HTTP/2 to kube-apiserver,
// and hands the body on through a web stream, a Node stream and readline. Over HTTP/2 the server
// may only send what the client's flow-control window allows, and the window reopens only as the
// client's event loop reads: measured on 10,000 objects (4 kinds' watch-list), with the event loop
// busy 20 of every 40 ms as an agent's is at start (Git load, record cache), the initial state took
// 2.7–8.9 s that way against 1.7–2.5 s here (TCP's socket buffers keep the server writing meanwhile),
// and ~40 % less of the client's CPU. The answer is asked for uncompressed (a gzip writer per flush
// costs the server more than the bytes it saves on a cluster-internal link).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { clusterUrl, parsedBody, refusedBy, unreachable } from './rest.ts';

/** A watch under way; abort() ends it (its `done` then gets an error named AbortError). */
export interface WatchRequest {
  abort(): void;
}

/** Each event as the server sent it: its type (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR) and object. */
export type WatchEventHandler = (type: string, object: unknown) => void;

export interface WatchOptions {
  /** No byte for this long ends the watch with an error named TimeoutError (default 30 s, as client-node). */
  idleTimeoutMs?: number;
}

/** Splits a byte stream into its lines (without the newline); a line may span chunks. */
export class LineSplitter {
  private pending: Buffer[] = [];

  push(chunk: Buffer, line: (text: string) => void): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      const text =
        this.pending.length === 0
          ? chunk.toString('utf8', start, nl)
          : Buffer.concat([...this.pending, chunk.subarray(start, nl)]).toString('utf8');
      this.pending = [];
      start = nl + 1;
      line(text);
    }
    if (start < chunk.length) this.pending.push(start === 0 ? chunk : chunk.subarray(start));
  }

  /** The text after the last newline, when the stream ends without one. */
  end(line: (text: string) => void): void {
    if (this.pending.length > 0) line(Buffer.concat(this.pending).toString('utf8'));
    this.pending = [];
  }
}

function namedError(name: 'AbortError' | 'TimeoutError', message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/**
 * Opens the watch of `path` with `query` (`watch=true` is added). Resolves once the server has
 * answered: a 200 starts the events; any other answer calls `done` with a KubeApiError (status
 * and the server's message). `done` is called once: null when the server ended the watch, else the
 * error that ended it. A line that is not an event is skipped, as client-node's Watch skips it.
 */
export async function openWatch(
  kc: KubeConfig,
  path: string,
  query: Readonly<Record<string, string | boolean>>,
  onEvent: WatchEventHandler,
  done: (err: Error | null) => void,
  opts: WatchOptions = {},
): Promise<WatchRequest> {
  const { url, server } = clusterUrl(kc, path);
  url.searchParams.set('watch', 'true');
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
  const options: RequestOptions = {
    method: 'GET',
    headers: { accept: 'application/json', 'accept-encoding': 'identity' },
  };
  await kc.applyToHTTPSOptions(options);
  const idleMs = opts.idleTimeoutMs ?? 30_000;
  let ended = false;
  const finish = (err: Error | null): void => {
    if (ended) return;
    ended = true;
    done(err);
  };
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise<WatchRequest>((resolve) => {
    let responded = false;
    const req = send(url, options, (res) => {
      responded = true;
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        // Told before the request resolves, as client-node's Watch does.
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', () => undefined);
        res.on('close', () => {
          finish(refusedBy(status, parsedBody(Buffer.concat(chunks).toString('utf8'))));
          resolve(handle);
        });
        return;
      }
      const lines = new LineSplitter();
      const event = (text: string): void => {
        let parsed: { type?: unknown; object?: unknown } | null;
        try {
          parsed = JSON.parse(text) as { type?: unknown; object?: unknown } | null;
        } catch {
          return;
        }
        if (typeof parsed?.type === 'string') onEvent(parsed.type, parsed.object);
      };
      res.on('data', (chunk: Buffer) => {
        if (!ended) lines.push(chunk, event);
      });
      res.on('end', () => {
        if (!ended) lines.end(event);
        finish(null);
      });
      res.on('error', (err) => finish(err));
      // Closed before its end (the connection dropped): not a normal end.
      res.on('close', () => finish(new Error('the watch connection closed before the end of its answer')));
      resolve(handle);
    });
    const handle: WatchRequest = {
      abort: () => {
        finish(namedError('AbortError', 'watch aborted'));
        req.destroy();
      },
    };
    req.setTimeout(idleMs, () => {
      finish(namedError('TimeoutError', `no data from the watch in ${idleMs / 1000}s`));
      req.destroy();
    });
    req.on('error', (err) => {
      finish(responded ? err : unreachable(server, err));
      resolve(handle);
    });
    req.end();
  });
}
