// JavaScript SDK for weft plugins: the same Plugin shape as the Rust SDK.
//
//   import { info, Invalid, withHeader } from '@weft/sdk';
//   export default {
//     describe() {
//       return info('echo', '0.1.0', 'transform').summary('passes messages on')
//         .accepts(['*']).emits(['*']).build();
//     },
//     process(msg) { return [withHeader(msg, 'seen-by', 'echo')]; },
//   };
//
// `process` returns an array of messages or throws `Invalid` (never
// processable: dead-lettered) or `Retryable` (the host retries); anything
// else thrown traps the call. `bin/build.js` makes the component.
export { Decimal } from './decimal.js';
export * as host from './host.js';
export { parseJson, JsonError, JsonNumber } from './json.js';
export { clip, controlsToSpaces, escapeControls } from './text.js';
export * as documents from './documents.js';

/** Content type of canonical JSON documents. */
export const JSON_TYPE = 'application/json';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Why a plugin could not process a message; throw a subclass. */
export class PluginError extends Error {
  constructor(reason) {
    super(String(reason));
    this.reason = String(reason);
  }
  /** The error as the WIT `plugin-error` variant. */
  get payload() {
    return { tag: this.kind, val: this.reason };
  }
  /** The same error with `place` before an `invalid` reason. */
  prefixed(place) {
    return this instanceof Invalid && place ? new Invalid(place + this.reason) : this;
  }
}

/** The message can never be processed as it is: dead-lettered at once. */
export class Invalid extends PluginError {
  get kind() { return 'invalid'; }
}

/** Processing may succeed later: the host retries with backoff. */
export class Retryable extends PluginError {
  get kind() { return 'retryable'; }
}

/** Starts the plugin info `describe()` returns. */
export function info(name, version, role) {
  if (!['source', 'transform', 'sink'].includes(role)) {
    throw new TypeError(`role must be source, transform or sink, not ${role}`);
  }
  const i = { name, version, role, summary: '', accepts: [], emits: [] };
  const b = {
    summary(s) { i.summary = s; return b; },
    accepts(k) { i.accepts = [...k]; return b; },
    emits(k) { i.emits = [...k]; return b; },
    build() { return { ...i, accepts: [...i.accepts], emits: [...i.emits] }; },
  };
  return b;
}

/** A message whose payload is `doc` as UTF-8 JSON. Money must already be
 * decimal strings (`Decimal#money()`), never numbers. */
export function jsonMessage(id, correlationId, kind, doc) {
  return {
    id, correlationId, kind, contentType: JSON_TYPE, headers: [],
    payload: encoder.encode(JSON.stringify(doc)),
  };
}

/** The payload as text; throws `Invalid` when it is not UTF-8. */
export function payloadText(msg) {
  try {
    return decoder.decode(msg.payload);
  } catch {
    throw new Invalid(`payload of message \`${msg.id}\` is not UTF-8`);
  }
}

/** The first value of header `name` (case-insensitive), or undefined. */
export function header(msg, name) {
  const n = name.toLowerCase();
  const h = msg.headers.find(([k]) => k.toLowerCase() === n);
  return h ? h[1] : undefined;
}

/** `msg` with header `name` set to `value` (earlier values replaced). */
export function withHeader(msg, name, value) {
  const n = name.toLowerCase();
  return { ...msg, headers: [...msg.headers.filter(([k]) => k.toLowerCase() !== n), [n, value]] };
}
