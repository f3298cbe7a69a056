// Field names and values as they appear in violation messages, and the
// canonical decimal form (plugins/validate-order/src/fields.rs).
import { clip, JsonNumber } from '@weft/sdk';

/** A field's JSON-path-like name: `currency`, `lines[1].total`, `totals.tax`.
 * `scope` is '' (the document), `lines[i]` or `totals`. */
export function path(scope, key) {
  return scope ? `${scope}.${key}` : key;
}

/** Whether `s` has the canonical decimal form `-?[0-9]+(\.[0-9]+)?`. */
export function isDecimalText(s) {
  return /^-?[0-9]+(\.[0-9]+)?$/.test(s);
}

/** Whether `key` is set to something other than null. */
export function present(obj, key) {
  return Object.hasOwn(obj, key) && obj[key] !== null;
}

/** A stated amount as written in the document. */
export function shown(obj, key) {
  const v = obj[key];
  return q(typeof v === 'string' ? v : '?');
}

/** A value quoted in a message: at most 40 characters, controls escaped. */
export function q(s) {
  return clip(s, 40);
}

/** A JSON number as serde_json shows it: integers as written, others as
 * the shortest float text (`100.0`, `1.5`, `1e21`). */
export function numberText(n) {
  if (n instanceof JsonNumber && n.isInteger()) {
    const b = BigInt(n.text);
    if (b >= -(2n ** 63n) && b < 2n ** 64n) return b.toString();
  }
  let s = String(Number(n instanceof JsonNumber ? n.text : n));
  if (!/[.eE]/.test(s) && /^-?\d+$/.test(s)) s += '.0';
  return s.replace('e+', 'e');
}

/** A short description of an unexpected JSON value. */
export function describe(v) {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return `boolean ${v}`;
  if (v instanceof JsonNumber || typeof v === 'number') return `number ${numberText(v)}`;
  if (typeof v === 'string') return `string \`${q(v)}\``;
  if (Array.isArray(v)) return 'an array';
  return 'an object';
}

/** Whether `v` is a JSON object (not an array, null or number). */
export function isObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}
