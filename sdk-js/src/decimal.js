// Decimal arithmetic on strings for money and quantities, which the
// canonical model carries as decimal strings ("199.00", "2"), never as
// floats: a BigInt coefficient and a scale, so 0.1 + 0.2 is exactly 0.3.
//
// Values the Rust SDK's 96-bit decimals cannot hold (more than 28 digits
// before the point) are "too large": the checked operations return null
// there, as rust_decimal's checked_* return None.

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const MAX_COEF = (1n << 96n) - 1n;
const MAX_SCALE = 28;

export class Decimal {
  /** `coef × 10^-scale`; use Decimal.parse or Decimal.of instead. */
  constructor(coef, scale) {
    this.coef = coef;
    this.scale = scale;
  }

  /** Parses "199.00", "-3.5", ".5", "1e2"; null for anything else. */
  static parse(s) {
    if (typeof s !== 'string') return null;
    const m = DECIMAL.exec(s.trim());
    if (!m) return null;
    const [, sign, int, frac = '', exp] = m;
    if (!int && !frac) return null;
    let coef = BigInt((int || '0') + frac);
    let scale = frac.length - (exp ? Number(exp) : 0);
    if (!Number.isSafeInteger(scale) || scale > 1000 || scale < -1000) return null;
    if (scale < 0) {
      coef *= 10n ** BigInt(-scale);
      scale = 0;
    }
    return new Decimal(sign === '-' ? -coef : coef, scale);
  }

  /** A decimal from a string, a safe integer or a BigInt; null otherwise
   * (floats are refused: they are not exact). */
  static of(v) {
    if (v instanceof Decimal) return v;
    if (typeof v === 'bigint') return new Decimal(v, 0);
    if (typeof v === 'number') return Number.isSafeInteger(v) ? new Decimal(BigInt(v), 0) : null;
    return Decimal.parse(v);
  }

  static zero() {
    return new Decimal(0n, 0);
  }

  #aligned(o) {
    const s = Math.max(this.scale, o.scale);
    return [this.coef * 10n ** BigInt(s - this.scale), o.coef * 10n ** BigInt(s - o.scale), s];
  }

  add(o) {
    const [a, b, s] = this.#aligned(o);
    return new Decimal(a + b, s);
  }
  sub(o) {
    const [a, b, s] = this.#aligned(o);
    return new Decimal(a - b, s);
  }
  mul(o) {
    return new Decimal(this.coef * o.coef, this.scale + o.scale);
  }
  neg() {
    return new Decimal(-this.coef, this.scale);
  }
  abs() {
    return this.coef < 0n ? this.neg() : this;
  }
  /** -1, 0 or 1. */
  cmp(o) {
    const [a, b] = this.#aligned(o);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  isZero() {
    return this.coef === 0n;
  }
  isNegative() {
    return this.coef < 0n;
  }

  /** Whether the Rust SDK's decimals could hold this value (at most 28
   * fractional digits kept, a 96-bit coefficient). */
  fits() {
    const r = this.scale > MAX_SCALE ? this.roundDp(MAX_SCALE) : this;
    return (r.coef < 0n ? -r.coef : r.coef) <= MAX_COEF;
  }
  checkedAdd(o) {
    const r = this.add(o);
    return r.fits() ? r : null;
  }
  checkedSub(o) {
    const r = this.sub(o);
    return r.fits() ? r : null;
  }
  checkedMul(o) {
    const r = this.mul(o);
    return r.fits() ? r : null;
  }

  /** Rounded to `dp` decimals, half to even (banker's rounding). */
  roundDp(dp) {
    if (this.scale <= dp) return this;
    const div = 10n ** BigInt(this.scale - dp);
    let q = this.coef / div;
    const r = this.coef % div;
    const twice = (r < 0n ? -r : r) * 2n;
    if (twice > div || (twice === div && q % 2n !== 0n)) q += this.coef < 0n ? -1n : 1n;
    return new Decimal(q, dp);
  }

  /** Without trailing fractional zeros. */
  normalize() {
    let { coef, scale } = this;
    if (coef === 0n) return new Decimal(0n, 0);
    while (scale > 0 && coef % 10n === 0n) {
      coef /= 10n;
      scale -= 1;
    }
    return new Decimal(coef, scale);
  }

  /** At least `minScale` decimals (trailing zeros beyond it dropped). */
  format(minScale) {
    let d = this.normalize();
    if (d.scale < minScale) d = new Decimal(d.coef * 10n ** BigInt(minScale - d.scale), minScale);
    return d.toString();
  }
  /** A money amount as the canonical model writes it: "199.00", "3.345". */
  money() {
    return this.format(2);
  }
  /** A quantity without trailing zeros: "2". */
  qty() {
    return this.format(0);
  }

  /** The plain decimal text at this scale ("1.50"). */
  toString() {
    const neg = this.coef < 0n;
    let digits = (neg ? -this.coef : this.coef).toString();
    if (this.scale > 0) {
      digits = digits.padStart(this.scale + 1, '0');
      digits = `${digits.slice(0, -this.scale)}.${digits.slice(-this.scale)}`;
    }
    return (neg ? '-' : '') + digits;
  }
  toJSON() {
    return this.toString();
  }
}

/** The sum of decimal strings; null if any is not a decimal. */
export function sum(items) {
  let total = Decimal.zero();
  for (const s of items) {
    const d = Decimal.parse(s);
    if (!d) return null;
    total = total.add(d);
  }
  return total;
}
