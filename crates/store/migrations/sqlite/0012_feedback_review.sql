-- 0012: the daily roll-up of whole-visit ratings, stored anti-gaming flags with their
-- findings, and the audit of feedback settings.

-- Whole-visit ratings counted by day (days of China Standard Time, UTC+8: bucket =
-- (at + 8 h) div 24 h), hall, channel, business type, counter, clerk, touchpoint (outside
-- evaluations that name one), level and bad-rating reasons (levels 1–2 only). Kept by the
-- triggers below in the same transaction as each rating; ratings are never updated or
-- deleted. Views over whole days read these rows; the partial days at a period's ends
-- read the ratings themselves, so figures stay exactly equal to counting rows.
-- `servicehall rollup-rebuild` recomputes it from the ratings.
CREATE TABLE rating_days (
    hall_id INTEGER NOT NULL,
    day INTEGER NOT NULL,
    channel TEXT NOT NULL,
    business_type_id INTEGER NOT NULL,
    counter_id INTEGER NOT NULL,
    staff_id INTEGER NOT NULL,
    touchpoint TEXT NOT NULL,
    level INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (hall_id, day, channel, business_type_id, counter_id, staff_id, touchpoint, level, reasons)
);
-- The same by week (7 roll-up days: week = day div 7) and hall only, for the views over
-- many halls: a province's year is about 52 × halls × levels rows.
CREATE TABLE rating_weeks (
    hall_id INTEGER NOT NULL,
    week INTEGER NOT NULL,
    channel TEXT NOT NULL,
    touchpoint TEXT NOT NULL,
    level INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (hall_id, week, channel, touchpoint, level, reasons)
);
INSERT INTO rating_days
    SELECT r.hall_id, (r.at + 28800000) / 86400000, 'pad', COALESCE(t.business_type_id, 0),
           r.counter_id, COALESCE(r.staff_id, 0), '', r.level,
           CASE WHEN r.level <= 2 THEN r.reasons ELSE '' END, COUNT(*)
    FROM ratings r LEFT JOIN tickets t ON t.id = r.ticket_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
INSERT INTO rating_days
    SELECT hall_id, (at + 28800000) / 86400000, 'phone', business_type_id,
           COALESCE(counter_id, 0), COALESCE(staff_id, 0), '', level,
           CASE WHEN level <= 2 THEN reasons ELSE '' END, COUNT(*)
    FROM phone_ratings GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
INSERT INTO rating_days
    SELECT hall_id, (evaluated_at + 28800000) / 86400000, 'external', COALESCE(business_type_id, 0),
           0, 0, touchpoint, level, CASE WHEN level <= 2 THEN reasons ELSE '' END, COUNT(*)
    FROM external_evaluations GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
INSERT INTO rating_weeks
    SELECT hall_id, day / 7, channel, touchpoint, level, reasons, SUM(n)
    FROM rating_days GROUP BY 1, 2, 3, 4, 5, 6;
CREATE TRIGGER rating_days_pad AFTER INSERT ON ratings BEGIN
    INSERT INTO rating_days VALUES (NEW.hall_id, (NEW.at + 28800000) / 86400000, 'pad',
        COALESCE((SELECT business_type_id FROM tickets WHERE id = NEW.ticket_id), 0),
        NEW.counter_id, COALESCE(NEW.staff_id, 0), '', NEW.level,
        CASE WHEN NEW.level <= 2 THEN NEW.reasons ELSE '' END, 1)
    ON CONFLICT (hall_id, day, channel, business_type_id, counter_id, staff_id, touchpoint, level, reasons)
    DO UPDATE SET n = n + 1;
    INSERT INTO rating_weeks VALUES (NEW.hall_id, (NEW.at + 28800000) / 86400000 / 7, 'pad', '', NEW.level,
        CASE WHEN NEW.level <= 2 THEN NEW.reasons ELSE '' END, 1)
    ON CONFLICT (hall_id, week, channel, touchpoint, level, reasons) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER rating_days_phone AFTER INSERT ON phone_ratings BEGIN
    INSERT INTO rating_days VALUES (NEW.hall_id, (NEW.at + 28800000) / 86400000, 'phone',
        NEW.business_type_id, COALESCE(NEW.counter_id, 0), COALESCE(NEW.staff_id, 0), '',
        NEW.level, CASE WHEN NEW.level <= 2 THEN NEW.reasons ELSE '' END, 1)
    ON CONFLICT (hall_id, day, channel, business_type_id, counter_id, staff_id, touchpoint, level, reasons)
    DO UPDATE SET n = n + 1;
    INSERT INTO rating_weeks VALUES (NEW.hall_id, (NEW.at + 28800000) / 86400000 / 7, 'phone', '', NEW.level,
        CASE WHEN NEW.level <= 2 THEN NEW.reasons ELSE '' END, 1)
    ON CONFLICT (hall_id, week, channel, touchpoint, level, reasons) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER rating_days_external AFTER INSERT ON external_evaluations BEGIN
    INSERT INTO rating_days VALUES (NEW.hall_id, (NEW.evaluated_at + 28800000) / 86400000,
        'external', COALESCE(NEW.business_type_id, 0), 0, 0, NEW.touchpoint, NEW.level,
        CASE WHEN NEW.level <= 2 THEN NEW.reasons ELSE '' END, 1)
    ON CONFLICT (hall_id, day, channel, business_type_id, counter_id, staff_id, touchpoint, level, reasons)
    DO UPDATE SET n = n + 1;
    INSERT INTO rating_weeks VALUES (NEW.hall_id, (NEW.evaluated_at + 28800000) / 86400000 / 7, 'external', NEW.touchpoint, NEW.level,
        CASE WHEN NEW.level <= 2 THEN NEW.reasons ELSE '' END, 1)
    ON CONFLICT (hall_id, week, channel, touchpoint, level, reasons) DO UPDATE SET n = n + 1;
END;

-- Anti-gaming flags as detected, with their evidence (JSON), and the supervisor's finding.
-- finding '' = open; 'confirmed' or 'dismissed' with a note once acknowledged. At most one
-- open flag per (hall, kind, subject): re-detection refreshes it. After a finding, a new
-- flag is raised only by evidence newer than the judged one (last_ticket_id).
CREATE TABLE gaming_flags (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    kind TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    summary_zh TEXT NOT NULL,
    figures TEXT NOT NULL,
    tickets TEXT NOT NULL,
    last_ticket_id INTEGER NOT NULL,
    first_seen_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    finding TEXT NOT NULL DEFAULT '',
    finding_note TEXT NOT NULL DEFAULT '',
    finding_by INTEGER REFERENCES staff(id),
    finding_at INTEGER
);
CREATE UNIQUE INDEX gaming_flags_open ON gaming_flags (hall_id, kind, subject_type, subject_id) WHERE finding = '';
CREATE INDEX gaming_flags_hall ON gaming_flags (hall_id, last_seen_at);

-- Who changed which feedback setting or figure definition, from what to what.
-- hall_id NULL = the province-wide figure definitions.
CREATE TABLE settings_audit (
    id INTEGER PRIMARY KEY,
    hall_id INTEGER REFERENCES halls(id),
    setting TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    by_staff INTEGER REFERENCES staff(id),
    at INTEGER NOT NULL
);
CREATE INDEX settings_audit_hall ON settings_audit (hall_id, at);

-- The link of an invitation the system made itself — for the printed receipt, the follow
-- page after finishing, the public page of a closed case — so it can be shown again to the
-- customer who holds the slip's code or the case number and phone digits. Invitations made
-- over the API keep only the token's hash.
CREATE TABLE survey_links (
    invitation_id INTEGER PRIMARY KEY REFERENCES survey_invitations(id),
    token TEXT NOT NULL
);
