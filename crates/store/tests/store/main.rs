//! One store test suite, run on SQLite and on PostgreSQL.
//! PostgreSQL runs when SERVICEHALL_TEST_PG names a server URL (CI sets it); each test then
//! gets a fresh database. Without it the PostgreSQL half says it was skipped.

/// Runs each scenario on SQLite and on PostgreSQL as two tests (`name::sqlite`,
/// `name::postgres`): `on_both!(a, b)` for scenarios of the module it stands in,
/// `on_both!(in waiting: a, b)` for those of a sibling module.
macro_rules! on_both {
    (in $m:ident: $($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let db = crate::sqlite().await;
                super::$m::$name(db.store()).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some(db) = crate::postgres().await {
                    super::$m::$name(db.store()).await;
                }
            }
        }
    )*};
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let db = crate::sqlite().await;
                super::$name(db.store()).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some(db) = crate::postgres().await {
                    super::$name(db.store()).await;
                }
            }
        }
    )*};
}

mod appointments;
mod appointments_links;
mod assessment;
mod assessment_last;
mod audit;
mod audit_chained;
mod calendar;
mod cases;
mod counters;
mod customers;
mod edge;
mod edge_bookings;
mod edge_handover;
mod events;
mod feedback;
mod first_run;
mod fixture;
mod hall_file;
mod halls;
mod incidents;
mod insight;
mod inspection_schedules;
mod inspections;
mod layout_map;
mod nodes;
mod observability;
mod outbox;
mod queue;
mod rectification;
mod region_risks;
mod risks;
mod schema;
mod scorecards;
mod security_keys;
mod sessions;
mod standards;

use servicehall_store::testing::TestStore;

/// A fresh SQLite store on its own file, removed when the test ends.
pub async fn sqlite() -> TestStore {
    TestStore::sqlite("t").await
}

/// A fresh PostgreSQL database, dropped when the test ends; `None` (with a note) when no
/// server is configured.
pub async fn postgres() -> Option<TestStore> {
    TestStore::postgres("t", "this store test").await
}

on_both!(in feedback:
    phone_rating_rules,
    bad_rating_opens_recovery_and_closes_after_callback,
    external_import_reports_bad_rows_and_never_counts_twice,
    pad_visits_carry_timing_transfer_and_rating,
    a_visit_is_rated_once_on_the_pad_or_the_phone,
);
on_both!(in feedback_lists: rating_and_recovery_lists_filter_and_page);
use feedback::lists as feedback_lists;
mod catalogue;
mod regions;
mod reports;
mod staffing;
