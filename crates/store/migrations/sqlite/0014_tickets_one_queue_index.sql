-- Every index on tickets is written by every ticket issued, on the single writer's hot path
-- (docs/performance.md). One index led by hall, day and state now serves what three did:
-- a day's tickets (hall, day), its waiting ones (hall, day, state) in calling order (type,
-- priority, time), and a hall's waiting tickets on the days queue_depth names.
DROP INDEX tickets_waiting;
DROP INDEX tickets_day;
DROP INDEX tickets_queue;
CREATE INDEX tickets_queue ON tickets (hall_id, service_day, state, business_type_id, priority, queued_since, id);
-- A queue with nobody waiting has no row (a missing row counts as 0), so queue_depth names
-- only the days that still have someone waiting; past days are pruned as they are closed.
DELETE FROM queue_depth WHERE waiting = 0;
