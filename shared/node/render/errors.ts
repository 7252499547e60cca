// Why a source could not be rendered. `stage` says where it failed (the path, the safety checks,
// the tool itself), so the agent can report it and the plugin can print it as one clear line.
// `fetch`: a chart dependency could not be fetched (repository unreachable, refused credentials, a
// Secret missing): worth trying again while the commit stays the same, unlike the others.
export type RenderStage = 'path' | 'safety' | 'tool' | 'timeout' | 'output' | 'parse' | 'fetch';

export class RenderError extends Error {
  constructor(
    readonly stage: RenderStage,
    message: string,
    /** For tool failures: the tool's exit code. */
    readonly exitCode: number | null = null,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}
