//! A discrete-event simulation of a hall's counters, for where Erlang C's assumptions fail:
//! service times that are not exponential, customers who give up (abandonment), counters that
//! take only some business (主办/兼办 skills), counters opening and closing by the half-hour.
//! Seeded and pure: the same inputs and seed give the same outcome on every machine.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// A small deterministic generator (splitmix64): good enough for queues, no dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x5EED_5EED_5EED_5EED)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1]: never 0, so `ln` is finite.
    pub fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }

    /// Exponential with the given mean.
    pub fn exp(&mut self, mean: f64) -> f64 {
        -mean * self.unit().ln()
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.unit(), self.unit());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// How long service takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ServiceDist {
    /// Erlang C's assumption.
    Exponential {
        mean_s: f64,
    },
    /// Long right tail, as handling times in a hall usually have; `cv` = sd / mean.
    LogNormal {
        mean_s: f64,
        cv: f64,
    },
    Fixed {
        s: f64,
    },
}

impl ServiceDist {
    pub fn mean_s(&self) -> f64 {
        match *self {
            Self::Exponential { mean_s } | Self::LogNormal { mean_s, .. } => mean_s,
            Self::Fixed { s } => s,
        }
    }

    pub fn draw(&self, rng: &mut Rng) -> f64 {
        match *self {
            Self::Exponential { mean_s } => rng.exp(mean_s),
            Self::LogNormal { mean_s, cv } => {
                let sigma2 = (1.0 + cv * cv).ln();
                let mu = mean_s.ln() - sigma2 / 2.0;
                (mu + sigma2.sqrt() * rng.normal()).exp()
            }
            Self::Fixed { s } => s,
        }
    }
}

/// One customer: when they arrive (seconds from the day's start), what for, how long the
/// service takes and how long they would wait before leaving (None: they stay).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Customer {
    pub arrival_s: f64,
    pub kind: usize,
    pub service_s: f64,
    pub patience_s: Option<f64>,
}

/// What a counter takes: 主办 (primary) and 兼办 (secondary) kinds. Both empty: everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Skills {
    pub primary: Vec<usize>,
    pub secondary: Vec<usize>,
}

impl Skills {
    fn takes(&self, kind: usize) -> bool {
        (self.primary.is_empty() && self.secondary.is_empty())
            || self.primary.contains(&kind)
            || self.secondary.contains(&kind)
    }
}

/// Which waiting customer an idle counter calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Policy {
    /// The longest-waiting customer the counter can serve (先接先办).
    #[default]
    Fifo,
    /// The longest-waiting of the counter's 主办 kinds first, then of its 兼办 kinds.
    PrimaryFirst,
}

/// The counters of a run: how many are open per slot (counter i is open while i < plan[slot]),
/// their skills (a counter without an entry takes everything), the policy and each kind's
/// target wait (the last entry serves kinds beyond the list).
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub slot_s: f64,
    pub plan: Vec<u32>,
    pub skills: Vec<Skills>,
    pub policy: Policy,
    pub target_wait_s: Vec<f64>,
}

/// What a run measured, over all customers and per arrival slot.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    pub customers: usize,
    pub served: usize,
    pub abandoned: usize,
    /// Mean wait of the served, seconds.
    pub mean_wait_s: f64,
    /// Served within their kind's target, over all customers (one who left counts as missed).
    pub service_level: f64,
    pub max_wait_s: f64,
    pub slots: Vec<SlotOutcome>,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SlotOutcome {
    pub arrivals: usize,
    pub served: usize,
    pub abandoned: usize,
    pub mean_wait_s: f64,
    pub service_level: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ev {
    // Order at equal times: slot changes and completions free counters before arrivals queue.
    Slot(usize),
    Done(usize),
    Arrival(usize),
    Abandon(usize),
}

struct At(f64, u64, Ev);

impl PartialEq for At {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for At {}
impl PartialOrd for At {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for At {
    // Reversed: BinaryHeap is a max-heap, the earliest event must come first.
    fn cmp(&self, o: &Self) -> Ordering {
        o.0.total_cmp(&self.0).then(o.1.cmp(&self.1))
    }
}

/// Runs the customers through the scenario. After the plan's last slot the counters of that
/// slot (at least one) stay until everyone has been served or has left: a hall serves
/// everyone who took a ticket before closing.
pub fn run(sc: &Scenario, customers: &[Customer]) -> Outcome {
    // Counter i is open while i < plan[slot]; after the plan, the last slot's (at least one).
    let tail = sc.plan.last().copied().unwrap_or(1).max(1) as usize;
    let n = (sc.plan.iter().copied().max().unwrap_or(0) as usize).max(tail);
    let open_in = |slot: usize| -> usize { sc.plan.get(slot).map_or(tail, |&c| c as usize) };
    let mut heap = BinaryHeap::new();
    let mut seq = 0u64;
    let mut push = |heap: &mut BinaryHeap<At>, t: f64, e: Ev| {
        seq += 1;
        heap.push(At(t, seq, e));
    };
    for s in 1..=sc.plan.len() {
        push(&mut heap, s as f64 * sc.slot_s, Ev::Slot(s));
    }
    for (i, c) in customers.iter().enumerate() {
        push(&mut heap, c.arrival_s, Ev::Arrival(i));
    }
    let mut open = open_in(0);
    let mut busy = vec![false; n];
    let mut waiting: VecDeque<usize> = VecDeque::new();
    let mut wait: Vec<Option<f64>> = vec![None; customers.len()];
    let mut left = vec![false; customers.len()];
    while let Some(At(now, _, ev)) = heap.pop() {
        match ev {
            Ev::Slot(s) => open = open_in(s),
            Ev::Done(c) => busy[c] = false,
            Ev::Arrival(i) => {
                waiting.push_back(i);
                if let Some(p) = customers[i].patience_s {
                    push(&mut heap, now + p, Ev::Abandon(i));
                }
            }
            Ev::Abandon(i) => {
                if let Some(pos) = waiting.iter().position(|&w| w == i) {
                    waiting.remove(pos);
                    left[i] = true;
                }
            }
        }
        for (c, at_work) in busy.iter_mut().enumerate().take(open.min(n)) {
            if *at_work || waiting.is_empty() {
                continue;
            }
            let skills = sc.skills.get(c);
            let takes = |i: &usize| skills.is_none_or(|s| s.takes(customers[*i].kind));
            let pick = match (sc.policy, skills) {
                (Policy::PrimaryFirst, Some(s)) if !s.primary.is_empty() => waiting
                    .iter()
                    .position(|i| s.primary.contains(&customers[*i].kind))
                    .or_else(|| waiting.iter().position(takes)),
                _ => waiting.iter().position(takes),
            };
            if let Some(pos) = pick {
                let i = waiting.remove(pos).unwrap_or_default();
                wait[i] = Some(now - customers[i].arrival_s);
                *at_work = true;
                push(&mut heap, now + customers[i].service_s, Ev::Done(c));
            }
        }
    }
    summarize(sc, customers, &wait, &left)
}

fn summarize(
    sc: &Scenario,
    customers: &[Customer],
    wait: &[Option<f64>],
    left: &[bool],
) -> Outcome {
    let target = |kind: usize| {
        sc.target_wait_s
            .get(kind)
            .or(sc.target_wait_s.last())
            .copied()
            .unwrap_or(f64::INFINITY)
    };
    let slot_of = |t: f64| (t / sc.slot_s).max(0.0) as usize;
    let mut slots = vec![SlotOutcome::default(); sc.plan.len()];
    let (mut served, mut abandoned, mut within, mut sum, mut max) = (0, 0, 0, 0.0, 0.0f64);
    let mut slot_sum = vec![0.0; slots.len()];
    let mut slot_within = vec![0usize; slots.len()];
    for (i, c) in customers.iter().enumerate() {
        let s = slot_of(c.arrival_s);
        let mut slot = slots.get_mut(s);
        if let Some(o) = slot.as_deref_mut() {
            o.arrivals += 1;
        }
        if left[i] {
            abandoned += 1;
            if let Some(o) = slot {
                o.abandoned += 1;
            }
        } else if let Some(w) = wait[i] {
            served += 1;
            sum += w;
            max = max.max(w);
            let ok = w <= target(c.kind);
            within += ok as usize;
            if let Some(o) = slot {
                o.served += 1;
                slot_sum[s] += w;
                slot_within[s] += ok as usize;
            }
        }
    }
    for (s, o) in slots.iter_mut().enumerate() {
        o.mean_wait_s = if o.served > 0 {
            slot_sum[s] / o.served as f64
        } else {
            0.0
        };
        o.service_level = if o.arrivals > 0 {
            slot_within[s] as f64 / o.arrivals as f64
        } else {
            1.0
        };
    }
    let n = customers.len();
    Outcome {
        customers: n,
        served,
        abandoned,
        mean_wait_s: if served > 0 { sum / served as f64 } else { 0.0 },
        service_level: if n > 0 { within as f64 / n as f64 } else { 1.0 },
        max_wait_s: max,
        slots,
    }
}

/// How arrivals are drawn: a rate per slot (customers per slot), the kinds' shares, each kind's
/// service distribution (the last serves kinds beyond the list) and the mean patience (None:
/// nobody leaves; otherwise exponential patience).
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    pub slot_s: f64,
    pub per_slot: Vec<f64>,
    pub kind_shares: Vec<f64>,
    pub service: Vec<ServiceDist>,
    pub mean_patience_s: Option<f64>,
}

/// Poisson arrivals at a rate constant within each slot.
pub fn draw_customers(d: &Demand, rng: &mut Rng) -> Vec<Customer> {
    let total: f64 = d.kind_shares.iter().sum();
    let mut out = Vec::new();
    for (s, &rate) in d.per_slot.iter().enumerate() {
        if rate <= 0.0 {
            continue;
        }
        let (start, end) = (s as f64 * d.slot_s, (s + 1) as f64 * d.slot_s);
        let mut t = start + rng.exp(d.slot_s / rate);
        while t < end {
            let kind = pick_kind(&d.kind_shares, total, rng);
            let dist = d.service.get(kind).or(d.service.last());
            out.push(Customer {
                arrival_s: t,
                kind,
                service_s: dist.map_or(0.0, |x| x.draw(rng)),
                patience_s: d.mean_patience_s.map(|m| rng.exp(m)),
            });
            t += rng.exp(d.slot_s / rate);
        }
    }
    out
}

fn pick_kind(shares: &[f64], total: f64, rng: &mut Rng) -> usize {
    if shares.len() <= 1 || total <= 0.0 {
        return 0;
    }
    let mut x = rng.unit() * total;
    for (k, s) in shares.iter().enumerate() {
        if x <= *s {
            return k;
        }
        x -= s;
    }
    shares.len() - 1
}

/// M/M/c for `hours`: the CLI's `simulate` and the check against Erlang C.
pub fn simulate_mmc(
    arrivals_per_hour: f64,
    mean_service_s: f64,
    counters: u32,
    hours: f64,
    target_wait_s: f64,
    seed: u64,
) -> Outcome {
    let slots = (hours * 2.0).ceil().max(1.0) as usize;
    let demand = Demand {
        slot_s: 1800.0,
        per_slot: vec![arrivals_per_hour / 2.0; slots],
        kind_shares: vec![1.0],
        service: vec![ServiceDist::Exponential {
            mean_s: mean_service_s,
        }],
        mean_patience_s: None,
    };
    let mut rng = Rng::new(seed);
    let mut customers = draw_customers(&demand, &mut rng);
    customers.retain(|c| c.arrival_s < hours * 3600.0);
    let sc = Scenario {
        slot_s: 1800.0,
        plan: vec![counters; slots],
        skills: Vec::new(),
        policy: Policy::Fifo,
        target_wait_s: vec![target_wait_s],
    };
    run(&sc, &customers)
}
