//! Assessment (督查 · 考核) on both backends: the indicators' daily figures kept by the
//! incremental step equal a recount from the logs, a drifted table is caught by the check
//! and mended by the rebuild, and the naive scan agrees with the kept months.

on_both!(in suite: kept_figures_equal_the_recount_from_the_logs, manual_entries_add_to_served_once,
    visits_narrow_to_a_counter_or_a_clerk);

mod suite {
    use crate::fixture::{Fixture, MIN, T0, fixture, issue_req, op};
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

    /// One served visit (waits `wait` min, served 5 min, rated `level`) and one no-show
    /// (waits `wait + 15` min), both issued at `at`.
    async fn visits(s: &SqlStore, f: &Fixture, at: i64, wait: i64, level: i64, tag: &str) {
        let t = s
            .issue_ticket(&issue_req(f, 1, &format!("{tag}a")), at)
            .await
            .unwrap();
        let late = s
            .issue_ticket(&issue_req(f, 1, &format!("{tag}b")), at)
            .await
            .unwrap();
        let c = f.counters[1].id;
        let called = s
            .call_next(c, None, at + wait * MIN)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(called.id, t.id);
        s.act_on_ticket(t.id, &TicketCommand::Start, op(f, 1), at + wait * MIN)
            .await
            .unwrap();
        s.act_on_ticket(
            t.id,
            &TicketCommand::Finish {
                read_back: None,
                outcome: servicehall_domain::catalogue::VisitOutcome::Completed,
            },
            op(f, 1),
            at + (wait + 5) * MIN,
        )
        .await
        .unwrap();
        let reasons: Vec<String> = if level < 3 {
            vec!["slow".into()]
        } else {
            vec![]
        };
        s.rate(
            t.id,
            c,
            None,
            level,
            &reasons,
            10 * MIN,
            at + (wait + 6) * MIN,
        )
        .await
        .unwrap();
        let called = s
            .call_next(c, None, at + (wait + 15) * MIN)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(called.id, late.id);
        s.act_on_ticket(
            late.id,
            &TicketCommand::NoShow,
            op(f, 1),
            at + (wait + 17) * MIN,
        )
        .await
        .unwrap();
    }

    /// A scorecard line's records for one counter or one clerk: only the tickets they
    /// called, the same tickets the personal figures count.
    pub async fn visits_narrow_to_a_counter_or_a_clerk(s: SqlStore) {
        let f = fixture(&s).await;
        // Payment tickets go to counters 1 and 3; counter 1 is staffed by clerk 1, counter
        // 3 by clerk 3.
        for i in 0..3 {
            s.issue_ticket(&issue_req(&f, 0, &format!("n{i}")), T0)
                .await
                .unwrap();
        }
        let (c1, c3) = (f.counters[0].id, f.counters[2].id);
        let (k1, k3) = (f.clerks[0].id, f.clerks[2].id);
        let a = s.call_next(c1, Some(k1), T0 + MIN).await.unwrap().unwrap();
        let b = s
            .call_next(c3, Some(k3), T0 + 2 * MIN)
            .await
            .unwrap()
            .unwrap();
        s.act_on_ticket(a.id, &TicketCommand::NoShow, op(&f, 0), T0 + 2 * MIN)
            .await
            .unwrap();
        let c = s
            .call_next(c1, Some(k1), T0 + 3 * MIN)
            .await
            .unwrap()
            .unwrap();
        let d0 = (T0 + 8 * 3_600_000) / 86_400_000;
        let ids = |who: Personal| {
            let s = &s;
            async move {
                s.assessment_visits(f.hall.id, who, d0, d0 + 1, 100)
                    .await
                    .unwrap()
                    .iter()
                    .map(|v| v.ticket_id)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(ids(Personal::Hall).await.len(), 3);
        assert_eq!(ids(Personal::Counter(c1)).await, [a.id, c.id]);
        assert_eq!(ids(Personal::Counter(c3)).await, [b.id]);
        assert!(ids(Personal::Counter(f.counters[1].id)).await.is_empty());
        assert_eq!(ids(Personal::Staff(k1)).await, [a.id, c.id]);
        assert_eq!(ids(Personal::Staff(k3)).await, [b.id]);
        assert!(ids(Personal::Staff(f.clerks[1].id)).await.is_empty());
        // The personal figures count the same calls.
        let figs = s
            .scorecard_personal_figures(f.hall.id, Personal::Counter(c1), T0, T0 + 60 * MIN)
            .await
            .unwrap();
        let ns = figs.iter().find(|f| f.indicator == "no_show_rate").unwrap();
        assert_eq!((ns.num, ns.den), (1, 2));
    }

    pub async fn kept_figures_equal_the_recount_from_the_logs(s: SqlStore) {
        let f = fixture(&s).await;
        let h = [f.hall.id];
        let m = month_of(T0);
        // Nothing counted yet: no rows, so the page says no data rather than zero.
        s.refresh_assessment(&h, T0).await.unwrap();
        assert!(s.assessment_months(&h, m, m).await.unwrap().is_empty());

        visits(&s, &f, T0, 5, 5, "d1").await;
        s.refresh_assessment(&h, T0 + 60 * MIN).await.unwrap();
        let kept = s.assessment_months(&h, m, m).await.unwrap();
        // Waits of 5 and 20 minutes: sum 25 min over 2 calls; one within 15 min; one no-show.
        assert_eq!(figure(&kept, "wait_mean"), (25 * MIN, 2));
        assert_eq!(figure(&kept, "wait_within"), (1, 2));
        assert_eq!(figure(&kept, "no_show_rate"), (1, 2));
        assert_eq!(figure(&kept, "served"), (1, 1));
        assert_eq!(figure(&kept, "handling_mean"), (5 * MIN, 1));
        assert_eq!(figure(&kept, "satisfaction"), (1, 1));
        assert_eq!(figure(&kept, "bad_rating_rate"), (0, 1));
        // Two visits issued, no complaint.
        assert_eq!(figure(&kept, "complaints_per_10k"), (0, 2));

        // The next day arrives after the mark: the step recounts from the mark on.
        let day2 = T0 + 24 * 60 * MIN;
        visits(&s, &f, day2, 30, 1, "d2").await;
        s.refresh_assessment(&h, day2 + 60 * MIN).await.unwrap();
        let kept = s.assessment_months(&h, m, month_of(day2)).await.unwrap();
        assert_eq!(figure(&kept, "wait_mean"), ((25 + 30 + 45) * MIN, 4));
        assert_eq!(figure(&kept, "bad_rating_rate"), (1, 2));
        assert_eq!(figure(&kept, "served"), (2, 2));

        // The drill-down lists the visits behind the waits: first day, two tickets.
        let d0 = (T0 + 8 * 3_600_000) / 86_400_000;
        let v = s
            .assessment_visits(f.hall.id, Personal::Hall, d0, d0 + 1, 100)
            .await
            .unwrap();
        let waits: Vec<Option<i64>> = v
            .iter()
            .map(|v| v.called.zip(v.queued).map(|(c, q)| (c - q) / MIN))
            .collect();
        assert_eq!(waits, [Some(5), Some(20)], "{v:?}");
        assert_eq!(
            (v[0].state.as_str(), v[1].state.as_str()),
            ("finished", "no_show")
        );
        assert_eq!(
            v[0].done.zip(v[0].began).map(|(d, b)| (d - b) / MIN),
            Some(5)
        );

        // The naive scan counts the same from the logs.
        let naive = s
            .assessment_months_from_logs(&h, d0 - 1, d0 + 3, day2 + 60 * MIN)
            .await
            .unwrap();
        assert_eq!(naive, kept);

        // The check proves the kept table equals the recount …
        let r = s
            .rebuild_assessment(true, day2 + 2 * 60 * MIN)
            .await
            .unwrap();
        assert_eq!((r.differences, r.examples.len()), (0, 0), "{r:?}");
        assert!(r.rows >= 16, "two days of eight figures: {r:?}");

        // … and catches a kept figure that drifted; the rebuild mends it. Three days on, the
        // step recounts only from the day before its mark, so old drift stays for the check.
        let later = day2 + 3 * 24 * 60 * MIN;
        s.refresh_assessment(&h, later).await.unwrap();
        sqlx::query("UPDATE assessment_days SET num = num + 1 WHERE indicator = 'served'")
            .execute(s.pool())
            .await
            .unwrap();
        sqlx::query("DELETE FROM assessment_days WHERE indicator = 'satisfaction'")
            .execute(s.pool())
            .await
            .unwrap();
        let r = s.rebuild_assessment(true, later).await.unwrap();
        // Two days of `served` one too high, two days of `satisfaction` missing.
        assert_eq!(r.differences, 4, "{r:?}");
        assert!(r.examples.iter().any(|(kept, _)| kept.is_none()), "{r:?}");
        s.rebuild_assessment(false, later).await.unwrap();
        let r = s.rebuild_assessment(true, later).await.unwrap();
        assert_eq!(r.differences, 0, "{r:?}");
        // The counts of past events are as kept before; the fixture's counters, never
        // closed, have run idle since, and the day's site checks have settled.
        let timed = |r: &MonthFigure| {
            r.indicator.starts_with("idle_") || r.indicator.starts_with("site_checks_")
        };
        let now: Vec<MonthFigure> = s.assessment_months(&h, m, month_of(day2)).await.unwrap();
        let before: Vec<&MonthFigure> = kept.iter().filter(|r| !timed(r)).collect();
        assert_eq!(now.iter().filter(|r| !timed(r)).collect::<Vec<_>>(), before);
    }

    /// Manual entries (营销系统故障人工登记): all of them kept as `manual_entries`; only those
    /// recorded with no ticket at their counter added to `served`, as the dashboard counts.
    pub async fn manual_entries_add_to_served_once(s: SqlStore) {
        let f = fixture(&s).await;
        let h = [f.hall.id];
        let m = month_of(T0);
        // Counter 1: a ticket from +5 (called) to +10 (finished), the next from +20 to +22.
        visits(&s, &f, T0, 5, 5, "m").await;
        let entry = |counter: Option<usize>, at: i64| {
            let input = ManualEntryInput {
                hall_id: f.hall.id,
                counter_id: counter.map(|c| f.counters[c].id),
                business_type_id: f.bt[0].id,
                customer_name: "王女士".into(),
                account_no: "0101234567".into(),
                phone: String::new(),
                amount_fen: None,
                note: String::new(),
                by: f.clerks[0].id,
            };
            let s = s.clone();
            async move { s.record_manual_entry(&input, at).await.unwrap() }
        };
        entry(Some(1), T0 + 7 * MIN).await; // the ticket being served: already counted
        entry(Some(1), T0 + 12 * MIN).await; // between tickets: a visit of its own
        entry(None, T0 + 8 * MIN).await; // no counter named: a visit of its own
        s.refresh_assessment(&h, T0 + 60 * MIN).await.unwrap();
        let kept = s.assessment_months(&h, m, m).await.unwrap();
        assert_eq!(figure(&kept, "served"), (3, 3));
        assert_eq!(figure(&kept, "manual_entries"), (3, 3));
        // One more the next day, after the mark: the step counts it, the check agrees.
        let day2 = T0 + 24 * 60 * MIN;
        entry(Some(0), day2).await;
        let r = s.rebuild_assessment(true, day2 + MIN).await.unwrap();
        assert_eq!((r.differences, r.examples.len()), (0, 0), "{r:?}");
        let kept = s.assessment_months(&h, m, month_of(day2)).await.unwrap();
        assert_eq!(figure(&kept, "served"), (4, 4));
        assert_eq!(figure(&kept, "manual_entries"), (4, 4));
        let d0 = (T0 + 8 * 3_600_000) / 86_400_000;
        let naive = s
            .assessment_months_from_logs(&h, d0 - 1, d0 + 3, day2 + MIN)
            .await
            .unwrap();
        assert_eq!(naive, kept);
    }
}
