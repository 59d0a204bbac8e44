//! Appending one record inside the caller's transaction: the write and the record that
//! speaks for it commit together or not at all. Later features (scores, weights,
//! adjustments) call [`append`] the same way.
//!
//! Serialising appends: the chain's `audit_heads` row is the lock. On PostgreSQL it is
//! read `FOR UPDATE` (created first if missing, so two first appends cannot both start a
//! chain); on SQLite the store's single writer already serialises every write. The unique
//! (chain, seq) index is the last guard: a fork fails the transaction instead of landing.

use super::sources;
use crate::Result;
use crate::sql::WriteTx;
use servicehall_domain::audit::{GENESIS, Head, digest};

/// What an audited write says about itself.
pub(crate) struct Append<'a> {
    /// `None`: the deployment chain (0).
    pub hall: Option<i64>,
    /// e.g. `rating`, `case.event`, `observation`, `inspection.submitted`, `staff.changed`.
    pub kind: &'a str,
    /// One line a supervisor reads on the audit page.
    pub subject: String,
    /// The row the record pins (its fields' digest is chained); `None` when the record is
    /// its own source.
    pub source: Option<(&'static str, i64)>,
}

/// The chain's head, locked for the rest of the transaction.
pub(crate) async fn lock_head(w: &mut WriteTx, chain: i64) -> Result<(Head, i64)> {
    sqlx::query("INSERT INTO audit_heads (chain, seq, hash, sealed_through) VALUES ($1, 0, $2, 0) ON CONFLICT (chain) DO NOTHING")
        .bind(chain)
        .bind(GENESIS)
        .execute(&mut *w.tx)
        .await?;
    let sql = if w.postgres {
        "SELECT seq, hash, sealed_through FROM audit_heads WHERE chain = $1 FOR UPDATE"
    } else {
        "SELECT seq, hash, sealed_through FROM audit_heads WHERE chain = $1"
    };
    let (seq, hash, sealed): (i64, String, i64) = sqlx::query_as(sql)
        .bind(chain)
        .fetch_one(&mut *w.tx)
        .await?;
    Ok((Head { chain, seq, hash }, sealed))
}

/// The extra columns of a sealed batch.
#[derive(Default)]
pub(crate) struct Sealed {
    pub to: Option<i64>,
    pub list: String,
}

/// Appends one record to the hall's (or the deployment) chain in `w`; returns the new head.
pub(crate) async fn append(w: &mut WriteTx, a: Append<'_>, now: i64) -> Result<Head> {
    let chain = a.hall.unwrap_or(0);
    let (head, _) = lock_head(w, chain).await?;
    let d = match a.source {
        Some((table, id)) => sources::row(&mut w.tx, table, id).await?.ok_or_else(|| {
            crate::StoreError::NotFound(format!(
                "要记录的数据不存在 · the row to record is missing: {table} #{id}"
            ))
        })?,
        None => digest(a.kind, &[("subject", Some(a.subject.clone()))]),
    };
    write(w, &head, a, d, Sealed::default(), now).await
}

/// Writes the record after `head` and moves the head.
pub(crate) async fn write(
    w: &mut WriteTx,
    head: &Head,
    a: Append<'_>,
    digest: String,
    sealed: Sealed,
    now: i64,
) -> Result<Head> {
    let (actor, origin) = super::current_origin();
    let e = head.next(now, &actor, &origin, a.kind, &a.subject, digest);
    let hash = e.hash();
    let (table, id) = a.source.map_or(("", None), |(t, id)| (t, Some(id)));
    sqlx::query(
        "INSERT INTO audit_records (chain, seq, prev_hash, hash, at, actor, origin, kind, subject, digest, source_table, source_id, source_to, sealed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(e.chain)
    .bind(e.seq)
    .bind(&e.prev_hash)
    .bind(&hash)
    .bind(e.at)
    .bind(&e.actor)
    .bind(&e.origin)
    .bind(&e.kind)
    .bind(&e.subject)
    .bind(&e.digest)
    .bind(table)
    .bind(id)
    .bind(sealed.to)
    .bind(&sealed.list)
    .execute(&mut *w.tx)
    .await?;
    sqlx::query("UPDATE audit_heads SET seq = $1, hash = $2, sealed_through = COALESCE($3, sealed_through) WHERE chain = $4")
        .bind(e.seq)
        .bind(&hash)
        .bind(sealed.to)
        .bind(e.chain)
        .execute(&mut *w.tx)
        .await?;
    Ok(Head {
        chain: e.chain,
        seq: e.seq,
        hash,
    })
}
