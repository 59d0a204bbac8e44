//! Inspection schedules on both backends: the default until set, a change audited field by
//! field, a bad one refused, and the facts the states are computed from.

on_both!(in suite:
    a_schedule_is_set_and_audited_field_by_field,
    the_facts_of_a_day_come_back_by_hall_and_time,
);

mod suite {
    use crate::fixture::{fixture, hall_input};
    use servicehall_domain::inspections::Outcome;
    use servicehall_domain::inspections::schedule::{PreShiftMode, Schedule, Window};
    use servicehall_domain::inspections::shipped::shipped;
    use servicehall_store::*;

    const NOW: i64 = 1_780_000_000_000;

    pub async fn a_schedule_is_set_and_audited_field_by_field(s: SqlStore) {
        let f = fixture(&s).await;
        let by = Some(f.clerks[0].id);
        assert_eq!(
            s.inspection_schedule(f.hall.id).await.unwrap(),
            Schedule::default()
        );
        let mut next = Schedule {
            pre_shift_mode: PreShiftMode::Block,
            ..Schedule::default()
        };
        next.midday = Window::new(11 * 60 + 30, 13 * 60);
        let changes = s
            .change_inspection_schedule(f.hall.id, &next, by, NOW)
            .await
            .unwrap();
        let named: Vec<_> = changes
            .iter()
            .map(|c| {
                (
                    c.setting.as_str(),
                    c.old_value.as_str(),
                    c.new_value.as_str(),
                )
            })
            .collect();
        assert_eq!(
            named,
            [
                ("pre_shift_mode", "warn", "block"),
                ("midday", "12:00–13:30", "11:30–13:00")
            ]
        );
        assert_eq!(s.inspection_schedule(f.hall.id).await.unwrap(), next);
        let audit = s.settings_audit(Some(f.hall.id), 10).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|c| c.setting == "pre_shift_mode" && c.by_staff == by)
        );
        // The same again changes nothing and audits nothing.
        let again = s
            .change_inspection_schedule(f.hall.id, &next, by, NOW + 1)
            .await
            .unwrap();
        assert!(again.is_empty());
        // A window that ends before it starts is refused and leaves the schedule alone.
        let bad = Schedule {
            closing: Window::new(18 * 60, 17 * 60),
            ..next.clone()
        };
        let e = s
            .change_inspection_schedule(f.hall.id, &bad, by, NOW + 2)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e}");
        assert!(e.to_string().contains("营业结束"), "{e}");
        assert_eq!(s.inspection_schedule(f.hall.id).await.unwrap(), next);
        // Another hall keeps the default.
        let other = s.create_hall(&hall_input("SY-TX")).await.unwrap();
        assert_eq!(
            s.inspection_schedule(other.id).await.unwrap(),
            Schedule::default()
        );
    }

    pub async fn the_facts_of_a_day_come_back_by_hall_and_time(s: SqlStore) {
        let f = fixture(&s).await;
        s.install_inspection_templates(&shipped().unwrap(), NOW)
            .await
            .unwrap();
        let list = s.inspection_templates(f.hall.id).await.unwrap();
        let grooming = list
            .iter()
            .find(|t| t.template.code == "pre_shift_grooming")
            .unwrap();
        let clerk = f.clerks[0].id;
        let i = s
            .start_inspection(
                &InspectionStart {
                    hall_id: f.hall.id,
                    template_id: grooming.id,
                    subject_staff_id: Some(clerk),
                    inspector_id: f.clerks[2].id,
                },
                NOW,
            )
            .await
            .unwrap();
        for (_, item) in grooming.template.items() {
            s.record_inspection_item(i.id, &item.key, Outcome::Pass, "", NOW + 1)
                .await
                .unwrap();
        }
        s.record_inspection_item(i.id, "hair", Outcome::Fail, "刘海过眉，已整理", NOW + 1)
            .await
            .unwrap();
        // Not submitted yet: not a fact.
        assert!(
            s.submitted_checks(f.hall.id, NOW - 1, NOW + 10)
                .await
                .unwrap()
                .is_empty()
        );
        s.submit_inspection(i.id, NOW + 2).await.unwrap();
        let checks = s.submitted_checks(f.hall.id, NOW, NOW + 10).await.unwrap();
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].template_code, "pre_shift_grooming");
        assert_eq!(checks[0].subject_staff_id, Some(clerk));
        assert_eq!(checks[0].submitted_at, NOW + 2);
        assert!(!checks[0].passed, "hair (2 of 16) failed: 87.5 is under 90");
        assert!(
            s.submitted_checks(f.hall.id, NOW + 3, NOW + 10)
                .await
                .unwrap()
                .is_empty(),
            "the span's end is exclusive of earlier times"
        );
        let items = s
            .check_item_results(f.hall.id, NOW, NOW + 10)
            .await
            .unwrap();
        assert_eq!(items.len(), grooming.template.items().count());
        let hair = items.iter().find(|r| r.item_key == "hair").unwrap();
        assert_eq!(
            (hair.outcome, hair.template_id),
            (Outcome::Fail, grooming.id)
        );

        // Opening and resuming a counter are openings; a pause is not.
        let c = f.counters[0].id;
        s.open_counter(c, clerk, NOW + 5).await.unwrap();
        s.pause_counter(c, "午休", NOW + 6).await.unwrap();
        s.open_counter(c, clerk, NOW + 7).await.unwrap();
        let opens = s.counter_openings(f.hall.id, NOW, NOW + 10).await.unwrap();
        assert_eq!(
            opens,
            [
                CounterOpening {
                    staff_id: clerk,
                    at: NOW + 5
                },
                CounterOpening {
                    staff_id: clerk,
                    at: NOW + 7
                }
            ]
        );
        let other = s.create_hall(&hall_input("SY-TX")).await.unwrap();
        assert!(
            s.counter_openings(other.id, NOW, NOW + 10)
                .await
                .unwrap()
                .is_empty()
        );
    }
}
