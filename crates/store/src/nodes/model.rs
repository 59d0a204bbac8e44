//! A held leadership.

use sqlx::{AnyConnection, Connection};
use std::time::Duration;

/// The lead of one background job. Dropping it gives the lead up (its connection closes).
pub struct Leadership {
    pub job: String,
    /// PostgreSQL: the session holding the advisory lock. SQLite: none (always leader).
    pub(crate) conn: Option<AnyConnection>,
}

impl std::fmt::Debug for Leadership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Leadership")
            .field("job", &self.job)
            .field("pg", &self.conn.is_some())
            .finish()
    }
}

impl Leadership {
    /// Whether the lock's session is still alive (and with it the lock). A dead session
    /// means another node may already lead: stop, and ask again.
    #[tracing::instrument(level = "debug", skip_all, name = "store.nodes.still_held", fields(job = %self.job))]
    pub async fn still_held(&mut self) -> bool {
        let Some(conn) = self.conn.as_mut() else {
            return true;
        };
        let alive = tokio::time::timeout(Duration::from_secs(2), conn.ping()).await;
        let held = matches!(alive, Ok(Ok(())));
        if !held {
            self.conn = None;
            tracing::warn!(job = %self.job, "lost the lead (database session gone)");
        }
        held
    }

    /// Gives the lead up now (the next node asking takes it).
    pub async fn release(mut self) {
        if let Some(conn) = self.conn.take() {
            let _ = conn.close().await;
        }
    }
}
