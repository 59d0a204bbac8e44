-- A hall switched to its edge in the middle of a day (docs/edge.md): the day's open tickets
-- come down from central with their numbers, and each gets a local id on the edge. This
-- table pairs the two, on the edge (written with the hand-over and shipped up like the
-- edge's other rows) and centrally (where a shipped row naming that local id is applied to
-- the central ticket it came from, not to a new one). A central ticket is handed over once.
CREATE TABLE edge_handovers (
    hall_id BIGINT NOT NULL REFERENCES halls(id),
    local_id BIGINT NOT NULL,
    central_id BIGINT NOT NULL,
    PRIMARY KEY (hall_id, local_id),
    UNIQUE (hall_id, central_id)
);
