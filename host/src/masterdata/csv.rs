//! Lookup tables from CSV: a header row, then `key,value` rows (RFC 4180
//! quoting: fields in double quotes may hold commas, quotes doubled, line
//! breaks), read with the `csv` crate. Extra columns, empty keys and
//! duplicate keys are errors naming the file and line, so a bad export
//! never half-maps a catalogue.

use std::{collections::HashMap, path::Path};

/// A table read from CSV: its header names and rows in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvTable {
    /// The header's two column names.
    pub header: (String, String),
    /// `(key, value)` rows in file order.
    pub rows: Vec<(String, String)>,
}

impl CsvTable {
    /// The rows as a map.
    pub fn to_map(&self) -> HashMap<String, String> {
        self.rows.iter().cloned().collect()
    }
}

/// Why a CSV file cannot be a lookup table.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    /// The file cannot be read.
    #[error("cannot read {file}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The content is wrong at a line.
    #[error("{file}:{line}: {reason}")]
    At {
        /// The file.
        file: String,
        /// 1-based line where the record starts.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

/// Reads a two-column CSV file (header row first).
pub fn read_csv(path: &Path) -> Result<CsvTable, CsvError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| CsvError::Io {
        file: file.clone(),
        source,
    })?;
    parse(&file, &bytes)
}

/// Parses CSV text; `file` names it in errors.
pub fn parse(file: &str, bytes: &[u8]) -> Result<CsvTable, CsvError> {
    let at = |line: usize, reason: String| CsvError::At {
        file: file.to_string(),
        line,
        reason,
    };
    let text = std::str::from_utf8(bytes)
        .map_err(|e| at(1, format!("not UTF-8 (byte {})", e.valid_up_to())))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = records(text)
        .map_err(|(line, reason)| at(line, reason))?
        .into_iter()
        // Blank lines, and lines holding only `""`, are no rows.
        .filter(|(_, r)| !(r.len() == 1 && r[0].is_empty()));
    let (hline, header) = records
        .next()
        .ok_or_else(|| at(1, "empty file: expected a header row `key,value`".into()))?;
    let [k, v] = two(header).map_err(|n| {
        at(
            hline,
            format!("the header has {n} columns; a lookup table has two (key,value)"),
        )
    })?;
    let mut table = CsvTable {
        header: (k, v),
        rows: Vec::new(),
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, record) in records {
        let [key, value] =
            two(record).map_err(|n| at(line, format!("{n} columns; expected 2 (key,value)")))?;
        let key = key.trim().to_string();
        if key.is_empty() {
            return Err(at(line, "empty key".into()));
        }
        if let Some(first) = seen.insert(key.clone(), line) {
            return Err(at(
                line,
                format!("key `{key}` appears twice (first on line {first})"),
            ));
        }
        table.rows.push((key, value.trim().to_string()));
    }
    Ok(table)
}

fn two(record: Vec<String>) -> Result<[String; 2], usize> {
    let n = record.len();
    <[String; 2]>::try_from(record).map_err(|_| n)
}

/// A record's fields with the line it starts on.
type Record = (usize, Vec<String>);

/// The records of `text`, each with the line it starts on.
///
/// The `csv` crate gives each record the position where the previous one
/// ended (before skipped blank lines and line ends), so the line is counted
/// here from the first byte of the record itself.
fn records(text: &str) -> Result<Vec<Record>, (usize, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text);
    let mut out = Vec::new();
    let mut last_start = None;
    for record in reader.records() {
        let record = record.map_err(|e| {
            let byte = e.position().map_or(0, |p| p.byte() as usize);
            (lines.line_at(record_start(text, byte)), e.to_string())
        })?;
        let byte = record.position().map_or(0, |p| p.byte() as usize);
        let start = record_start(text, byte);
        last_start = Some(start);
        out.push((
            lines.line_at(start),
            record.iter().map(str::to_string).collect(),
        ));
    }
    // The `csv` crate takes a quote left open to the end of the input as the
    // last field; such a file is cut short, so it is refused.
    if let Some(start) = last_start.filter(|&s| quote_left_open(&text[s..])) {
        return Err((lines.line_at(start), "a quoted field is not closed".into()));
    }
    Ok(out)
}

/// The first byte of the record whose reported position is `byte`: past
/// the line ends (and blank lines) the reader skipped.
fn record_start(text: &str, byte: usize) -> usize {
    let rest = text.get(byte..).unwrap_or_default();
    byte + (rest.len() - rest.trim_start_matches(['\r', '\n']).len())
}

/// Whether the record at the start of `rest` opens a quoted field it never
/// closes (a quote opens a field only at its start, as in the `csv` crate).
fn quote_left_open(rest: &str) -> bool {
    let mut bytes = rest.bytes().peekable();
    let (mut quoted, mut field_start) = (false, true);
    while let Some(b) = bytes.next() {
        if quoted {
            if b == b'"' {
                if bytes.peek() == Some(&b'"') {
                    bytes.next();
                } else {
                    quoted = false;
                }
            }
            continue;
        }
        match b {
            b'"' if field_start => (quoted, field_start) = (true, false),
            b',' | b'\r' | b'\n' => field_start = true,
            _ => field_start = false,
        }
    }
    quoted
}

/// 1-based line numbers of byte offsets, asked in increasing order; a line
/// ends at `\n`, `\r\n` or a lone `\r` (the line ends the `csv` crate reads).
struct LineCounter<'a> {
    text: &'a str,
    at: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter {
            text,
            at: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if byte > self.at {
            let seen = &self.text.as_bytes()[self.at..byte];
            let lone_cr = |i: usize| {
                seen[i] == b'\r' && self.text.as_bytes().get(self.at + i + 1) != Some(&b'\n')
            };
            self.line += (0..seen.len())
                .filter(|&i| seen[i] == b'\n' || lone_cr(i))
                .count();
            self.at = byte;
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_bom_crlf_and_blank_lines() {
        let t = parse(
            "t.csv",
            "\u{feff}channel_sku,erp_item\r\nA,1\r\n\r\n\"B,2\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",3\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(t.header, ("channel_sku".into(), "erp_item".into()));
        assert_eq!(
            t.rows,
            vec![
                ("A".into(), "1".into()),
                ("B,2".into(), "say \"hi\"".into()),
                ("multi\nline".into(), "3".into())
            ]
        );
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = parse("t.csv", b"k,v\nA,1\nB,2,3\n").unwrap_err();
        assert_eq!(e.to_string(), "t.csv:3: 3 columns; expected 2 (key,value)");
        let e = parse("t.csv", b"k,v\nA,1\nA,2\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.csv:3: key `A` appears twice (first on line 2)"
        );
        let e = parse("t.csv", b"k,v\n,1\n").unwrap_err();
        assert_eq!(e.to_string(), "t.csv:2: empty key");
        let e = parse("t.csv", b"").unwrap_err();
        assert!(e.to_string().contains("empty file"), "{e}");
        let e = parse("t.csv", b"k,v\n\"A,1\n").unwrap_err();
        assert_eq!(e.to_string(), "t.csv:2: a quoted field is not closed");
    }

    #[test]
    fn lines_count_past_blank_lines_crlf_and_quoted_line_breaks() {
        let e = parse("t.csv", b"k,v\r\n\r\n\r\nA,1\r\nA,2\r\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.csv:5: key `A` appears twice (first on line 4)"
        );
        let e = parse("t.csv", b"k,v\n\"a\nb\",1\n\nc,2,3\n").unwrap_err();
        assert_eq!(e.to_string(), "t.csv:5: 3 columns; expected 2 (key,value)");
        let e = parse("t.csv", b"\n\nk\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.csv:3: the header has 1 columns; a lookup table has two (key,value)"
        );
        let e = parse("t.csv", b"k,v\n\"\"\n \n").unwrap_err();
        assert_eq!(e.to_string(), "t.csv:3: 1 columns; expected 2 (key,value)");
        let e = parse("t.csv", b"k,v\nA,1\n\xff,2\n").unwrap_err();
        assert_eq!(e.to_string(), "t.csv:1: not UTF-8 (byte 8)");
    }

    #[test]
    fn quotes_inside_fields_and_closed_quotes_are_not_open() {
        let t = parse("t.csv", b"k,v\na\"b,\"x\"\"\"\n\"c\"d,2").unwrap();
        assert_eq!(
            t.rows,
            vec![("a\"b".into(), "x\"".into()), ("cd".into(), "2".into())]
        );
        let e = parse("t.csv", b"k,v\nA,\"1\n\n").unwrap_err();
        assert_eq!(e.to_string(), "t.csv:2: a quoted field is not closed");
    }

    #[test]
    fn a_missing_file_is_named_with_its_cause_as_source() {
        let e = read_csv(Path::new("/no/such/dir/t.csv")).unwrap_err();
        assert_eq!(e.to_string(), "cannot read /no/such/dir/t.csv");
        assert!(std::error::Error::source(&e).is_some());
    }
}
