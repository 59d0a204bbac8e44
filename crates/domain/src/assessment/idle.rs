//! `idle_share` (窗口空闲率): the share of counters' open time with no ticket in service, per
//! China Standard Time day. Open time runs while a counter's status is `open` (a paused or
//! closed counter is not open); a ticket is in service at a counter from its call there
//! (`called`, `serving`, a recall) until its next other state (finished, no-show, held,
//! transferred, back to waiting). A spell lasts until its next change, but never past the end
//! of the day after the one it began in, nor past `until`: so a day's figure depends only on
//! that day's and the previous day's records, and the step that recounts from the day before
//! its mark gives exactly what a rebuild from all the logs gives.

use std::collections::BTreeMap;

const DAY_MS: i64 = 86_400_000;
/// China Standard Time is 8 hours ahead of UTC.
const CST_MS: i64 = 28_800_000;

/// The roll-up day (China Standard Time) of an instant.
pub fn day_of(at: i64) -> i64 {
    (at + CST_MS).div_euclid(DAY_MS)
}

/// The instant a roll-up day starts.
pub fn day_start(day: i64) -> i64 {
    day * DAY_MS - CST_MS
}

/// A counter's status changed: `open` true when it opened, false when it paused or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub counter_id: i64,
    pub open: bool,
    pub at: i64,
}

/// One event of a ticket, in the ticket's order: its state and the counter it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketStep<'a> {
    pub ticket_id: i64,
    pub state: &'a str,
    pub counter_id: Option<i64>,
    pub at: i64,
}

/// (idle ms, open ms) of one day, summed over the counters.
pub type IdleDay = (i64, i64);

/// Where a spell that began at `from` stops at the latest.
fn cap(from: i64, until: i64) -> i64 {
    day_start(day_of(from) + 2).min(until)
}

/// The spells `[from, to)` each counter was in service, from the tickets' events sorted by
/// ticket and then by the events' order.
pub fn busy_spells(steps: &[TicketStep<'_>], until: i64) -> BTreeMap<i64, Vec<(i64, i64)>> {
    let mut out: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    // The ticket being followed and, while it is in service, (counter, since).
    let mut current: Option<(i64, Option<(i64, i64)>)> = None;
    let close = |out: &mut BTreeMap<i64, Vec<(i64, i64)>>, spell: Option<(i64, i64)>, at: i64| {
        if let Some((counter, since)) = spell {
            let to = at.min(cap(since, until));
            if to > since {
                out.entry(counter).or_default().push((since, to));
            }
        }
    };
    for s in steps {
        let spell = match current {
            Some((t, spell)) if t == s.ticket_id => spell,
            Some((_, spell)) => {
                // The previous ticket's last state held: a spell still open runs to its cap.
                close(&mut out, spell, i64::MAX);
                None
            }
            None => None,
        };
        let in_service = matches!(s.state, "called" | "serving");
        let next = match (in_service, spell, s.counter_id) {
            (false, _, _) => {
                close(&mut out, spell, s.at);
                None
            }
            // Called or moved to another counter: the old spell ends, a new one begins.
            (true, Some((c, _)), Some(n)) if c != n => {
                close(&mut out, spell, s.at);
                Some((n, s.at))
            }
            (true, Some(sp), _) => Some(sp),
            (true, None, Some(n)) => Some((n, s.at)),
            (true, None, None) => None,
        };
        current = Some((s.ticket_id, next));
    }
    if let Some((_, spell)) = current {
        close(&mut out, spell, i64::MAX);
    }
    out
}

/// The open spells `[from, to)` of each counter from its status changes (any order).
pub fn open_spells(changes: &[StatusChange], until: i64) -> BTreeMap<i64, Vec<(i64, i64)>> {
    let mut by_counter: BTreeMap<i64, Vec<StatusChange>> = BTreeMap::new();
    for c in changes {
        by_counter.entry(c.counter_id).or_default().push(*c);
    }
    let mut out = BTreeMap::new();
    for (counter, mut list) in by_counter {
        list.sort_by_key(|c| c.at);
        let mut spells = Vec::new();
        for (i, c) in list.iter().enumerate() {
            if !c.open {
                continue;
            }
            let next = list.get(i + 1).map_or(i64::MAX, |n| n.at);
            let to = next.min(cap(c.at, until));
            if to > c.at {
                spells.push((c.at, to));
            }
        }
        out.insert(counter, spells);
    }
    out
}

/// Merges overlapping spells into a sorted union.
fn union(mut spells: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    spells.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(spells.len());
    for (a, b) in spells {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Adds `[a, b)` to the days it covers, as open time and, where `busy` overlaps it, as busy.
fn add_split(days: &mut BTreeMap<i64, (i64, i64)>, a: i64, b: i64, busy: &[(i64, i64)]) {
    let mut from = a;
    while from < b {
        let day = day_of(from);
        let to = b.min(day_start(day + 1));
        let in_service: i64 = busy
            .iter()
            .map(|&(x, y)| (y.min(to) - x.max(from)).max(0))
            .sum();
        let e = days.entry(day).or_default();
        e.0 += to - from - in_service;
        e.1 += to - from;
        from = to;
    }
}

/// Idle and open ms per day from `from_day` on, summed over the counters. Days with no open
/// time have no entry (nothing to divide).
pub fn idle_by_day(
    changes: &[StatusChange],
    steps: &[TicketStep<'_>],
    from_day: i64,
    until: i64,
) -> BTreeMap<i64, IdleDay> {
    let open = open_spells(changes, until);
    let mut busy = busy_spells(steps, until);
    let start = day_start(from_day);
    let mut days = BTreeMap::new();
    for (counter, spells) in open {
        let busy = union(busy.remove(&counter).unwrap_or_default());
        for (a, b) in spells {
            let (a, b) = (a.max(start), b.min(until));
            if b > a {
                add_split(&mut days, a, b, &busy);
            }
        }
    }
    days.retain(|_, (_, open)| *open > 0);
    days
}
