// The checks of a weft.order/1 document (plugins/validate-order/src/checks.rs).
// Every violation is collected (not only the first), each named by a
// JSON-path-like field name (`lines[1].total`). The document is checked as
// JSON, so a missing or mistyped field is one more violation instead of an
// error that hides the others.
import { Decimal } from '@weft/sdk';
import { isActive } from './currency.js';
import { isDateOrDatetime } from './datetime.js';
import { describe, isDecimalText, isObject, path, present, q, shown } from './fields.js';

/** Schema id of canonical orders. */
export const ORDER_SCHEMA = 'weft.order/1';
/** Purposes an order may have. */
export const PURPOSES = ['original', 'replace', 'cancel'];

const TOP = '';
const TOTALS = 'totals';
const ZERO = Decimal.zero();

/** The violations of `doc`; amounts compare equal within `tolerance`. */
export function check(doc, tolerance) {
  const c = new Checker(tolerance);
  c.header(doc);
  const gross = c.lines(doc.lines, Object.hasOwn(doc, 'lines'));
  c.totals(doc.totals, Object.hasOwn(doc, 'totals'), gross);
  return c.violations;
}

class Checker {
  constructor(tolerance) {
    this.tolerance = tolerance;
    this.violations = [];
  }

  violation(v) {
    this.violations.push(v);
  }

  /** Identity, purpose, currency and dates. */
  header(doc) {
    const schema = this.string(doc, TOP, 'schema', true);
    if (schema !== null && schema !== ORDER_SCHEMA) {
      this.violation(`schema \`${q(schema)}\` is not ${ORDER_SCHEMA}`);
    }
    for (const key of ['order_id', 'channel', 'correlation_id']) this.requiredText(doc, TOP, key);
    const purpose = this.string(doc, TOP, 'purpose', true);
    if (purpose !== null && !PURPOSES.includes(purpose)) {
      this.violation(`purpose \`${q(purpose)}\` is not one of ${PURPOSES.join(', ')}`);
    }
    const currency = this.string(doc, TOP, 'currency', true);
    if (currency !== null && !isActive(currency)) {
      this.violation(`currency \`${q(currency)}\` is not an active ISO 4217 code`);
    }
    const at = this.string(doc, TOP, 'ordered_at', false);
    if (at !== null && !isDateOrDatetime(at)) {
      this.violation(`ordered_at \`${q(at)}\` is not an RFC 3339 date-time or a YYYY-MM-DD date`);
    }
  }

  /** The lines; Σ quantity × unit_price when every line has a valid
   * quantity and unit price, else null. */
  lines(lines, has) {
    if (!has || lines === null) {
      this.violation('lines is missing (an order needs at least one line)');
      return null;
    }
    if (!Array.isArray(lines)) {
      this.violation(`lines must be an array, found ${describe(lines)}`);
      return null;
    }
    if (lines.length === 0) {
      this.violation('lines is empty (an order needs at least one line)');
      return null;
    }
    let gross = ZERO;
    lines.forEach((line, i) => {
      let extended = null;
      if (isObject(line)) extended = this.line(i, line);
      else this.violation(`lines[${i}] must be an object, found ${describe(line)}`);
      gross = gross !== null && extended !== null ? gross.checkedAdd(extended) : null;
    });
    return gross;
  }

  /** One line; quantity × unit_price when both are valid, else null. */
  line(i, line) {
    const at = `lines[${i}]`;
    this.requiredText(line, at, 'line_id');
    if (Object.hasOwn(line, 'sku') && line.sku !== null && typeof line.sku !== 'string') {
      this.violation(`${at}.sku must be a string or null, found ${describe(line.sku)}`);
    }
    let quantity = null;
    if (!present(line, 'quantity')) this.violation(`${at}.quantity is missing`);
    else quantity = this.decimal(line, at, 'quantity');
    if (quantity !== null && quantity.isNegative()) {
      this.violation(`${at}.quantity ${quantity.qty()} is negative`);
      quantity = null;
    }
    const price = this.decimal(line, at, 'unit_price');
    const discount = this.decimal(line, at, 'discount');
    const discountOk = !present(line, 'discount') || discount !== null;
    this.decimal(line, at, 'tax');
    const total = this.decimal(line, at, 'total');

    const extended = quantity !== null && price !== null ? quantity.checkedMul(price) : null;
    if (quantity !== null && price !== null && extended === null) {
      this.violation(`${at}: quantity × unit_price is too large to compute`);
    }
    if (total !== null && extended !== null && discountOk) {
      const expected = extended.checkedSub(discount ?? ZERO);
      if (!this.close(total, expected)) {
        const shownExpected = expected === null ? '(too large)' : expected.money();
        this.violation(`${at}.total ${shown(line, 'total')} ≠ quantity × unit_price − discount ${shownExpected}`);
      }
    }
    return extended;
  }

  /** The totals, against the lines' Σ quantity × unit_price (`gross`). */
  totals(t, has, gross) {
    if (!has || t === null) {
      this.violation('totals is missing');
      return;
    }
    if (!isObject(t)) {
      this.violation(`totals must be an object, found ${describe(t)}`);
      return;
    }
    const keys = ['subtotal', 'discount', 'shipping', 'other_charges', 'tax', 'total'];
    let allOk = true;
    const parts = keys.map((key) => {
      const d = this.decimal(t, TOTALS, key);
      allOk &&= !present(t, key) || d !== null;
      return d;
    });
    const [subtotal, discount, shipping, other, tax, total] = parts;
    if (!present(t, 'total')) this.violation('totals.total is missing');
    let taxesIncluded = false;
    const ti = t.taxes_included;
    if (ti !== undefined && ti !== null) {
      if (typeof ti === 'boolean') taxesIncluded = ti;
      else {
        this.violation(`totals.taxes_included must be a boolean, found ${describe(ti)}`);
        allOk = false;
      }
    }

    if (subtotal !== null && gross !== null && !this.close(subtotal, gross)) {
      this.violation(`totals.subtotal ${shown(t, 'subtotal')} ≠ Σ lines quantity × unit_price ${gross.money()}`);
    }

    // total = subtotal − discount + shipping + other_charges + tax (tax
    // left out when prices include it); absent parts count as 0, an absent
    // subtotal is taken from the lines.
    let base = null;
    let baseName = '';
    if (subtotal !== null) [base, baseName] = [subtotal, 'subtotal'];
    else if (!present(t, 'subtotal')) [base, baseName] = [gross, 'Σ lines quantity × unit_price'];
    if (total === null || base === null || !allOk) return;
    const taxPart = taxesIncluded ? ZERO : (tax ?? ZERO);
    let expected = base.checkedSub(discount ?? ZERO);
    for (const part of [shipping ?? ZERO, other ?? ZERO, taxPart]) {
      expected = expected === null ? null : expected.checkedAdd(part);
    }
    if (!this.close(total, expected)) {
      const otherText = other !== null ? ' + other_charges' : '';
      const formula = taxesIncluded
        ? `${baseName} − discount + shipping${otherText} (taxes included)`
        : `${baseName} − discount + shipping${otherText} + tax`;
      const shownExpected = expected === null ? '(too large)' : expected.money();
      this.violation(`totals.total ${shown(t, 'total')} ≠ ${formula} ${shownExpected}`);
    }
  }

  /** Whether `actual` is within the tolerance of `expected` (an
   * uncomputable expectation never is). */
  close(actual, expected) {
    if (expected === null) return false;
    const diff = actual.checkedSub(expected);
    return diff !== null && diff.abs().cmp(this.tolerance) <= 0;
  }

  /** A string field; a violation when it is mistyped, or missing and
   * `required`. Null counts as missing. */
  string(obj, scope, key, required) {
    const v = obj[key];
    if (typeof v === 'string' && Object.hasOwn(obj, key)) return v;
    if (!Object.hasOwn(obj, key) || v === null) {
      if (required) this.violation(`${path(scope, key)} is missing`);
      return null;
    }
    this.violation(`${path(scope, key)} must be a string, found ${describe(v)}`);
    return null;
  }

  /** A required string that must not be blank. */
  requiredText(obj, scope, key) {
    const s = this.string(obj, scope, key, true);
    if (s !== null && s.trim() === '') this.violation(`${path(scope, key)} is empty`);
  }

  /** An optional decimal string; null when absent or null, and a violation
   * when it is anything but a decimal. */
  decimal(obj, scope, key) {
    if (!Object.hasOwn(obj, key) || obj[key] === null) return null;
    const v = obj[key];
    if (typeof v === 'string') {
      const d = isDecimalText(v) ? Decimal.parse(v) : null;
      if (d !== null && d.fits()) return d;
      this.violation(`${path(scope, key)} \`${q(v)}\` is not a decimal`);
      return null;
    }
    this.violation(`${path(scope, key)} must be a decimal string, found ${describe(v)}`);
    return null;
  }
}
