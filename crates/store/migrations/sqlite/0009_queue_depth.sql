-- How many tickets wait in each queue (hall, business type, day, green or not), kept by
-- triggers in the same transaction as every ticket change, so a queue's depth is one lookup.
-- "People ahead of me" is then the depth minus the few queued behind — see waiting_ahead.
CREATE TABLE queue_depth (
    hall_id INTEGER NOT NULL,
    business_type_id INTEGER NOT NULL,
    service_day TEXT NOT NULL,
    green INTEGER NOT NULL,
    waiting INTEGER NOT NULL,
    PRIMARY KEY (hall_id, business_type_id, service_day, green)
);
INSERT INTO queue_depth (hall_id, business_type_id, service_day, green, waiting)
    SELECT hall_id, business_type_id, service_day, priority = 'green', COUNT(*)
    FROM tickets WHERE state = 'waiting'
    GROUP BY hall_id, business_type_id, service_day, priority = 'green';
CREATE TRIGGER queue_depth_insert AFTER INSERT ON tickets WHEN NEW.state = 'waiting'
BEGIN
    INSERT INTO queue_depth (hall_id, business_type_id, service_day, green, waiting)
        VALUES (NEW.hall_id, NEW.business_type_id, NEW.service_day, NEW.priority = 'green', 1)
        ON CONFLICT (hall_id, business_type_id, service_day, green) DO UPDATE SET waiting = waiting + 1;
END;
CREATE TRIGGER queue_depth_update_old AFTER UPDATE ON tickets WHEN OLD.state = 'waiting'
BEGIN
    UPDATE queue_depth SET waiting = waiting - 1
        WHERE hall_id = OLD.hall_id AND business_type_id = OLD.business_type_id
          AND service_day = OLD.service_day AND green = (OLD.priority = 'green');
END;
CREATE TRIGGER queue_depth_update_new AFTER UPDATE ON tickets WHEN NEW.state = 'waiting'
BEGIN
    INSERT INTO queue_depth (hall_id, business_type_id, service_day, green, waiting)
        VALUES (NEW.hall_id, NEW.business_type_id, NEW.service_day, NEW.priority = 'green', 1)
        ON CONFLICT (hall_id, business_type_id, service_day, green) DO UPDATE SET waiting = waiting + 1;
END;
CREATE TRIGGER queue_depth_delete AFTER DELETE ON tickets WHEN OLD.state = 'waiting'
BEGIN
    UPDATE queue_depth SET waiting = waiting - 1
        WHERE hall_id = OLD.hall_id AND business_type_id = OLD.business_type_id
          AND service_day = OLD.service_day AND green = (OLD.priority = 'green');
END;
-- The queue in calling order, so counting those behind a ticket reads only them.
CREATE INDEX tickets_queue ON tickets (hall_id, business_type_id, service_day, state, priority, queued_since, id);
