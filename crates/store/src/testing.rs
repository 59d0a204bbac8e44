//! Databases for tests (feature `testing`): a fresh, migrated SQLite file or PostgreSQL
//! database per test, removed again when the [`TestStore`] is dropped, so test runs leave
//! nothing behind on a developer's machine or in CI's cluster. PostgreSQL runs when
//! `SERVICEHALL_TEST_PG` names a server (`postgres://user:pass@host/db`); the role needs
//! CREATEDB.

use crate::SqlStore;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

static SEQ: AtomicU32 = AtomicU32::new(0);

/// `sh_{tag}_{pid}_{n}`: unique in this run; the prefix lets CI sweep leftovers of killed runs.
fn unique(tag: &str) -> String {
    format!(
        "sh_{tag}_{}_{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::SeqCst)
    )
}

enum Place {
    File(PathBuf),
    Database { server: String, name: String },
}

/// A store on its own database, which goes when this does. Clones of [`TestStore::store`]
/// may outlive it: SQLite keeps an unlinked file readable, PostgreSQL's drop ends their
/// connections.
pub struct TestStore {
    store: SqlStore,
    place: Place,
}

impl TestStore {
    /// A migrated SQLite store on a new file in the temporary directory.
    pub async fn sqlite(tag: &str) -> Self {
        let path = std::env::temp_dir().join(format!("{}.db", unique(tag)));
        let store = SqlStore::connect(&format!("sqlite:{}", path.display()))
            .await
            .expect("open sqlite");
        store.migrate().await.expect("migrate sqlite");
        Self {
            store,
            place: Place::File(path),
        }
    }

    /// A migrated PostgreSQL store on a new database, or `None` (with a note naming `test`)
    /// when `SERVICEHALL_TEST_PG` is not set.
    pub async fn postgres(tag: &str, test: &str) -> Option<Self> {
        Self::postgres_with(tag, test, true).await
    }

    /// A new PostgreSQL database with no tables, as a fresh deployment finds it.
    pub async fn postgres_empty(tag: &str, test: &str) -> Option<Self> {
        Self::postgres_with(tag, test, false).await
    }

    async fn postgres_with(tag: &str, test: &str, migrate: bool) -> Option<Self> {
        let Ok(server) = std::env::var("SERVICEHALL_TEST_PG") else {
            eprintln!(
                "SKIPPED {test} on PostgreSQL: set SERVICEHALL_TEST_PG=postgres://user:pass@host/db to run it (CI does)"
            );
            return None;
        };
        let name = unique(tag);
        let admin = SqlStore::connect(&server)
            .await
            .expect("connect to SERVICEHALL_TEST_PG");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(admin.pool())
            .await
            .expect("create test database");
        admin.pool().close().await;
        let store = SqlStore::connect(&database_url(&server, &name))
            .await
            .expect("connect to test database");
        let db = Self {
            store,
            place: Place::Database { server, name },
        };
        if migrate {
            db.store.migrate().await.expect("migrate postgres");
        }
        Some(db)
    }

    /// The URL of this store's database (PostgreSQL) or file (SQLite), for a second
    /// connection, e.g. another node.
    pub fn url(&self) -> String {
        match &self.place {
            Place::File(path) => format!("sqlite:{}", path.display()),
            Place::Database { server, name } => database_url(server, name),
        }
    }

    /// The store (a handle on the same pool).
    pub fn store(&self) -> SqlStore {
        self.store.clone()
    }
}

impl std::ops::Deref for TestStore {
    type Target = SqlStore;
    fn deref(&self) -> &SqlStore {
        &self.store
    }
}

/// `server` with its database name replaced by `name`.
fn database_url(server: &str, name: &str) -> String {
    match server.rfind('/') {
        Some(i) if !server[..i].ends_with('/') => format!("{}/{name}", &server[..i]),
        _ => format!("{server}/{name}"),
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        match &self.place {
            Place::File(path) => {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            Place::Database { server, name } => {
                // Drop runs inside the test's runtime, which cannot be blocked on: a thread
                // of its own with a small runtime drops the database and is waited for.
                let (server, name) = (server.clone(), name.clone());
                let done = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("a runtime for the clean-up");
                    rt.block_on(async {
                        if let Ok(admin) = SqlStore::connect(&server).await {
                            let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                            let _ = sqlx::query(sqlx::AssertSqlSafe(drop))
                                .execute(admin.pool())
                                .await;
                            admin.pool().close().await;
                        }
                    });
                });
                let _ = done.join();
            }
        }
    }
}
