//! A day's advice per half-hour: the forecast, the counters Erlang C recommends for the
//! target, the counters planned, and the waits the simulation predicts under the plan (the
//! simulation, because a busy morning's queue spills into the next half-hour and Erlang C's
//! steady state does not see that).

use super::StaffingError;
use super::erlang::{self, Load};
use super::forecast::{SLOT_S, ServiceStats};
use super::sim::{self, Demand, Policy, Rng, Scenario, ServiceDist};

/// What advice is computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct DayInputs {
    /// Forecast arrivals per half-hour.
    pub forecast: Vec<f64>,
    pub service: ServiceDist,
    pub target_wait_s: f64,
    /// Share to serve within the target, e.g. 0.8.
    pub level: f64,
    /// Counters planned per half-hour; None where nothing is planned (the recommendation
    /// then stands in for the prediction).
    pub planned: Vec<Option<u32>>,
    pub mean_patience_s: Option<f64>,
    pub seed: u64,
    /// Simulated days averaged (more: steadier predictions, slower).
    pub runs: usize,
}

/// One half-hour of advice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlotAdvice {
    pub slot: usize,
    pub forecast: f64,
    pub recommended: u32,
    pub planned: Option<u32>,
    /// Simulated mean wait of those arriving in the half-hour, seconds.
    pub predicted_wait_s: f64,
    /// Simulated share served within the target.
    pub predicted_service_level: f64,
}

/// The service distribution a summary suggests: exponential when the spread is about the
/// mean (cv near 1), log-normal otherwise.
pub fn service_dist(stats: &ServiceStats) -> ServiceDist {
    if (0.9..=1.1).contains(&stats.cv) {
        ServiceDist::Exponential {
            mean_s: stats.mean_s,
        }
    } else {
        ServiceDist::LogNormal {
            mean_s: stats.mean_s,
            cv: stats.cv.max(0.05),
        }
    }
}

/// The advice for every half-hour of the forecast.
pub fn advise(inp: &DayInputs) -> Result<Vec<SlotAdvice>, StaffingError> {
    let mut recommended = Vec::with_capacity(inp.forecast.len());
    for &f in &inp.forecast {
        let load = Load::new(f * 3600.0 / SLOT_S, inp.service.mean_s())?;
        recommended.push(erlang::recommend(load, inp.target_wait_s, inp.level)?.counters);
    }
    let plan: Vec<u32> = recommended
        .iter()
        .enumerate()
        .map(|(s, r)| inp.planned.get(s).copied().flatten().unwrap_or(*r))
        .collect();
    let scenario = Scenario {
        slot_s: SLOT_S,
        plan,
        skills: Vec::new(),
        policy: Policy::Fifo,
        target_wait_s: vec![inp.target_wait_s],
    };
    let demand = Demand {
        slot_s: SLOT_S,
        per_slot: inp.forecast.clone(),
        kind_shares: vec![1.0],
        service: vec![inp.service],
        mean_patience_s: inp.mean_patience_s,
    };
    let runs = inp.runs.max(1);
    let n = inp.forecast.len();
    let (mut wait, mut served, mut level, mut seen) =
        (vec![0.0; n], vec![0usize; n], vec![0.0; n], vec![0usize; n]);
    let mut rng = Rng::new(inp.seed);
    for _ in 0..runs {
        let out = sim::run(&scenario, &sim::draw_customers(&demand, &mut rng));
        for (s, o) in out.slots.iter().enumerate() {
            wait[s] += o.mean_wait_s * o.served as f64;
            served[s] += o.served;
            if o.arrivals > 0 {
                level[s] += o.service_level;
                seen[s] += 1;
            }
        }
    }
    Ok((0..n)
        .map(|s| SlotAdvice {
            slot: s,
            forecast: inp.forecast[s],
            recommended: recommended[s],
            planned: inp.planned.get(s).copied().flatten(),
            predicted_wait_s: if served[s] > 0 {
                wait[s] / served[s] as f64
            } else {
                0.0
            },
            predicted_service_level: if seen[s] > 0 {
                level[s] / seen[s] as f64
            } else {
                1.0
            },
        })
        .collect())
}
