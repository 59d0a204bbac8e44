//! Readiness: can this node store work right now? (`/readyz`)

use crate::Result;
use crate::StoreError;
use crate::sql::{Backend, SqlStore};
use async_trait::async_trait;

#[async_trait]
pub trait HealthStore: Send + Sync + 'static {
    /// Commits a write that changes nothing visible, so a full disk, a read-only file or a
    /// read-only PostgreSQL (a standby after fail-over) shows here before a customer's
    /// ticket fails.
    async fn check_writable(&self) -> Result<()>;

    /// The connection pool now, for `/metrics`.
    fn pool_stats(&self) -> PoolStats;
}

/// Connections in the pool: open, idle, and the limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStats {
    pub size: u32,
    pub idle: usize,
    pub max: u32,
}

/// Room the SQLite file's disk must have. SQLite can still commit into space its WAL
/// already holds while the disk is full, so a write alone says "ready" between failures.
const ROOM_BYTES: usize = 256 * 1024;

#[async_trait]
impl HealthStore for SqlStore {
    #[tracing::instrument(level = "trace", skip_all, name = "store.health.pool_stats")]
    fn pool_stats(&self) -> PoolStats {
        PoolStats {
            size: self.pool.size(),
            idle: self.pool.num_idle(),
            max: self.pool.options().get_max_connections(),
        }
    }

    async fn check_writable(&self) -> Result<()> {
        let probe = async {
            let mut w = self.begin().await?;
            // Rewrites the newest migration's row with its own value: a real page write and
            // commit (WAL append and fsync on SQLite), no visible change.
            sqlx::query(
                "UPDATE schema_migrations SET applied_at = applied_at
                 WHERE version = (SELECT MAX(version) FROM schema_migrations)",
            )
            .execute(&mut *w.tx)
            .await?;
            self.commit(w).await
        };
        probe.await.map_err(|e| {
            tracing::error!(error = %e, "readiness: the database cannot be written");
            match e {
                StoreError::Db(_) => StoreError::Unavailable(crate::WRITE_FAILED.into()),
                other => other,
            }
        })?;
        if self.backend() == Backend::Sqlite {
            let file: Option<String> =
                sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                    .fetch_optional(&self.pool)
                    .await?;
            if let Some(file) = file.filter(|f| !f.is_empty()) {
                room_beside(file).await?;
            }
        }
        Ok(())
    }
}

/// Writes, syncs and removes [`ROOM_BYTES`] beside the database file.
async fn room_beside(db_file: String) -> Result<()> {
    let outcome = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let dir = std::path::Path::new(&db_file)
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        let path = dir.join(format!(".servicehall-readyz-{}", std::process::id()));
        let written = std::fs::File::create(&path).and_then(|mut f| {
            f.write_all(&vec![0u8; ROOM_BYTES])?;
            f.sync_all()
        });
        let _ = std::fs::remove_file(&path);
        written
    })
    .await;
    match outcome {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "readiness: no room on the database's disk");
            Err(StoreError::Unavailable(crate::WRITE_FAILED.into()))
        }
        Err(e) => Err(StoreError::Unavailable(format!(
            "就绪检查未通过 · readiness probe: {e}"
        ))),
    }
}
