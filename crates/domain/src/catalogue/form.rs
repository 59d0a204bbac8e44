//! The administrator's field form for one catalogue entry, read back into an entry. Field
//! names are the paths the entry's checks report (`fees[0].basis`,
//! `documents.resident[1].name`), so every message lands next to its field. Amounts are
//! typed in yuan and kept in fen.

use super::entry::{CatalogueEntry, Channel, ClassDocuments, Document, Fee};
use crate::cases::CustomerClass;
use std::collections::BTreeMap;

/// A message for one field of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name in the form, e.g. `fees[0].yuan`.
    pub field: String,
    pub why: String,
}

/// `12`, `12.5` or `12.50` yuan (also with ¥ or commas) as fen; empty or 免费 is 0.
pub fn parse_yuan(raw: &str) -> Result<i64, String> {
    let s: String = raw
        .trim()
        .trim_start_matches(['¥', '￥'])
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    if s.is_empty() || s == "免费" {
        return Ok(0);
    }
    let bad = || {
        format!(
            "金额格式有误，请按元填写，例如 260 或 12.50 {raw:?} is not an amount in yuan; write e.g. 260 or 12.50 (0 = 免费)"
        )
    };
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty()
        || whole.len() > 9
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let yuan: i64 = whole.parse().map_err(|_| bad())?;
    let fen: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    Ok(yuan * 100 + fen)
}

/// Fen as the form shows them: `12.50`, `260` for whole yuan, `0` for free.
pub fn yuan_field(fen: i64) -> String {
    if fen % 100 == 0 {
        (fen / 100).to_string()
    } else {
        format!("{}.{:02}", fen / 100, fen % 100)
    }
}

/// The amounts as typed in the fee rows that [`entry_from_fields`] keeps, numbered as it
/// numbers them, so a refused amount is shown back as typed rather than as 0 (免费).
pub fn typed_fee_amounts(fields: &[(String, String)]) -> Vec<String> {
    let mut rows: BTreeMap<usize, [String; 3]> = BTreeMap::new();
    for (k, v) in fields {
        let Some(("fees", i, field)) = indexed(k) else {
            continue;
        };
        let slot = match field {
            "item" => 0,
            "yuan" => 1,
            "basis" => 2,
            _ => continue,
        };
        rows.entry(i).or_default()[slot] = v.trim().to_string();
    }
    rows.into_values()
        .filter(|r| r.iter().any(|x| !x.is_empty()))
        .map(|[_, yuan, _]| yuan)
        .collect()
}

/// `name[12].rest` → (`name`, 12, `rest`).
fn indexed(key: &str) -> Option<(&str, usize, &str)> {
    let (head, tail) = key.split_once('[')?;
    let (i, rest) = tail.split_once(']')?;
    Some((
        head,
        i.parse().ok()?,
        rest.strip_prefix('.').unwrap_or(rest),
    ))
}

#[derive(Default)]
struct FeeDraft {
    item: String,
    yuan: String,
    basis: String,
    sample: bool,
    classes: Vec<String>,
}

/// Reads the form's fields (in the order posted) into an entry, with a message for each
/// field that cannot be read; a field left bad reads as empty or 0 so the preview still
/// shows the rest. Rows are kept in the order of their numbers; empty document rows (no
/// name, no note) and empty fee rows are dropped, so a blank row added by mistake is not an
/// error.
pub fn entry_from_fields(fields: &[(String, String)]) -> (CatalogueEntry, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut err = |field: &str, why: String| {
        errors.push(FieldError {
            field: field.into(),
            why,
        })
    };
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut channels = Vec::new();
    let mut offered: Vec<CustomerClass> = Vec::new();
    let mut docs: BTreeMap<(usize, usize), Document> = BTreeMap::new();
    let mut fees: BTreeMap<usize, FeeDraft> = BTreeMap::new();
    for (k, v) in fields {
        let v = v.trim();
        if k == "channels" {
            match v {
                "hall" => channels.push(Channel::Hall),
                "app" => channels.push(Channel::App),
                "95598" => channels.push(Channel::Hotline),
                _ => err(
                    "channels",
                    format!(
                        "没有这个办理渠道，应为营业厅、掌上电力或 95598 unknown channel {v:?}; hall, app or 95598"
                    ),
                ),
            }
        } else if k == "offered" {
            match v.parse::<CustomerClass>() {
                Ok(c) => offered.push(c),
                Err(e) => err("offered", e),
            }
        } else if let Some(rest) = k.strip_prefix("documents.") {
            let Some((class, i, field)) = indexed(rest) else {
                continue;
            };
            let Some(ci) = CustomerClass::ALL.iter().position(|c| c.as_str() == class) else {
                err(
                    k,
                    format!("没有这种客户类别 unknown customer class {class:?}"),
                );
                continue;
            };
            let d = docs.entry((ci, i)).or_insert(Document {
                name: String::new(),
                note: String::new(),
            });
            match field {
                "name" => d.name = v.into(),
                "note" => d.note = v.into(),
                _ => {}
            }
        } else if let Some((head, i, field)) = indexed(k)
            && head == "fees"
        {
            let f = fees.entry(i).or_default();
            match field {
                "item" => f.item = v.into(),
                "yuan" => f.yuan = v.into(),
                "basis" => f.basis = v.into(),
                "sample" => f.sample = v == "true" || v == "on",
                "classes" => f.classes.push(v.into()),
                _ => {}
            }
        }
    }
    let mut documents = ClassDocuments::default();
    for (ci, class) in CustomerClass::ALL.into_iter().enumerate() {
        let rows: Vec<Document> = docs
            .range((ci, 0)..(ci, usize::MAX))
            .map(|(_, d)| d.clone())
            .filter(|d| !d.name.is_empty() || !d.note.is_empty())
            .collect();
        let list = offered.contains(&class).then_some(rows);
        match class {
            CustomerClass::Resident => documents.resident = list,
            CustomerClass::LowVoltage => documents.low_voltage = list,
            CustomerClass::HvSingle => documents.hv_single = list,
            CustomerClass::HvDual => documents.hv_dual = list,
        }
    }
    let mut out_fees = Vec::new();
    for f in fees.into_values() {
        if f.item.is_empty() && f.yuan.is_empty() && f.basis.is_empty() {
            continue;
        }
        // Numbered as the entry's checks will number them: the dropped rows do not count.
        let at = out_fees.len();
        let fen = parse_yuan(&f.yuan).unwrap_or_else(|e| {
            err(&format!("fees[{at}].yuan"), e);
            0
        });
        let mut classes = Vec::new();
        for c in &f.classes {
            match c.parse::<CustomerClass>() {
                Ok(c) => classes.push(c),
                Err(e) => err(&format!("fees[{at}].classes"), e),
            }
        }
        out_fees.push(Fee {
            item: f.item,
            fen,
            basis: f.basis,
            sample: f.sample,
            classes,
        });
    }
    let entry = CatalogueEntry {
        business_type: one("business_type"),
        effective_from: one("effective_from"),
        description: one("description"),
        description_en: one("description_en"),
        who_may_apply: one("who_may_apply"),
        documents,
        fees: out_fees,
        channels,
        online: one("online"),
        notes: one("notes"),
    };
    (entry, errors)
}

/// The form field a check's path names: `entry.fees[0].fen` → `fees[0].yuan`.
pub fn field_of(at: &str) -> String {
    let at = at.strip_prefix("entry.").unwrap_or(at);
    match at.strip_suffix(".fen") {
        Some(fee) => format!("{fee}.yuan"),
        None => at.to_string(),
    }
}
