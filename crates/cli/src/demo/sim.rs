//! A seeded discrete-event simulation of the demo hall, driven only through the
//! [`Store`] trait with explicit instants, so every figure comes from real ticket logs.

use super::curve;
use super::hall::{BUSINESS_TYPES, DemoHall};
use crate::prng::SplitMix64;
use crate::{CliError, CliResult};
use chrono::{Datelike, Days, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use servicehall_domain::catalogue::VisitOutcome;
use servicehall_domain::queue::rating::BAD_REASONS;
use servicehall_domain::time::at_local;
use servicehall_domain::{Priority, ReadBack};
use servicehall_store::{IssueTicket, Operator, Store, Ticket, TicketCommand};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

const SEC: i64 = 1000;
/// How long an evaluator accepts a rating in the simulation (the web default).
const RATING_WINDOW_MS: i64 = 10 * 60 * 1000;

/// What the simulation produced.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SimStats {
    pub days: usize,
    pub issued: usize,
    pub finished: usize,
    pub no_shows: usize,
    pub transfers: usize,
    pub ratings: usize,
    pub green: usize,
    pub proxy: usize,
    pub waiting_now: usize,
}

#[derive(Debug, Clone)]
enum Step {
    Recall,
    NoShow,
    Start,
    Finish,
    Transfer(usize),
}

#[derive(Debug, Clone)]
enum Ev {
    Arrive {
        bt: usize,
        green: Option<&'static str>,
        proxy: bool,
        channel: &'static str,
    },
    ShiftStart {
        c: usize,
        clerk: usize,
        end: i64,
        last: bool,
        lunch: Option<(i64, i64)>,
    },
    Wake {
        c: usize,
        poll: bool,
    },
    Resume {
        c: usize,
    },
    Act {
        c: usize,
        ticket: i64,
        step: Step,
    },
    Rate {
        c: usize,
        ticket: i64,
        level: i64,
        reasons: Vec<String>,
    },
}

#[derive(Debug, Default, Clone)]
struct CounterState {
    open: bool,
    paused: bool,
    busy: bool,
    staff_id: Option<i64>,
    shift_end: i64,
    last_shift: bool,
    lunch: Option<(i64, i64)>,
    poll_pending: bool,
}

struct Day<'a> {
    store: &'a dyn Store,
    demo: &'a DemoHall,
    rng: SplitMix64,
    heap: BinaryHeap<Reverse<(i64, u64)>>,
    events: HashMap<u64, Ev>,
    seq: u64,
    counters: Vec<CounterState>,
    /// Waiting tickets and when each becomes overdue (then any counter may call it).
    waiting: HashMap<i64, i64>,
    bt_of: HashMap<i64, usize>,
    stats: &'a mut SimStats,
    day_end: i64,
}

/// Hall-local midnight of `day`, in unix ms.
fn midnight(day: NaiveDate, tz: Tz) -> i64 {
    at_local(day, NaiveTime::MIN, tz)
}

fn sim_err(e: servicehall_store::StoreError, what: &str) -> CliError {
    CliError::failed(format!(
        "演示模拟出错（{what}）· demo simulation ({what}): {e}"
    ))
}

/// SQLite under sqlx can report "database is locked" on a write when a pooled connection
/// still holds an old read snapshot; the transaction rolled back, so the call is retried.
fn is_busy(e: &servicehall_store::StoreError) -> bool {
    e.to_string().contains("database is locked")
}

macro_rules! retry {
    ($what:expr, $call:expr) => {{
        let mut attempt = 0u64;
        loop {
            match $call.await {
                Ok(v) => break Ok(v),
                Err(e) if attempt < 8 && is_busy(&e) => {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(5 * attempt)).await;
                }
                Err(e) => break Err(sim_err(e, $what)),
            }
        }
    }};
}

// After `retry!`: a macro is seen by the modules declared below it.
mod counter;

impl<'a> Day<'a> {
    fn push(&mut self, at: i64, ev: Ev) {
        self.seq += 1;
        self.heap.push(Reverse((at, self.seq)));
        self.events.insert(self.seq, ev);
    }

    fn serves(&self, c: usize, bt: usize, primary: bool) -> bool {
        let id = self.demo.types[bt].id;
        let counter = &self.demo.counters[c];
        if primary {
            counter.primary.contains(&id)
        } else {
            counter.secondary.contains(&id)
        }
    }

    /// Wakes one idle counter that serves `bt` (primary first).
    fn wake_for(&mut self, bt: usize, now: i64) {
        let idle = |s: &CounterState| s.open && !s.paused && !s.busy;
        let pick = (0..self.counters.len())
            .find(|&c| idle(&self.counters[c]) && self.serves(c, bt, true))
            .or_else(|| {
                (0..self.counters.len())
                    .find(|&c| idle(&self.counters[c]) && self.serves(c, bt, false))
            });
        if let Some(c) = pick {
            self.push(now, Ev::Wake { c, poll: false });
        }
    }

    fn op(&self, c: usize) -> Operator {
        Operator {
            staff_id: self.counters[c].staff_id,
            counter_id: Some(self.demo.counters[c].id),
        }
    }

    fn handling_ms(&mut self, bt: usize) -> i64 {
        let target = BUSINESS_TYPES[bt].target_handling_s as f64;
        let mut f = 0.45 + 0.9 * (self.rng.f64() + self.rng.f64()) / 2.0;
        if self.rng.chance(0.04) {
            f *= 1.8;
        }
        (target * f * 1000.0) as i64
    }

    fn pick_arrival(&mut self) -> Ev {
        let weights: Vec<f64> = BUSINESS_TYPES.iter().map(|b| b.weight).collect();
        let mut bt = self.rng.weighted(&weights);
        let green = if self.rng.chance(0.03) {
            let reasons = ["老年人", "老年人", "老年人", "残疾人", "孕妇", "紧急停电"];
            let r = reasons[self.rng.range(0, reasons.len() as i64 - 1) as usize];
            if r == "紧急停电" {
                bt = 5; // repair
            }
            Some(r)
        } else {
            None
        };
        let code = BUSINESS_TYPES[bt].code;
        let proxy = matches!(code, "new_business" | "solar" | "ev_charger" | "transfer")
            && self.rng.chance(0.12);
        let channel = if green.is_some() || proxy {
            "guide"
        } else if self.rng.chance(0.12) {
            "app"
        } else {
            "kiosk"
        };
        Ev::Arrive {
            bt,
            green,
            proxy,
            channel,
        }
    }

    async fn issue(
        &mut self,
        bt: usize,
        green: Option<&str>,
        proxy: bool,
        channel: &str,
        now: i64,
    ) -> CliResult<Ticket> {
        let req = IssueTicket {
            hall_id: self.demo.hall.id,
            business_type_id: self.demo.types[bt].id,
            priority: if green.is_some() {
                Priority::Green
            } else {
                Priority::Normal
            },
            green_reason: green.unwrap_or("").to_string(),
            proxy,
            channel: channel.to_string(),
            idempotency_key: None,
            code: servicehall_web::api::queue::ticket_code(now),
            kiosk: None,
            // The estimate kept for the accuracy figures: the types' configured times, as
            // the web's estimate starts each morning before the day has a sample.
            handling_ms: Some(
                self.demo
                    .types
                    .iter()
                    .map(|t| (t.id, t.target_handling_s * SEC))
                    .collect(),
            ),
        };
        let t = retry!("issue", self.store.issue_ticket(&req, now))?;
        let target = BUSINESS_TYPES[bt].target_wait_s * SEC;
        self.waiting.insert(t.id, t.queued_since + target);
        self.bt_of.insert(t.id, bt);
        self.stats.issued += 1;
        self.stats.green += green.is_some() as usize;
        self.stats.proxy += proxy as usize;
        Ok(t)
    }

    async fn run(&mut self, cutoff: i64) -> CliResult<()> {
        while let Some(Reverse((at, seq))) = self.heap.pop() {
            if at > cutoff {
                break;
            }
            let Some(ev) = self.events.remove(&seq) else {
                continue;
            };
            match ev {
                Ev::Arrive {
                    bt,
                    green,
                    proxy,
                    channel,
                } => {
                    self.issue(bt, green, proxy, channel, at).await?;
                    self.wake_for(bt, at);
                }
                Ev::ShiftStart {
                    c,
                    clerk,
                    end,
                    last,
                    lunch,
                } => {
                    if self.counters[c].open {
                        continue;
                    }
                    let staff = self.demo.clerks[clerk].id;
                    retry!(
                        "open counter",
                        self.store.open_counter(self.demo.counters[c].id, staff, at)
                    )?;
                    self.counters[c] = CounterState {
                        open: true,
                        staff_id: Some(staff),
                        shift_end: end,
                        last_shift: last,
                        lunch,
                        ..Default::default()
                    };
                    self.push(at, Ev::Wake { c, poll: false });
                    // Idle counters notice the end of the shift and the lunch break too.
                    self.push(end, Ev::Wake { c, poll: false });
                    if let Some((from, _)) = lunch {
                        self.push(from, Ev::Wake { c, poll: false });
                    }
                }
                Ev::Wake { c, poll } => self.wake(c, poll, at).await?,
                Ev::Resume { c } => {
                    if let Some(staff) = self.counters[c].staff_id {
                        retry!(
                            "resume counter",
                            self.store.open_counter(self.demo.counters[c].id, staff, at)
                        )?;
                        self.counters[c].paused = false;
                        self.push(at, Ev::Wake { c, poll: false });
                    }
                }
                Ev::Act { c, ticket, step } => self.act(c, ticket, step, at).await?,
                Ev::Rate {
                    c,
                    ticket,
                    level,
                    reasons,
                } => {
                    retry!(
                        "rate",
                        self.store.rate(
                            ticket,
                            self.demo.counters[c].id,
                            None,
                            level,
                            &reasons,
                            RATING_WINDOW_MS,
                            at,
                        )
                    )?;
                    self.stats.ratings += 1;
                }
            }
        }
        Ok(())
    }
}

/// Simulates one open day. When live (until an instant), only counters 1–5 work (no lunch breaks) and
/// the day stops at `cutoff`, leaving the hall as it would be at that instant.
async fn simulate_day(
    store: &dyn Store,
    demo: &DemoHall,
    rng: SplitMix64,
    day: NaiveDate,
    tz: Tz,
    live_until: Option<i64>,
    stats: &mut SimStats,
) -> CliResult<()> {
    let live = live_until.is_some();
    let cutoff = live_until.unwrap_or(i64::MAX);
    let m0 = midnight(day, tz);
    let at = |h: i64, m: i64| m0 + (h * 3600 + m * 60) * SEC;
    let mut d = Day {
        store,
        demo,
        rng,
        heap: BinaryHeap::new(),
        events: HashMap::new(),
        seq: 0,
        counters: vec![CounterState::default(); demo.counters.len()],
        waiting: HashMap::new(),
        bt_of: HashMap::new(),
        stats,
        day_end: at(20, 0),
    };
    let close = at(17, 30);
    // Counters 1–5: the day shift; 3 and 4 take staggered lunch breaks.
    for c in 0..5.min(demo.counters.len()) {
        let lunch = match (live, c) {
            (false, 2) => Some((at(11, 50), at(12, 40))),
            (false, 3) => Some((at(12, 30), at(13, 20))),
            _ => None,
        };
        let open = at(8, 30) - d.rng.range(0, 120) * SEC;
        d.push(
            open,
            Ev::ShiftStart {
                c,
                clerk: c,
                end: close,
                last: true,
                lunch,
            },
        );
    }
    // Counter 6 (综合): peak support in the morning and the afternoon.
    if !live && demo.counters.len() >= 6 && demo.clerks.len() >= 7 {
        d.push(
            at(9, 30),
            Ev::ShiftStart {
                c: 5,
                clerk: 5,
                end: at(11, 45),
                last: false,
                lunch: None,
            },
        );
        d.push(
            at(14, 0),
            Ev::ShiftStart {
                c: 5,
                clerk: 6,
                end: at(16, 30),
                last: false,
                lunch: None,
            },
        );
    }
    let n = curve::daily_count(&mut d.rng, day.weekday());
    for s in curve::arrivals(&mut d.rng, n) {
        let ev = d.pick_arrival();
        let jitter = d.rng.range(0, 999);
        d.push(m0 + s * SEC + jitter, ev);
    }
    d.run(cutoff).await?;
    if live && cutoff < close && cutoff >= at(8, 30) {
        // Leave a few customers waiting for the live screens.
        let mut k = 0;
        while d.waiting.len() < 3 {
            let bt = [8, 3, 0][k % 3];
            d.issue(bt, None, false, "kiosk", cutoff - (3 - k as i64) * 20 * SEC)
                .await?;
            k += 1;
        }
        d.stats.waiting_now = d.waiting.len();
    }
    Ok(())
}

/// Seeds `days` days of history before `today` (hall-open days only), then today up to
/// `now` when the hall is open now.
pub async fn seed(
    store: &dyn Store,
    demo: &DemoHall,
    seed: u64,
    today: NaiveDate,
    days: u64,
    now: i64,
) -> CliResult<SimStats> {
    let tz: Tz =
        servicehall_domain::time::parse_tz(&demo.hall.timezone).map_err(CliError::failed)?;
    let root = SplitMix64::new(seed);
    let mut stats = SimStats::default();
    for back in (1..=days).rev() {
        let Some(day) = today.checked_sub_days(Days::new(back)) else {
            continue;
        };
        if !curve::is_open(day.weekday()) {
            continue;
        }
        let rng = root.fork(day.num_days_from_ce() as u64);
        simulate_day(store, demo, rng, day, tz, None, &mut stats).await?;
        stats.days += 1;
    }
    if curve::is_open(today.weekday()) && now > at_local(today, NaiveTime::MIN, tz) {
        let rng = root.fork(today.num_days_from_ce() as u64);
        simulate_day(store, demo, rng, today, tz, Some(now), &mut stats).await?;
        stats.days += 1;
    }
    Ok(stats)
}
