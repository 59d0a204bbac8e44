//! One store test suite, run on SQLite and on PostgreSQL.
//! PostgreSQL runs when SERVICEHALL_TEST_PG names a server URL (CI sets it); each test then
//! gets a fresh database. Without it the PostgreSQL half says it was skipped.

/// Runs each scenario on SQLite and on PostgreSQL as two tests (`name::sqlite`,
/// `name::postgres`): `on_both!(a, b)` for scenarios of the module it stands in,
/// `on_both!(in suite: a, b)` for those of a sibling module.
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

mod case_extra;
mod feedback;
mod first_run;
mod insight;
mod review;
mod schema;
mod security_keys;
mod standards;
mod suite;

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

on_both!(in suite:
    migrations_are_idempotent,
    hall_setup_validates_and_rejects_duplicates,
    numbers_are_sequential_per_prefix_and_restart_daily,
    concurrent_issues_never_repeat_or_skip,
    idempotency_key_returns_the_same_ticket,
    calling_follows_the_policy,
    calling_needs_an_open_idle_counter,
    ten_counters_calling_at_once_never_share_a_ticket,
    lifecycle_is_logged_and_guarded,
    payment_needs_a_valid_read_back,
    recall_limit_turns_into_no_show,
    transfer_keeps_number_and_place,
    ratings_only_for_finished_tickets_once,
    feed_is_ordered_resumable_and_live,
    sessions_and_device_tokens,
    last_event_id_marks_where_the_feed_stands,
    yesterdays_waiting_tickets_close_when_the_day_turns,
    badge_numbers_are_unique_in_a_hall,
    waiting_ahead_matches_the_domain_rule,
    queue_depth_follows_every_change,
    imported_calendar_years_count_in_case_deadlines,
    configuration_changes_are_seen_at_once,
    case_lifecycle_application,
    case_steps_complete_in_order,
    case_clock_pause_and_resume_are_guarded,
    case_handover_stays_in_the_hall,
    complaint_closes_only_after_callback,
    case_clocks_rebuilt_from_the_log_equal_live_state,
    case_warnings_are_recorded_once_per_level,
    case_numbers_are_unique_under_concurrency,
);

on_both!(in feedback:
    phone_rating_rules,
    bad_rating_opens_recovery_and_closes_after_callback,
    external_import_reports_bad_rows_and_never_counts_twice,
    pad_visits_carry_timing_transfer_and_rating,
    a_visit_is_rated_once_on_the_pad_or_the_phone,
);
mod catalogue;
mod regions;
