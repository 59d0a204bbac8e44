//! The hall edge (现场节点): a hall served from its own SQLite that ships its rows to the
//! central database (docs/edge.md). The rules here: how an edge's row ids are placed in the
//! central database, when a hall counts as offline, and how long the shipper waits after a
//! failed try.

/// Bits of a central id left for the edge's own id: the hall's id sits above them.
pub const ID_BITS: u32 = 40;

/// A hall is shown offline once its edge has not been heard from for this long (ms).
pub const OFFLINE_AFTER_MS: i64 = 60_000;

/// The central id of a row the edge numbered `local` in hall `hall_id`: the hall's id in the
/// high bits, so two edges never collide and no central sequence reaches them
/// (2^40 ≈ 1.1 × 10^12 rows per hall before a clash; hall ids up to 2^23).
pub fn central_id(hall_id: i64, local: i64) -> i64 {
    (hall_id << ID_BITS) | (local & ((1 << ID_BITS) - 1))
}

/// Keys of a hall event's payload that name a row the edge numbered (a ticket): placed in
/// the hall's id space centrally like the rows' own ids, so a central screen or report that
/// follows a hall event's ticket finds the central ticket.
pub const PAYLOAD_LOCAL_IDS: &[&str] = &["ticket_id", "transferred_from", "rating_id"];

/// Most entries the shipper sends in one batch while it catches up (a full batch doubles
/// the next one, from the configured size up to this); one central transaction each.
pub const CATCH_UP_BATCH: i64 = 4_000;

/// The size of the next batch after one of `last` entries, when batches are normally
/// `base`: doubled while the outbox filled the last one (the edge is behind), back to `base`
/// once it did not.
pub fn next_batch(base: i64, last_limit: i64, last_len: i64) -> i64 {
    if last_len >= last_limit {
        (last_limit * 2).clamp(base, CATCH_UP_BATCH.max(base))
    } else {
        base
    }
}

/// Whether an edge last heard from at `last_seen_at` counts as offline at `now` (ms).
pub fn is_offline(last_seen_at: i64, now: i64) -> bool {
    now - last_seen_at > OFFLINE_AFTER_MS
}

/// The wait before the `attempt`-th retry after a failed shipment (ms): doubling from half
/// a second, capped at 5 s so a returning WAN is noticed within seconds (a try while the
/// WAN is down is one failed connection attempt: cheap).
pub fn retry_after_ms(attempt: u32) -> u64 {
    (500u64 << attempt.min(5)).min(5_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn central_ids_of_two_halls_never_meet() {
        assert_eq!(central_id(1, 1), (1 << 40) + 1);
        assert_ne!(central_id(1, 5), central_id(2, 5));
        assert!(central_id(2, 0) > central_id(1, (1 << 40) - 1));
    }

    #[test]
    fn batches_grow_while_behind_and_shrink_when_caught_up() {
        assert_eq!(next_batch(500, 500, 500), 1_000);
        assert_eq!(next_batch(500, 2_000, 2_000), 4_000);
        assert_eq!(next_batch(500, 4_000, 4_000), 4_000);
        assert_eq!(next_batch(500, 4_000, 12), 500);
        assert_eq!(next_batch(50, 50, 3), 50);
    }

    #[test]
    fn offline_after_a_minute_of_silence() {
        assert!(!is_offline(1_000, 61_000));
        assert!(is_offline(1_000, 61_001));
    }

    #[test]
    fn retries_back_off_to_five_seconds() {
        assert_eq!(retry_after_ms(0), 500);
        assert_eq!(retry_after_ms(1), 1_000);
        assert_eq!(retry_after_ms(3), 4_000);
        assert_eq!(retry_after_ms(4), 5_000);
        assert_eq!(retry_after_ms(9), 5_000);
    }
}
