//! Manual entries (人工登记) in the served figures. While the business system is down the
//! queue may still run: a clerk calls a ticket and records that visit by hand, and the
//! ticket already counts as served. A manual entry is a visit of its own only when no ticket
//! was at its counter when it was recorded (a power cut with the kiosk dark, a customer
//! taken at the counter directly). The figures add those and mark how many of the day's
//! visits were recorded by hand.

use crate::TicketState;
use crate::queue::stats::LogEntry;

/// When a ticket was at a counter: from its first call to the state that ended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AtCounter {
    pub counter_id: i64,
    pub from: i64,
    pub to: i64,
}

/// The span a ticket was at `counter_id`, from its log in time order; `None` if never
/// called. A ticket still being served runs to the end of time.
pub fn at_counter(counter_id: Option<i64>, log: &[LogEntry]) -> Option<AtCounter> {
    let counter_id = counter_id?;
    let from = log.iter().find(|e| e.state == TicketState::Called)?.at_ms;
    let to = log
        .iter()
        .filter(|e| e.at_ms >= from)
        .find(|e| {
            matches!(
                e.state,
                TicketState::Finished | TicketState::NoShow | TicketState::Transferred
            )
        })
        .map_or(i64::MAX, |e| e.at_ms);
    Some(AtCounter {
        counter_id,
        from,
        to,
    })
}

/// How many of the entries — (counter, recorded at) — were recorded with no ticket at their
/// counter: the visits to add to the tickets served.
pub fn without_ticket(entries: &[(Option<i64>, i64)], spans: &[AtCounter]) -> i64 {
    entries
        .iter()
        .filter(|(counter, at)| {
            !spans
                .iter()
                .any(|s| Some(s.counter_id) == *counter && (s.from..=s.to).contains(at))
        })
        .count() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(states: &[(TicketState, i64)]) -> Vec<LogEntry> {
        states
            .iter()
            .map(|&(state, at_ms)| LogEntry { state, at_ms })
            .collect()
    }

    #[test]
    fn an_entry_during_a_served_ticket_is_that_visit_and_others_are_added() {
        use TicketState as S;
        let served = log(&[
            (S::Waiting, 0),
            (S::Called, 100),
            (S::Serving, 120),
            (S::Finished, 400),
        ]);
        let open = log(&[(S::Waiting, 0), (S::Called, 500), (S::Serving, 520)]);
        let spans: Vec<AtCounter> = [at_counter(Some(1), &served), at_counter(Some(2), &open)]
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(
            spans[0],
            AtCounter {
                counter_id: 1,
                from: 100,
                to: 400
            }
        );
        assert_eq!(spans[1].to, i64::MAX);
        // At counter 1 during its ticket: the ticket's visit. At counter 1 after it, at
        // counter 3 (no ticket), and with no counter: three visits of their own. Counter 2
        // is still serving: its entry is that visit.
        let entries = [
            (Some(1), 300),
            (Some(1), 450),
            (Some(3), 300),
            (None, 300),
            (Some(2), 900),
        ];
        assert_eq!(without_ticket(&entries, &spans), 3);
        assert_eq!(at_counter(None, &served), None);
        assert_eq!(at_counter(Some(1), &log(&[(S::Waiting, 0)])), None);
    }
}
