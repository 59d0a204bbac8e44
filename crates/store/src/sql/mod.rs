//! [`SqlStore`]: the [`Store`](crate::Store) on SQLite or PostgreSQL through sqlx's `Any`
//! driver. Queries are written once with `$n` placeholders, which both backends accept;
//! only the DDL differs (see `migrations/`).
//!
//! Concurrency: on PostgreSQL, writers lock the rows they change (a counter row before a
//! call, a conditional `UPDATE … WHERE state = …` on tickets). On SQLite, writes are
//! serialised by one in-process lock, because SQLite has one writer anyway and a
//! read-then-write transaction could otherwise fail with `SQLITE_BUSY` instead of waiting.

pub(crate) mod migrate;
pub(crate) mod rows;

use crate::{HallEvent, Result, StoreError};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct SqlStore {
    pub(crate) pool: AnyPool,
    backend: Backend,
    pub(crate) write_lock: Option<Arc<Mutex<()>>>,
    /// Live events per hall (events/fanout.rs); on PostgreSQL fed by the listener.
    pub(crate) fanout: Arc<crate::events::fanout::Fanout>,
    /// The database URL, for PostgreSQL's LISTEN connection and leaders' own connections.
    pub(crate) url: Arc<str>,
    /// The service day each hall's stale tickets were last closed for (see queue/tickets.rs).
    pub(crate) expired_through: Arc<std::sync::Mutex<std::collections::HashMap<i64, String>>>,
    /// The halls' configuration, read on every request (see halls/config_cache.rs).
    pub(crate) config: Arc<crate::halls::config_cache::ConfigCache>,
    /// SQLite only: the group-commit issuer (see queue/issue/).
    pub(crate) issuer: Option<std::sync::mpsc::Sender<crate::queue::issue::jobs::IssueJob>>,
    /// PostgreSQL only: the group-commit issuer of each hall, started on its first issue.
    pub(crate) pg_issuer: Arc<crate::queue::issue::jobs::Issuers>,
}

/// A write transaction, holding SQLite's writer lock while it lives.
pub(crate) struct WriteTx {
    pub(crate) tx: Transaction<'static, Any>,
    _guard: Option<OwnedMutexGuard<()>>,
    pub(crate) events: Vec<HallEvent>,
    pub(crate) postgres: bool,
    hall_locked: bool,
    /// A hall and day whose stale tickets this transaction closed.
    pub(crate) expired: Option<(i64, String)>,
}

impl SqlStore {
    /// Connects to `sqlite:PATH` (created when missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Self> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Invalid(format!(
                "数据库地址须以 sqlite: 或 postgres:// 开头 · database URL must start with sqlite: or postgres:// (got {url:?})"
            )));
        };
        let (url, max) = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                (format!("{url}{sep}mode=rwc"), 4)
            }
            Backend::Sqlite => (url.to_string(), 4),
            Backend::Postgres => (url.to_string(), 16),
        };
        // A busy pool may keep a request waiting this long; a database that cannot be
        // reached at all is answered sooner, by the web's database check (web nodes.rs).
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // busy_timeout first: switching to WAL needs a lock, and a connection
                        // opened while another writes must wait for it, not fail.
                        conn.execute("PRAGMA busy_timeout=10000").await?;
                        // WAL + synchronous=FULL: an acknowledged ticket survives a power cut.
                        conn.execute("PRAGMA journal_mode=WAL").await?;
                        conn.execute("PRAGMA synchronous=FULL").await?;
                        conn.execute("PRAGMA foreign_keys=ON").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        let mut store = Self {
            pool,
            backend,
            write_lock: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
            fanout: Arc::default(),
            url: url.as_str().into(),
            expired_through: Arc::default(),
            config: Arc::default(),
            issuer: None,
            pg_issuer: Arc::default(),
        };
        if let Some(path) = crate::queue::issue::lite_conn::file_of(&url) {
            store.issuer = Some(crate::queue::issue::sqlite_thread::spawn_issuer(
                store.write_lock.clone(),
                store.fanout.clone(),
                store.expired_through.clone(),
                &path,
            )?);
        }
        // A node listens for every node's events from the start, so its first screen misses
        // nothing while the LISTEN connection opens.
        store.listen();
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// PostgreSQL: makes sure this node listens for other nodes' events.
    pub(crate) fn listen(&self) {
        if self.backend == Backend::Postgres {
            self.fanout.listen(&self.url, &self.pool);
        }
    }

    pub(crate) async fn begin(&self) -> Result<WriteTx> {
        let guard = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        Ok(WriteTx {
            // IMMEDIATE: take SQLite's write lock at BEGIN (waiting up to busy_timeout), so a
            // transaction that reads first cannot fail later when another process wrote.
            tx: match self.backend {
                Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
                Backend::Postgres => self.pool.begin().await?,
            },
            _guard: guard,
            events: Vec::new(),
            postgres: self.backend == Backend::Postgres,
            hall_locked: false,
            expired: None,
        })
    }

    /// Commits, then fans the transaction's hall events out to live subscribers.
    pub(crate) async fn commit(&self, w: WriteTx) -> Result<()> {
        let WriteTx {
            tx,
            _guard,
            events,
            expired,
            ..
        } = w;
        let mut tx = tx;
        if self.backend == Backend::Postgres {
            // Delivered to every node's listener when (and only if) the transaction commits;
            // they read the events themselves from `hall_events` (events/listener.rs).
            for p in crate::events::notify_payloads(&events) {
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(crate::events::NOTIFY_CHANNEL)
                    .bind(p)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        if let (Some((hall, day)), Ok(mut m)) = (expired, self.expired_through.lock()) {
            m.insert(hall, day);
        }
        if self.backend == Backend::Sqlite {
            // One node: straight to this process's subscribers.
            for e in events {
                self.fanout.publish(e);
            }
        }
        // Released only now, so SQLite's events are broadcast in commit order.
        drop(_guard);
        Ok(())
    }
}

impl WriteTx {
    /// Appends an event to the hall's feed inside this transaction.
    pub(crate) async fn push_event(
        &mut self,
        hall_id: i64,
        kind: &str,
        payload: serde_json::Value,
        now: i64,
    ) -> Result<()> {
        if self.postgres && !self.hall_locked {
            // Event ids of a hall follow commit order, so Last-Event-ID resumption never
            // skips an event committed late. (SQLite: the writer lock does the same.)
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(hall_id)
                .execute(&mut *self.tx)
                .await?;
            self.hall_locked = true;
        }
        let id: i64 = sqlx::query_scalar(crate::queue::issue::statements::PUSH_EVENT)
            .bind(hall_id)
            .bind(kind)
            .bind(payload.to_string())
            .bind(now)
            .fetch_one(&mut *self.tx)
            .await?;
        self.events.push(HallEvent {
            id,
            hall_id,
            kind: kind.into(),
            payload,
            at: now,
        });
        Ok(())
    }
}

/// `$start, $start+1, …` placeholders for an IN list of `n` values.
pub(crate) fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
