//! The two migration folders are written by hand, one per dialect; this checks that they
//! build the same schema: the same tables, the same columns in each, the same named indexes.
//! Types differ by design (INTEGER / BIGINT, BLOB / BYTEA) and are not compared.

use servicehall_store::SqlStore;
use std::collections::{BTreeMap, BTreeSet};

/// Table → (columns, named indexes).
type Schema = BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>;

async fn names(s: &SqlStore, sql: &str, arg: Option<&str>) -> BTreeSet<String> {
    let q = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql.to_string()));
    let q = match arg {
        Some(a) => q.bind(a.to_string()),
        None => q,
    };
    q.fetch_all(s.pool())
        .await
        .expect(sql)
        .into_iter()
        .collect()
}

async fn sqlite_schema(s: &SqlStore) -> Schema {
    let mut out = Schema::new();
    // SQLite keeps a full-text index's data in shadow tables of its virtual table; PostgreSQL
    // searches the base table. Both are left out: neither is a table the code writes to.
    let tables = names(
        s,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' \
         AND name NOT IN (SELECT name || suffix FROM sqlite_master, \
           (SELECT '_data' AS suffix UNION ALL SELECT '_idx' UNION ALL SELECT '_content' \
            UNION ALL SELECT '_docsize' UNION ALL SELECT '_config') \
           WHERE sql LIKE 'CREATE VIRTUAL TABLE%')",
        None,
    )
    .await;
    for t in tables {
        let cols = names(s, "SELECT name FROM pragma_table_info($1)", Some(&t)).await;
        let idx = names(
            s,
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 \
             AND name NOT LIKE 'sqlite_autoindex%'",
            Some(&t),
        )
        .await;
        out.insert(t, (cols, idx));
    }
    out
}

async fn postgres_schema(s: &SqlStore) -> Schema {
    let mut out = Schema::new();
    let tables = names(
        s,
        "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'",
        None,
    )
    .await;
    for t in tables {
        let cols = names(
            s,
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name = $1",
            Some(&t),
        )
        .await;
        // Indexes a constraint made (primary keys, UNIQUE columns) have no name in SQLite.
        let idx = names(
            s,
            "SELECT CAST(indexname AS TEXT) FROM pg_indexes i WHERE schemaname = 'public' \
             AND tablename = $1 AND NOT EXISTS \
             (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            Some(&t),
        )
        .await;
        out.insert(t, (cols, idx));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_folders_build_the_same_tables_columns_and_indexes() {
    let Some(pg) = crate::postgres().await else {
        return;
    };
    let lite = crate::sqlite().await;
    let (a, b) = (sqlite_schema(&lite).await, postgres_schema(&pg).await);
    assert!(a.len() > 20, "the schema was read: {:?}", a.keys());
    let tables: BTreeSet<_> = a.keys().chain(b.keys()).collect();
    let mut differences = Vec::new();
    for t in tables {
        match (a.get(t), b.get(t)) {
            (Some((ca, ia)), Some((cb, ib))) => {
                for c in ca.symmetric_difference(cb) {
                    differences.push(format!("{t}: column {c} in one dialect only"));
                }
                for i in ia.symmetric_difference(ib) {
                    differences.push(format!("{t}: index {i} in one dialect only"));
                }
            }
            (Some(_), None) => differences.push(format!("table {t} in SQLite only")),
            (None, Some(_)) => differences.push(format!("table {t} in PostgreSQL only")),
            (None, None) => {}
        }
    }
    assert!(differences.is_empty(), "{differences:#?}");
}
