//! RFC 3339 timestamps (`2008-01-10T11:00:00-05:00`, `2024-03-01T08:15:30.5Z`)
//! and plain `YYYY-MM-DD` dates, checked field by field (calendar included).

/// Whether `s` is an RFC 3339 `date-time` or a `full-date`.
pub fn is_date_or_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.get(..10), b.get(10), b.get(11..)) {
        (Some(date), None, _) => is_date(date),
        (Some(date), Some(b'T' | b't'), Some(time)) => is_date(date) && is_time(time),
        _ => false,
    }
}

/// `YYYY-MM-DD` with a real month and day.
fn is_date(b: &[u8]) -> bool {
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (num(b, 0, 4), num(b, 5, 2), num(b, 8, 2)) else {
        return false;
    };
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

/// `HH:MM:SS[.fraction](Z|±HH:MM)`.
fn is_time(b: &[u8]) -> bool {
    if b.get(2) != Some(&b':') || b.get(5) != Some(&b':') {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (num(b, 0, 2), num(b, 3, 2), num(b, 6, 2))
    else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = b.get(8..).unwrap_or_default();
    if let Some(frac) = rest.strip_prefix(b".") {
        let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        rest = frac.get(digits..).unwrap_or_default();
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', offset @ ..] => {
            offset.len() == 5
                && offset.get(2) == Some(&b':')
                && num(offset, 0, 2).is_some_and(|h| h <= 23)
                && num(offset, 3, 2).is_some_and(|m| m <= 59)
        }
        _ => false,
    }
}

/// The decimal number in `b[start..start + len]`, all ASCII digits.
fn num(b: &[u8], start: usize, len: usize) -> Option<u32> {
    let digits = b.get(start..start + len)?;
    digits.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::is_date_or_datetime as ok;

    #[test]
    fn accepts_rfc3339_and_dates() {
        for s in [
            "2008-01-10T11:00:00-05:00",
            "2025-07-02T11:31:25Z",
            "2024-02-29T23:59:60.123+14:00",
            "2024-02-29",
            "2000-02-29t00:00:00z",
        ] {
            assert!(ok(s), "{s}");
        }
    }

    #[test]
    fn rejects_everything_else() {
        for s in [
            "",
            "2023-02-29",
            "1900-02-29",
            "2024-13-01",
            "2024-04-31",
            "2024-01-00",
            "2024-1-01",
            "2017-01-01 10:00:00",
            "2024-01-01T10:00:00",
            "2024-01-01T24:00:00Z",
            "2024-01-01T10:00:00.Z",
            "2024-01-01T10:00:00+0500",
            "2024-01-01T10:00:00+05:00x",
            "2024-01-01T",
            "01/02/2024",
            "2024-01-01Té",
            "２０２４-01-01",
        ] {
            assert!(!ok(s), "{s}");
        }
    }
}
