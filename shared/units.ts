// Durations ("30s", "500ms", "2m", "1h30m", "7d") and byte sizes ("1mb", "512kb") as written in the
// agent's config file, DRIFTGUARD_* variables or a plugin flag (--request-timeout). A bare number is
// taken as milliseconds / bytes.

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Milliseconds, or null when the text is not a duration. */
export function parseDuration(input: unknown): number | null {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : null;
  if (typeof input !== 'string') return null;
  const text = input.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return null;
  let total = 0;
  for (const [, amount, unit] of parts) total += Number(amount) * (DURATION_UNITS[unit ?? ''] ?? Number.NaN);
  return Number.isFinite(total) ? Math.round(total) : null;
}

/** Bytes, or null when the text is not a size. */
export function parseSize(input: unknown): number | null {
  if (typeof input === 'number') return Number.isInteger(input) && input >= 0 ? input : null;
  if (typeof input !== 'string') return null;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(input.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * (SIZE_UNITS[(m[2] ?? 'b').toLowerCase()] ?? 1));
}
