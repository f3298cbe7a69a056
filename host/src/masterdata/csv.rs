//! Lookup tables from CSV: a header row, then `key,value` rows (RFC 4180
//! quoting: fields in double quotes may hold commas, quotes doubled, line
//! breaks). Extra columns, empty keys and duplicate keys are errors naming
//! the file and line, so a bad export never half-maps a catalogue.

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
    #[error("cannot read {file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
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
    let records = records(text).map_err(|(line, reason)| at(line, reason))?;
    let mut records = records.into_iter().filter(|(_, r)| r != &[String::new()]);
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

/// Splits text into records with the line each starts on.
fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, (usize, String)> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut start = 1;
    let mut field = String::new();
    let mut record = Vec::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                out.push((start, std::mem::take(&mut record)));
                line += 1;
                start = line;
            }
            c => field.push(c),
        }
    }
    if quoted {
        return Err((start, "a quoted field is not closed".into()));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        out.push((start, record));
    }
    Ok(out)
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
}
