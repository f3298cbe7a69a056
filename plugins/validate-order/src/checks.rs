//! The checks of a `weft.order/1` document. Every violation is collected
//! (not only the first), each named by a JSON-path-like field name
//! (`lines[1].total`).
//!
//! The document is checked as JSON rather than as the SDK's `Order`, so a
//! missing or mistyped field is one more violation instead of a
//! deserialisation error that hides the others.

use serde_json::{Map, Value};
use weft_sdk::money::{self, Decimal};
use weft_sdk::order::ORDER_SCHEMA;

use crate::fields::{describe, is_decimal_text, present, q, shown, Path, Scope};
use crate::{currency, datetime};
use Scope::{Line, Top, Totals};

/// Purposes an order may have.
pub const PURPOSES: [&str; 3] = ["original", "replace", "cancel"];

/// Checks `doc`; amounts compare equal when they differ by at most `tolerance`.
pub fn check(doc: &Map<String, Value>, tolerance: Decimal) -> Vec<String> {
    let mut c = Checker {
        tolerance,
        violations: Vec::new(),
    };
    c.header(doc);
    let gross = c.lines(doc.get("lines"));
    c.totals(doc.get("totals"), gross);
    c.violations
}

struct Checker {
    tolerance: Decimal,
    violations: Vec<String>,
}

impl Checker {
    fn violation(&mut self, v: String) {
        self.violations.push(v);
    }

    /// Identity, purpose, currency and dates.
    fn header(&mut self, doc: &Map<String, Value>) {
        match self.string(doc, Top, "schema", true) {
            Some(s) if s != ORDER_SCHEMA => {
                self.violation(format!("schema `{}` is not {ORDER_SCHEMA}", q(s)))
            }
            _ => {}
        }
        for key in ["order_id", "channel", "correlation_id"] {
            self.required_text(doc, Top, key);
        }
        match self.string(doc, Top, "purpose", true) {
            Some(p) if !PURPOSES.contains(&p) => self.violation(format!(
                "purpose `{}` is not one of {}",
                q(p),
                PURPOSES.join(", ")
            )),
            _ => {}
        }
        match self.string(doc, Top, "currency", true) {
            Some(code) if !currency::is_active(code) => self.violation(format!(
                "currency `{}` is not an active ISO 4217 code",
                q(code)
            )),
            _ => {}
        }
        match self.string(doc, Top, "ordered_at", false) {
            Some(at) if !datetime::is_date_or_datetime(at) => self.violation(format!(
                "ordered_at `{}` is not an RFC 3339 date-time or a YYYY-MM-DD date",
                q(at)
            )),
            _ => {}
        }
    }

    /// The lines; returns Σ quantity × unit_price when every line has a
    /// valid quantity and unit price.
    fn lines(&mut self, lines: Option<&Value>) -> Option<Decimal> {
        let lines = match lines {
            None | Some(Value::Null) => {
                self.violation("lines is missing (an order needs at least one line)".into());
                return None;
            }
            Some(Value::Array(lines)) if lines.is_empty() => {
                self.violation("lines is empty (an order needs at least one line)".into());
                return None;
            }
            Some(Value::Array(lines)) => lines,
            Some(other) => {
                self.violation(format!("lines must be an array, found {}", describe(other)));
                return None;
            }
        };
        let mut gross = Some(Decimal::ZERO);
        for (i, line) in lines.iter().enumerate() {
            let extended = match line {
                Value::Object(line) => self.line(i, line),
                other => {
                    self.violation(format!(
                        "lines[{i}] must be an object, found {}",
                        describe(other)
                    ));
                    None
                }
            };
            gross = gross.zip(extended).and_then(|(a, b)| a.checked_add(b));
        }
        gross
    }

    /// One line; returns quantity × unit_price when both are valid.
    fn line(&mut self, i: usize, line: &Map<String, Value>) -> Option<Decimal> {
        let at = Line(i);
        self.required_text(line, at, "line_id");
        match line.get("sku") {
            None | Some(Value::Null | Value::String(_)) => {}
            Some(other) => self.violation(format!(
                "{at}.sku must be a string or null, found {}",
                describe(other)
            )),
        }
        let quantity = match line.get("quantity") {
            None | Some(Value::Null) => {
                self.violation(format!("{at}.quantity is missing"));
                None
            }
            Some(_) => self.decimal(line, at, "quantity"),
        };
        let quantity = match quantity {
            Some(q) if q.is_sign_negative() && !q.is_zero() => {
                self.violation(format!(
                    "{at}.quantity {} is negative",
                    money::format_qty(q)
                ));
                None
            }
            q => q,
        };
        let price = self.decimal(line, at, "unit_price");
        let discount = self.decimal(line, at, "discount");
        let discount_ok = !present(line, "discount") || discount.is_some();
        self.decimal(line, at, "tax");
        let total = self.decimal(line, at, "total");

        let extended = quantity.zip(price).and_then(|(q, p)| q.checked_mul(p));
        if quantity.is_some() && price.is_some() && extended.is_none() {
            self.violation(format!(
                "{at}: quantity × unit_price is too large to compute"
            ));
        }
        if let (Some(total), Some(x), true) = (total, extended, discount_ok) {
            let expected = x.checked_sub(discount.unwrap_or_default());
            if !self.close(total, expected) {
                self.violation(format!(
                    "{at}.total {} ≠ quantity × unit_price − discount {}",
                    shown(line, "total"),
                    expected.map_or_else(|| "(too large)".to_string(), money::money_str),
                ));
            }
        }
        extended
    }

    /// The totals, against the lines' Σ quantity × unit_price (`gross`).
    fn totals(&mut self, totals: Option<&Value>, gross: Option<Decimal>) {
        let t = match totals {
            Some(Value::Object(t)) => t,
            None | Some(Value::Null) => {
                self.violation("totals is missing".into());
                return;
            }
            Some(other) => {
                self.violation(format!(
                    "totals must be an object, found {}",
                    describe(other)
                ));
                return;
            }
        };
        let mut parts = [None; 6];
        let mut all_ok = true;
        for (slot, key) in parts.iter_mut().zip([
            "subtotal",
            "discount",
            "shipping",
            "other_charges",
            "tax",
            "total",
        ]) {
            *slot = self.decimal(t, Totals, key);
            all_ok &= !present(t, key) || slot.is_some();
        }
        let [subtotal, discount, shipping, other, tax, total] = parts;
        if !present(t, "total") {
            self.violation("totals.total is missing".into());
        }
        let taxes_included = match t.get("taxes_included") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                self.violation(format!(
                    "totals.taxes_included must be a boolean, found {}",
                    describe(other)
                ));
                all_ok = false;
                false
            }
        };

        if let (Some(stated), Some(sum)) = (subtotal, gross) {
            if !self.close(stated, Some(sum)) {
                self.violation(format!(
                    "totals.subtotal {} ≠ Σ lines quantity × unit_price {}",
                    shown(t, "subtotal"),
                    money::money_str(sum)
                ));
            }
        }

        // total = subtotal − discount + shipping + other_charges + tax (tax left out when
        // prices include it); absent parts count as 0, an absent subtotal
        // is taken from the lines.
        let (base, base_name) = match (subtotal, present(t, "subtotal")) {
            (Some(s), _) => (Some(s), "subtotal"),
            (None, false) => (gross, "Σ lines quantity × unit_price"),
            (None, true) => (None, ""),
        };
        let (Some(total), Some(base), true) = (total, base, all_ok) else {
            return;
        };
        let zero = Decimal::ZERO;
        let tax_part = if taxes_included {
            zero
        } else {
            tax.unwrap_or(zero)
        };
        let expected = base
            .checked_sub(discount.unwrap_or(zero))
            .and_then(|v| v.checked_add(shipping.unwrap_or(zero)))
            .and_then(|v| v.checked_add(other.unwrap_or(zero)))
            .and_then(|v| v.checked_add(tax_part));
        if !self.close(total, expected) {
            let other = if other.is_some() {
                " + other_charges"
            } else {
                ""
            };
            let formula = if taxes_included {
                format!("{base_name} − discount + shipping{other} (taxes included)")
            } else {
                format!("{base_name} − discount + shipping{other} + tax")
            };
            self.violation(format!(
                "totals.total {} ≠ {formula} {}",
                shown(t, "total"),
                expected.map_or_else(|| "(too large)".to_string(), money::money_str),
            ));
        }
    }

    /// Whether `actual` is within the tolerance of `expected` (an
    /// uncomputable expectation never is).
    fn close(&self, actual: Decimal, expected: Option<Decimal>) -> bool {
        expected
            .and_then(|e| actual.checked_sub(e))
            .is_some_and(|diff| diff.abs() <= self.tolerance)
    }

    /// A string field; a violation when it is mistyped, or missing and
    /// `required`. Null counts as missing.
    fn string<'a>(
        &mut self,
        obj: &'a Map<String, Value>,
        scope: Scope,
        key: &'static str,
        required: bool,
    ) -> Option<&'a str> {
        let path = Path(scope, key);
        match obj.get(key) {
            Some(Value::String(s)) => Some(s),
            None | Some(Value::Null) => {
                if required {
                    self.violation(format!("{path} is missing"));
                }
                None
            }
            Some(other) => {
                self.violation(format!(
                    "{path} must be a string, found {}",
                    describe(other)
                ));
                None
            }
        }
    }

    /// A required string that must not be blank.
    fn required_text(&mut self, obj: &Map<String, Value>, scope: Scope, key: &'static str) {
        if let Some(s) = self.string(obj, scope, key, true) {
            if s.trim().is_empty() {
                self.violation(format!("{} is empty", Path(scope, key)));
            }
        }
    }

    /// An optional decimal string (`^-?[0-9]+(\.[0-9]+)?$`); `None` when
    /// absent or null, and a violation when it is anything but a decimal.
    fn decimal(
        &mut self,
        obj: &Map<String, Value>,
        scope: Scope,
        key: &'static str,
    ) -> Option<Decimal> {
        let path = Path(scope, key);
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => match is_decimal_text(s).then(|| money::parse(s)).flatten() {
                Some(d) => Some(d),
                None => {
                    self.violation(format!("{path} `{}` is not a decimal", q(s)));
                    None
                }
            },
            Some(other) => {
                self.violation(format!(
                    "{path} must be a decimal string, found {}",
                    describe(other)
                ));
                None
            }
        }
    }
}
