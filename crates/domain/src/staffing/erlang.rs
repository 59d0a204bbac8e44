//! Erlang C (M/M/c): the chance to wait, the service level and the mean wait for `n` counters
//! offered `a` Erlangs, and the fewest counters that reach a service-level target.
//!
//! Erlang B is computed by its recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), which
//! never forms a factorial or a power, so it stays exact for hundreds of counters; Erlang C
//! follows as C = n·B / (n − a·(1 − B)).

use super::StaffingError;

/// The most counters a recommendation looks at before giving up (a hall has a few dozen).
pub const MAX_COUNTERS: u32 = 500;

/// What Erlang C predicts for one load and one number of counters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    pub counters: u32,
    /// The share of customers who wait at all (Erlang C), 0..=1.
    pub wait_probability: f64,
    /// The share served within the target wait, 0..=1.
    pub service_level: f64,
    /// The mean wait over every customer (those who do not wait count as 0), seconds.
    pub mean_wait_s: f64,
    /// Offered load per counter, 0..1.
    pub occupancy: f64,
}

/// A load: arrivals per hour and the mean service time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    pub arrivals_per_hour: f64,
    pub mean_service_s: f64,
}

impl Load {
    /// Checks the numbers a person typed (finite, arrivals ≥ 0, service > 0).
    pub fn new(arrivals_per_hour: f64, mean_service_s: f64) -> Result<Self, StaffingError> {
        if !arrivals_per_hour.is_finite() || arrivals_per_hour < 0.0 {
            return Err(StaffingError::Input {
                field: "arrivals-per-hour",
                zh: "每小时到达人数须为不小于 0 的数",
                en: "arrivals per hour must be a number ≥ 0",
            });
        }
        if !mean_service_s.is_finite() || mean_service_s <= 0.0 {
            return Err(StaffingError::Input {
                field: "mean-service",
                zh: "平均办理时长须为大于 0 的数",
                en: "the mean service time must be a number > 0",
            });
        }
        Ok(Self {
            arrivals_per_hour,
            mean_service_s,
        })
    }

    /// Offered traffic in Erlangs: arrivals per second × mean service seconds.
    pub fn erlangs(&self) -> f64 {
        self.arrivals_per_hour / 3600.0 * self.mean_service_s
    }
}

/// Erlang B (the blocking probability of M/M/n/n) by the stable recursion.
pub fn erlang_b(a: f64, n: u32) -> f64 {
    let mut b = 1.0;
    for k in 1..=n {
        b = a * b / (k as f64 + a * b);
    }
    b
}

/// Erlang C: the probability an arrival waits. `n ≤ a` means the queue grows without end.
pub fn erlang_c(a: f64, n: u32) -> Result<f64, StaffingError> {
    if a <= 0.0 {
        return Ok(0.0);
    }
    if (n as f64) <= a {
        return Err(StaffingError::Unstable {
            erlangs: a,
            counters: n,
        });
    }
    let b = erlang_b(a, n);
    Ok(n as f64 * b / (n as f64 - a * (1.0 - b)))
}

/// The prediction for `counters` under `load`, the service level measured at `target_wait_s`.
pub fn predict(load: Load, counters: u32, target_wait_s: f64) -> Result<Prediction, StaffingError> {
    let a = load.erlangs();
    let c = erlang_c(a, counters)?;
    let spare = counters as f64 - a;
    let service_level = if a <= 0.0 {
        1.0
    } else {
        1.0 - c * (-spare * target_wait_s.max(0.0) / load.mean_service_s).exp()
    };
    let mean_wait_s = if a <= 0.0 {
        0.0
    } else {
        c * load.mean_service_s / spare
    };
    Ok(Prediction {
        counters,
        wait_probability: c,
        service_level: service_level.clamp(0.0, 1.0),
        mean_wait_s,
        occupancy: if counters == 0 {
            0.0
        } else {
            a / counters as f64
        },
    })
}

/// The fewest counters whose service level reaches `level` (e.g. 0.8 of customers called
/// within `target_wait_s`). No arrivals need no counter.
pub fn recommend(load: Load, target_wait_s: f64, level: f64) -> Result<Prediction, StaffingError> {
    if !target_wait_s.is_finite() || target_wait_s < 0.0 {
        return Err(StaffingError::Input {
            field: "target-wait",
            zh: "目标等候时长须为不小于 0 的秒数",
            en: "the target wait must be seconds ≥ 0",
        });
    }
    if !level.is_finite() || level <= 0.0 || level >= 1.0 {
        return Err(StaffingError::Input {
            field: "service-level",
            zh: "服务水平须在 0 与 1 之间（如 0.8）",
            en: "the service level must be between 0 and 1 (e.g. 0.8)",
        });
    }
    let a = load.erlangs();
    if a <= 0.0 {
        return predict(load, 0, target_wait_s);
    }
    // The first stable number of counters, then upwards until the target is met.
    let first = (a.floor() as u32).saturating_add(1);
    for n in first..=MAX_COUNTERS.max(first) {
        let p = predict(load, n, target_wait_s)?;
        if p.service_level >= level {
            return Ok(p);
        }
    }
    Err(StaffingError::TooMany { erlangs: a })
}
