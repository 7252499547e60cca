// Entry point of `kubectl driftguard ui`: mounts the drift browser and resolves when the user quits.
// A .ts file (createElement, no JSX) so the CLI can import `plugin/ui/index.ts` by that name.
import { render } from 'ink';
import { createElement } from 'react';
import type { DriftActions } from '../act/actions.ts';
import type { UiClient } from './client.ts';
import { App } from './views/app.tsx';

export type { UiClient } from './client.ts';

export interface RunUiOptions {
  client: UiClient;
  namespace?: string;
  /** A cluster name, or `*` for every cluster (agents sharing the agent's database). */
  cluster?: string;
  refreshMs?: number;
  actions?: DriftActions;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

export async function runUi(opts: RunUiOptions): Promise<void> {
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  // Ink needs raw keyboard input: without a terminal it would crash, so refuse with a reason instead.
  if (!stdin.isTTY || !stdout.isTTY) {
    throw new Error(
      'the drift browser needs an interactive terminal (stdin and stdout must be TTYs); use `kubectl driftguard status` instead',
    );
  }
  const app = render(
    createElement(App, {
      client: opts.client,
      namespace: opts.namespace,
      cluster: opts.cluster,
      refreshMs: opts.refreshMs,
      actions: opts.actions,
    }),
    {
      stdin,
      stdout,
      exitOnCtrlC: true,
      alternateScreen: true,
      // Both ends are terminals (checked above): a CI variable in the environment must not turn the
      // browser into a one-frame printout, as Ink's own CI detection would.
      interactive: true,
    },
  );
  await app.waitUntilExit();
}
