//! The SQLite issuer's connection: opening it (`open`, and `file_of`, whether a URL has a
//! file a second connection can see) and running the shared `$n` statements on it with
//! cached prepared statements (`exec`, `insert`, `row`, `one`). Used by the issuer
//! (sqlite_issuer.rs), its queue reads (sqlite_queues.rs), its thread (sqlite_thread.rs)
//! and `SqlStore::connect` (sql/mod.rs).

use crate::{Result, StoreError};
use rusqlite::{Connection, ToSql};

/// Runs a statement with `$1…$n` bound by name: SQLite numbers named parameters by first
/// appearance, and the shared statements may use `$3` before `$1`.
pub(crate) fn exec(c: &Connection, sql: &str, args: &[&dyn ToSql]) -> rusqlite::Result<usize> {
    let mut stmt = c.prepare_cached(sql)?;
    bind(&mut stmt, args)?;
    stmt.raw_execute()
}

/// Runs an `INSERT` of one row and gives its rowid.
pub(crate) fn insert(c: &Connection, sql: &str, args: &[&dyn ToSql]) -> rusqlite::Result<i64> {
    exec(c, sql, args)?;
    Ok(c.last_insert_rowid())
}

/// The first row of a statement, read by `f`; `Ok(None)` when there is none.
pub(crate) fn row<T>(
    c: &Connection,
    sql: &str,
    args: &[&dyn ToSql],
    f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Option<T>> {
    let mut stmt = c.prepare_cached(sql)?;
    bind(&mut stmt, args)?;
    let mut rows = stmt.raw_query();
    rows.next()?.map(f).transpose()
}

/// [`row`] for a statement that always returns one row.
pub(crate) fn one<T: rusqlite::types::FromSql>(
    c: &Connection,
    sql: &str,
    args: &[&dyn ToSql],
) -> rusqlite::Result<T> {
    row(c, sql, args, |r| r.get(0))?.ok_or(rusqlite::Error::QueryReturnedNoRows)
}

/// Binds `args[k-1]` to `$k`. SQLite numbers parameters by first appearance and a shared
/// statement may use `$3` before `$1`, so each parameter's name says which value it takes;
/// read without allocating, since this runs for every value of every ticket.
pub(crate) fn bind(
    stmt: &mut rusqlite::CachedStatement<'_>,
    args: &[&dyn ToSql],
) -> rusqlite::Result<()> {
    if stmt.parameter_count() != args.len() {
        return Err(rusqlite::Error::InvalidParameterCount(
            args.len(),
            stmt.parameter_count(),
        ));
    }
    for idx in 1..=args.len() {
        let name = stmt.parameter_name(idx).unwrap_or("");
        let k = name
            .strip_prefix('$')
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|k| (1..=args.len()).contains(k))
            .ok_or_else(|| rusqlite::Error::InvalidParameterName(name.to_string()))?;
        stmt.raw_bind_parameter(idx, args[k - 1])?;
    }
    Ok(())
}

pub(crate) fn db(e: rusqlite::Error) -> StoreError {
    StoreError::Db(sqlx::Error::Protocol(format!(
        "取号写入线程出错 · sqlite issuer: {e}"
    )))
}

/// The file behind a `sqlite:` URL, or `None` for an in-memory database (which a second
/// connection could not see).
pub(crate) fn file_of(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then(|| path.to_string())
}

/// Opens the issuer's connection with the pool's settings (sql/mod.rs).
pub(crate) fn open(path: &str) -> Result<Connection> {
    let conn = Connection::open(path).map_err(db)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(db)?;
    // temp_store=MEMORY keeps statement journals (a trigger's statement needs one) off disk.
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;",
    )
    .map_err(db)?;
    conn.set_prepared_statement_cache_capacity(32);
    Ok(conn)
}
