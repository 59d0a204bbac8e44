-- Issue 14: a kiosk's last ticket per business type, so that a repeat tap within a few
-- seconds returns that ticket instead of issuing a second one (QueueStore::issue_ticket_placed
-- with IssueTicket::kiosk). The row is locked by an upsert inside the issuing transaction, so
-- two taps at once issue one ticket on both databases.
CREATE TABLE kiosk_taps (
    device_id INTEGER NOT NULL,
    business_type_id INTEGER NOT NULL,
    ticket_id INTEGER,
    at INTEGER NOT NULL,
    PRIMARY KEY (device_id, business_type_id)
);
