//! Figures derived from ticket logs only — never from counters kept on the side.

use crate::queue::ticket::TicketState;
use serde::Serialize;

/// One entry of a ticket's timed log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogEntry {
    pub state: TicketState,
    pub at_ms: i64,
}

/// Times of one ticket, derived from its log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TicketTimes {
    /// From entering the queue to the first call.
    pub wait_ms: Option<i64>,
    /// Time spent in `serving` (held time excluded).
    pub handling_ms: Option<i64>,
    pub final_state: Option<TicketState>,
}

/// Derives wait and handling time from a log in time order.
pub fn ticket_times(log: &[LogEntry]) -> TicketTimes {
    let mut times = TicketTimes::default();
    let queued = log
        .iter()
        .find(|e| e.state == TicketState::Waiting)
        .map(|e| e.at_ms);
    let called = log
        .iter()
        .find(|e| e.state == TicketState::Called)
        .map(|e| e.at_ms);
    if let (Some(q), Some(c)) = (queued, called) {
        times.wait_ms = Some(c - q);
    }
    let mut serving_since = None;
    let mut handling = 0;
    let mut served = false;
    for e in log {
        if let Some(since) = serving_since.take() {
            handling += e.at_ms - since;
        }
        if e.state == TicketState::Serving {
            serving_since = Some(e.at_ms);
            served = true;
        }
    }
    if served && serving_since.is_none() {
        times.handling_ms = Some(handling);
    }
    times.final_state = log.last().map(|e| e.state).filter(|s| s.is_final());
    times
}

/// The manager's figures for one hall-local day.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DayStats {
    pub issued: i64,
    pub served: i64,
    pub no_show: i64,
    pub transferred: i64,
    pub waiting_now: i64,
    pub avg_wait_s: Option<i64>,
    pub avg_handling_s: Option<i64>,
    pub ratings: i64,
    /// Share of ratings at 基本满意 or better, in percent with one decimal.
    pub satisfaction_pct: Option<f64>,
}

/// Adds up a day from each ticket's times and the day's rating levels.
pub fn day_stats(tickets: &[TicketTimes], waiting_now: i64, rating_levels: &[u8]) -> DayStats {
    let mut s = DayStats {
        issued: tickets.len() as i64,
        waiting_now,
        ..Default::default()
    };
    let (mut wait_sum, mut wait_n, mut handle_sum, mut handle_n) = (0, 0, 0, 0);
    for t in tickets {
        match t.final_state {
            Some(TicketState::Finished) => s.served += 1,
            Some(TicketState::NoShow) => s.no_show += 1,
            Some(TicketState::Transferred) => s.transferred += 1,
            _ => {}
        }
        if let Some(w) = t.wait_ms {
            wait_sum += w;
            wait_n += 1;
        }
        if let (Some(h), Some(TicketState::Finished | TicketState::Transferred)) =
            (t.handling_ms, t.final_state)
        {
            handle_sum += h;
            handle_n += 1;
        }
    }
    s.avg_wait_s = (wait_n > 0).then(|| wait_sum / wait_n / 1000);
    s.avg_handling_s = (handle_n > 0).then(|| handle_sum / handle_n / 1000);
    s.ratings = rating_levels.len() as i64;
    if !rating_levels.is_empty() {
        let good = rating_levels.iter().filter(|l| **l >= 3).count() as f64;
        s.satisfaction_pct = Some((good * 1000.0 / rating_levels.len() as f64).round() / 10.0);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use TicketState as S;

    fn log(entries: &[(S, i64)]) -> Vec<LogEntry> {
        entries
            .iter()
            .map(|(state, at)| LogEntry {
                state: *state,
                at_ms: *at,
            })
            .collect()
    }

    #[test]
    fn wait_and_handling_come_from_the_log() {
        let t = ticket_times(&log(&[
            (S::Waiting, 0),
            (S::Called, 60_000),
            (S::Called, 90_000), // a recall does not restart the wait
            (S::Serving, 120_000),
            (S::Held, 180_000),
            (S::Serving, 300_000),
            (S::Finished, 360_000),
        ]));
        assert_eq!(t.wait_ms, Some(60_000));
        assert_eq!(
            t.handling_ms,
            Some(120_000),
            "held time is not handling time"
        );
        assert_eq!(t.final_state, Some(S::Finished));
    }

    #[test]
    fn open_tickets_have_no_handling_time_yet() {
        let t = ticket_times(&log(&[(S::Waiting, 0), (S::Called, 10), (S::Serving, 20)]));
        assert_eq!(t.handling_ms, None);
        assert_eq!(t.final_state, None);
        let t = ticket_times(&log(&[(S::Waiting, 0)]));
        assert_eq!(t.wait_ms, None);
    }

    #[test]
    fn day_adds_up_outcomes_and_satisfaction() {
        let done = ticket_times(&log(&[
            (S::Waiting, 0),
            (S::Called, 120_000),
            (S::Serving, 130_000),
            (S::Finished, 430_000),
        ]));
        let gone = ticket_times(&log(&[
            (S::Waiting, 0),
            (S::Called, 60_000),
            (S::NoShow, 200_000),
        ]));
        let open = ticket_times(&log(&[(S::Waiting, 0)]));
        let d = day_stats(&[done, gone, open], 1, &[5, 4, 3, 2]);
        assert_eq!((d.issued, d.served, d.no_show, d.waiting_now), (3, 1, 1, 1));
        assert_eq!(d.avg_wait_s, Some(90));
        assert_eq!(d.avg_handling_s, Some(300));
        assert_eq!(d.satisfaction_pct, Some(75.0));
        assert_eq!(day_stats(&[], 0, &[]).satisfaction_pct, None);
    }
}
