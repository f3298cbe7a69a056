// weft transform `validate-order`, in JavaScript: the port of
// plugins/validate-order (Rust), passing the same case folder. It checks a
// canonical weft.order/1 document and passes the message on unchanged
// (plus a `validated` header), or fails it with one reason listing every
// violation:
//
//   order shopify:450789469 has 1 violation: (1) totals.subtotal 398.00 ≠ Σ lines quantity × unit_price 597.00
//
// Amounts are decimal strings compared with exact decimal arithmetic
// within the `tolerance` setting (default 0.01); never floats.
import { Decimal, Invalid, info, controlsToSpaces, host, parseJson, payloadText, withHeader } from '@weft/sdk';
import { check, ORDER_SCHEMA } from './checks.js';
import { isObject } from './fields.js';

/** Header added to messages that pass. */
export const VALIDATED_HEADER = 'validated';
/** Config key of the amount tolerance. */
export const TOLERANCE_KEY = 'tolerance';
/** Tolerance when `tolerance` is not set. */
export const DEFAULT_TOLERANCE = '0.01';

export default {
  describe() {
    return info('validate-order', '0.1.0', 'transform')
      .summary('checks a canonical weft.order/1 (required fields, ISO 4217 currency, line and total arithmetic)')
      .accepts(['order.created', 'order.updated', 'order.cancelled'])
      .emits(['order.created', 'order.updated', 'order.cancelled'])
      .build();
  },

  process(msg) {
    const t = tolerance();
    const doc = orderObject(msg);
    const violations = check(doc, t);
    if (violations.length === 0) return [withHeader(msg, VALIDATED_HEADER, ORDER_SCHEMA)];
    const c = doc.correlation_id;
    const name =
      typeof c === 'string' && c.trim() !== '' ? c : msg.correlationId !== '' ? msg.correlationId : msg.id;
    throw new Invalid(report(name, violations));
  },
};

/** The payload as a JSON object, or Invalid with the Rust plugin's reason. */
function orderObject(msg) {
  const fail = (why) => new Invalid(`payload of message \`${msg.id}\` is not a ${ORDER_SCHEMA} object: ${why}`);
  let text;
  try {
    text = payloadText(msg);
  } catch {
    throw fail('invalid unicode code point at line 1 column 1');
  }
  let doc;
  try {
    doc = parseJson(text, { exactNumbers: true });
  } catch (e) {
    throw fail(e.message);
  }
  if (!isObject(doc)) throw fail(`invalid type: ${unexpected(doc)}, expected a map at line 1 column 1`);
  return doc;
}

/** serde's name of a value that is not a map. */
function unexpected(v) {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return `boolean \`${v}\``;
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (Array.isArray(v)) return 'sequence';
  return v.isInteger() ? `integer \`${v.text}\`` : `floating point \`${Number(v.text)}\``;
}

/** `order <name> has N violations: (1) …; (2) …`, on one line. */
export function report(name, violations) {
  const n = violations.length;
  const listed = violations.map((v, i) => `(${i + 1}) ${v}`).join('; ');
  return controlsToSpaces(`order ${name} has ${n} violation${n === 1 ? '' : 's'}: ${listed}`);
}

/** The `tolerance` setting: a non-negative decimal, 0.01 when unset. */
function tolerance() {
  const text = host.config(TOLERANCE_KEY) ?? DEFAULT_TOLERANCE;
  const t = Decimal.parse(text);
  if (t !== null && !t.isNegative()) return t;
  throw new Invalid(
    `config \`${TOLERANCE_KEY}\`: expected a non-negative decimal such as ${DEFAULT_TOLERANCE}, got \`${escapeDefault(text)}\``,
  );
}

/** Rust's `str::escape_default`: printable ASCII kept, quotes, backslash
 * and controls escaped, anything else as `\u{…}`. */
function escapeDefault(s) {
  let out = '';
  for (const c of s) {
    const o = c.codePointAt(0);
    if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (c === '\n') out += '\\n';
    else if (c === "'" || c === '"' || c === '\\') out += `\\${c}`;
    else if (o >= 0x20 && o < 0x7f) out += c;
    else out += `\\u{${o.toString(16)}}`;
  }
  return out;
}
