-- Year schedules imported by an administrator (section text in the calendar format); they
-- add to, or replace, the schedules shipped with the binary.
CREATE TABLE calendar_years (
    year BIGINT PRIMARY KEY,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    imported_by BIGINT REFERENCES staff(id)
);
