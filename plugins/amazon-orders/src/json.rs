//! Reading values out of SP-API JSON: text, flags that may be strings,
//! decimal money that must not go through a float, RFC 3339 timestamps,
//! and the currency rule (amounts in a currency other than the order's are
//! set aside, never summed).

use serde_json::{json, Map, Value};
pub use weft_sdk::money::money_str;
use weft_sdk::money::{self, Decimal};
use weft_sdk::PluginError;

/// The text of a string or number, trimmed; `None` when absent, null,
/// blank or of another type.
pub fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A flag given as a JSON boolean or as the string `"true"`/`"false"`
/// (Amazon sends both, sometimes in the same document).
pub fn flag(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A quantity: a JSON number or numeric string; an error naming `path`
/// when it is something else, `None` when absent.
pub fn quantity(v: Option<&Value>, path: &str) -> Result<Option<Decimal>, PluginError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(v) => money::from_json(v)
            .map(Some)
            .ok_or_else(|| PluginError::invalid(format!("{path} `{}` is not a number", shown(v)))),
    }
}

/// A timestamp kept as given when it is RFC 3339 (fractional seconds
/// included); `None` when absent; an error naming `path` otherwise (an
/// epoch number is not converted: that would be guessing its unit).
pub fn timestamp(v: Option<&Value>, path: &str) -> Result<Option<String>, PluginError> {
    match text(v) {
        None => Ok(None),
        Some(t) if is_rfc3339(&t) => Ok(Some(t)),
        Some(t) => Err(PluginError::invalid(format!(
            "{path} `{}` is not an RFC 3339 timestamp",
            clip(&t)
        ))),
    }
}

/// Whether `s` is `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)` with plausible
/// field ranges.
pub fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .map(|d| d.iter().fold(0u32, |a, c| a * 10 + u32::from(c - b'0')))
    };
    let shape = b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't')
        && b[13] == b':'
        && b[16] == b':';
    if !shape {
        return false;
    }
    let ok = digits(0..4).is_some()
        && digits(5..7).is_some_and(|m| (1..=12).contains(&m))
        && digits(8..10).is_some_and(|d| (1..=31).contains(&d))
        && digits(11..13).is_some_and(|h| h <= 23)
        && digits(14..16).is_some_and(|m| m <= 59)
        && digits(17..19).is_some_and(|s| s <= 60);
    if !ok {
        return false;
    }
    let mut rest = &b[19..];
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// A value shortened for an error message.
pub fn short(v: &Value) -> String {
    clip(&v.to_string())
}

/// A string's text (without JSON quotes) or another value, shortened for
/// an error message.
pub fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => clip(s),
        other => short(other),
    }
}

/// Text shortened for an error message, control characters escaped.
pub fn clip(s: &str) -> String {
    weft_sdk::text::clip(s, 60)
}

/// Reads money objects (`{"CurrencyCode","Amount"}` in Orders v0,
/// `{"currencyCode","amount"}` in Orders 2026-01-01) against the order's
/// currency. Amounts that go into the order's lines and totals must all be
/// in one currency: [`Amounts::get`] refuses an amount in another currency
/// (`invalid`, naming where it is) rather than adding, say, GBP to JPY.
/// Other charges (gift wrap, COD fee, delivery tip, …) are listed each with
/// its own currency ([`Amounts::charge`]) and summed into
/// `totals.other_charges` only when in the order's currency
/// ([`Amounts::is_order_currency`]), so a GBP gift wrap on a JPY order is
/// kept as it is and never added to anything. Amounts with no currency code are taken to be in the
/// order's currency.
pub struct Amounts {
    /// The order's currency: the one given at the start, else the first
    /// code [`Amounts::get`] meets.
    pub currency: Option<String>,
}

impl Amounts {
    /// Starts with the order's currency, when known.
    pub fn new(currency: Option<String>) -> Amounts {
        Amounts { currency }
    }

    /// The amount of money object `v` at `path`, in the order's currency;
    /// `None` when absent; an error when the amount is not a decimal or is
    /// in another currency than the order's.
    pub fn get(&mut self, v: Option<&Value>, path: &str) -> Result<Option<Decimal>, PluginError> {
        let Some((amount, code)) = money_of(v, path)? else {
            return Ok(None);
        };
        match (code, &self.currency) {
            (Some(c), Some(order)) if !c.eq_ignore_ascii_case(order) => {
                Err(PluginError::invalid(format!(
                    "{path} is in {c} but the order is in {order}; amounts in different currencies are not mixed into one order's lines and totals"
                )))
            }
            (Some(c), None) => {
                self.currency = Some(c);
                Ok(Some(amount))
            }
            _ => Ok(Some(amount)),
        }
    }

    /// A charge listed apart from the totals: its amount and its currency
    /// (the order's when the money object names none); `None` when absent.
    pub fn charge(
        &self,
        v: Option<&Value>,
        path: &str,
    ) -> Result<Option<(Decimal, Option<String>)>, PluginError> {
        Ok(money_of(v, path)?
            .map(|(amount, code)| (amount, code.or_else(|| self.currency.clone()))))
    }

    /// Whether a charge's currency (as [`Amounts::charge`] gives it) is the
    /// order's, so the charge may be summed into the order's totals; a
    /// charge without a currency on an order without one counts as the
    /// order's.
    pub fn is_order_currency(&self, code: Option<&str>) -> bool {
        match (code, &self.currency) {
            (None, _) => true,
            (Some(c), Some(order)) => c.eq_ignore_ascii_case(order),
            (Some(_), None) => false,
        }
    }
}

/// The amount and upper-cased currency code of money object `v` at `path`;
/// `None` when absent or without an amount.
fn money_of(
    v: Option<&Value>,
    path: &str,
) -> Result<Option<(Decimal, Option<String>)>, PluginError> {
    let Some(obj) = v.and_then(Value::as_object) else {
        return match v {
            None | Some(Value::Null) => Ok(None),
            Some(other) => Err(PluginError::invalid(format!(
                "{path} must be a money object, found `{}`",
                short(other)
            ))),
        };
    };
    let amount = match pick(obj, "Amount", "amount") {
        None | Some(Value::Null) => return Ok(None),
        Some(a) => money::from_json(a).ok_or_else(|| {
            PluginError::invalid(format!("{path} amount `{}` is not a decimal", shown(a)))
        })?,
    };
    Ok(Some((amount, currency_of(v))))
}

/// A listed charge: `{"type", "amount", "currency"}` (currency left out
/// when unknown).
pub fn charge_entry(kind: &str, amount: Decimal, currency: Option<String>) -> Value {
    let mut entry = json!({"type": kind, "amount": money_str(amount)});
    if let Some(c) = currency {
        entry["currency"] = Value::from(c);
    }
    entry
}

/// `obj[a]`, else `obj[b]`.
pub fn pick<'a>(obj: &'a Map<String, Value>, a: &str, b: &str) -> Option<&'a Value> {
    obj.get(a).or_else(|| obj.get(b))
}

/// The currency code of money object `v`, if it has one.
pub fn currency_of(v: Option<&Value>) -> Option<String> {
    let obj = v?.as_object()?;
    text(pick(obj, "CurrencyCode", "currencyCode")).map(|c| c.to_ascii_uppercase())
}

/// Adds `b` to an optional running sum (absent + absent stays absent).
pub fn add(
    acc: Option<Decimal>,
    b: Option<Decimal>,
    path: &str,
) -> Result<Option<Decimal>, PluginError> {
    match (acc, b) {
        (None, None) => Ok(None),
        (a, b) => a
            .unwrap_or_default()
            .checked_add(b.unwrap_or_default())
            .map(Some)
            .ok_or_else(|| {
                PluginError::invalid(format!("amounts in {path} are too large to compute"))
            }),
    }
}

/// `a ÷ b` when the quotient is exact with at most 6 decimals (a unit
/// price derived from an extended price); `None` otherwise, so a price is
/// never rounded into existence.
pub fn exact_div(a: Decimal, b: Decimal) -> Option<Decimal> {
    if b.is_zero() {
        return None;
    }
    let q = a.checked_div(b)?.normalize();
    (q.scale() <= 6 && q.checked_mul(b) == Some(a)).then_some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_timestamps_division() {
        assert_eq!(flag(Some(&json!("true"))), Some(true));
        assert_eq!(flag(Some(&json!(" FALSE "))), Some(false));
        assert_eq!(flag(Some(&json!(false))), Some(false));
        assert_eq!(flag(Some(&json!("yes"))), None);
        assert!(is_rfc3339("2019-05-07T15:42:57.058Z"));
        assert!(is_rfc3339("1970-01-19T03:58:30Z"));
        assert!(is_rfc3339("2024-12-25T09:15:00+01:00"));
        assert!(!is_rfc3339("1.569521782042E9"));
        assert!(!is_rfc3339("2019-05-07 15:42:57"));
        assert!(!is_rfc3339("2019-13-07T15:42:57Z"));
        let d = |s: &str| money::parse(s).unwrap();
        assert_eq!(exact_div(d("17.95"), d("2")), Some(d("8.975")));
        assert_eq!(exact_div(d("10.00"), d("3")), None);
        assert_eq!(exact_div(d("10.00"), d("0")), None);
    }

    #[test]
    fn other_currencies_are_refused_in_totals_and_kept_on_charges() {
        let mut a = Amounts::new(Some("JPY".into()));
        let gbp = json!({"CurrencyCode": "GBP", "Amount": "41.99"});
        assert_eq!(
            a.get(Some(&gbp), "ItemPrice"),
            Err(PluginError::invalid(
                "ItemPrice is in GBP but the order is in JPY; amounts in different currencies are not mixed into one order's lines and totals"
            ))
        );
        let (amount, code) = a.charge(Some(&gbp), "GiftWrapPrice").unwrap().unwrap();
        assert_eq!(
            (money_str(amount), code.as_deref()),
            ("41.99".to_string(), Some("GBP"))
        );
        let jpy = json!({"currencyCode": "JPY", "amount": "1.99"});
        assert_eq!(a.get(Some(&jpy), "y").unwrap(), money::parse("1.99"));
        let bare = json!({"amount": "2"});
        assert_eq!(
            a.charge(Some(&bare), "z").unwrap().unwrap().1.as_deref(),
            Some("JPY")
        );
        assert!(a.is_order_currency(Some("jpy")));
        assert!(!a.is_order_currency(Some("GBP")));
        assert!(Amounts::new(None).is_order_currency(None));
        assert!(!Amounts::new(None).is_order_currency(Some("GBP")));
        let bad = json!({"CurrencyCode": "JPY", "Amount": "1,99"});
        assert!(a.get(Some(&bad), "z").is_err());
        assert!(a.get(Some(&json!("12.00")), "z").is_err());
        // The first code met becomes the order's currency.
        let mut b = Amounts::new(None);
        assert!(b.get(Some(&json!({"amount": "1"})), "a").unwrap().is_some());
        assert!(b.get(Some(&gbp), "b").unwrap().is_some());
        assert_eq!(b.currency.as_deref(), Some("GBP"));
        assert!(b.get(Some(&jpy), "c").is_err());
    }
}
