//! The working-day calendar (工作日 · 调休): the shipped schedules plus the years an
//! administrator imported. The trait, its stored rows (model.rs), its SQL (sql.rs), the
//! calendar in use (effective.rs) and the deadlines an import moves (recompute.rs).

pub(crate) mod effective;
mod model;
pub(crate) mod recompute;
pub(crate) mod sql;

pub use model::*;

use crate::Result;
use async_trait::async_trait;

/// The working-day calendar: shipped schedules plus the years an administrator imported.
#[async_trait]
pub trait CalendarStore: Send + Sync + 'static {
    /// The calendar in use (Asia/Shanghai; a hall's own time zone is applied by its cases).
    async fn calendar(&self) -> Result<std::sync::Arc<servicehall_domain::calendar::Calendar>>;
    async fn imported_years(&self) -> Result<Vec<ImportedYear>>;
    /// Imports the year sections of `text` (docs/deadlines.md), each replacing any earlier
    /// import of that year; a bad file changes nothing and says which lines are wrong.
    /// Open cases' running deadlines in those years are recomputed in the same transaction,
    /// each move logged on its case (`deadline_recomputed`, old and new deadline).
    async fn import_years(&self, text: &str, by: Option<i64>, now: i64) -> Result<Vec<i32>>;
    /// Forgets an imported year: the shipped schedule (or the provisional one) applies
    /// again; open cases' deadlines in it are recomputed and logged as on import.
    async fn remove_imported_year(&self, year: i32, by: Option<i64>, now: i64) -> Result<()>;
}
