-- How many tickets wait in each queue (hall, business type, day, green or not), kept by a
-- trigger in the same transaction as every ticket change, so a queue's depth is one lookup.
-- "People ahead of me" is then the depth minus the few queued behind — see waiting_ahead.
CREATE TABLE queue_depth (
    hall_id BIGINT NOT NULL,
    business_type_id BIGINT NOT NULL,
    service_day TEXT NOT NULL,
    green BIGINT NOT NULL,
    waiting BIGINT NOT NULL,
    PRIMARY KEY (hall_id, business_type_id, service_day, green)
);
INSERT INTO queue_depth (hall_id, business_type_id, service_day, green, waiting)
    SELECT hall_id, business_type_id, service_day, (priority = 'green')::int, COUNT(*)
    FROM tickets WHERE state = 'waiting'
    GROUP BY hall_id, business_type_id, service_day, (priority = 'green')::int;
CREATE FUNCTION queue_depth_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state = 'waiting' THEN
        UPDATE queue_depth SET waiting = waiting - 1
            WHERE hall_id = OLD.hall_id AND business_type_id = OLD.business_type_id
              AND service_day = OLD.service_day AND green = (OLD.priority = 'green')::int;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state = 'waiting' THEN
        INSERT INTO queue_depth (hall_id, business_type_id, service_day, green, waiting)
            VALUES (NEW.hall_id, NEW.business_type_id, NEW.service_day, (NEW.priority = 'green')::int, 1)
            ON CONFLICT (hall_id, business_type_id, service_day, green)
            DO UPDATE SET waiting = queue_depth.waiting + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER queue_depth_track AFTER INSERT OR UPDATE OR DELETE ON tickets
    FOR EACH ROW EXECUTE FUNCTION queue_depth_track();
-- The queue in calling order, so counting those behind a ticket reads only them.
CREATE INDEX tickets_queue ON tickets (hall_id, business_type_id, service_day, state, priority, queued_since, id);
