//! Rows as column → JSON value and back, for the tables the edge ships up and pulls down.
//! Column names come from the database's own catalogue and are checked to be plain
//! identifiers before they are written into SQL.

use crate::{Result, StoreError};
use serde_json::{Map, Value};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Column, Row};

pub(super) type Body = Map<String, Value>;

/// A row of any shipped or flowed-down table as column → value.
pub(super) fn row_to_body(row: &AnyRow) -> Body {
    let mut m = Map::new();
    for (i, c) in row.columns().iter().enumerate() {
        let v = if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
            v.map_or(Value::Null, Value::from)
        } else if let Ok(v) = row.try_get::<Option<i32>, _>(i) {
            v.map_or(Value::Null, Value::from)
        } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
            v.map_or(Value::Null, Value::from)
        } else if let Ok(v) = row.try_get::<Option<String>, _>(i) {
            v.map_or(Value::Null, Value::from)
        } else if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
            v.map_or(Value::Null, |b| Value::from(i64::from(b)))
        } else {
            Value::Null
        };
        m.insert(c.name().to_string(), v);
    }
    m
}

/// Checks a table or column name before it is written into SQL.
pub(super) fn ident(name: &str) -> Result<&str> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(name)
    } else {
        Err(StoreError::Invalid(format!(
            "列名不合规 · not a column name: {name:?}"
        )))
    }
}

pub(super) fn bind<'q>(q: Query<'q, Any, AnyArguments>, v: &Value) -> Query<'q, Any, AnyArguments> {
    match v {
        // A NULL typed as a number is accepted by PostgreSQL for text columns too.
        Value::Null => q.bind(None::<i64>),
        Value::Bool(b) => q.bind(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => q.bind(i),
            None => q.bind(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => q.bind(s.clone()),
        other => q.bind(other.to_string()),
    }
}

/// `INSERT INTO tbl (cols) VALUES (…) ON CONFLICT (key) DO UPDATE SET …` for a row, keeping
/// the columns in `keep` as the target has them (written only on insert).
pub(super) fn upsert_sql(tbl: &str, key: &[&str], body: &Body, keep: &[&str]) -> Result<String> {
    let cols: Vec<&str> = body.keys().map(String::as_str).collect();
    multi_upsert_sql(tbl, key, &cols, keep, 1)
}

/// `INSERT INTO tbl (cols) VALUES (…), … ON CONFLICT (key) DO UPDATE SET …` for `rows`
/// rows, keeping the columns in `keep` as the target has them (written only on insert).
pub(super) fn multi_upsert_sql(
    tbl: &str,
    key: &[&str],
    cols: &[&str],
    keep: &[&str],
    rows: usize,
) -> Result<String> {
    let cols = cols.iter().map(|c| ident(c)).collect::<Result<Vec<_>>>()?;
    let sets: Vec<String> = cols
        .iter()
        .filter(|c| !key.contains(c) && !keep.contains(c))
        .map(|c| format!("{c} = EXCLUDED.{c}"))
        .collect();
    let action = if sets.is_empty() {
        "DO NOTHING".to_string()
    } else {
        format!("DO UPDATE SET {}", sets.join(", "))
    };
    let n = cols.len();
    let values: Vec<String> = (0..rows)
        .map(|r| format!("({})", crate::sql::placeholders(r * n + 1, n)))
        .collect();
    Ok(format!(
        "INSERT INTO {} ({}) VALUES {} ON CONFLICT ({}) {action}",
        ident(tbl)?,
        cols.join(", "),
        values.join(", "),
        key.join(", "),
    ))
}
