// Types of the weft JavaScript SDK (`@weft/sdk`). The contract's own types
// (generated from wit/plugin.wit by `node bin/types.js`) are in
// ../types/<world>/; Message, PluginInfo and Role below are those.
/// <reference path="../types/transform/interfaces/weft-plugin-types.d.ts" />
/// <reference path="../types/transform/interfaces/weft-plugin-host.d.ts" />
import type { Message, PluginInfo, Role } from 'weft:plugin/types@0.1.0';

export type { Message, PluginInfo, Role };

/** What a plugin module exports as `default`. */
export interface Plugin {
  /** Static facts about the plugin; must not depend on the input. */
  describe(): PluginInfo;
  /** One message in, zero or more out; throw Invalid or Retryable to fail it. */
  process(msg: Message): Message[];
}

/** Content type of canonical JSON documents. */
export const JSON_TYPE: 'application/json';

/** Why a plugin could not process a message. */
export class PluginError extends Error {
  constructor(reason: string);
  readonly reason: string;
  readonly kind: 'invalid' | 'retryable';
  readonly payload: { tag: 'invalid' | 'retryable'; val: string };
  prefixed(place: string): PluginError;
}
/** Never processable as it is: dead-lettered at once. */
export class Invalid extends PluginError {}
/** May succeed later: the host retries with backoff. */
export class Retryable extends PluginError {}

export interface InfoBuilder {
  summary(s: string): InfoBuilder;
  accepts(kinds: string[]): InfoBuilder;
  emits(kinds: string[]): InfoBuilder;
  build(): PluginInfo;
}
/** Starts the plugin info `describe()` returns. */
export function info(name: string, version: string, role: Role): InfoBuilder;
/** A message whose payload is `doc` as UTF-8 JSON (money as decimal strings). */
export function jsonMessage(id: string, correlationId: string, kind: string, doc: unknown): Message;
/** The payload as text; throws Invalid when it is not UTF-8. */
export function payloadText(msg: Message): string;
/** The first value of header `name` (case-insensitive). */
export function header(msg: Message, name: string): string | undefined;
/** `msg` with header `name` set to `value`. */
export function withHeader(msg: Message, name: string, value: string): Message;

/** Exact decimal arithmetic for money and quantities (never floats). */
export class Decimal {
  constructor(coef: bigint, scale: number);
  readonly coef: bigint;
  readonly scale: number;
  static parse(s: unknown): Decimal | null;
  static of(v: Decimal | bigint | number | string): Decimal | null;
  static zero(): Decimal;
  add(o: Decimal): Decimal;
  sub(o: Decimal): Decimal;
  mul(o: Decimal): Decimal;
  neg(): Decimal;
  abs(): Decimal;
  cmp(o: Decimal): -1 | 0 | 1;
  isZero(): boolean;
  isNegative(): boolean;
  fits(): boolean;
  checkedAdd(o: Decimal): Decimal | null;
  checkedSub(o: Decimal): Decimal | null;
  checkedMul(o: Decimal): Decimal | null;
  roundDp(dp: number): Decimal;
  normalize(): Decimal;
  format(minScale: number): string;
  /** "199.00", "3.345" */
  money(): string;
  /** "2" */
  qty(): string;
  toString(): string;
  toJSON(): string;
}

/** A JSON number kept as written. */
export class JsonNumber {
  constructor(text: string);
  readonly text: string;
  isInteger(): boolean;
}
/** A document that is not JSON; `message` has the serde_json-style reason. */
export class JsonError extends Error {}
/** Parses JSON; with exactNumbers numbers are JsonNumber, never floats. */
export function parseJson(text: string, options?: { exactNumbers?: boolean }): unknown;

export function escapeControls(s: string): string;
export function controlsToSpaces(s: string): string;
export function clip(s: string, max: number): string;

/** The host imports. */
export namespace host {
  type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
  function log(level: LogLevel, message: string): void;
  function config(key: string): string | undefined;
  function configBool(key: string, fallback: boolean): boolean;
  function lookup(table: string, key: string): string | undefined;
  function nextSequence(name: string): bigint;
  /** Stand-ins for unit tests in Node. */
  function setConfig(key: string, value: string | undefined): void;
  function setLookup(table: string, key: string, value: string): void;
  function setSequence(name: string, last: number | bigint): void;
  function reset(): void;
}

/** Canonical documents written in the Rust SDK's field order. */
export namespace documents {
  const ORDER_SCHEMA: 'weft.order/1';
  const SHIPMENT_SCHEMA: 'weft.shipment/1';
  const RETURN_SCHEMA: 'weft.return/1';
  const CREDIT_SCHEMA: 'weft.credit/1';
  const INVOICE_SCHEMA: 'weft.invoice/1';
  const kinds: {
    ORDER_CREATED: 'order.created';
    ORDER_UPDATED: 'order.updated';
    ORDER_CANCELLED: 'order.cancelled';
    SHIPMENT_DISPATCHED: 'shipment.dispatched';
    RETURN_COMPLETED: 'return.completed';
    CREDIT_ISSUED: 'credit.issued';
    INVOICE_POSTED: 'invoice.posted';
  };
  type Doc = Record<string, unknown>;
  function address(a?: Doc): Doc | null;
  function customer(c?: Doc): Doc | null;
  function orderLine(l: Doc & { line_id: string; quantity: string }): Doc;
  function totals(t?: Doc): Doc;
  function order(o: Doc & { order_id: string; channel: string; correlation_id: string; purpose: string }): Doc;
  function shipment(s: Doc & { shipment_id: string; channel: string; correlation_id: string }): Doc;
  function party(p: Doc & { role: string }): Doc;
  function charge(c: Doc & { kind: 'charge' | 'allowance' | string }): Doc;
  function terms(t?: Doc): Doc | null;
  function invoiceLine(l: Doc & { line_id: string; quantity: string }): Doc;
  function invoiceTotals(t?: Doc): Doc;
  function invoice(i: Doc & { invoice_id: string; channel: string; correlation_id: string }): Doc;
}
