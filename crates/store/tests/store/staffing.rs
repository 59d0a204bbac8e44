//! The staffing advisor's reads and counter plans on both backends.

on_both!(in suite:
    staffing_reads_count_arrivals_handling_and_counters,
    counter_plans_replace_clear_and_refuse_bad_slots,
);

mod suite {
    use crate::fixture::{fixture, issue_req, op};
    use servicehall_store::*;

    /// 2026-03-02 09:00 in Shanghai (01:00 UTC): half-hour 18 of the hall's day.
    const T0: i64 = 1_772_413_200_000;
    const MIN: i64 = 60_000;
    const SHANGHAI: i64 = 8 * 3_600_000;

    pub async fn staffing_reads_count_arrivals_handling_and_counters(s: SqlStore) {
        let f = fixture(&s).await;
        s.open_counter(f.counters[0].id, f.clerks[0].id, T0 - 30 * MIN)
            .await
            .unwrap();
        s.open_counter(f.counters[1].id, f.clerks[1].id, T0 - 10 * MIN)
            .await
            .unwrap();
        s.pause_counter(f.counters[1].id, "午休", T0 + 40 * MIN)
            .await
            .unwrap();
        // An inquiry at 09:00 (no read-back to finish), a payment at 09:10, a new connection at
        // 09:40.
        let a = s.issue_ticket(&issue_req(&f, 2, "st-a"), T0).await.unwrap();
        let called = s
            .call_next(f.counters[0].id, Some(f.clerks[0].id), T0 + MIN)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(called.id, a.id);
        s.act_on_ticket(a.id, &TicketCommand::Start, op(&f, 0), T0 + 2 * MIN)
            .await
            .unwrap();
        s.act_on_ticket(
            a.id,
            &TicketCommand::Finish {
                read_back: None,
                outcome: servicehall_domain::catalogue::VisitOutcome::Completed,
            },
            op(&f, 0),
            T0 + 5 * MIN,
        )
        .await
        .unwrap();

        s.issue_ticket(&issue_req(&f, 0, "st-b"), T0 + 10 * MIN)
            .await
            .unwrap();
        s.issue_ticket(&issue_req(&f, 1, "st-c"), T0 + 40 * MIN)
            .await
            .unwrap();

        let day = a.service_day.clone();
        assert_eq!(day, "2026-03-02");
        let counts = s
            .arrival_history(f.hall.id, "2026-03-01", "2026-03-02", SHANGHAI)
            .await
            .unwrap();
        let got: Vec<(i64, i64, i64)> = counts
            .iter()
            .map(|c| (c.slot, c.business_type_id, c.arrivals))
            .collect();
        let mut expected = vec![
            (18, f.bt[0].id, 1),
            (18, f.bt[2].id, 1),
            (19, f.bt[1].id, 1),
        ];
        expected.sort();
        assert_eq!(got, expected);
        assert!(
            s.arrival_history(f.hall.id, "2026-03-03", "2026-03-09", SHANGHAI)
                .await
                .unwrap()
                .is_empty()
        );

        let handling = s
            .handling_samples(f.hall.id, &day, &day, 100)
            .await
            .unwrap();
        assert_eq!(
            handling,
            vec![HandlingSample {
                business_type_id: f.bt[2].id,
                handling_ms: 4 * MIN
            }]
        );

        let tickets = s.replay_tickets(f.hall.id, &day).await.unwrap();
        assert_eq!(tickets.len(), 3);
        assert_eq!(
            (
                tickets[0].issued_at,
                tickets[0].called_at,
                tickets[0].finished_at
            ),
            (T0, Some(T0 + MIN), Some(T0 + 5 * MIN))
        );
        assert_eq!((tickets[2].called_at, tickets[2].finished_at), (None, None));

        let changes = s
            .counter_changes(f.hall.id, T0 - 60 * MIN, T0 + 60 * MIN)
            .await
            .unwrap();
        let seen: Vec<(i64, &str)> = changes
            .iter()
            .map(|c| (c.counter_id, c.status.as_str()))
            .collect();
        assert!(seen.contains(&(f.counters[0].id, "open")), "{seen:?}");
        assert!(seen.contains(&(f.counters[1].id, "paused")), "{seen:?}");
        assert!(changes.windows(2).all(|w| w[0].at <= w[1].at));
        assert!(
            s.counter_changes(f.hall.id, T0 + 60 * MIN, T0 + 90 * MIN)
                .await
                .unwrap()
                .is_empty()
        );
    }

    pub async fn counter_plans_replace_clear_and_refuse_bad_slots(s: SqlStore) {
        let f = fixture(&s).await;
        let day = "2026-03-02";
        assert!(
            s.counter_plan(f.hall.id, day)
                .await
                .unwrap()
                .slots
                .is_empty()
        );
        let plan = s
            .set_counter_plan(
                f.hall.id,
                day,
                &[(17, 2), (18, 4), (19, 5), (18, 3)],
                Some(f.clerks[0].id),
                T0,
            )
            .await
            .unwrap();
        let slots: Vec<(i64, i64)> = plan.slots.iter().map(|p| (p.slot, p.counters)).collect();
        assert_eq!(
            slots,
            vec![(17, 2), (18, 3), (19, 5)],
            "the last value typed wins"
        );
        assert_eq!(plan.updated_at, Some(T0));
        assert_eq!(
            plan.updated_by_name.as_deref(),
            Some(f.clerks[0].name.as_str())
        );
        s.set_counter_plan(f.hall.id, "2026-03-03", &[(18, 6), (19, 6)], None, T0)
            .await
            .unwrap();

        let days = s
            .planned_days(f.hall.id, "2026-03-01", "2026-03-31")
            .await
            .unwrap();
        assert_eq!(days.len(), 2);
        assert_eq!((days[0].counter_hours, days[0].peak), (5.0, 5));
        assert_eq!(
            (days[1].service_day.as_str(), days[1].counter_hours),
            ("2026-03-03", 6.0)
        );

        // Replacing keeps only the new slots; an empty plan clears the day.
        let again = s
            .set_counter_plan(f.hall.id, day, &[(20, 1)], None, T0 + 1)
            .await
            .unwrap();
        assert_eq!(
            again.slots,
            vec![PlanSlot {
                slot: 20,
                counters: 1
            }]
        );
        assert!(
            s.set_counter_plan(f.hall.id, day, &[], None, T0 + 2)
                .await
                .unwrap()
                .slots
                .is_empty()
        );

        for bad in [&[(48usize, 1u32)][..], &[(3, 100)][..]] {
            match s
                .set_counter_plan(f.hall.id, "2026-03-03", bad, None, T0)
                .await
            {
                Err(StoreError::Invalid(m)) => {
                    assert!(m.starts_with("计划") && m.contains("slots 0 to 47"), "{m}")
                }
                other => panic!("{other:?}"),
            }
        }
        // The refused plan changed nothing.
        assert_eq!(
            s.counter_plan(f.hall.id, "2026-03-03")
                .await
                .unwrap()
                .slots
                .len(),
            2
        );
        assert!(
            s.set_counter_plan(999_999, day, &[(18, 1)], None, T0)
                .await
                .is_err()
        );
    }
}
