-- Issue 14: the wait estimate given when a ticket was issued (the slip, the kiosk, the phone's
-- first answer), in seconds, written in the issuing transaction and compared with the actual
-- wait (first call − issue) for the estimate's accuracy (domain::queue::accuracy). A table of
-- its own rather than a column on tickets: an UPDATE of a waiting ticket fires the queue-depth
-- triggers (0009) twice on the issuer's hot path; this is one small insert. No row: the
-- ticket was issued with no estimate (no open counter served its type), is a transfer's
-- linked record, or was issued before this migration.
CREATE TABLE ticket_estimates (
    ticket_id BIGINT PRIMARY KEY REFERENCES tickets(id),
    estimated_wait_s BIGINT NOT NULL
);
