//! Read models shared by the API and the screens: the queue, the day's figures, estimates.

use crate::AppState;
use crate::error::ApiResult;
use serde::Serialize;
use servicehall_domain::TicketState;
use servicehall_domain::queue::estimate::{
    Duty, HandlingSample, MIN_HANDLING_MS, capacity_of, estimated_wait_mix_ms, expected_handling_ms,
};
use servicehall_domain::queue::stats::{DayStats, LogEntry, day_stats, ticket_times};
use servicehall_domain::time::{parse_tz, service_day};
use servicehall_store::{BusinessType, Counter, CounterStatus, Hall, Store, Ticket};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct TypeQueue {
    pub business_type_id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub prefix: String,
    pub waiting: i64,
    /// Longest current wait in seconds.
    pub longest_wait_s: i64,
    pub target_wait_s: i64,
    /// True when a waiting ticket of this type has passed the target wait.
    pub over_target: bool,
    /// Open counters serving this type.
    pub open_counters: i64,
    /// Estimated wait for a ticket issued now, in seconds; absent when no counter serves it.
    pub estimated_wait_s: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WaitingEntry {
    pub id: i64,
    pub number: String,
    pub business_type_id: i64,
    pub priority: String,
    pub proxy: bool,
    pub queued_since: i64,
    pub transferred: bool,
    /// When the customer said "I'm on my way" (我在路上) on the phone page, if they did.
    pub on_way_at: Option<i64>,
}

/// The live queue of one hall.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueView {
    pub hall_id: i64,
    pub types: Vec<TypeQueue>,
    pub waiting: Vec<WaitingEntry>,
    pub counters: Vec<crate::api::counters::view::CounterView>,
}

/// Today's waiting tickets (hall-local day). Tickets left from an earlier day are closed by
/// the store on the day's first write; until then they are not shown.
pub async fn waiting_today(store: &dyn Store, hall: &Hall, now: i64) -> ApiResult<Vec<Ticket>> {
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let day = service_day(now, tz).to_string();
    let mut waiting = store.waiting(hall.id).await?;
    waiting.retain(|t| t.service_day == day);
    Ok(waiting)
}

/// Recent average handling time per business type, per hall, read from the kept sums at
/// most every [`HANDLING_TTL_MS`]: the estimate on every slip and screen needs it. The
/// store keeps each day's closed sums as tickets finish (crates/store/src/queue/
/// handling_sums.rs), so a read costs a few rows and the tickets on hold, however long the
/// day has run, the day's first read included.
#[derive(Default)]
pub struct HandlingCache {
    cached: Mutex<HashMap<i64, CachedAverages>>,
    /// Held by the one read running. Without it, every request that found the cache
    /// expired read at once.
    refresh: Arc<tokio::sync::Mutex<()>>,
}

struct CachedAverages {
    day: String,
    computed_at: i64,
    averages: Arc<HashMap<i64, HandlingSample>>,
}

pub const HANDLING_TTL_MS: i64 = 30_000;

impl HandlingCache {
    /// The hall's averages for `day`, and whether they are younger than the TTL.
    fn get(
        &self,
        hall_id: i64,
        day: &str,
        now: i64,
    ) -> Option<(Arc<HashMap<i64, HandlingSample>>, bool)> {
        let cache = self.cached.lock().ok()?;
        let c = cache.get(&hall_id).filter(|c| c.day == day)?;
        let fresh = (0..HANDLING_TTL_MS).contains(&(now - c.computed_at));
        Some((c.averages.clone(), fresh))
    }
}

/// Today's handling sample (total and count of finished visits) per business type. An
/// expired entry is answered as it is while one background task reads it again, so no
/// request waits for the read; a hall's first request of the day waits for the one read.
pub async fn handling_today(
    state: &AppState,
    hall: &Hall,
    now: i64,
) -> ApiResult<Arc<HashMap<i64, HandlingSample>>> {
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let day = service_day(now, tz).to_string();
    let cache = &state.handling;
    match cache.get(hall.id, &day, now) {
        Some((averages, true)) => Ok(averages),
        Some((averages, false)) => {
            if let Ok(guard) = cache.refresh.clone().try_lock_owned() {
                let (state, hall_id) = (state.clone(), hall.id);
                tokio::spawn(async move {
                    let _guard = guard;
                    if let Err(e) = recompute(&state, hall_id, day, now).await {
                        tracing::warn!(hall = hall_id, "handling times not refreshed: {e:?}");
                    }
                });
            }
            Ok(averages)
        }
        None => {
            let _guard = cache.refresh.lock().await;
            if let Some((averages, true)) = cache.get(hall.id, &day, now) {
                return Ok(averages);
            }
            recompute(state, hall.id, day, now).await
        }
    }
}

/// The kept sums of the day's closed tickets plus the spells so far of those on hold.
async fn recompute(
    state: &AppState,
    hall_id: i64,
    day: String,
    now: i64,
) -> ApiResult<Arc<HashMap<i64, HandlingSample>>> {
    let read = state.store.kept_handling(hall_id, &day).await?;
    let mut all: HashMap<i64, HandlingSample> = HashMap::new();
    for s in &read.sums {
        let e = all.entry(s.business_type_id).or_default();
        e.total_ms += s.total_ms;
        e.visits += s.visits;
    }
    for t in &read.held {
        all.entry(t.business_type_id)
            .or_default()
            .add(t.handling_ms);
    }
    let averages = Arc::new(all);
    if let Ok(mut c) = state.handling.cached.lock() {
        c.insert(
            hall_id,
            CachedAverages {
                day,
                computed_at: now,
                averages: averages.clone(),
            },
        );
    }
    Ok(averages)
}

/// The open counters' duties: who serves what now, 主办 or 兼办.
fn open_duties(counters: &[Counter]) -> Vec<Duty> {
    let mut duties = Vec::new();
    for c in counters.iter().filter(|c| c.status == CounterStatus::Open) {
        for (list, primary) in [(&c.primary, true), (&c.secondary, false)] {
            duties.extend(list.iter().map(|bt| Duty {
                counter_id: c.id,
                business_type_id: *bt,
                primary,
            }));
        }
    }
    duties
}

/// The handling time a wait estimate uses for a type: today's sample shrunk towards the
/// type's configured time (`domain::queue::estimate`).
pub fn expected_handling(samples: &HashMap<i64, HandlingSample>, bt: &BusinessType) -> i64 {
    let sample = samples.get(&bt.id).copied().unwrap_or_default();
    expected_handling_ms(sample, bt.target_handling_s * 1000)
}

/// [`expected_handling`] for every business type of the hall: the mix ahead of a ticket
/// may be of any type.
pub fn handling_by_type(
    samples: &HashMap<i64, HandlingSample>,
    types: &[BusinessType],
) -> HashMap<i64, i64> {
    types
        .iter()
        .map(|b| (b.id, expected_handling(samples, b)))
        .collect()
}

pub async fn queue_view(state: &AppState, hall: &Hall, now: i64) -> ApiResult<QueueView> {
    let store = state.store.as_ref();
    let types = store.business_types(hall.id).await?;
    let counters = store.counters(hall.id).await?;
    let waiting = waiting_today(store, hall, now).await?;
    let duties = open_duties(&counters);
    let samples = handling_today(state, hall, now).await?;
    let handling = handling_by_type(&samples, &types);
    let mut waiting_by_type: HashMap<i64, i64> = HashMap::new();
    for t in &waiting {
        *waiting_by_type.entry(t.business_type_id).or_default() += 1;
    }
    // In type order, as the store reads it: the same sums in the same order.
    let mut waiting_by_type: Vec<(i64, i64)> = waiting_by_type.into_iter().collect();
    waiting_by_type.sort_unstable();
    let type_queues = types
        .iter()
        .filter(|b| b.active)
        .map(|b| {
            let mine: Vec<&Ticket> = waiting
                .iter()
                .filter(|t| t.business_type_id == b.id)
                .collect();
            let longest = mine
                .iter()
                .map(|t| now - t.queued_since)
                .max()
                .unwrap_or(0)
                .max(0);
            let open = capacity_of(b.id, &duties);
            TypeQueue {
                business_type_id: b.id,
                code: b.code.clone(),
                name_zh: b.name_zh.clone(),
                name_en: b.name_en.clone(),
                prefix: b.prefix.clone(),
                waiting: mine.len() as i64,
                longest_wait_s: longest / 1000,
                target_wait_s: b.target_wait_s,
                over_target: longest > b.target_wait_s * 1000,
                open_counters: i64::from(open.primary + open.secondary),
                // For a ticket taken now: everyone of its type waits ahead of it.
                estimated_wait_s: estimated_wait_mix_ms(
                    b.id,
                    mine.len(),
                    &waiting_by_type,
                    &duties,
                    &|bt| handling.get(&bt).copied().unwrap_or(MIN_HANDLING_MS),
                )
                .map(|ms| ms / 1000),
            }
        })
        .collect();
    Ok(QueueView {
        hall_id: hall.id,
        types: type_queues,
        waiting: waiting
            .iter()
            .map(|t| WaitingEntry {
                id: t.id,
                number: t.number.clone(),
                business_type_id: t.business_type_id,
                priority: t.priority.as_str().into(),
                proxy: t.proxy,
                queued_since: t.queued_since,
                transferred: t.transferred_from.is_some(),
                on_way_at: t.on_way_at,
            })
            .collect(),
        counters: counters
            .iter()
            .map(crate::api::counters::view::CounterView::from)
            .collect(),
    })
}

/// The day's figures for a hall, optionally for one clerk.
#[derive(Debug, Serialize, ToSchema)]
pub struct TodayStats {
    pub hall_id: i64,
    pub service_day: String,
    pub figures: DayStatsView,
    /// Longest current wait in seconds.
    pub longest_wait_s: i64,
    /// Business types whose waiting tickets passed their target wait.
    pub alerts: Vec<String>,
}

pub async fn today_stats(
    store: &dyn Store,
    hall: &Hall,
    staff_id: Option<i64>,
    now: i64,
) -> ApiResult<TodayStats> {
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let day = service_day(now, tz);
    let day_s = day.to_string();
    let tickets = store.day_tickets(hall.id, &day_s).await?;
    let times: Vec<_> = tickets
        .iter()
        .filter(|t| staff_id.is_none() || t.ticket.staff_id == staff_id)
        .map(|t| {
            ticket_times(
                &t.log
                    .iter()
                    .map(|e| LogEntry {
                        state: e.state,
                        at_ms: e.at,
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let start = servicehall_domain::time::at_local(day, chrono::NaiveTime::MIN, tz);
    let ratings = store
        .ratings_between(hall.id, start, start + 86_400_000)
        .await?;
    let levels: Vec<u8> = ratings
        .iter()
        .filter(|r| staff_id.is_none() || r.staff_id == staff_id)
        .map(|r| r.level as u8)
        .collect();
    let waiting: Vec<&Ticket> = tickets
        .iter()
        .map(|t| &t.ticket)
        .filter(|t| t.state == TicketState::Waiting)
        .collect();
    let mut figures = day_stats(&times, waiting.len() as i64, &levels);
    // A transfer's linked record is the same visit: count visits, not records.
    figures.issued = tickets
        .iter()
        .filter(|t| t.ticket.transferred_from.is_none())
        .count() as i64;
    let types = store.business_types(hall.id).await?;
    let longest = waiting
        .iter()
        .map(|t| now - t.queued_since)
        .max()
        .unwrap_or(0)
        .max(0);
    let alerts = types
        .iter()
        .filter(|b| {
            waiting.iter().any(|t| {
                t.business_type_id == b.id && now - t.queued_since > b.target_wait_s * 1000
            })
        })
        .map(|b| {
            format!(
                "{} 等候超过 {} 分钟 / {} waiting over {} min",
                b.name_zh,
                b.target_wait_s / 60,
                b.name_en,
                b.target_wait_s / 60
            )
        })
        .collect();
    // Visits recorded by hand while the business system was down: those with no ticket
    // at their counter are visits of their own (`incidents::by_hand`).
    let (manual, added) =
        crate::api::incidents::manual::served_by_hand(store, hall.id, start, staff_id, &tickets)
            .await?;
    let mut figures = DayStatsView::from(&figures);
    figures.served += added;
    figures.manual = manual;
    Ok(TodayStats {
        hall_id: hall.id,
        service_day: day_s,
        figures,
        longest_wait_s: longest / 1000,
        alerts,
    })
}

/// One step of a ticket's log, as the API shows it (the store's `TicketEvent`).
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketEventView {
    /// The state the ticket entered (`waiting`, `called`, `serving`, `held`, `finished`,
    /// `no_show`, `transferred`).
    pub state: String,
    /// What happened: `issue`, `call`, `recall`, `start`, `finish`, …
    pub action: String,
    /// Unix milliseconds.
    pub at: i64,
    pub counter_id: Option<i64>,
    pub staff_id: Option<i64>,
    /// The hold reason, the transfer reason or the read-back (唱收唱付) text.
    pub note: String,
}

impl From<&servicehall_store::TicketEvent> for TicketEventView {
    fn from(e: &servicehall_store::TicketEvent) -> Self {
        Self {
            state: e.state.as_str().into(),
            action: e.action.clone(),
            at: e.at,
            counter_id: e.counter_id,
            staff_id: e.staff_id,
            note: e.note.clone(),
        }
    }
}

/// An action the ticket accepts now (`servicehall_domain::queue::ticket::allowed_actions`),
/// with the words a console shows on its button.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct TicketActionView {
    /// `call` (a counter's call-next), `start`, `recall`, `no_show`, `finish`, `hold`,
    /// `resume` or `transfer`; the others are `POST /api/v1/tickets/{id}/{action}`
    /// (`no_show` as `no-show`).
    pub action: String,
    pub label_zh: String,
    pub label_en: String,
}

/// The actions a ticket in `state` accepts now, in the order a console shows them.
pub fn ticket_actions(state: TicketState) -> Vec<TicketActionView> {
    servicehall_domain::queue::ticket::allowed_actions(state)
        .into_iter()
        .map(|a| TicketActionView {
            action: a.as_str().into(),
            label_zh: a.label_zh().into(),
            label_en: a.label_en().into(),
        })
        .collect()
}

/// The figures of one hall-local day (the domain's `DayStats`).
#[derive(Debug, Serialize, ToSchema)]
pub struct DayStatsView {
    pub issued: i64,
    /// Visits served, including those recorded by hand (`manual`).
    pub served: i64,
    /// Of `served`, the visits recorded by hand (营销系统故障人工登记) while the business
    /// system was down: no ticket, so no wait or handling time.
    pub manual: i64,
    pub no_show: i64,
    pub transferred: i64,
    pub waiting_now: i64,
    pub avg_wait_s: Option<i64>,
    pub avg_handling_s: Option<i64>,
    pub ratings: i64,
    /// Share of ratings at 基本满意 or better, in percent with one decimal.
    pub satisfaction_pct: Option<f64>,
}

impl From<&DayStats> for DayStatsView {
    fn from(d: &DayStats) -> Self {
        Self {
            issued: d.issued,
            served: d.served,
            manual: 0,
            no_show: d.no_show,
            transferred: d.transferred,
            waiting_now: d.waiting_now,
            avg_wait_s: d.avg_wait_s,
            avg_handling_s: d.avg_handling_s,
            ratings: d.ratings,
            satisfaction_pct: d.satisfaction_pct,
        }
    }
}
