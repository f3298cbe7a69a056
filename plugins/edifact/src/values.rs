//! EDIFACT data values: DTM dates by format code, numbers with either
//! decimal mark, into the canonical model's strings.

use weft_sdk::datetime;
use weft_sdk::money::{self, Decimal};

pub use weft_sdk::datetime::{timestamp, valid_offset};
pub use weft_sdk::money::{money_str, qty_str};

/// A `CCYYMMDD` date as `YYYY-MM-DD`; `None` when it is not a valid date.
pub fn ymd(s: &str) -> Option<String> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y = s.get(..4)?.parse::<u32>().ok()?;
    let m = s.get(4..6)?.parse::<u32>().ok()?;
    let d = s.get(6..8)?.parse::<u32>().ok()?;
    datetime::calendar_date(y, m, d)
}

/// An `HHMM` or `HHMMSS` time as `HH:MM:SS`.
pub fn hms(s: &str) -> Option<String> {
    if !matches!(s.len(), 4 | 6) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h = s.get(..2)?.parse::<u32>().ok()?;
    let m = s.get(2..4)?.parse::<u32>().ok()?;
    let sec = s
        .get(4..6)
        .filter(|x| !x.is_empty())
        .map_or(Some(0), |x| x.parse::<u32>().ok())?;
    (h <= 23 && m <= 59 && sec <= 59).then(|| format!("{h:02}:{m:02}:{sec:02}"))
}

/// A DTM value in format `format` (2379: `102` CCYYMMDD, `203`
/// CCYYMMDDHHMM, `204` CCYYMMDDHHMMSS, `101` YYMMDD, `201` YYMMDDHHMM,
/// `718` CCYYMMDD-CCYYMMDD (its start); no format: by length) as a date
/// and optional time.
pub fn dtm(value: &str, format: &str) -> Option<(String, Option<String>)> {
    let v = value.trim();
    let century = |yy: &str| -> Option<String> {
        let n = yy.parse::<u32>().ok()?;
        Some(if n < 50 {
            format!("20{yy}")
        } else {
            format!("19{yy}")
        })
    };
    match (format, v.len()) {
        ("102", 8) | ("", 8) => Some((ymd(v)?, None)),
        ("203", 12) | ("", 12) => Some((ymd(v.get(..8)?)?, Some(hms(v.get(8..)?)?))),
        ("204", 14) | ("", 14) => Some((ymd(v.get(..8)?)?, Some(hms(v.get(8..)?)?))),
        ("101", 6) | ("", 6) => {
            let full = format!("{}{}", century(v.get(..2)?)?, v.get(2..)?);
            Some((ymd(&full)?, None))
        }
        ("201", 10) => {
            let full = format!("{}{}", century(v.get(..2)?)?, v.get(2..6)?);
            Some((ymd(&full)?, Some(hms(v.get(6..)?)?)))
        }
        ("718", 17) => Some((ymd(v.get(..8)?)?, None)),
        _ => None,
    }
}

/// An EDIFACT numeric value: optional minus, digits, at most one decimal
/// mark (`.` or `,`, whichever the sender uses); no grouping, no exponent,
/// no plus sign.
pub fn number(s: &str) -> Option<Decimal> {
    money::parse_plain(s, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_numbers() {
        assert_eq!(dtm("20181205", "102"), Some(("2018-12-05".into(), None)));
        assert_eq!(
            dtm("200105022200", "203"),
            Some(("2001-05-02".into(), Some("22:00:00".into())))
        );
        assert_eq!(dtm("700101", "101"), Some(("1970-01-01".into(), None)));
        assert_eq!(dtm("19999715", "102"), None);
        assert_eq!(dtm("20181205", "203"), None);
        assert_eq!(number("19,9").map(money_str).as_deref(), Some("19.90"));
        assert_eq!(number("1.179").map(money_str).as_deref(), Some("1.179"));
        assert_eq!(number("-5").map(qty_str).as_deref(), Some("-5"));
        assert_eq!(number(",5").map(qty_str).as_deref(), Some("0.5"));
        assert_eq!(number("1020A"), None);
        assert_eq!(number("$1.179"), None);
        assert_eq!(number("1.000,5"), None);
        assert_eq!(number(""), None);
        assert!(valid_offset("+01:00") && !valid_offset("0100"));
    }
}
