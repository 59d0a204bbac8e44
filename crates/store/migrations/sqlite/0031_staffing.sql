-- The staffing advisor's counter plans (排班计划): counters planned per half-hour of a
-- hall-local day (slot 0 = 00:00–00:30), set by the hall's manager.
CREATE TABLE counter_plans (
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    service_day TEXT NOT NULL,
    slot INTEGER NOT NULL,
    counters INTEGER NOT NULL,
    updated_by INTEGER REFERENCES staff(id),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (hall_id, service_day, slot)
);
