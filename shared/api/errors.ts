// The one API error: the agent throws it to answer `{"error": message}` with `status`; the client
// throws it for an answer that is not a success (`status` the HTTP status) or for no answer at all
// (`status` null: unreachable, timed out).
export class ApiError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
