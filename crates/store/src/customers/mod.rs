//! 客户与分群 · the customer register: the trait, its rows (model.rs) and its SQL
//! (sql.rs). Every change is a `customer_changes` row and a record on the hall's audit
//! chain; summaries never carry the full account number, phone or name.

mod model;
mod rows;
mod sql;

pub use model::*;

use crate::Result;
use async_trait::async_trait;

#[async_trait]
pub trait CustomerStore: Send + Sync + 'static {
    /// The hall's register (or the part `filter` picks), by account number.
    async fn customers(&self, hall_id: i64, filter: &CustomerFilter) -> Result<Vec<Customer>>;
    async fn customer(&self, id: i64) -> Result<Customer>;
    /// The hall's customer with this account number, if known.
    async fn find_by_account(&self, hall_id: i64, account: &str) -> Result<Option<Customer>>;
    /// The hall's customer with this phone number (the latest changed when several share
    /// one), if known.
    async fn find_by_phone(&self, hall_id: i64, phone: &str) -> Result<Option<Customer>>;
    /// Registers a customer; the account number is unique in the hall (409 otherwise).
    async fn create_customer(
        &self,
        hall_id: i64,
        input: &NewCustomer,
        by: Option<i64>,
        now: i64,
    ) -> Result<Customer>;
    /// Changes a customer and records what changed.
    async fn update_customer(
        &self,
        id: i64,
        input: &CustomerUpdate,
        by: Option<i64>,
        now: i64,
    ) -> Result<Customer>;
    /// Records a consent (`granted`) or its withdrawal for one purpose.
    async fn record_consent(
        &self,
        id: i64,
        input: &ConsentInput,
        by: Option<i64>,
        now: i64,
    ) -> Result<Customer>;
    /// The consent history with who recorded each event, oldest first.
    async fn consent_records(&self, id: i64) -> Result<Vec<ConsentRecord>>;
    /// Logs that `by` saw the full data, and why (查看原因).
    async fn log_customer_reveal(
        &self,
        id: i64,
        reason: &str,
        by: Option<i64>,
        now: i64,
    ) -> Result<()>;
    /// The customer's record history, oldest first.
    async fn customer_changes(&self, id: i64) -> Result<Vec<CustomerChange>>;
    /// The customer's visits and cases in the hall, newest first (at most `limit` each).
    async fn customer_history(&self, id: i64, limit: i64) -> Result<CustomerHistory>;
    /// Customers per hall and segment (and how many reviews are due by `review_by`),
    /// for the halls given.
    async fn segment_counts(
        &self,
        halls: &[i64],
        review_by: chrono::NaiveDate,
    ) -> Result<Vec<SegmentCount>>;
}
