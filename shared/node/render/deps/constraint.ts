// Helm's version constraints (Masterminds/semver, as Chart.yaml `dependencies[].version` uses them):
// `1.2.3`, `>= 1.2, < 2`, `^1.2`, `~1.2.3`, `1.x`, `*`, `1.0 - 1.4`, alternatives with `||`. Pure:
// picks the highest version a repository offers that satisfies the constraint, the way
// `helm dependency update` does (pre-releases only when the constraint names one).

interface Version {
  major: number;
  minor: number;
  patch: number;
  pre: string;
}

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseVersion(text: string): Version | null {
  const m = VERSION.exec(text.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), pre: m[4] ?? '' };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn && Number(p) !== Number(q)) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || comparePre(a.pre, b.pre);
}

type Check = (v: Version) => boolean;

/** A partial version (`1`, `1.2`, `1.x`, `*`): which parts were given. */
function partial(text: string): { v: Version; parts: number } | null {
  const t = text.trim().replace(/^v/, '');
  if (t === '' || t === '*' || /^[xX]$/.test(t))
    return { v: { major: 0, minor: 0, patch: 0, pre: '' }, parts: 0 };
  const segs = t.split('-')[0]?.split('.') ?? [];
  let parts = 0;
  for (const s of segs) {
    if (/^[xX*]$/.test(s)) break;
    if (!/^\d+$/.test(s)) return null;
    parts++;
  }
  const v = parseVersion(
    segs.slice(0, parts).join('.') + (t.includes('-') ? t.slice(t.indexOf('-')) : '') || '0',
  );
  return v ? { v, parts } : null;
}

const cmp = (a: Version, b: Version): number => compareVersions(a, b);
const at = (major: number, minor = 0, patch = 0): Version => ({ major, minor, patch, pre: '' });

/** The upper bound of a partial version: `1.2` → below 1.3.0, `1` → below 2.0.0. */
function nextOf(v: Version, parts: number): Version | null {
  if (parts === 0) return null;
  if (parts === 1) return at(v.major + 1);
  return at(v.major, v.minor + 1);
}

function single(term: string): Check | null {
  const m = /^(\^|~>?|>=|<=|>|<|=|!=)?\s*(.+)$/.exec(term.trim());
  if (!m?.[2]) return null;
  const op = m[1] ?? '';
  const p = partial(m[2]);
  if (!p) return null;
  const { v, parts } = p;
  const upper = nextOf(v, parts);
  switch (op) {
    case '':
    case '=':
      if (parts === 3) return (x) => cmp(x, v) === 0;
      return (x) => cmp(x, v) >= 0 && (upper === null || cmp(x, upper) < 0);
    case '!=':
      return (x) => cmp(x, v) !== 0;
    case '>':
      return parts === 3 || upper === null ? (x) => cmp(x, v) > 0 : (x) => cmp(x, upper) >= 0;
    case '>=':
      return (x) => cmp(x, v) >= 0;
    case '<':
      return (x) => cmp(x, v) < 0;
    case '<=':
      return parts === 3 || upper === null ? (x) => cmp(x, v) <= 0 : (x) => cmp(x, upper) < 0;
    case '^': {
      // Masterminds: ^1.2.3 < 2.0.0; ^0.2.3 < 0.3.0; ^0.0.3 < 0.0.4.
      const hi =
        v.major > 0 || parts <= 1
          ? at(v.major + 1)
          : v.minor > 0 || parts === 2
            ? at(0, v.minor + 1)
            : at(0, 0, v.patch + 1);
      return (x) => cmp(x, v) >= 0 && cmp(x, hi) < 0;
    }
    default: {
      // ~1.2.3 and ~1.2 < 1.3.0; ~1 < 2.0.0.
      const hi = parts <= 1 ? at(v.major + 1) : at(v.major, v.minor + 1);
      return (x) => cmp(x, v) >= 0 && cmp(x, hi) < 0;
    }
  }
}

/** One `||` alternative: terms joined by commas or spaces, or a hyphen range `a - b`. */
function conjunction(text: string): Check[] | null {
  const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(text);
  if (hyphen?.[1] && hyphen[2]) {
    const lo = single(`>=${hyphen[1]}`);
    const hi = single(`<=${hyphen[2]}`);
    return lo && hi ? [lo, hi] : null;
  }
  const terms = text
    .replace(/(\^|~>?|>=|<=|!=|>|<|=)\s+/g, '$1')
    .split(/[\s,]+/)
    .filter((t) => t !== '');
  const checks = (terms.length > 0 ? terms : ['*']).map(single);
  return checks.every((c): c is Check => c !== null) ? checks : null;
}

export interface Constraint {
  text: string;
  /** Pre-releases match only when the constraint itself names one (as in Masterminds). */
  allowsPre: boolean;
  test(v: Version): boolean;
}

/** Parses a constraint; null when it is not one (the caller says which dependency). */
export function parseConstraint(text: string): Constraint | null {
  const alts = text.split('||').map(conjunction);
  if (alts.some((a) => a === null)) return null;
  const groups = alts as Check[][];
  return {
    text,
    allowsPre: /-[0-9A-Za-z]/.test(text.replace(/\s-\s/g, ' ')),
    test: (v) => groups.some((g) => g.every((c) => c(v))),
  };
}

/** The highest of `versions` the constraint allows, or null. */
export function highestMatch(constraint: Constraint, versions: string[]): string | null {
  let best: { text: string; v: Version } | null = null;
  for (const text of versions) {
    const v = parseVersion(text);
    if (!v || (v.pre !== '' && !constraint.allowsPre) || !constraint.test(v)) continue;
    if (!best || compareVersions(v, best.v) > 0) best = { text, v };
  }
  return best?.text ?? null;
}
