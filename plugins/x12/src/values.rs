//! X12 data values: dates, times, numbers (explicit-decimal `R`,
//! implied-decimal `N2`) into the canonical model's strings.

use weft_sdk::datetime;
use weft_sdk::money::{self, Decimal};

pub use weft_sdk::datetime::valid_offset;
pub use weft_sdk::money::{money_str, qty_str};

/// An X12 date (`CCYYMMDD`, or `YYMMDD` read as 1950–2049) as `YYYY-MM-DD`;
/// `None` when it is not a valid date.
pub fn date(s: &str) -> Option<String> {
    let s = s.trim();
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, rest) = match s.len() {
        8 => (s.get(..4)?.parse::<u32>().ok()?, s.get(4..)?),
        6 => {
            let yy = s.get(..2)?.parse::<u32>().ok()?;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, s.get(2..)?)
        }
        _ => return None,
    };
    let m = rest.get(..2)?.parse::<u32>().ok()?;
    let d = rest.get(2..4)?.parse::<u32>().ok()?;
    datetime::calendar_date(y, m, d)
}

/// An X12 time (`HHMM`, `HHMMSS`, `HHMMSSd…`) as `HH:MM:SS[.d…]`.
pub fn time(s: &str) -> Option<String> {
    let s = s.trim();
    if !(s.len() >= 4 && s.bytes().all(|b| b.is_ascii_digit())) || s.len() == 5 || s.len() > 8 {
        return None;
    }
    let h = s.get(..2)?.parse::<u32>().ok()?;
    let m = s.get(2..4)?.parse::<u32>().ok()?;
    let sec = match s.get(4..6) {
        Some(x) if !x.is_empty() => x.parse::<u32>().ok()?,
        _ => 0,
    };
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    let frac = s.get(6..).filter(|f| !f.is_empty());
    Some(match frac {
        Some(f) => format!("{h:02}:{m:02}:{sec:02}.{f}"),
        None => format!("{h:02}:{m:02}:{sec:02}"),
    })
}

/// A date, with its time when there is one and a UTC offset is configured
/// (`2011-12-06T14:24:28-05:00`); the date alone otherwise (the schema
/// allows a plain date, and no zone is invented).
pub fn timestamp(d: &str, t: Option<&str>, offset: Option<&str>) -> Option<String> {
    Some(datetime::timestamp(date(d)?, t.and_then(time), offset))
}

/// Checks an explicit-decimal (`R`) value: optional minus, digits, optional
/// point and fraction (`.5` and `5.` allowed); no exponent, no grouping.
pub fn real(s: &str) -> Option<Decimal> {
    money::parse_plain(s, false)
}

/// An implied-decimal value (`N2`: `12345` → `123.45`).
pub fn implied(s: &str, scale: u32) -> Option<Decimal> {
    let s = s.trim();
    let body = s.strip_prefix('-').unwrap_or(s);
    if body.is_empty() || body.len() > 26 || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i128 = body.parse().ok()?;
    let d = Decimal::try_from_i128_with_scale(n, scale).ok()?;
    Some(if s.starts_with('-') { -d } else { d })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_times_numbers() {
        assert_eq!(date("20111206").as_deref(), Some("2011-12-06"));
        assert_eq!(date("040317").as_deref(), Some("2004-03-17"));
        assert_eq!(date("971214").as_deref(), Some("1997-12-14"));
        assert_eq!(date("20110230"), None);
        assert_eq!(date("PO DATE"), None);
        assert_eq!(time("142428").as_deref(), Some("14:24:28"));
        assert_eq!(time("0801").as_deref(), Some("08:01:00"));
        assert_eq!(time("2561"), None);
        assert_eq!(
            timestamp("20111206", Some("1424"), Some("-05:00")).as_deref(),
            Some("2011-12-06T14:24:00-05:00")
        );
        assert_eq!(
            timestamp("20111206", Some("1424"), None).as_deref(),
            Some("2011-12-06")
        );
        assert_eq!(real("9.25").map(money_str).as_deref(), Some("9.25"));
        assert_eq!(real("7.5").map(money_str).as_deref(), Some("7.50"));
        assert_eq!(real(".5").map(money_str).as_deref(), Some("0.50"));
        assert_eq!(real("-44949").map(money_str).as_deref(), Some("-44949.00"));
        assert_eq!(real("1e3"), None);
        assert_eq!(real("1,000"), None);
        assert_eq!(real(""), None);
        assert_eq!(
            implied("255438", 2).map(money_str).as_deref(),
            Some("2554.38")
        );
        assert_eq!(implied("-5", 2).map(money_str).as_deref(), Some("-0.05"));
        assert_eq!(implied("12.3", 2), None);
        assert_eq!(real("000100").map(qty_str).as_deref(), Some("100"));
        assert!(valid_offset("-05:00") && valid_offset("Z") && !valid_offset("0500"));
    }
}
