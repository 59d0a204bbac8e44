-- call-next reads a few candidate tickets by index instead of the whole waiting queue
-- (crates/store/src/queue/candidates.rs): the oldest per business type and priority from
-- tickets_queue, and the tickets transferred to this counter from this small partial index
-- (most tickets are never transferred to a named counter, so it costs their issue nothing).
CREATE INDEX tickets_targeted ON tickets (target_counter_id, state) WHERE target_counter_id IS NOT NULL;
