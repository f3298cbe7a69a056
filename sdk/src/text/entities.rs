//! HTML character references (`&amp;`, `&#039;`, `&ndash;`, `&#x2013;`),
//! as shops leave them in names and addresses.

use std::borrow::Cow;

/// The longest reference name looked at (`&thetasym;` is the longest
/// common one); a longer run before `;` is left as text.
const MAX_REF: usize = 10;

/// `s` with every known character reference replaced by its character;
/// unknown or malformed references stay as they are. Decodes once:
/// `&amp;amp;` becomes `&amp;`.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after
            .char_indices()
            .take(MAX_REF + 1)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        match end.and_then(|end| reference(&after[..end]).map(|c| (end, c))) {
            Some((end, c)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character a reference (between `&` and `;`) stands for.
fn reference(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "times" => '×',
        "divide" => '÷',
        "minus" => '−',
        "deg" => '°',
        "plusmn" => '±',
        "middot" => '·',
        "bull" => '•',
        "trade" => '™',
        "reg" => '®',
        "copy" => '©',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "sup2" => '²',
        "sup3" => '³',
        "micro" => 'µ',
        "ordf" => 'ª',
        "ordm" => 'º',
        "iexcl" => '¡',
        "iquest" => '¿',
        "shy" => '\u{ad}',
        "szlig" => 'ß',
        _ => return latin_letter(name),
    };
    Some(c)
}

/// Accented Latin-1 letters: `eacute`, `Uuml`, `ccedil`, `ntilde`, …
fn latin_letter(name: &str) -> Option<char> {
    let mut chars = name.chars();
    let base = chars.next()?;
    let accent = chars.as_str();
    const TABLE: &[(&str, &str, &str)] = &[
        // accent, base letters, their accented forms (same order)
        ("grave", "aeiouAEIOU", "àèìòùÀÈÌÒÙ"),
        ("acute", "aeiouyAEIOUY", "áéíóúýÁÉÍÓÚÝ"),
        ("circ", "aeiouAEIOU", "âêîôûÂÊÎÔÛ"),
        ("tilde", "anoANO", "ãñõÃÑÕ"),
        ("uml", "aeiouyAEIOUY", "äëïöüÿÄËÏÖÜŸ"),
        ("ring", "aA", "åÅ"),
        ("cedil", "cC", "çÇ"),
        ("slash", "oO", "øØ"),
    ];
    match name {
        "aelig" => return Some('æ'),
        "AElig" => return Some('Æ'),
        "oelig" => return Some('œ'),
        "OElig" => return Some('Œ'),
        "eth" => return Some('ð'),
        "ETH" => return Some('Ð'),
        "thorn" => return Some('þ'),
        "THORN" => return Some('Þ'),
        _ => {}
    }
    let (_, bases, accented) = TABLE.iter().find(|(a, _, _)| *a == accent)?;
    let pos = bases.chars().position(|b| b == base)?;
    accented.chars().nth(pos)
}

#[cfg(test)]
mod tests {
    use super::decode_entities as decode;

    #[test]
    fn decodes_named_and_numeric_references() {
        assert_eq!(decode("Tom &amp; Jerry"), "Tom & Jerry");
        assert_eq!(decode("O&#039;Brien"), "O'Brien");
        assert_eq!(
            decode("Ship Your Idea &ndash; Black"),
            "Ship Your Idea – Black"
        );
        assert_eq!(
            decode("&#x2013;&#X41;&eacute;&Uuml;&ccedil;&szlig;"),
            "–Aé Üçß".replace(' ', "")
        );
        assert_eq!(decode("Woo Album #2 &times; 1"), "Woo Album #2 × 1");
        assert_eq!(decode("&amp;amp;"), "&amp;");
    }

    #[test]
    fn leaves_unknown_and_malformed_references() {
        for s in [
            "AT&T",
            "a & b",
            "&bogus;",
            "&#;",
            "&#xZZ;",
            "&#0;",
            "&#55296;",
            "&",
            "x&amp",
            "&verylongnamehere;",
        ] {
            assert_eq!(decode(s), s);
        }
        assert!(matches!(decode("plain"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(decode("é&amp;ü"), "é&ü");
    }
}
