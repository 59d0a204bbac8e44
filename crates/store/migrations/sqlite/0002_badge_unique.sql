-- A badge number (工号) names one person in a hall: counters are opened by badge.
CREATE UNIQUE INDEX staff_badge_per_hall ON staff (hall_id, badge_no);
