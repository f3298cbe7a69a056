//! Dates, times and UTC offsets as sources find them, into the canonical
//! model's forms (`YYYY-MM-DD`, RFC 3339).

/// A calendar date from its parts as `YYYY-MM-DD`; `None` when the month
/// or the day does not exist (leap years included).
pub fn calendar_date(y: u32, m: u32, d: u32) -> Option<String> {
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (d >= 1 && d <= days).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// A date (`YYYY-MM-DD`) and time (`HH:MM:SS`) as the canonical timestamp:
/// with the time and the UTC offset when both are known
/// (`2011-12-06T14:24:28-05:00`), else the date alone (the schema allows a
/// plain date, and no zone is invented).
pub fn timestamp(date: String, time: Option<String>, offset: Option<&str>) -> String {
    match (time, offset) {
        (Some(t), Some(off)) => format!("{date}T{t}{off}"),
        _ => date,
    }
}

/// Checks a configured UTC offset (`Z`, `+02:00`, `-05:00`).
pub fn valid_offset(s: &str) -> bool {
    if s == "Z" {
        return true;
    }
    let b = s.as_bytes();
    b.len() == 6
        && matches!(b.first(), Some(b'+' | b'-'))
        && b.get(3) == Some(&b':')
        && [1, 2, 4, 5]
            .iter()
            .all(|i| b.get(*i).is_some_and(u8::is_ascii_digit))
        && s.get(1..3)
            .and_then(|h| h.parse::<u32>().ok())
            .is_some_and(|h| h <= 23)
        && s.get(4..6)
            .and_then(|m| m.parse::<u32>().ok())
            .is_some_and(|m| m <= 59)
}

/// A shop's `YYYY-MM-DD HH:MM:SS[.fff]` or `YYYY-MM-DDTHH:MM:SS[.fff]`
/// without a zone (UTC) as RFC 3339 (`…T…Z`); a value already in RFC 3339
/// (zone `Z` or `±HH:MM`) or a plain date is kept. `None` for anything
/// else.
pub fn to_rfc3339(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let date_ok = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10);
    if !date_ok {
        return None;
    }
    if b.len() == 10 {
        return Some(s.to_string());
    }
    let time_ok = matches!(b.get(10), Some(b' ' | b'T' | b't'))
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19);
    if !time_ok {
        return None;
    }
    let mut end = 19;
    if b.get(19) == Some(&b'.') {
        end = 20;
        while b.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        if end == 20 {
            return None;
        }
    }
    let zone = &s[end..];
    let zone_ok = match zone.as_bytes() {
        [] | [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    };
    if !zone_ok {
        return None;
    }
    let zone = if zone.is_empty() { "Z" } else { zone };
    Some(format!("{}T{}{zone}", &s[..10], &s[11..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_offsets_timestamps() {
        assert_eq!(calendar_date(2024, 2, 29).as_deref(), Some("2024-02-29"));
        assert_eq!(calendar_date(1900, 2, 29), None);
        assert_eq!(calendar_date(2011, 13, 1), None);
        assert_eq!(
            timestamp("2011-12-06".into(), Some("14:24:00".into()), Some("-05:00")),
            "2011-12-06T14:24:00-05:00"
        );
        assert_eq!(
            timestamp("2011-12-06".into(), Some("14:24:00".into()), None),
            "2011-12-06"
        );
        assert!(valid_offset("-05:00") && valid_offset("Z") && !valid_offset("0500"));
        assert_eq!(
            to_rfc3339("2024-03-01 10:11:12").as_deref(),
            Some("2024-03-01T10:11:12Z")
        );
        assert_eq!(
            to_rfc3339("2024-03-01T10:11:12.5+02:00").as_deref(),
            Some("2024-03-01T10:11:12.5+02:00")
        );
        assert_eq!(to_rfc3339("2024-03-01").as_deref(), Some("2024-03-01"));
        assert_eq!(to_rfc3339("01/03/2024"), None);
    }
}
