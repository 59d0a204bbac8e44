//! What an import or a saved version changes, decided before anything is written, so a bad
//! file changes nothing.

use super::{CatalogueEntry, CatalogueError, is_locked, parse_date};
use chrono::NaiveDate;

/// One write of an import plan. `usize` indexes the existing versions passed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Insert(CatalogueEntry),
    Replace(usize, CatalogueEntry),
    /// A future version the file no longer has.
    Delete(usize),
}

fn key(e: &CatalogueEntry) -> (&str, &str) {
    (e.business_type.as_str(), e.effective_from.trim())
}

/// Plans replacing the hall's catalogue with `file`'s entries (already validated one by
/// one). Versions in effect are kept as they are: the file may repeat them unchanged or
/// leave them out, but not change them, and may not add versions dated before `today`.
/// Future versions the file leaves out are deleted.
pub fn plan_import(
    existing: &[CatalogueEntry],
    file: &[CatalogueEntry],
    today: NaiveDate,
) -> Result<Vec<Change>, CatalogueError> {
    let mut changes = Vec::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (i, e) in file.iter().enumerate() {
        let at = format!("entries[{i}]");
        if seen.contains(&key(e)) {
            return Err(CatalogueError::new(
                at,
                format!(
                    "重复：文件中前面已有此业务类型同一生效日期的版本 duplicate: {} already has a version effective {} earlier in the file",
                    e.business_type, e.effective_from
                ),
            ));
        }
        seen.push(key(e));
        changes.extend(plan_one(existing, e, today, &at)?);
    }
    for (i, old) in existing.iter().enumerate() {
        let from = parse_date(&old.effective_from).unwrap_or(NaiveDate::MIN);
        if !is_locked(from, today) && !seen.contains(&key(old)) {
            changes.push(Change::Delete(i));
        }
    }
    Ok(changes)
}

/// Plans saving one version from the admin screen: a new version, or a change to a version
/// not yet in effect.
pub fn plan_save(
    existing: &[CatalogueEntry],
    entry: &CatalogueEntry,
    today: NaiveDate,
) -> Result<Vec<Change>, CatalogueError> {
    plan_one(existing, entry, today, "entry")
}

fn plan_one(
    existing: &[CatalogueEntry],
    e: &CatalogueEntry,
    today: NaiveDate,
    at: &str,
) -> Result<Vec<Change>, CatalogueError> {
    let from = parse_date(&e.effective_from)
        .map_err(|why| CatalogueError::new(format!("{at}.effective_from"), why))?;
    let mut e = e.clone();
    e.effective_from = from.format("%Y-%m-%d").to_string();
    match existing.iter().position(|o| key(o) == key(&e)) {
        Some(i) if existing[i] == e => Ok(vec![]),
        Some(_) if is_locked(from, today) => Err(CatalogueError::new(
            format!("{at}.effective_from"),
            format!(
                "该版本已生效并锁定，请新建一个生效日期在 {today} 之后的版本 the version of {} effective {} is already in effect and locked; make a new version dated after {today}",
                e.business_type, e.effective_from
            ),
        )),
        Some(i) => Ok(vec![Change::Replace(i, e)]),
        None if from < today => Err(CatalogueError::new(
            format!("{at}.effective_from"),
            format!(
                "生效日期已过：已告知客户的内容不能改写，请新建生效日期为 {today} 或以后的版本 {} is in the past: what customers were told then cannot be rewritten; date a new version {today} or later",
                e.effective_from
            ),
        )),
        None => Ok(vec![Change::Insert(e)]),
    }
}
