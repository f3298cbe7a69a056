// Canonical documents (schemas/): schema ids, message kinds and builders
// that write each document's fields in the Rust SDK's order and leave out
// what it leaves out (absent optional fields, empty maps), so a port gives
// the same bytes as the Rust connector. The host checks canonical outputs
// against schemas/ at run time, and `weft plugin test` does with a case
// folder. Money and quantities are decimal strings (Decimal#money(), #qty()).

export const ORDER_SCHEMA = 'weft.order/1';
export const SHIPMENT_SCHEMA = 'weft.shipment/1';
export const RETURN_SCHEMA = 'weft.return/1';
export const CREDIT_SCHEMA = 'weft.credit/1';
export const INVOICE_SCHEMA = 'weft.invoice/1';

export const kinds = Object.freeze({
  ORDER_CREATED: 'order.created',
  ORDER_UPDATED: 'order.updated',
  ORDER_CANCELLED: 'order.cancelled',
  SHIPMENT_DISPATCHED: 'shipment.dispatched',
  RETURN_COMPLETED: 'return.completed',
  CREDIT_ISSUED: 'credit.issued',
  INVOICE_POSTED: 'invoice.posted',
});

const empty = (v) =>
  v === undefined || v === null || (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

/** A document from [key, value, keep] in order: null/undefined and empty
 * arrays or objects are left out unless `keep`. */
function doc(fields) {
  const out = {};
  for (const [k, v, keep] of fields) if (keep || !empty(v)) out[k] = v === undefined ? null : v;
  return out;
}

const sorted = (m) => Object.fromEntries(Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** An address; null when every part is empty. */
export function address(a = {}) {
  const d = doc(['name', 'company', 'address_lines', 'city', 'region', 'postal_code', 'country', 'phone']
    .map((k) => [k, a[k], false]));
  return Object.keys(d).length ? d : null;
}

/** A customer; null when every part is empty. */
export function customer(c = {}) {
  const d = doc(['id', 'name', 'email', 'phone', 'erp_account'].map((k) => [k, c[k], false]));
  return Object.keys(d).length ? d : null;
}

/** A weft.order/1 line (`sku` is always written, null when unknown). */
export function orderLine(l) {
  return doc([
    ['line_id', l.line_id, true], ['sku', l.sku ?? null, true], ['gtin', l.gtin, false],
    ['buyer_part', l.buyer_part, false], ['vendor_part', l.vendor_part, false],
    ['description', l.description, false], ['quantity', l.quantity, true], ['uom', l.uom, false],
    ['unit_price', l.unit_price, false], ['discount', l.discount, false], ['tax', l.tax, false],
    ['total', l.total, false], ['erp_item', l.erp_item, false], ['attributes', sorted(l.attributes), false],
  ]);
}

/** An order's totals. */
export function totals(t = {}) {
  return doc(['subtotal', 'discount', 'shipping', 'tax', 'other_charges', 'total', 'taxes_included']
    .map((k) => [k, t[k], false]));
}

/** A weft.order/1 document. */
export function order(o) {
  return doc([
    ['schema', ORDER_SCHEMA, true], ['order_id', o.order_id, true], ['order_number', o.order_number, false],
    ['channel', o.channel, true], ['correlation_id', o.correlation_id, true], ['purpose', o.purpose, true],
    ['status', o.status, false], ['ordered_at', o.ordered_at, false], ['updated_at', o.updated_at, false],
    ['cancelled_at', o.cancelled_at, false], ['cancel_reason', o.cancel_reason, false],
    ['requested_ship_at', o.requested_ship_at, false], ['currency', o.currency, false],
    ['customer', o.customer, false], ['bill_to', o.bill_to, false], ['ship_to', o.ship_to, false],
    ['lines', o.lines ?? [], true], ['totals', o.totals ?? {}, true],
    ['references', sorted(o.references), false], ['source', sorted(o.source), false],
  ]);
}

/** A weft.shipment/1 document. */
export function shipment(s) {
  return doc([
    ['schema', SHIPMENT_SCHEMA, true], ['shipment_id', s.shipment_id, true], ['channel', s.channel, true],
    ['correlation_id', s.correlation_id, true], ['purpose', s.purpose, false],
    ['order_refs', s.order_refs ?? [], true], ['status', s.status, false], ['shipped_at', s.shipped_at, false],
    ['delivered_at', s.delivered_at, false], ['cancelled_at', s.cancelled_at, false],
    ['created_at', s.created_at, false], ['expected_at', s.expected_at, false], ['carrier', s.carrier, false],
    ['tracking', s.tracking ?? [], true], ['ship_to', s.ship_to, false], ['ship_from', s.ship_from, false],
    ['parties', s.parties, false], ['package_count', s.package_count, false], ['weight', s.weight, false],
    ['packages', s.packages ?? [], true], ['references', sorted(s.references), false],
    ['source', sorted(s.source), false],
  ]);
}

const ITEM_IDS = ['sku', 'gtin', 'buyer_part', 'vendor_part', 'erp_item'];

/** A party of a document (`buyer`, `seller`, `remit_to` …). */
export function party(p) {
  return doc([['role', p.role, true], ['id', p.id, false], ['id_qualifier', p.id_qualifier, false],
    ['address', p.address, false]]);
}

/** A charge or allowance (`kind`: `charge` or `allowance`). */
export function charge(c) {
  return doc([['kind', c.kind, true], ...['code', 'description', 'amount', 'percent'].map((k) => [k, c[k], false])]);
}

/** Payment terms; null when every part is empty. */
export function terms(t = {}) {
  const d = doc(['code', 'discount_percent', 'discount_days', 'net_days', 'due_date', 'description']
    .map((k) => [k, t[k], false]));
  return Object.keys(d).length ? d : null;
}

/** A weft.invoice/1 line: its item ids inline (sku, gtin, buyer_part, …). */
export function invoiceLine(l) {
  return doc([
    ['line_id', l.line_id, true], ...ITEM_IDS.map((k) => [k, l[k], false]),
    ['attributes', sorted(l.attributes), false], ['description', l.description, false],
    ['quantity', l.quantity, true], ['uom', l.uom, false], ['unit_price', l.unit_price, false],
    ['total', l.total, false], ['charges', (l.charges ?? []).map(charge), false],
  ]);
}

/** An invoice's totals. */
export function invoiceTotals(t = {}) {
  return doc(['subtotal', 'allowances', 'charges', 'tax', 'total'].map((k) => [k, t[k], false]));
}

/** A weft.invoice/1 document. */
export function invoice(i) {
  return doc([
    ['schema', INVOICE_SCHEMA, true], ['invoice_id', i.invoice_id, true], ['channel', i.channel, true],
    ['correlation_id', i.correlation_id, true], ['purpose', i.purpose, false],
    ['invoice_date', i.invoice_date, false], ['order_refs', i.order_refs ?? [], true],
    ['currency', i.currency, false], ['bill_to', i.bill_to, false], ['ship_to', i.ship_to, false],
    ['parties', i.parties, false], ['lines', i.lines ?? [], true], ['charges', i.charges ?? [], true],
    ['terms', i.terms, false], ['totals', i.totals ?? {}, true],
    ['references', sorted(i.references), false], ['source', sorted(i.source), false],
  ]);
}
