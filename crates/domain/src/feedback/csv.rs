//! A small RFC 4180 reader: commas, double-quoted fields with `""` escapes and line
//! breaks inside quotes, CRLF or LF, an optional UTF-8 BOM. Each record keeps the line it
//! starts on, so a bad row can be reported by its line.

/// One record and the (1-based) line it starts on.
pub type Record = (usize, Vec<String>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "第 {line} 行有未闭合的引号，请检查该行的引号 line {line}: a quoted field is not closed; check the quotes on that row"
)]
pub struct CsvError {
    pub line: usize,
}

/// Splits `text` into records; blank lines are skipped.
pub fn parse(text: &str) -> Result<Vec<Record>, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut field = String::new();
    let mut record: Vec<String> = Vec::new();
    let mut line = 1;
    let mut start = 1;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let end_record =
        |record: &mut Vec<String>, field: &mut String, out: &mut Vec<Record>, start| {
            record.push(std::mem::take(field));
            let r = std::mem::take(record);
            if !(r.len() == 1 && r[0].trim().is_empty()) {
                out.push((start, r));
            }
        };
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                end_record(&mut record, &mut field, &mut out, start);
                line += 1;
                start = line;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(CsvError { line: start });
    }
    if !field.is_empty() || !record.is_empty() {
        end_record(&mut record, &mut field, &mut out, start);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_commas_newlines_and_lines() {
        let t = "\u{feff}a,b\r\n1,\"x, \"\"y\"\"\"\r\n\r\n2,\"two\nlines\"\n3,z";
        let r = parse(t).unwrap();
        assert_eq!(r[0], (1, vec!["a".into(), "b".into()]));
        assert_eq!(r[1], (2, vec!["1".into(), "x, \"y\"".into()]));
        assert_eq!(r[2], (4, vec!["2".into(), "two\nlines".into()]));
        assert_eq!(r[3], (6, vec!["3".into(), "z".into()]));
        assert_eq!(parse("a\n\"open").unwrap_err().line, 2);
    }
}
