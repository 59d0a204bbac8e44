//! The calling policy (叫号策略): which waiting ticket a counter calls next.
//!
//! For one counter, the candidates are the waiting tickets of the business types it serves
//! (primary 主办 or secondary 兼办) plus any ticket transferred to that very counter.
//! They are ranked by tier, then by how long they have waited (先接先办, FIFO):
//! 1. green channel (绿色通道) tickets, if `green_first`;
//! 2. tickets transferred to this counter, tickets of its primary types, and — if
//!    `overdue_to_all` — any ticket waiting past its type's target wait;
//! 3. tickets of its secondary types.
//!
//! Within a tier, a booked customer who checked in on time (预约, inside the hall's grace
//! window, `booked`) is called ahead of walk-ins; a late check-in is not `booked` and keeps
//! walk-in order.
//!
//! A transferred ticket keeps its original issue time, so it does not go to the back.
//! The store makes the pick atomic; this module only ranks.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Per-hall settings of the calling policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallingPolicy {
    pub green_first: bool,
    pub overdue_to_all: bool,
    /// Recalls allowed before a recall marks the ticket as a no-show.
    pub max_recalls: u32,
}

impl Default for CallingPolicy {
    fn default() -> Self {
        Self {
            green_first: true,
            overdue_to_all: true,
            max_recalls: 3,
        }
    }
}

/// What one counter may serve.
#[derive(Debug, Clone, Default)]
pub struct CounterCapability {
    pub counter_id: i64,
    pub primary: Vec<i64>,
    pub secondary: Vec<i64>,
}

impl CounterCapability {
    pub fn serves(&self, business_type_id: i64) -> bool {
        self.primary.contains(&business_type_id) || self.secondary.contains(&business_type_id)
    }
}

/// A waiting ticket as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingTicket {
    pub id: i64,
    pub business_type_id: i64,
    pub green: bool,
    /// Original issue time in unix milliseconds (kept across transfers).
    pub queued_since_ms: i64,
    /// Set when the ticket was transferred to one particular counter.
    pub target_counter_id: Option<i64>,
    /// An appointment checked in within its grace window: ahead of walk-ins in its tier.
    pub booked: bool,
}

/// Ranks the tickets `counter` may call, best first. `target_wait_ms` maps a business type
/// to its target wait; `now_ms` decides which tickets are overdue.
pub fn rank_for_counter<'a>(
    policy: &CallingPolicy,
    counter: &CounterCapability,
    waiting: &'a [WaitingTicket],
    target_wait_ms: &HashMap<i64, i64>,
    now_ms: i64,
) -> Vec<&'a WaitingTicket> {
    let mut ranked: Vec<(u8, &WaitingTicket)> = waiting
        .iter()
        .filter_map(|t| tier(policy, counter, t, target_wait_ms, now_ms).map(|tier| (tier, t)))
        .collect();
    ranked.sort_by_key(|(tier, t)| (*tier, !t.booked, t.queued_since_ms, t.id));
    ranked.into_iter().map(|(_, t)| t).collect()
}

fn tier(
    policy: &CallingPolicy,
    counter: &CounterCapability,
    t: &WaitingTicket,
    target_wait_ms: &HashMap<i64, i64>,
    now_ms: i64,
) -> Option<u8> {
    let mine = t.target_counter_id == Some(counter.counter_id);
    if t.target_counter_id.is_some() && !mine {
        return None; // transferred to another counter
    }
    if !mine && !counter.serves(t.business_type_id) {
        return None;
    }
    let overdue = target_wait_ms
        .get(&t.business_type_id)
        .is_some_and(|target| now_ms - t.queued_since_ms > *target);
    Some(if policy.green_first && t.green {
        0
    } else if mine
        || counter.primary.contains(&t.business_type_id)
        || (policy.overdue_to_all && overdue)
    {
        1
    } else {
        2
    })
}

/// How many waiting tickets are ahead of `ticket` for any counter that serves its type:
/// the tickets of the same business type ranked before it (green first, then on-time
/// bookings, then FIFO — [`rank_for_counter`]'s order within a tier).
pub fn ahead_of(
    policy: &CallingPolicy,
    ticket: &WaitingTicket,
    waiting: &[WaitingTicket],
) -> usize {
    let key = |t: &WaitingTicket| {
        (
            !(policy.green_first && t.green),
            !t.booked,
            t.queued_since_ms,
            t.id,
        )
    };
    waiting
        .iter()
        .filter(|t| t.id != ticket.id && t.business_type_id == ticket.business_type_id)
        .filter(|t| key(t) < key(ticket))
        .count()
}

/// A walk-in's count ahead when the store counted in plain order (green first, then FIFO):
/// add the on-time bookings of its type and class that checked in after it, since they
/// are called before it. `booked` are the waiting on-time bookings of the ticket's type.
pub fn walk_in_ahead(
    policy: &CallingPolicy,
    ticket: &WaitingTicket,
    fifo_ahead: usize,
    booked: &[WaitingTicket],
) -> usize {
    let class = |t: &WaitingTicket| policy.green_first && t.green;
    let jumped = booked
        .iter()
        .filter(|b| b.id != ticket.id && b.business_type_id == ticket.business_type_id)
        .filter(|b| class(b) == class(ticket))
        .filter(|b| (b.queued_since_ms, b.id) > (ticket.queued_since_ms, ticket.id))
        .count();
    fifo_ahead + jumped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(id: i64, bt: i64, since: i64) -> WaitingTicket {
        WaitingTicket {
            id,
            business_type_id: bt,
            green: false,
            queued_since_ms: since,
            target_counter_id: None,
            booked: false,
        }
    }

    fn counter(primary: &[i64], secondary: &[i64]) -> CounterCapability {
        CounterCapability {
            counter_id: 1,
            primary: primary.to_vec(),
            secondary: secondary.to_vec(),
        }
    }

    fn ids(r: Vec<&WaitingTicket>) -> Vec<i64> {
        r.into_iter().map(|t| t.id).collect()
    }

    const MIN: i64 = 60_000;

    #[test]
    fn fifo_within_primary_types() {
        let w = vec![t(1, 10, 300), t(2, 10, 100), t(3, 10, 200)];
        let r = rank_for_counter(
            &CallingPolicy::default(),
            &counter(&[10], &[]),
            &w,
            &HashMap::new(),
            1000,
        );
        assert_eq!(ids(r), vec![2, 3, 1]);
    }

    #[test]
    fn green_channel_goes_first() {
        let mut green = t(9, 10, 900);
        green.green = true;
        let w = vec![t(1, 10, 100), green];
        let r = rank_for_counter(
            &CallingPolicy::default(),
            &counter(&[10], &[]),
            &w,
            &HashMap::new(),
            1000,
        );
        assert_eq!(ids(r), vec![9, 1]);
        let off = CallingPolicy {
            green_first: false,
            ..Default::default()
        };
        let r = rank_for_counter(&off, &counter(&[10], &[]), &w, &HashMap::new(), 1000);
        assert_eq!(ids(r), vec![1, 9]);
    }

    #[test]
    fn primary_before_secondary_even_if_secondary_waited_longer() {
        let w = vec![t(1, 20, 100), t(2, 10, 500)];
        let r = rank_for_counter(
            &CallingPolicy::default(),
            &counter(&[10], &[20]),
            &w,
            &HashMap::new(),
            1000,
        );
        assert_eq!(ids(r), vec![2, 1]);
    }

    #[test]
    fn types_the_counter_does_not_serve_are_never_offered() {
        let w = vec![t(1, 30, 100)];
        let r = rank_for_counter(
            &CallingPolicy::default(),
            &counter(&[10], &[20]),
            &w,
            &HashMap::new(),
            1000,
        );
        assert!(r.is_empty());
    }

    #[test]
    fn overdue_secondary_ticket_joins_the_primary_tier() {
        let targets = HashMap::from([(20, 15 * MIN), (10, 15 * MIN)]);
        let now = 30 * MIN;
        // ticket 1 (secondary type) has waited 20 min > 15 min target; ticket 2 only 5 min.
        let w = vec![t(1, 20, 10 * MIN), t(2, 10, 25 * MIN)];
        let r = rank_for_counter(
            &CallingPolicy::default(),
            &counter(&[10], &[20]),
            &w,
            &targets,
            now,
        );
        assert_eq!(ids(r), vec![1, 2]);
        let off = CallingPolicy {
            overdue_to_all: false,
            ..Default::default()
        };
        let r = rank_for_counter(&off, &counter(&[10], &[20]), &w, &targets, now);
        assert_eq!(ids(r), vec![2, 1]);
    }

    #[test]
    fn transferred_ticket_goes_only_to_its_counter_and_keeps_its_place() {
        let mut moved = t(5, 30, 50);
        moved.target_counter_id = Some(1);
        let mut elsewhere = t(6, 10, 10);
        elsewhere.target_counter_id = Some(2);
        let w = vec![t(1, 10, 100), moved, elsewhere];
        let r = rank_for_counter(
            &CallingPolicy::default(),
            &counter(&[10], &[]),
            &w,
            &HashMap::new(),
            1000,
        );
        assert_eq!(ids(r), vec![5, 1]);
    }

    #[test]
    fn on_time_bookings_go_ahead_of_walk_ins_but_not_of_the_green_channel() {
        let mut booked = t(7, 10, 900);
        booked.booked = true;
        let mut green = t(8, 10, 950);
        green.green = true;
        let mut secondary_booked = t(9, 20, 50);
        secondary_booked.booked = true;
        let w = vec![
            t(1, 10, 100),
            t(2, 10, 200),
            booked,
            green,
            secondary_booked,
        ];
        let r = rank_for_counter(
            &CallingPolicy::default(),
            &counter(&[10], &[20]),
            &w,
            &HashMap::new(),
            1000,
        );
        // Green first; the booking before the walk-ins who came earlier; a booking of a
        // secondary type still after the primary tier.
        assert_eq!(ids(r), vec![8, 7, 1, 2, 9]);
    }

    #[test]
    fn ahead_counts_same_type_tickets_ranked_before() {
        let mut green = t(4, 10, 400);
        green.green = true;
        let w = vec![t(1, 10, 100), t(2, 20, 150), t(3, 10, 300), green.clone()];
        let p = CallingPolicy::default();
        assert_eq!(ahead_of(&p, &w[0], &w), 1); // the green ticket
        assert_eq!(ahead_of(&p, &w[2], &w), 2);
        assert_eq!(ahead_of(&p, &green, &w), 0);
        assert_eq!(ahead_of(&p, &w[1], &w), 0);
    }

    #[test]
    fn an_on_time_booking_checked_in_after_a_walk_in_counts_ahead_of_it() {
        let p = CallingPolicy::default();
        let walk_in = t(1, 10, 100);
        let other = t(2, 10, 150);
        let mut booking = t(3, 10, 200);
        booking.booked = true;
        let w = vec![walk_in.clone(), other.clone(), booking.clone()];
        // The booking came last but is called first.
        assert_eq!(ahead_of(&p, &booking, &w), 0);
        assert_eq!(ahead_of(&p, &walk_in, &w), 1);
        assert_eq!(ahead_of(&p, &other, &w), 2);
        // The store's plain count plus the bookings that jumped ahead gives the same.
        let booked = [booking.clone()];
        assert_eq!(walk_in_ahead(&p, &walk_in, 0, &booked), 1);
        assert_eq!(walk_in_ahead(&p, &other, 1, &booked), 2);
        // A green ticket is not passed by a normal booking.
        let mut green = t(4, 10, 300);
        green.green = true;
        assert_eq!(walk_in_ahead(&p, &green, 0, &booked), 0);
        // Nor is a walk-in that came after the booking counted twice.
        let later = t(5, 10, 400);
        assert_eq!(walk_in_ahead(&p, &later, 3, &booked), 3);
    }
}
