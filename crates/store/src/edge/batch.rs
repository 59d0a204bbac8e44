//! A shipped batch applied centrally in few statements: per table one multi-row
//! `INSERT … VALUES (…), (…) … ON CONFLICT (key) DO UPDATE`, chunked to stay well under
//! the bind limits (SQLite 32,766, PostgreSQL 65,535), instead of one statement per row.
//! Every shipped body is the whole row as it stood after the change, so a row changed
//! several times in one batch is written once, in its last version: the end state is the
//! one row-by-row application reaches (the queue-depth triggers count state changes, so
//! they end the same too), and PostgreSQL's upsert never meets one key twice in a statement.
//! Tables are applied parents first (tickets before their log, ratings and read-backs), rows
//! of a table in the order they first appear, so a transfer's record follows its source.

use super::values::{Body, bind, multi_upsert_sql};
use crate::Result;
use serde_json::Value;
use sqlx::{AnyConnection, AssertSqlSafe};
use std::collections::HashMap;

/// Binds per statement.
const MAX_BINDS: usize = 16_000;

/// One table's rows of a batch: each key once, in its last version, in first-seen order.
pub(super) struct TableRows {
    pub tbl: &'static str,
    key: &'static [&'static str],
    keep: &'static [&'static str],
    rows: Vec<Body>,
    at: HashMap<String, usize>,
}

impl TableRows {
    pub fn new(
        tbl: &'static str,
        key: &'static [&'static str],
        keep: &'static [&'static str],
    ) -> Self {
        Self {
            tbl,
            key,
            keep,
            rows: Vec::new(),
            at: HashMap::new(),
        }
    }

    /// Adds a row's newest version: it replaces an earlier one of the same key in place.
    pub fn push(&mut self, body: Body) {
        let k: Vec<&Value> = self
            .key
            .iter()
            .map(|c| body.get(*c).unwrap_or(&Value::Null))
            .collect();
        let k = serde_json::to_string(&k).unwrap_or_default();
        match self.at.get(&k) {
            Some(i) => self.rows[*i] = body,
            None => {
                self.at.insert(k, self.rows.len());
                self.rows.push(body);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Writes the rows: runs of rows with the same columns, each in statements of as many
    /// rows as the bind limit allows.
    pub async fn apply(&self, tx: &mut AnyConnection) -> Result<()> {
        let mut start = 0;
        while start < self.rows.len() {
            let cols: Vec<&String> = self.rows[start].keys().collect();
            let per = (MAX_BINDS / cols.len().max(1)).max(1);
            let mut end = start + 1;
            while end < self.rows.len()
                && end - start < per
                && self.rows[end].keys().eq(cols.iter().copied())
            {
                end += 1;
            }
            let chunk = &self.rows[start..end];
            let cols: Vec<&str> = cols.iter().map(|c| c.as_str()).collect();
            let sql = multi_upsert_sql(self.tbl, self.key, &cols, self.keep, chunk.len())?;
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for body in chunk {
                for v in body.values() {
                    q = bind(q, v);
                }
            }
            q.execute(&mut *tx).await?;
            start = end;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_row_changed_twice_is_written_once_in_its_last_version_where_it_first_came() {
        let mut t = TableRows::new("tickets", &["id"], &[]);
        for (id, state) in [
            (1, "waiting"),
            (2, "waiting"),
            (1, "called"),
            (1, "serving"),
        ] {
            let b = json!({"id": id, "state": state});
            t.push(b.as_object().unwrap().clone());
        }
        assert_eq!(t.len(), 2);
        assert_eq!(t.rows[0]["state"], "serving");
        assert_eq!(t.rows[1]["id"], 2);
    }

    #[test]
    fn one_statement_for_many_rows() {
        let sql = multi_upsert_sql("tickets", &["id"], &["id", "state"], &[], 3).unwrap();
        assert_eq!(
            sql,
            "INSERT INTO tickets (id, state) VALUES ($1, $2), ($3, $4), ($5, $6) \
             ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state"
        );
        assert!(multi_upsert_sql("tickets", &["id"], &["id; drop"], &[], 1).is_err());
    }
}
