-- The anti-gaming review reads a hall's finished visits by when they finished
-- (feedback/gaming.rs). Without this it walked every ticket the hall ever issued. Partial on
-- state = 'finished', so issuing a ticket (state 'waiting') never writes it: the issue hot
-- path keeps its one index (0014); only the finish transition adds an entry.
CREATE INDEX tickets_finished ON tickets (hall_id, updated_at) WHERE state = 'finished';
