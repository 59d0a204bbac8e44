-- queue_depth kept once per statement instead of once per row: a batch of 64 new tickets
-- made 64 updates of the same queue_depth row (64 row versions, each a plpgsql call); now
-- it is one upsert per queue the statement touched, from the statement's transition tables.
-- (SQLite keeps its row triggers: its issuer writes one ticket per statement.)
DROP TRIGGER queue_depth_track ON tickets;
DROP FUNCTION queue_depth_track();
CREATE FUNCTION queue_depth_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO queue_depth (hall_id, business_type_id, service_day, green, waiting)
            SELECT hall_id, business_type_id, service_day, (priority = 'green')::int, COUNT(*)
            FROM new_rows WHERE state = 'waiting'
            GROUP BY 1, 2, 3, 4
            ON CONFLICT (hall_id, business_type_id, service_day, green)
            DO UPDATE SET waiting = queue_depth.waiting + EXCLUDED.waiting;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE queue_depth q SET waiting = q.waiting - d.n
            FROM (SELECT hall_id, business_type_id, service_day,
                         (priority = 'green')::int AS green, COUNT(*) AS n
                  FROM old_rows WHERE state = 'waiting' GROUP BY 1, 2, 3, 4) d
            WHERE q.hall_id = d.hall_id AND q.business_type_id = d.business_type_id
              AND q.service_day = d.service_day AND q.green = d.green;
    ELSE
        -- The net change per queue (those now waiting less those that were), added to the
        -- queues that have a row; a queue without one gets it when the change is positive.
        WITH d AS (
            SELECT hall_id, business_type_id, service_day, green, SUM(n) AS n FROM (
                SELECT hall_id, business_type_id, service_day,
                       (priority = 'green')::int AS green, 1 AS n
                FROM new_rows WHERE state = 'waiting'
                UNION ALL
                SELECT hall_id, business_type_id, service_day, (priority = 'green')::int, -1
                FROM old_rows WHERE state = 'waiting'
            ) x GROUP BY 1, 2, 3, 4 HAVING SUM(n) <> 0
        ), up AS (
            UPDATE queue_depth q SET waiting = q.waiting + d.n FROM d
            WHERE q.hall_id = d.hall_id AND q.business_type_id = d.business_type_id
              AND q.service_day = d.service_day AND q.green = d.green
            RETURNING q.hall_id, q.business_type_id, q.service_day, q.green
        )
        INSERT INTO queue_depth (hall_id, business_type_id, service_day, green, waiting)
            SELECT d.hall_id, d.business_type_id, d.service_day, d.green, d.n FROM d
            WHERE d.n > 0 AND NOT EXISTS (
                SELECT 1 FROM up WHERE up.hall_id = d.hall_id
                  AND up.business_type_id = d.business_type_id
                  AND up.service_day = d.service_day AND up.green = d.green)
            ON CONFLICT (hall_id, business_type_id, service_day, green)
            DO UPDATE SET waiting = queue_depth.waiting + EXCLUDED.waiting;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER queue_depth_insert AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_depth_apply();
CREATE TRIGGER queue_depth_update AFTER UPDATE ON tickets
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION queue_depth_apply();
CREATE TRIGGER queue_depth_delete AFTER DELETE ON tickets
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_depth_apply();
