//! How good the wait estimates were: each estimate given at issue (the slip, the kiosk, the
//! phone's first answer) set against the wait the customer then had.
//!
//! - **Actual wait** = first call − issue. A ticket that was never called (it left, or the
//!   day ended before its turn) has no actual wait and is **left out**; so is a ticket issued
//!   with no estimate (no open counter served its type, or issued before estimates were kept).
//!   A transfer's linked record is the same visit, not a new estimate, and carries none.
//! - Per business type: **n** (estimates compared), **mean absolute error** (MAE, the average
//!   of |estimate − actual|) and the share of estimates **within ±5 minutes** of the actual
//!   wait (|estimate − actual| ≤ 300 s).

use serde::Serialize;
use std::collections::BTreeMap;

/// An estimate counts as right when it is at most this far from the actual wait.
pub const WITHIN_S: i64 = 300;

/// One issued ticket's estimate and what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EstimateOutcome {
    pub business_type_id: i64,
    /// The estimate given at issue, in seconds.
    pub estimated_s: i64,
    /// First call − issue, in seconds; `None` when the ticket was never called.
    pub actual_s: Option<i64>,
}

/// The accuracy of one business type's estimates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TypeAccuracy {
    pub business_type_id: i64,
    /// Estimates compared (called tickets with an estimate).
    pub n: i64,
    /// Mean absolute error in seconds.
    pub mae_s: f64,
    /// Share of estimates within ±[`WITHIN_S`] of the actual wait, 0–1.
    pub within_share: f64,
    /// Tickets with an estimate that were never called (left out of the figures).
    pub never_called: i64,
}

impl TypeAccuracy {
    /// MAE in minutes, one decimal.
    pub fn mae_min(&self) -> f64 {
        (self.mae_s / 6.0).round() / 10.0
    }

    /// Within ±5 min in percent, one decimal.
    pub fn within_pct(&self) -> f64 {
        (self.within_share * 1000.0).round() / 10.0
    }
}

/// Accuracy per business type (ordered by id); a type appears when it has at least one
/// estimate, even if none of its tickets was called yet (`n` = 0, figures 0).
pub fn accuracy_by_type(outcomes: &[EstimateOutcome]) -> Vec<TypeAccuracy> {
    // (n, sum of |error|, within, never called)
    let mut acc: BTreeMap<i64, (i64, i64, i64, i64)> = BTreeMap::new();
    for o in outcomes {
        let e = acc.entry(o.business_type_id).or_default();
        match o.actual_s {
            Some(actual) => {
                let err = (o.estimated_s - actual).abs();
                e.0 += 1;
                e.1 += err;
                e.2 += i64::from(err <= WITHIN_S);
            }
            None => e.3 += 1,
        }
    }
    acc.into_iter()
        .map(|(bt, (n, sum, within, never))| TypeAccuracy {
            business_type_id: bt,
            n,
            mae_s: if n == 0 { 0.0 } else { sum as f64 / n as f64 },
            within_share: if n == 0 {
                0.0
            } else {
                within as f64 / n as f64
            },
            never_called: never,
        })
        .collect()
}

/// All types together, weighted by their `n` (business_type_id 0).
pub fn overall(types: &[TypeAccuracy]) -> TypeAccuracy {
    let n: i64 = types.iter().map(|t| t.n).sum();
    let weighted = |f: fn(&TypeAccuracy) -> f64| {
        if n == 0 {
            0.0
        } else {
            types.iter().map(|t| f(t) * t.n as f64).sum::<f64>() / n as f64
        }
    };
    TypeAccuracy {
        business_type_id: 0,
        n,
        mae_s: weighted(|t| t.mae_s),
        within_share: weighted(|t| t.within_share),
        never_called: types.iter().map(|t| t.never_called).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(bt: i64, est: i64, actual: Option<i64>) -> EstimateOutcome {
        EstimateOutcome {
            business_type_id: bt,
            estimated_s: est,
            actual_s: actual,
        }
    }

    #[test]
    fn mean_absolute_error_and_share_within_five_minutes_by_hand() {
        let outcomes = [
            // type 1: errors 60, 300 (counts as within), 301 (does not), 0 → MAE 165.25 s
            o(1, 600, Some(540)),
            o(1, 300, Some(600)),
            o(1, 900, Some(599)),
            o(1, 0, Some(0)),
            // type 2: one error of 1200 s, one never called (left out)
            o(2, 120, Some(1320)),
            o(2, 600, None),
        ];
        let got = accuracy_by_type(&outcomes);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].business_type_id, 1);
        assert_eq!(got[0].n, 4);
        assert_eq!(got[0].mae_s, 165.25);
        assert_eq!(got[0].within_share, 0.75);
        assert_eq!(got[0].never_called, 0);
        assert_eq!(got[0].mae_min(), 2.8); // 165.25 s = 2.754 min
        assert_eq!(got[0].within_pct(), 75.0);
        assert_eq!(got[1].n, 1);
        assert_eq!(got[1].mae_s, 1200.0);
        assert_eq!(got[1].within_share, 0.0);
        assert_eq!(got[1].never_called, 1);
        // Together: (4 × 165.25 + 1 × 1200) / 5 = 372.2 s; 3 of 5 within.
        let all = overall(&got);
        assert_eq!(all.n, 5);
        assert!((all.mae_s - 372.2).abs() < 1e-9, "{}", all.mae_s);
        assert!((all.within_share - 0.6).abs() < 1e-9);
        assert_eq!(all.never_called, 1);
    }

    #[test]
    fn a_type_whose_tickets_were_never_called_has_no_figures() {
        let got = accuracy_by_type(&[o(3, 300, None), o(3, 60, None)]);
        assert_eq!(got[0].n, 0);
        assert_eq!(got[0].mae_s, 0.0);
        assert_eq!(got[0].within_share, 0.0);
        assert_eq!(got[0].never_called, 2);
        assert!(accuracy_by_type(&[]).is_empty());
        assert_eq!(overall(&[]).n, 0);
    }

    #[test]
    fn over_and_under_estimates_weigh_the_same() {
        let got = accuracy_by_type(&[o(1, 900, Some(300)), o(1, 300, Some(900))]);
        assert_eq!(got[0].mae_s, 600.0);
        assert_eq!(got[0].within_share, 0.0);
    }
}
