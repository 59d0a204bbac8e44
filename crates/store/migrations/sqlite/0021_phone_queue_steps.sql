-- Issue 14, the customer's phone: when the customer said "I'm on my way" (我在路上) for a
-- ticket (QueueStore::mark_on_way; the counter's queue view shows the mark), and the hall's
-- notice setting: the phone page warns when this many tickets or fewer are ahead
-- (HallStore::change_notify_ahead, audited in settings_audit).
ALTER TABLE tickets ADD COLUMN on_way_at INTEGER;
ALTER TABLE halls ADD COLUMN notify_ahead INTEGER NOT NULL DEFAULT 3;
