-- Calls, pauses and closes look up the ticket at a counter; without this index they scanned
-- the hall's whole ticket history.
CREATE INDEX tickets_at_counter ON tickets (counter_id, state);
