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

/// Parses a plain decimal as EDI standards write numbers: optional minus,
/// digits, at most one decimal mark (`.`, and `,` too when `decimal_comma`),
/// which may lead or trail (`.5`, `5.`); no plus sign, exponent or digit
/// grouping, at most 28 digits. Surrounding blanks are ignored.
pub fn parse_plain(s: &str, decimal_comma: bool) -> Option<Decimal> {
    let s = s.trim();
    let body = s.strip_prefix('-').unwrap_or(s);
    let mut marks = 0;
    let mut digits = 0;
    let mut norm = String::with_capacity(body.len() + 1);
    for c in body.chars() {
        match c {
            '0'..='9' => {
                digits += 1;
                norm.push(c);
            }
            '.' | ',' if c == '.' || decimal_comma => {
                marks += 1;
                if norm.is_empty() {
                    norm.push('0');
                }
                norm.push('.');
            }
            _ => return None,
        }
    }
    if digits == 0 || marks > 1 || digits > 28 {
        return None;
    }
    let d = parse(norm.trim_end_matches('.'))?;
    Some(if s.starts_with('-') { -d } else { d })
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

/// A money amount as the canonical model writes it: at least 2 decimals
/// (`199` → `"199.00"`, `3.345` kept).
pub fn money_str(d: Decimal) -> String {
    format(d, 2)
}

/// A quantity (or percentage) as the canonical model writes it: no
/// trailing zeros (`2.000` → `"2"`).
pub fn qty_str(d: Decimal) -> String {
    format_qty(d)
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
        assert_eq!(money_str(parse("7.5").unwrap()), "7.50");
        assert_eq!(qty_str(parse("000100").unwrap()), "100");
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
        let plain = |s, comma| parse_plain(s, comma).map(|d| format(d, 2));
        assert_eq!(plain(".5", false).as_deref(), Some("0.50"));
        assert_eq!(plain("-44949", false).as_deref(), Some("-44949.00"));
        assert_eq!(plain("19,9", true).as_deref(), Some("19.90"));
        assert_eq!(plain("19,9", false), None);
        assert_eq!(plain("5.", false).as_deref(), Some("5.00"));
        for bad in ["1e3", "1,000.5", "", "-", ".", "+5", "1.2.3"] {
            assert_eq!(parse_plain(bad, true), None, "{bad}");
        }
    }
}
