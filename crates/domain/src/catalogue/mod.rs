//! The service catalogue (业务公开 · 一次性告知): what each business type needs, costs and
//! takes, per customer class, in versions that take effect on a date. Process steps and
//! time limits are NOT here: they are the hall's case process (shared with cases), so the
//! public page and the case clocks can never disagree.
//!
//! Pure: versions, validation, the import plan and the repeat-trip rule.

mod entry;
mod form;
mod import;
mod repeat;
mod yaml;

pub use entry::{CatalogueEntry, Channel, ClassDocuments, Document, Fee, parse_date};
pub use form::{
    FieldError, entry_from_fields, field_of, parse_yuan, typed_fee_amounts, yuan_field,
};
pub use import::{Change, plan_import, plan_save};
pub use repeat::{
    DEFAULT_REPEAT_WINDOW_DAYS, PastVisit, VisitOutcome, normalize_contact, repeat_of,
};
pub use yaml::{
    CatalogueFile, entry_from_yaml, entry_to_yaml, from_yaml, to_yaml, with_entry_line,
};

use chrono::NaiveDate;

/// Where a catalogue is wrong and why, e.g. `entries[2].effective_from (line 14): …`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{zh} {at}{loc}: {why}", zh = line.map_or_else(|| "服务目录有误".to_string(), |l| format!("服务目录第 {l} 行有误")), loc = line.map(|l| format!(" (line {l})")).unwrap_or_default())]
pub struct CatalogueError {
    /// A path into the file or entry: `entries[2].fees[0].fen`.
    pub at: String,
    pub line: Option<usize>,
    pub why: String,
}

impl CatalogueError {
    pub fn new(at: impl Into<String>, why: impl Into<String>) -> Self {
        Self {
            at: at.into(),
            line: None,
            why: why.into(),
        }
    }
}

/// A version in effect (its date today or earlier) is locked: history is what customers
/// were told, so it is never rewritten; a change is a new version.
pub fn is_locked(effective_from: NaiveDate, today: NaiveDate) -> bool {
    effective_from <= today
}

/// The version of each business type in effect on `day`: the latest dated on or before it.
pub fn effective_on(versions: &[CatalogueEntry], day: NaiveDate) -> Vec<&CatalogueEntry> {
    let mut best: Vec<&CatalogueEntry> = Vec::new();
    for v in versions {
        let Ok(from) = parse_date(&v.effective_from) else {
            continue;
        };
        if from > day {
            continue;
        }
        match best.iter_mut().find(|b| b.business_type == v.business_type) {
            Some(b) if b.effective_from < v.effective_from => *b = v,
            Some(_) => {}
            None => best.push(v),
        }
    }
    best
}

#[cfg(test)]
mod tests;
