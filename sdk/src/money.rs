//! Decimal arithmetic for money and quantities, which the canonical model
//! carries as decimal strings (`"199.00"`, `"2"`), never as floats.

pub use rust_decimal::Decimal;
use std::str::FromStr;

/// Parses a decimal string such as `"199.00"`, `"-3.5"` or `"1e2"`.
pub fn parse(s: &str) -> Option<Decimal> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    Decimal::from_str(t)
        .ok()
        .or_else(|| Decimal::from_scientific(t).ok())
}

/// Reads a JSON number or numeric string as a decimal without going through
/// a float (`199.00` stays `199.00`).
pub fn from_json(v: &serde_json::Value) -> Option<Decimal> {
    match v {
        serde_json::Value::String(s) => parse(s),
        serde_json::Value::Number(n) => parse(&n.to_string()),
        _ => None,
    }
}

/// Formats a money amount with at least `min_scale` decimals (`2` → `"5.00"`),
/// keeping more when the value has them.
pub fn format(d: Decimal, min_scale: u32) -> String {
    let mut d = d.normalize();
    if d.scale() < min_scale {
        d.rescale(min_scale);
    }
    d.to_string()
}

/// Formats a quantity without trailing zeros (`2.000` → `"2"`).
pub fn format_qty(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Sums decimal strings; `None` if any is not a decimal.
pub fn sum<'a>(items: impl IntoIterator<Item = &'a str>) -> Option<Decimal> {
    items
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, s| parse(s).map(|d| acc + d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_format() {
        assert_eq!(format(parse("199").unwrap(), 2), "199.00");
        assert_eq!(format(parse("3.345").unwrap(), 2), "3.345");
        assert_eq!(format_qty(parse("2.000").unwrap()), "2");
        assert_eq!(parse("abc"), None);
        assert_eq!(parse(""), None);
        assert_eq!(
            from_json(&serde_json::json!(0.06)).map(|d| d.to_string()),
            Some("0.06".into())
        );
        assert_eq!(
            sum(["1.10", "2.20"]).map(|d| format(d, 2)),
            Some("3.30".into())
        );
        assert_eq!(sum(["1.10", "x"]), None);
    }
}
