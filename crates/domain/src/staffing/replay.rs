//! Replay: a past day's customers, with their recorded arrival times and service times, run
//! again under another counter plan or calling policy, to compare waits with what the hall
//! had. Running them first under the plan the hall actually kept checks the model: its waits
//! should be near the recorded ones.

use super::sim::{self, Customer, Outcome, Scenario};

/// The same customers under the plan kept and under an alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub kept: Outcome,
    pub alternative: Outcome,
}

impl Comparison {
    /// Seconds the alternative saves on the mean wait (negative: it costs).
    pub fn mean_wait_saved_s(&self) -> f64 {
        self.kept.mean_wait_s - self.alternative.mean_wait_s
    }
}

/// Runs `customers` under both scenarios. Patience is dropped: a replayed customer stayed.
pub fn replay(customers: &[Customer], kept: &Scenario, alternative: &Scenario) -> Comparison {
    let stayed: Vec<Customer> = customers
        .iter()
        .map(|c| Customer {
            patience_s: None,
            ..*c
        })
        .collect();
    Comparison {
        kept: sim::run(kept, &stayed),
        alternative: sim::run(alternative, &stayed),
    }
}

/// Counter-hours a plan uses (half-hour slots).
pub fn counter_hours(plan: &[u32]) -> f64 {
    plan.iter().map(|c| *c as f64).sum::<f64>() / 2.0
}
