//! The last indicators on both backends: `idle_share` from the counters' status changes and
//! the tickets in service, the site checks done and missed against the schedule, both kept
//! by the step, equal to the recount, and the month sums (`assessment_months`) kept in step
//! with the days and proved by the rebuild's check.

on_both!(in suite: idle_share_and_site_checks_are_kept_and_proved, month_sums_follow_the_days_and_drift_is_caught);

mod suite {
    use crate::fixture::{Fixture, MIN, T0, fixture, issue_req, op};
    use servicehall_domain::inspections::Outcome;
    use servicehall_domain::inspections::shipped::shipped;
    use servicehall_store::*;

    fn month_of(at: i64) -> i64 {
        use chrono::Datelike;
        let d = chrono::DateTime::from_timestamp_millis(at + 8 * 3_600_000)
            .unwrap()
            .date_naive();
        i64::from(d.year()) * 100 + i64::from(d.month())
    }

    fn figure(rows: &[MonthFigure], ind: &str) -> (i64, i64) {
        rows.iter()
            .filter(|r| r.indicator == ind)
            .fold((0, 0), |(n, d), r| (n + r.num, d + r.den))
    }

    /// A ticket called at counter 1 at `T0 + 5 min`, served, finished at `T0 + 10 min`.
    async fn one_visit(s: &SqlStore, f: &Fixture) {
        let t = s.issue_ticket(&issue_req(f, 1, "idle1"), T0).await.unwrap();
        let c = f.counters[1].id;
        let called = s.call_next(c, None, T0 + 5 * MIN).await.unwrap().unwrap();
        assert_eq!(called.id, t.id);
        s.act_on_ticket(t.id, &TicketCommand::Start, op(f, 1), T0 + 6 * MIN)
            .await
            .unwrap();
        s.act_on_ticket(
            t.id,
            &TicketCommand::Finish {
                read_back: None,
                outcome: servicehall_domain::catalogue::VisitOutcome::Completed,
            },
            op(f, 1),
            T0 + 10 * MIN,
        )
        .await
        .unwrap();
    }

    /// Clerk 0's pre-shift check, all items passed, submitted at `at`.
    async fn pre_shift(s: &SqlStore, f: &Fixture, at: i64) {
        s.install_inspection_templates(&shipped().unwrap(), T0)
            .await
            .unwrap();
        let list = s.inspection_templates(f.hall.id).await.unwrap();
        let grooming = list
            .iter()
            .find(|t| t.template.code == "pre_shift_grooming")
            .unwrap();
        let i = s
            .start_inspection(
                &InspectionStart {
                    hall_id: f.hall.id,
                    template_id: grooming.id,
                    subject_staff_id: Some(f.clerks[0].id),
                    inspector_id: f.clerks[2].id,
                },
                at - 2,
            )
            .await
            .unwrap();
        for (_, item) in grooming.template.items() {
            s.record_inspection_item(i.id, &item.key, Outcome::Pass, "", at - 1)
                .await
                .unwrap();
        }
        s.submit_inspection(i.id, at).await.unwrap();
    }

    pub async fn idle_share_and_site_checks_are_kept_and_proved(s: SqlStore) {
        // The fixture opens its three counters at T0 (10:00 Beijing).
        let f = fixture(&s).await;
        let h = [f.hall.id];
        let m = month_of(T0);
        one_visit(&s, &f).await;
        s.pause_counter(f.counters[0].id, "break", T0 + 30 * MIN)
            .await
            .unwrap();
        s.refresh_assessment(&h, T0 + 60 * MIN).await.unwrap();
        let kept = s.assessment_months(&h, m, m).await.unwrap();
        // Open 30 + 60 + 60 min by 11:00; counter 1 had a ticket called or in service 5 min.
        assert_eq!(figure(&kept, "idle_share"), (145 * MIN, 150 * MIN));
        // By 11:00 the opening check and the three clerks' pre-shift checks are missed.
        assert_eq!(figure(&kept, "site_checks_done_rate"), (0, 4));
        assert_eq!(figure(&kept, "site_checks_missed"), (4, 1));

        // Clerk 0 checked late (still done); the counters close at 12:00.
        pre_shift(&s, &f, T0 + 90 * MIN).await;
        for c in &f.counters {
            s.close_counter(c.id, T0 + 120 * MIN).await.unwrap();
        }
        // The next morning the day is settled: midday and closing missed too.
        let next = T0 + 24 * 60 * MIN;
        s.refresh_assessment(&h, next).await.unwrap();
        let kept = s.assessment_months(&h, m, month_of(next)).await.unwrap();
        assert_eq!(figure(&kept, "idle_share"), (265 * MIN, 270 * MIN));
        assert_eq!(figure(&kept, "site_checks_done_rate"), (1, 6));
        assert_eq!(figure(&kept, "site_checks_missed"), (5, 1));

        // The naive scan counts the same; the rebuild's check proves days and months.
        let d0 = (T0 + 8 * 3_600_000) / 86_400_000;
        let naive = s
            .assessment_months_from_logs(&h, d0 - 1, d0 + 1, next)
            .await
            .unwrap();
        for ind in ["idle_share", "site_checks_done_rate", "site_checks_missed"] {
            assert_eq!(figure(&naive, ind), figure(&kept, ind), "{ind}");
        }
        let r = s.rebuild_assessment(true, next).await.unwrap();
        assert_eq!((r.differences, r.month_differences), (0, 0), "{r:?}");
        // A drifted idle figure (days later: the step recounts only from its mark on) is
        // caught, in its day and its month, and the rebuild mends both.
        let later = next + 3 * 24 * 60 * MIN;
        s.refresh_assessment(&h, later).await.unwrap();
        sqlx::query("UPDATE assessment_days SET num = num - 60000 WHERE indicator = 'idle_share'")
            .execute(s.pool())
            .await
            .unwrap();
        let r = s.rebuild_assessment(true, later).await.unwrap();
        assert_eq!((r.differences, r.month_differences), (1, 1), "{r:?}");
        s.rebuild_assessment(false, later).await.unwrap();
        let r = s.rebuild_assessment(true, later).await.unwrap();
        assert_eq!((r.differences, r.month_differences), (0, 0), "{r:?}");
        let kept = s.assessment_months(&h, m, month_of(later)).await.unwrap();
        assert_eq!(figure(&kept, "idle_share"), (265 * MIN, 270 * MIN));
    }

    pub async fn month_sums_follow_the_days_and_drift_is_caught(s: SqlStore) {
        let f = fixture(&s).await;
        let h = [f.hall.id];
        let m = month_of(T0);
        one_visit(&s, &f).await;
        // Kept three times over two days: each step replaces its days and moves the months.
        for at in [T0 + 30 * MIN, T0 + 60 * MIN, T0 + 26 * 60 * MIN] {
            s.refresh_assessment(&h, at).await.unwrap();
            let fast = s.assessment_months(&h, m, month_of(at)).await.unwrap();
            let naive = s
                .assessment_months_from_days(&h, m, month_of(at))
                .await
                .unwrap();
            assert_eq!(fast, naive, "at {at}");
            assert_eq!(figure(&fast, "served"), (1, 1));
        }
        let later = T0 + 26 * 60 * MIN;
        let r = s.rebuild_assessment(true, later).await.unwrap();
        assert_eq!((r.differences, r.month_differences), (0, 0), "{r:?}");
        // A month sum that drifted from its days: caught, and the resum mends it.
        sqlx::query("UPDATE assessment_months SET num = num + 1 WHERE indicator = 'served'")
            .execute(s.pool())
            .await
            .unwrap();
        let r = s.rebuild_assessment(true, later).await.unwrap();
        assert_eq!((r.differences, r.month_differences), (0, 1), "{r:?}");
        assert!(s.resum_assessment_months().await.unwrap() > 0);
        let r = s.rebuild_assessment(true, later).await.unwrap();
        assert_eq!((r.differences, r.month_differences), (0, 0), "{r:?}");
    }
}
