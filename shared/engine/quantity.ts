// Kubernetes resource quantities (`500m`, `0.5`, `1Gi`, `1e3`) canonicalised to an exact decimal
// number of base units, so `1000m` = `1`, `1Gi` = `1024Mi` and `1000M` = `1G`. BigInt arithmetic
// (value = digits / 10^scale) keeps it exact: `0.1` + float rounding would make equal values differ.

const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE])|[eE]([+-]?\d+))?$/;

/** Canonical decimal text of a quantity (e.g. `0.5`, `1073741824`), or null if it is not one. */
export function canonicalQuantity(input: string | number): string | null {
  const text = typeof input === 'number' ? (Number.isFinite(input) ? String(input) : '') : input.trim();
  const m = QUANTITY.exec(text);
  if (!m) return null;
  const [, sign = '', num = '', bin, dec, exp] = m;
  const [intPart = '', fracPart = ''] = num.split('.');
  let digits = BigInt(intPart + fracPart || '0');
  let scale = fracPart.length; // value = digits * 10^-scale
  if (bin) digits *= BINARY[bin] ?? 1n;
  const e = dec !== undefined ? (DECIMAL[dec] ?? 0) : exp !== undefined ? Number(exp) : 0;
  if (Math.abs(e) > 1000) return null; // absurd exponents would build giant BigInts
  if (e >= 0) {
    const shift = Math.min(e, scale);
    scale -= shift;
    digits *= 10n ** BigInt(e - shift);
  } else scale -= e;
  if (digits === 0n) return '0';
  while (scale > 0 && digits % 10n === 0n) {
    digits /= 10n;
    scale--;
  }
  let s = digits.toString();
  if (scale > 0) {
    s = s.padStart(scale + 1, '0');
    s = `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
  }
  return sign === '-' ? `-${s}` : s;
}

export function quantitiesEqual(a: string | number, b: string | number): boolean {
  const ca = canonicalQuantity(a);
  return ca !== null && ca === canonicalQuantity(b);
}
