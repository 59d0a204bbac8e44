//! ServiceHall's storage. One [`Store`] trait; [`SqlStore`] implements it on SQLite and
//! PostgreSQL with portable SQL, keeping backend-specific SQL to the DDL.

mod calendar_model;
mod case_extra_store;
mod cases_model;
mod catalogue_model;
mod error;
mod feedback_model;
mod first_run_store;
mod hall_file_store;
mod health_store;
mod insight_model;
mod insight_store;
pub mod model;
mod region_model;
mod review_model;
mod review_store;
mod sql;
mod standards_model;
#[cfg(feature = "testing")]
pub mod testing;

pub use calendar_model::*;
pub use case_extra_store::*;
pub use cases_model::*;
pub use catalogue_model::*;
pub use error::{StoreError, WRITE_FAILED};
pub use feedback_model::*;
pub use first_run_store::FirstRunStore;
pub use hall_file_store::{HallFileStore, HallImport};
pub use health_store::HealthStore;
pub use insight_model::*;
pub use insight_store::InsightStore;
pub use model::*;
pub use region_model::*;
pub use review_model::*;
pub use review_store::ReviewStore;
pub use sql::{Backend, SqlStore};
pub use standards_model::*;

use async_trait::async_trait;
use tokio::sync::broadcast;

pub type Result<T> = std::result::Result<T, StoreError>;

/// Everything the web asks of storage, as one object. Every write happens in one
/// transaction together with the log entry and hall event that record it.
pub trait Store:
    SetupStore
    + AuthStore
    + QueueStore
    + FeedStore
    + CaseStore
    + CalendarStore
    + FeedbackStore
    + CatalogueStore
    + InsightStore
    + StandardsStore
    + RegionStore
    + ReviewStore
    + CaseExtraStore
    + HealthStore
{
}
impl<
    T: SetupStore
        + AuthStore
        + QueueStore
        + FeedStore
        + CaseStore
        + CalendarStore
        + FeedbackStore
        + CatalogueStore
        + InsightStore
        + StandardsStore
        + RegionStore
        + ReviewStore
        + CaseExtraStore
        + HealthStore,
> Store for T
{
}

/// Halls and their set-up: business types, counters, staff, devices (administrator).
#[async_trait]
pub trait SetupStore: Send + Sync + 'static {
    async fn create_hall(&self, input: &HallInput) -> Result<Hall>;
    async fn update_hall(&self, id: i64, input: &HallInput) -> Result<Hall>;
    async fn halls(&self) -> Result<Vec<Hall>>;
    async fn hall(&self, id: i64) -> Result<Hall>;
    async fn hall_by_code(&self, code: &str) -> Result<Hall>;

    async fn create_business_type(
        &self,
        hall_id: i64,
        input: &BusinessTypeInput,
    ) -> Result<BusinessType>;
    async fn update_business_type(
        &self,
        id: i64,
        input: &BusinessTypeInput,
    ) -> Result<BusinessType>;
    async fn business_types(&self, hall_id: i64) -> Result<Vec<BusinessType>>;
    async fn business_type(&self, id: i64) -> Result<BusinessType>;

    async fn create_counter(&self, hall_id: i64, input: &CounterInput) -> Result<Counter>;
    async fn update_counter(&self, id: i64, input: &CounterInput) -> Result<Counter>;
    async fn counters(&self, hall_id: i64) -> Result<Vec<Counter>>;
    async fn counter(&self, id: i64) -> Result<Counter>;
    /// The counter of the hall where the staff member is signed on (挂牌) and which is not
    /// closed: one row, where every clerk action used to read all the hall's counters.
    async fn counter_on_duty(&self, hall_id: i64, staff_id: i64) -> Result<Option<Counter>>;

    async fn create_staff(&self, input: &StaffInput, password_hash: &str) -> Result<Staff>;
    async fn update_staff(&self, id: i64, input: &StaffInput) -> Result<Staff>;
    async fn set_password(&self, id: i64, password_hash: &str) -> Result<()>;
    async fn staff_list(&self, hall_id: Option<i64>) -> Result<Vec<Staff>>;
    async fn staff(&self, id: i64) -> Result<Staff>;
    /// The staff member and their password hash, for sign-in.
    async fn staff_login(&self, username: &str) -> Result<Option<(Staff, String)>>;

    async fn create_device(
        &self,
        hall_id: i64,
        counter_id: Option<i64>,
        kind: servicehall_domain::DeviceKind,
        name: &str,
        token_hash: &str,
        now: i64,
    ) -> Result<Device>;
    async fn devices(&self, hall_id: i64) -> Result<Vec<Device>>;
    async fn revoke_device(&self, id: i64) -> Result<()>;
}

/// Sign-in sessions and device tokens.
#[async_trait]
pub trait AuthStore: Send + Sync + 'static {
    async fn create_session(
        &self,
        token_hash: &str,
        staff_id: i64,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()>;
    /// The session's staff member and CSRF token, if the session exists and has not expired.
    async fn session(&self, token_hash: &str, now: i64) -> Result<Option<(Staff, String)>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    async fn device_by_token(&self, token_hash: &str) -> Result<Option<Device>>;
}

/// The queue: tickets, counters at work, read-backs and ratings.
#[async_trait]
pub trait QueueStore: Send + Sync + 'static {
    /// Issues a ticket; with an idempotency key already used in this hall, returns that ticket.
    async fn issue_ticket(&self, req: &IssueTicket, now: i64) -> Result<Ticket>;
    /// Issues a ticket and says where it stands when it waits — read inside the issuing
    /// transaction where the store can, so the slip's "N ahead" costs no second query.
    async fn issue_ticket_placed(&self, req: &IssueTicket, now: i64) -> Result<IssuedTicket>;
    /// Calls the best waiting ticket for the counter under the hall's calling policy.
    async fn call_next(
        &self,
        counter_id: i64,
        staff_id: Option<i64>,
        now: i64,
    ) -> Result<Option<Ticket>>;
    async fn act_on_ticket(
        &self,
        ticket_id: i64,
        cmd: &TicketCommand,
        by: Operator,
        now: i64,
    ) -> Result<Ticket>;
    async fn open_counter(&self, counter_id: i64, staff_id: i64, now: i64) -> Result<Counter>;
    async fn pause_counter(&self, counter_id: i64, reason: &str, now: i64) -> Result<Counter>;
    async fn close_counter(&self, counter_id: i64, now: i64) -> Result<Counter>;

    async fn ticket(&self, id: i64) -> Result<Ticket>;
    async fn ticket_by_code(&self, code: &str) -> Result<Ticket>;
    async fn ticket_log(&self, id: i64) -> Result<Vec<TicketEvent>>;
    /// Waiting tickets of a hall, oldest first.
    async fn waiting(&self, hall_id: i64) -> Result<Vec<Ticket>>;
    /// How many of today's waiting tickets are ahead of `t` for its business type, by the
    /// rule of `servicehall_domain::policy::ahead_of` (green first if `green_first`, then
    /// FIFO), counted in the database so a slip does not load the whole queue.
    async fn waiting_ahead(&self, t: &Ticket, green_first: bool) -> Result<i64>;
    /// [`waiting_ahead`](Self::waiting_ahead) and the open counters serving the ticket's type.
    async fn placement(&self, t: &Ticket, green_first: bool) -> Result<Placement>;
    /// The ticket a counter is working on (called, serving or held), if any.
    async fn current_at_counter(&self, counter_id: i64) -> Result<Option<Ticket>>;
    async fn read_back(&self, ticket_id: i64) -> Result<Option<StoredReadBack>>;

    /// Records the evaluator's rating for a ticket the system finished at that counter.
    #[allow(clippy::too_many_arguments)]
    async fn rate(
        &self,
        ticket_id: i64,
        counter_id: i64,
        device_id: Option<i64>,
        level: i64,
        reasons: &[String],
        window_ms: i64,
        now: i64,
    ) -> Result<Rating>;
}

/// Figures and the live feed.
#[async_trait]
pub trait FeedStore: Send + Sync + 'static {
    /// Tickets of a hall-local service day with their logs.
    async fn day_tickets(&self, hall_id: i64, service_day: &str) -> Result<Vec<TicketWithLog>>;
    async fn ratings_between(&self, hall_id: i64, from: i64, to: i64) -> Result<Vec<Rating>>;
    /// Hall events after `after_id`, oldest first, at most `limit`.
    async fn events_since(&self, hall_id: i64, after_id: i64, limit: i64)
    -> Result<Vec<HallEvent>>;
    /// The id of the hall's latest event (0 when none): where a new live screen starts.
    async fn last_event_id(&self, hall_id: i64) -> Result<i64>;
    /// The most recent events of the given kinds, newest first.
    async fn recent_events(
        &self,
        hall_id: i64,
        kinds: &[&str],
        limit: i64,
    ) -> Result<Vec<HallEvent>>;
    /// Live events of every hall, as they commit.
    fn subscribe(&self) -> broadcast::Receiver<HallEvent>;
}

/// Cases (工单): steps, clocks rebuilt from each case's event log, documents, hand-overs,
/// callbacks, warnings and on-time rates. Every write is one transaction with its log
/// entries; `now` is passed in so tests and figures are reproducible.
#[async_trait]
pub trait CaseStore: Send + Sync + 'static {
    /// The hall's process for a case, seeded from the built-in defaults on first use.
    async fn case_process(
        &self,
        hall_id: i64,
        kind: servicehall_domain::cases::CaseKind,
        business_type_id: Option<i64>,
        class: servicehall_domain::cases::CustomerClass,
    ) -> Result<servicehall_domain::cases::Process>;
    /// Replaces the hall's process (configuration); open cases keep the steps they have.
    async fn set_case_process(
        &self,
        hall_id: i64,
        kind: servicehall_domain::cases::CaseKind,
        business_type_id: Option<i64>,
        class: servicehall_domain::cases::CustomerClass,
        process: &servicehall_domain::cases::Process,
        now: i64,
    ) -> Result<()>;
    async fn open_case(&self, req: &OpenCase, now: i64) -> Result<CaseDetail>;
    async fn complete_step(
        &self,
        case_id: i64,
        step: &str,
        by: i64,
        note: &str,
        now: i64,
    ) -> Result<CaseDetail>;
    /// Pauses clock `clock` (its key `step.code`, or its code when unique in the case).
    async fn pause_clock(
        &self,
        case_id: i64,
        clock: &str,
        reason: &str,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail>;
    async fn resume_clock(
        &self,
        case_id: i64,
        clock: &str,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail>;
    async fn add_document(
        &self,
        case_id: i64,
        doc: &DocumentInput,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail>;
    /// Asks `to` to take the case over; the owner stays accountable until they accept.
    async fn request_handover(
        &self,
        case_id: i64,
        by: i64,
        to: i64,
        reason: &str,
        now: i64,
    ) -> Result<CaseDetail>;
    async fn accept_handover(&self, case_id: i64, by: i64, now: i64) -> Result<CaseDetail>;
    async fn record_callback(
        &self,
        case_id: i64,
        callback: &Callback,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail>;
    async fn close_case(&self, case_id: i64, by: i64, note: &str, now: i64) -> Result<CaseDetail>;
    /// A case with steps, clocks evaluated at `now`, trail, documents and warnings.
    async fn case(&self, id: i64, now: i64) -> Result<CaseDetail>;
    /// The customer's lookup: case number plus the case's access code (查询码, as typed:
    /// case, spaces and dashes do not matter). Any mismatch is the same `NotFound`.
    async fn case_by_number_and_code(
        &self,
        number: &str,
        code: &str,
        now: i64,
    ) -> Result<CaseDetail>;
    async fn cases(&self, hall_id: i64, list: CaseList, now: i64) -> Result<Vec<CaseSummary>>;
    /// Clocks stopped in `[from, to)`: met ÷ stopped by business type, class and step.
    async fn on_time_rate(&self, hall_id: i64, from: i64, to: i64) -> Result<OnTimeReport>;
    /// Evaluates the clocks of open cases (of one hall, or all) and records warnings not yet
    /// recorded; returns the new ones.
    async fn scan_warnings(&self, hall_id: Option<i64>, now: i64) -> Result<Vec<CaseWarning>>;
}

/// Feedback (管理客户满意): phone ratings, external evaluations, service recovery and the
/// visits behind the anti-gaming flags. A bad rating from any channel opens its recovery
/// case in the same transaction that records it.
#[async_trait]
pub trait FeedbackStore: Send + Sync + 'static {
    /// The hall's feedback settings (defaults until set).
    async fn feedback_settings(&self, hall_id: i64) -> Result<FeedbackSettings>;
    async fn set_feedback_settings(
        &self,
        hall_id: i64,
        settings: &FeedbackSettings,
        now: i64,
    ) -> Result<()>;
    /// 一事一评: rates the visit of the ticket with this slip code, once, within the
    /// hall's window after the system finished it.
    async fn rate_by_phone(
        &self,
        code: &str,
        input: &PhoneRatingInput,
        now: i64,
    ) -> Result<PhoneRating>;
    async fn phone_rating(&self, ticket_id: i64) -> Result<Option<PhoneRating>>;
    /// Whether the visit was rated, on the pad or on the phone (一事一评: once).
    async fn visit_rated(&self, ticket_id: i64) -> Result<bool>;
    /// Imports external evaluations from CSV text: a file in the wrong shape is refused
    /// whole; bad rows are reported and skipped; rows already imported are not counted again.
    /// `halls` is the importer's reach (`None`: every hall): a file with any row naming a
    /// hall outside it is refused whole (`Forbidden`, with the rows' line numbers).
    async fn import_external(
        &self,
        source: ExternalSource,
        file_name: &str,
        csv: &str,
        by: i64,
        halls: Option<&[i64]>,
        now: i64,
    ) -> Result<ImportReport>;
    /// The latest import reports, newest first. With `halls` (`None`: every import), only
    /// imports whose rows all belong to those halls, and `me`'s own imports that wrote no
    /// row (all bad or repeated).
    async fn import_reports(
        &self,
        limit: i64,
        halls: Option<&[i64]>,
        me: i64,
    ) -> Result<Vec<ImportReport>>;
    /// Bad ratings of a hall in `[from, to)` and the state of their recovery cases.
    async fn recovery_items(
        &self,
        hall_id: i64,
        from: i64,
        to: i64,
        now: i64,
    ) -> Result<Vec<RecoveryItem>>;
    /// Visits a hall's counters finished in `[from, to)` with their pad ratings.
    async fn pad_visits(&self, hall_id: i64, from: i64, to: i64) -> Result<Vec<PadVisit>>;
}

/// The service catalogue (业务公开), one-time notices and repeat trips. See
/// `servicehall_domain::catalogue` for the rules; `now` is passed in, and "today" is the
/// hall-local date of `now`.
#[async_trait]
pub trait CatalogueStore: Send + Sync + 'static {
    /// Every version of every entry, with which are locked and which are current today.
    async fn catalogue_versions(&self, hall_id: i64, now: i64) -> Result<Vec<CatalogueVersion>>;
    /// The entries in effect on `day` (hall-local) for the hall's active business types, in
    /// their order, each with names, documents per class and the shared case steps and time
    /// limits. This is what the public pages show and what search indexes.
    async fn effective_catalogue(
        &self,
        hall_id: i64,
        day: chrono::NaiveDate,
    ) -> Result<Vec<CatalogueItem>>;
    /// Saves one version: new, or a change to one not yet in effect. Returns rows changed.
    async fn save_catalogue_version(
        &self,
        hall_id: i64,
        entry: &servicehall_domain::catalogue::CatalogueEntry,
        now: i64,
    ) -> Result<usize>;
    /// The whole catalogue (all versions) and public information, as the YAML file holds it.
    async fn export_catalogue(
        &self,
        hall_id: i64,
    ) -> Result<servicehall_domain::catalogue::CatalogueFile>;
    /// Replaces the catalogue with a YAML file in one transaction; a bad file is refused
    /// (saying where and why) and changes nothing. Returns the versions changed.
    async fn import_catalogue(&self, hall_id: i64, yaml: &str, now: i64) -> Result<usize>;
    async fn hall_public_info(&self, hall_id: i64) -> Result<HallPublicInfo>;
    /// Records how a visit went; flags it as a repeat trip when the rule says so.
    async fn record_visit(&self, input: &VisitInput, now: i64) -> Result<Visit>;
    /// Gives a one-time notice (recorded with its visit) under the public `code`. Unknown
    /// business type or a class the business is not offered to → error, nothing recorded.
    async fn give_notice(
        &self,
        input: &VisitInput,
        code: &str,
        now: i64,
    ) -> Result<(Notice, Visit)>;
    async fn notice(&self, code: &str) -> Result<Notice>;
    async fn visit(&self, id: i64) -> Result<Visit>;
    /// Repeat trips of a hall since `since`, newest first, each with the visit it repeats.
    async fn repeat_trips(&self, hall_id: i64, since: i64) -> Result<Vec<RepeatTrip>>;
}

/// The standards library (规章制度): versioned documents, acknowledgements and their rate.
/// See `servicehall_domain::standards` for the rules; `now` decides the hall's today.
#[async_trait]
pub trait StandardsStore: Send + Sync + 'static {
    /// A new document with its first draft (version 1).
    async fn create_standard(
        &self,
        input: &StandardInput,
        by: Option<i64>,
        now: i64,
    ) -> Result<StandardDocument>;
    /// The documents a hall follows (its own and company-wide), or every document.
    async fn standards(&self, hall_id: Option<i64>, now: i64) -> Result<Vec<StandardDocument>>;
    async fn standard(&self, id: i64, now: i64) -> Result<StandardDocument>;
    /// Writes the document's draft: updates the open draft, or starts the next version.
    async fn save_draft(
        &self,
        document_id: i64,
        draft: &DraftInput,
        now: i64,
    ) -> Result<StandardDocument>;
    /// Publishes the draft to take effect on `effective_from` (today or later, after every
    /// earlier version's date); it is locked from then on.
    async fn publish_standard(
        &self,
        document_id: i64,
        effective_from: chrono::NaiveDate,
        by: Option<i64>,
        now: i64,
    ) -> Result<StandardDocument>;
    /// Records 我已阅读并遵守 for the version in effect; idempotent (see [`Acknowledgement`]).
    async fn acknowledge_standard(
        &self,
        version_id: i64,
        staff_id: i64,
        now: i64,
    ) -> Result<Acknowledgement>;
    /// Versions in effect that apply to the staff member and await their acknowledgement.
    async fn pending_acknowledgements(&self, staff_id: i64, now: i64) -> Result<Vec<PendingAck>>;
    /// Who has and has not acknowledged each version in effect in a hall, and the rate.
    async fn acknowledgement_report(&self, hall_id: i64, now: i64) -> Result<AckReport>;
    /// Changes whenever a standard version is written, or a catalogue version added or
    /// removed: search indexes rebuild when it moves.
    async fn standards_stamp(&self) -> Result<String>;
}

/// The region tree (省 → 市 → 县/区) that halls hang on and staff above halls may be limited to.
#[async_trait]
pub trait RegionStore: Send + Sync + 'static {
    /// The whole tree, checked (a stored loop or missing parent is an error, not a hang).
    async fn region_tree(&self) -> Result<RegionTree>;
    /// Creates a region (`id` None) or renames / moves one; never under its own subtree.
    async fn save_region(&self, id: Option<i64>, input: &RegionInput) -> Result<Region>;
    /// Removes an empty region: no sub-regions, halls or staff hang on it.
    async fn remove_region(&self, id: i64) -> Result<()>;
    /// Hangs a hall on a region (`None`: on no region — only deployment-wide staff see it).
    async fn set_hall_region(&self, hall_id: i64, region_id: Option<i64>) -> Result<Hall>;
    /// Limits an administrator or supervisor above halls to a region (`None`: everywhere).
    async fn set_staff_region(&self, staff_id: i64, region_id: Option<i64>) -> Result<Staff>;
    /// The halls of a region's subtree, by id.
    async fn region_halls(&self, region_id: i64) -> Result<Vec<i64>>;
}

/// The working-day calendar: shipped schedules plus the years an administrator imported.
#[async_trait]
pub trait CalendarStore: Send + Sync + 'static {
    /// The calendar in use (Asia/Shanghai; a hall's own time zone is applied by its cases).
    async fn calendar(&self) -> Result<std::sync::Arc<servicehall_domain::calendar::Calendar>>;
    async fn imported_years(&self) -> Result<Vec<ImportedYear>>;
    /// Imports the year sections of `text` (docs/deadlines.md), each replacing any earlier
    /// import of that year; a bad file changes nothing and says which lines are wrong.
    async fn import_years(&self, text: &str, by: Option<i64>, now: i64) -> Result<Vec<i32>>;
    /// Forgets an imported year: the shipped schedule (or weekends only) applies again.
    async fn remove_imported_year(&self, year: i32) -> Result<()>;
}
