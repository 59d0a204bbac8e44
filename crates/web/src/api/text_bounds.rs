//! Every text a JSON body carries has a bound, checked before the body reaches a handler:
//! a line or a note is at most [`MAX_TEXT`] characters; the few fields that hold a document
//! have their own, larger bound. The store checks the tighter limits of its own fields
//! (a title, a reason) on top of this.

use serde_json::Value;

/// The most characters of one text field: a note, a reason, a name, a line.
pub const MAX_TEXT: usize = 2000;

/// Fields that carry a document rather than a line, and their bounds.
const DOCUMENTS: &[(&str, usize)] = &[
    // A standard's text (the store allows 100,000).
    ("body", 100_000),
    // A calendar file being imported.
    ("text", 1_000_000),
    // An observation photo as a data URL (the web re-encodes it).
    ("photo", 300_000),
];

fn bound_of(field: &str) -> usize {
    DOCUMENTS
        .iter()
        .find(|(name, _)| *name == field)
        .map_or(MAX_TEXT, |(_, max)| *max)
}

/// The first text over its bound, as a message naming the field; `Ok` when all fit.
pub fn check(v: &Value) -> Result<(), String> {
    walk(v, "")
}

fn walk(v: &Value, field: &str) -> Result<(), String> {
    match v {
        Value::String(s) => {
            let max = bound_of(field);
            // Bytes bound characters from above: count only when it could matter.
            if s.len() > max && s.chars().count() > max {
                let name = if field.is_empty() { "text" } else { field };
                return Err(format!(
                    "字段 {name} 过长（最多 {max} 个字符） the field {name} is limited to {max} characters; shorten it"
                ));
            }
            Ok(())
        }
        Value::Array(items) => items.iter().try_for_each(|i| walk(i, field)),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| walk(v, k)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lines_are_bounded_and_documents_have_room() {
        let long = "老".repeat(MAX_TEXT + 1);
        let e = check(&json!({"green_reason": long})).unwrap_err();
        assert!(e.contains("green_reason") && e.contains("2000"), "{e}");
        assert!(check(&json!({"reason": "老".repeat(MAX_TEXT)})).is_ok());
        assert!(check(&json!({"body": "规".repeat(50_000)})).is_ok());
        // Nested in arrays and objects too, named by the field that holds it.
        let e = check(&json!({"items": [{"note": "x".repeat(MAX_TEXT + 5)}]})).unwrap_err();
        assert!(e.contains("note"), "{e}");
        let e = check(&json!({"reasons": ["a", "b".repeat(MAX_TEXT + 1)]})).unwrap_err();
        assert!(e.contains("reasons"), "{e}");
    }
}
