//! Monthly reports (月度报告): the generated reports kept with their history. The report is
//! composed by the web crate from the kept indicator figures; the store keeps what was
//! produced (workbook and page), who produced it, when, and the audit head it pinned.

mod model;
mod sql;

pub use model::*;

use crate::Result;
use async_trait::async_trait;

#[async_trait]
pub trait ReportStore: Send + Sync + 'static {
    /// Keeps one generated report and returns its history row.
    async fn keep_report(&self, report: &NewReport, now: i64) -> Result<ReportMeta>;
    /// The newest kept reports, newest first, of the given scopes (`None`: every one).
    async fn reports(&self, scopes: Option<&[ReportScope]>, limit: i64) -> Result<Vec<ReportMeta>>;
    /// One kept report with its workbook and page.
    async fn report(&self, id: i64) -> Result<Option<KeptReport>>;
    /// True when a report of the scope and month is kept (the month-end step's test).
    async fn report_kept(&self, scope: &ReportScope, month: &str) -> Result<bool>;
}
