// The host imports (`weft:plugin/host`): log, config, lookup,
// nextSequence. Inside a component the build's entry module binds them to
// the host; run in Node (unit tests of the mapping code) they use a
// stand-in filled with setConfig / setLookup / setSequence, cleared by reset.
import { Invalid, Retryable } from './index.js';

let wit = null;
const stand = { config: new Map(), lookup: new Map(), seq: new Map() };

/** Used by the generated entry module: the component's host imports. */
export function _bind(imports) {
  wit = imports;
}

/** Log levels, as the WIT `log-level` enum names them. */
export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'];

/** Writes a log line into the host's log. */
export function log(level, message) {
  if (!LEVELS.includes(level)) throw new TypeError(`log level must be one of ${LEVELS.join(', ')}`);
  if (wit) wit.log(level, String(message));
  else console.error(`[${level}] ${message}`);
}

/** A per-deployment setting, undefined when unset. */
export function config(key) {
  return wit ? wit.config(key) : stand.config.get(key);
}

/** A setting read as a boolean; throws Invalid on anything but
 * true/false/1/0/yes/no/on/off, `fallback` when unset. */
export function configBool(key, fallback) {
  const v = config(key);
  if (v === undefined) return fallback;
  const t = v.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(t)) return true;
  if (['false', '0', 'no', 'off'].includes(t)) return false;
  throw new Invalid(`config \`${key}\`: expected true or false, got \`${t}\``);
}

/** The value under `key` in lookup table `table`, undefined if absent. */
export function lookup(table, key) {
  return wit ? wit.lookup(table, key) : stand.lookup.get(`${table}\u0000${key}`);
}

/** The next value (1n, 2n, …) of host counter `name`, as a BigInt; throws
 * Retryable when the host cannot reach its counter store. */
export function nextSequence(name) {
  if (wit) {
    try {
      return wit.nextSequence(name);
    } catch (e) {
      throw new Retryable(`counter \`${name}\` unavailable: ${e?.payload ?? e}`);
    }
  }
  const next = (stand.seq.get(name) ?? 0n) + 1n;
  stand.seq.set(name, next);
  return next;
}

/** Stand-in only: sets (or with undefined removes) a config value. */
export function setConfig(key, value) {
  if (value === undefined) stand.config.delete(key);
  else stand.config.set(key, value);
}

/** Stand-in only: sets a lookup entry. */
export function setLookup(table, key, value) {
  stand.lookup.set(`${table}\u0000${key}`, value);
}

/** Stand-in only: the next nextSequence(name) returns last + 1. */
export function setSequence(name, last) {
  stand.seq.set(name, BigInt(last));
}

/** Stand-in only: forgets every config value, lookup entry and counter. */
export function reset() {
  stand.config.clear();
  stand.lookup.clear();
  stand.seq.clear();
}
