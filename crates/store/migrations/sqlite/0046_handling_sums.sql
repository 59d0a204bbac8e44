-- The day's closed handling times per hall and business type (sum, count, and the newest
-- ticket event counted), kept up as tickets finish or are transferred, in the same
-- transaction (crates/store/src/queue/handling_sums.rs): the wait estimates' first read of
-- a day reads these few rows instead of every ticket of the day.
CREATE TABLE handling_sums (
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    service_day TEXT NOT NULL,
    business_type_id INTEGER NOT NULL REFERENCES business_types(id),
    total_ms INTEGER NOT NULL,
    visits INTEGER NOT NULL,
    event_mark INTEGER NOT NULL,
    PRIMARY KEY (hall_id, service_day, business_type_id)
);
-- Each hall's latest service day, summed once from its tickets (older days are never read
-- by the estimates, and summing all of history would make the upgrade slow).
INSERT INTO handling_sums (hall_id, service_day, business_type_id, total_ms, visits, event_mark)
SELECT h.hall_id, h.service_day, h.business_type_id, CAST(SUM(CASE WHEN h.handling_ms > 0 THEN h.handling_ms ELSE 0 END) AS BIGINT),
       COUNT(*), (SELECT COALESCE(MAX(m.id), 0) FROM ticket_events m)
FROM (SELECT d.id, d.hall_id, d.service_day, d.business_type_id,
             SUM(COALESCE((SELECT n.at FROM ticket_events n
                           WHERE n.ticket_id = e.ticket_id AND n.id > e.id
                           ORDER BY n.id LIMIT 1), e.at) - e.at) AS handling_ms
      FROM tickets d
      JOIN ticket_events e ON e.ticket_id = d.id AND e.state = 'serving'
      WHERE d.state IN ('finished', 'transferred')
        AND d.service_day = (SELECT MAX(l.service_day) FROM tickets l WHERE l.hall_id = d.hall_id)
      GROUP BY d.id, d.hall_id, d.service_day, d.business_type_id) h
GROUP BY h.hall_id, h.service_day, h.business_type_id;
