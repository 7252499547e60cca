// Spelling differences that are the same value to the API server:
// - label/annotation/selector/ConfigMap values written as YAML numbers or booleans are strings;
// - int-or-string ports ("8080" vs 8080);
// - resource quantities (`1000m` = `1`, `1Gi` = `1024Mi`), compared as exact canonical decimals.
import type { JsonObject, JsonValue } from '../../types.ts';
import { isObject } from '../json.ts';
import { canonicalQuantity } from '../quantity.ts';
import { eachSide } from './types.ts';

const STRING_MAPS = new Set(['labels', 'annotations', 'matchLabels', 'nodeSelector']);
const PORT_KEYS = new Set(['containerPort', 'port', 'targetPort', 'nodePort', 'hostPort']);
const QUANTITY_MAPS = new Set(['requests', 'limits', 'hard', 'capacity', 'overhead']);
const QUANTITY_KEYS = new Set(['sizeLimit', 'averageValue', 'divisor']);

function toStr(v: JsonValue): JsonValue {
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
}

function quantity(v: JsonValue): JsonValue {
  if (typeof v !== 'string' && typeof v !== 'number') return v;
  return canonicalQuantity(v) ?? v;
}

function walk(node: JsonValue, parentKey: string): void {
  if (Array.isArray(node)) {
    for (const x of node) walk(x, parentKey);
    return;
  }
  if (!isObject(node)) return;
  const o: JsonObject = node;
  for (const [k, v] of Object.entries(o)) {
    // Top-level `data` is opaque text (a ConfigMap value `port: "08080"` is not `8080`); see below.
    if (parentKey === '' && (k === 'data' || k === 'binaryData')) continue;
    if (STRING_MAPS.has(k) && isObject(v)) {
      for (const [lk, lv] of Object.entries(v)) v[lk] = toStr(lv);
      continue;
    }
    if (QUANTITY_MAPS.has(k) && isObject(v)) {
      for (const [qk, qv] of Object.entries(v)) v[qk] = quantity(qv);
      continue;
    }
    if (QUANTITY_KEYS.has(k) || (k === 'value' && parentKey === 'target')) {
      o[k] = quantity(v);
      continue;
    }
    if (PORT_KEYS.has(k) && typeof v === 'string' && /^\d+$/.test(v)) {
      o[k] = Number(v);
      continue;
    }
    // Env var values are strings in the API; a YAML `value: 8080` means "8080".
    if (k === 'value' && parentKey === 'env') {
      o[k] = toStr(v);
      continue;
    }
    walk(v, k);
  }
}

export const scalarsNormalizer = eachSide('scalar-spellings', (o) => {
  walk(o, '');
  const spec = o['spec'];
  // A Service selector is a plain map of label values.
  if (o.kind === 'Service' && isObject(spec) && isObject(spec['selector'])) {
    for (const [k, v] of Object.entries(spec['selector'])) spec['selector'][k] = toStr(v);
  }
  if (o.kind === 'ConfigMap' && isObject(o['data'])) {
    for (const [k, v] of Object.entries(o['data'])) o['data'][k] = toStr(v);
  }
});
