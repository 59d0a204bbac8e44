//! Incidents and playbooks on both backends: versions that never rewrite a running
//! checklist, the announcement's events, the review's action cases, and the manual entries
//! of a business-system outage; the kiosk's reduced set while its incident is active.

on_both!(in suite:
    playbook_versions_leave_running_incidents_alone,
    an_incident_runs_from_declaration_to_review,
    manual_entries_wait_for_back_entry,
    a_reduced_kiosk_holds_while_its_incident_is_active,
);

mod suite {
    use crate::fixture::{fixture, hall_input};
    use servicehall_domain::incidents::ReviewAction;
    use servicehall_domain::incidents::shipped::shipped;
    use servicehall_store::*;

    const NOW: i64 = 1_780_000_000_000;
    const MIN: i64 = 60_000;
    const DAY: i64 = 24 * 60 * MIN;

    fn declare(hall: i64, kind: &str, by: i64) -> IncidentDeclare {
        IncidentDeclare {
            hall_id: hall,
            kind: kind.into(),
            note: "北区线路跳闸".into(),
            by,
        }
    }

    pub async fn playbook_versions_leave_running_incidents_alone(s: SqlStore) {
        let f = fixture(&s).await;
        let other = s.create_hall(&hall_input("SY-TX")).await.unwrap();
        let all = shipped().unwrap();
        assert_eq!(s.install_playbooks(&all, NOW).await.unwrap(), 6);
        assert_eq!(s.install_playbooks(&all, NOW).await.unwrap(), 0);
        let codes: Vec<_> = s
            .playbooks(None)
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.playbook.code)
            .collect();
        assert_eq!(
            codes,
            [
                "outage",
                "business_system",
                "crowd",
                "conflict",
                "medical",
                "fire"
            ]
        );
        let by = f.clerks[0].id;
        let running = s
            .declare_incident(&declare(f.hall.id, "outage", by), NOW)
            .await
            .unwrap();
        assert_eq!(running.playbook_version, 1);

        // The hall writes version 2 with a new announcement.
        let mut v2 = all[0].clone();
        v2.announcement_zh = "本厅停电，预计 30 分钟恢复。".into();
        let saved = s
            .save_playbook(Some(f.hall.id), &v2, Some(by), NOW + 1)
            .await
            .unwrap();
        assert_eq!((saved.version, saved.hall_id), (2, Some(f.hall.id)));
        let mine = s.playbooks(Some(f.hall.id)).await.unwrap();
        assert_eq!(mine[0].id, saved.id);
        assert_eq!(mine.len(), 6);
        // Another hall still sees version 1; the running incident keeps its version.
        assert_eq!(s.playbooks(Some(other.id)).await.unwrap()[0].version, 1);
        let again = s.incident(running.id).await.unwrap();
        assert_eq!(again.playbook, all[0]);
        // An invalid version is refused with what to fix.
        let mut bad = all[0].clone();
        bad.steps.clear();
        let e = s
            .save_playbook(Some(f.hall.id), &bad, Some(by), NOW + 2)
            .await;
        assert!(matches!(e, Err(StoreError::Invalid(m)) if m.contains("at least one step")));
        // An unknown kind names itself.
        let e = s
            .declare_incident(&declare(f.hall.id, "flood", by), NOW)
            .await;
        assert!(matches!(e, Err(StoreError::Invalid(m)) if m.contains("flood")));
    }

    pub async fn an_incident_runs_from_declaration_to_review(s: SqlStore) {
        let f = fixture(&s).await;
        s.install_playbooks(&shipped().unwrap(), NOW).await.unwrap();
        let by = f.clerks[0].id;
        let before = s.last_event_id(f.hall.id).await.unwrap();
        let i = s
            .declare_incident(&declare(f.hall.id, "outage", by), NOW)
            .await
            .unwrap();
        assert_eq!(
            i.state(),
            servicehall_domain::incidents::IncidentState::Active
        );
        assert_eq!(i.note, "北区线路跳闸");
        // One kind is active at most once per hall; another kind may run beside it.
        let twice = s
            .declare_incident(&declare(f.hall.id, "outage", by), NOW + 1)
            .await;
        assert!(matches!(twice, Err(StoreError::Conflict(m)) if m.contains("已在处置中")));
        let crowd = s
            .declare_incident(&declare(f.hall.id, "crowd", by), NOW + 2)
            .await
            .unwrap();
        let active = s.active_incidents(f.hall.id).await.unwrap();
        assert_eq!(
            active.iter().map(|a| a.id).collect::<Vec<_>>(),
            [crowd.id, i.id]
        );

        // The hall's stream carries the announcement.
        let events = s.events_since(f.hall.id, before, 10).await.unwrap();
        let declared = events.iter().find(|e| e.kind == INCIDENT_EVENT).unwrap();
        assert_eq!(declared.payload["state"], "declared");
        assert_eq!(declared.payload["kind"], "outage");
        assert!(
            declared.payload["announcement_zh"]
                .as_str()
                .unwrap()
                .contains("停电")
        );
        assert_eq!(declared.payload["kiosk"], "notice");

        // Steps: done once, by someone, in the playbook's order.
        let i2 = s
            .complete_incident_step(i.id, "guide_customers", f.clerks[1].id, NOW + 3 * MIN)
            .await
            .unwrap();
        s.complete_incident_step(i.id, "confirm_scope", by, NOW + 4 * MIN)
            .await
            .unwrap();
        let again = s
            .complete_incident_step(i.id, "guide_customers", by, NOW + 5 * MIN)
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))));
        assert!(matches!(
            s.complete_incident_step(i.id, "nope", by, NOW).await,
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(i2.steps_done[0].done_by_name, f.clerks[1].name);
        let keys: Vec<_> = s
            .incident(i.id)
            .await
            .unwrap()
            .steps_done
            .into_iter()
            .map(|d| d.key)
            .collect();
        assert_eq!(keys, ["confirm_scope", "guide_customers"]);

        // A review waits for the close.
        let review = IncidentReviewInput {
            cause: "市政施工挖断电缆".into(),
            risk_code: Some("R-OPS-03".into()),
            actions: vec![
                ReviewAction {
                    text: "加装 UPS 保障叫号系统".into(),
                    owner_id: by,
                    due_at: NOW + 14 * DAY,
                },
                ReviewAction {
                    text: "修订停电告知话术".into(),
                    owner_id: f.clerks[1].id,
                    due_at: NOW + 7 * DAY,
                },
            ],
        };
        assert!(matches!(
            s.review_incident(i.id, &review, by, NOW + 10 * MIN).await,
            Err(StoreError::Conflict(m)) if m.contains("close the incident")
        ));
        let closed = s.close_incident(i.id, by, NOW + 30 * MIN).await.unwrap();
        // The review links the incident to a risk of the hall's register, and only such a one.
        assert!(matches!(
            s.review_incident(i.id, &review, by, NOW + 30 * MIN).await,
            Err(StoreError::Invalid(m)) if m.contains("R-OPS-03")
        ));
        let mut risk = crate::risks::suite::input(by);
        risk.code = "R-OPS-03".into();
        let admin = RiskActor {
            staff_id: None,
            role: servicehall_domain::Role::Admin,
        };
        s.create_risk(f.hall.id, &risk, admin, NOW).await.unwrap();
        assert_eq!(closed.closed_at, Some(NOW + 30 * MIN));
        assert!(matches!(
            s.close_incident(i.id, by, NOW + 31 * MIN).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            s.complete_incident_step(i.id, "report_up", by, NOW + 31 * MIN)
                .await,
            Err(StoreError::Conflict(_))
        ));
        let last = s.events_since(f.hall.id, before, 50).await.unwrap();
        let closing = last
            .iter()
            .rev()
            .find(|e| e.kind == INCIDENT_EVENT)
            .unwrap();
        assert_eq!(
            (
                closing.payload["state"].as_str(),
                closing.payload["id"].as_i64()
            ),
            (Some("closed"), Some(i.id))
        );
        assert_eq!(s.active_incidents(f.hall.id).await.unwrap().len(), 1);
        // The same kind may be declared again once closed.
        let later = s
            .declare_incident(&declare(f.hall.id, "outage", by), NOW + 40 * MIN)
            .await
            .unwrap();
        s.close_incident(later.id, by, NOW + 41 * MIN)
            .await
            .unwrap();

        // An owner from another hall is refused, and nothing is kept.
        let stranger = s
            .create_staff(
                &StaffInput {
                    hall_id: Some(s.create_hall(&hall_input("SY-TX")).await.unwrap().id),
                    username: "stranger".into(),
                    name: "外厅员工".into(),
                    badge_no: "SY001".into(),
                    role: servicehall_domain::Role::Clerk,
                    photo: String::new(),
                    active: true,
                },
                "x",
            )
            .await
            .unwrap();
        let mut wrong = review.clone();
        wrong.actions[1].owner_id = stranger.id;
        assert!(matches!(
            s.review_incident(i.id, &wrong, by, NOW + 60 * MIN).await,
            Err(StoreError::Invalid(_))
        ));
        assert!(s.incident(i.id).await.unwrap().review.is_none());

        let reviewed = s
            .review_incident(i.id, &review, by, NOW + 60 * MIN)
            .await
            .unwrap();
        let r = reviewed.review.as_ref().unwrap();
        assert_eq!(r.risk_code.as_deref(), Some("R-OPS-03"));
        assert_eq!(r.actions.len(), 2);
        assert_eq!(r.actions[1].owner_name, f.clerks[1].name);
        assert!(!r.actions[0].closed);
        // Each action is a case of its own kind, owned by its owner.
        let case = s.case(r.actions[0].case_id, NOW + 61 * MIN).await.unwrap();
        assert_eq!(
            case.case.kind,
            servicehall_domain::cases::CaseKind::IncidentAction
        );
        assert_eq!(case.case.owner_id, by);
        assert!(case.case.summary.contains("加装 UPS"));
        assert!(matches!(
            s.review_incident(i.id, &review, by, NOW + 62 * MIN).await,
            Err(StoreError::Conflict(m)) if m.contains("already reviewed")
        ));
        let list = s.incidents(f.hall.id, NOW - DAY, 10).await.unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(list[2].id, i.id);
    }

    pub async fn manual_entries_wait_for_back_entry(s: SqlStore) {
        let f = fixture(&s).await;
        s.install_playbooks(&shipped().unwrap(), NOW).await.unwrap();
        let by = f.clerks[0].id;
        let i = s
            .declare_incident(&declare(f.hall.id, "business_system", by), NOW)
            .await
            .unwrap();
        let input = |name: &str, account: &str| ManualEntryInput {
            hall_id: f.hall.id,
            counter_id: Some(f.counters[0].id),
            business_type_id: f.bt[0].id,
            customer_name: name.into(),
            account_no: account.into(),
            phone: String::new(),
            amount_fen: Some(12_350),
            note: "现金".into(),
            by,
        };
        let a = s
            .record_manual_entry(&input("王女士", "0101234567"), NOW + MIN)
            .await
            .unwrap();
        assert_eq!(a.incident_id, Some(i.id));
        assert_eq!(a.counter_name.as_deref(), Some("1号窗口"));
        assert_eq!(a.business_name, f.bt[0].name_zh);
        let b = s
            .record_manual_entry(&input("李先生", "0107654321"), NOW + 2 * MIN)
            .await
            .unwrap();
        // What back-entry needs is checked.
        for bad in [input(" ", "1"), input("张", ""), input("张", "12;drop")] {
            assert!(matches!(
                s.record_manual_entry(&bad, NOW).await,
                Err(StoreError::Invalid(_))
            ));
        }
        let mut other_bt = input("张", "1");
        other_bt.business_type_id = 999_999;
        assert!(s.record_manual_entry(&other_bt, NOW).await.is_err());

        let pending = s.manual_entries(f.hall.id, 0, 0, true).await.unwrap();
        assert_eq!(
            pending.iter().map(|e| e.id).collect::<Vec<_>>(),
            [a.id, b.id]
        );
        let done = s
            .back_enter_manual_entry(a.id, "YX2026120600123", f.clerks[1].id, NOW + DAY)
            .await
            .unwrap();
        assert_eq!(done.back_ref.as_deref(), Some("YX2026120600123"));
        assert_eq!(
            done.back_entered_by_name.as_deref(),
            Some(f.clerks[1].name.as_str())
        );
        assert!(matches!(
            s.back_enter_manual_entry(a.id, "X", by, NOW + DAY).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            s.back_enter_manual_entry(b.id, " ", by, NOW + DAY).await,
            Err(StoreError::Invalid(_))
        ));
        let pending = s.manual_entries(f.hall.id, 0, 0, true).await.unwrap();
        assert_eq!(pending.len(), 1);
        // The day's list keeps both, the back-entered one marked.
        let day = s
            .manual_entries(f.hall.id, NOW, NOW + DAY, false)
            .await
            .unwrap();
        assert_eq!(day.len(), 2);
        assert!(day[0].back_entered_at.is_some() && day[1].back_entered_at.is_none());
    }

    /// The issue API's rule reads the active incidents: while 营销系统故障 runs, a kiosk
    /// keeps 缴费 and 咨询 only; a closed incident or another hall's holds nothing.
    pub async fn a_reduced_kiosk_holds_while_its_incident_is_active(s: SqlStore) {
        use servicehall_domain::incidents::kiosk::kiosk_refusal;
        let f = fixture(&s).await;
        let other = s.create_hall(&hall_input("SY-TX")).await.unwrap();
        s.install_playbooks(&shipped().unwrap(), NOW).await.unwrap();
        let names = |c: &str| (c.to_string(), c.to_string());
        let refusal = |active: &[Incident], code: &str| {
            kiosk_refusal(active.iter().map(|i| &i.playbook), code, names)
        };
        let by = f.clerks[0].id;
        let i = s
            .declare_incident(&declare(f.hall.id, "business_system", by), NOW)
            .await
            .unwrap();
        let active = s.active_incidents(f.hall.id).await.unwrap();
        assert_eq!(refusal(&active, "payment"), None);
        let m = refusal(&active, "new_install").unwrap();
        assert!(
            m.contains("营销系统故障") && m.contains("payment、inquiry"),
            "{m}"
        );
        assert_eq!(
            refusal(&s.active_incidents(other.id).await.unwrap(), "new_install"),
            None
        );
        s.close_incident(i.id, by, NOW + 30 * MIN).await.unwrap();
        assert_eq!(
            refusal(&s.active_incidents(f.hall.id).await.unwrap(), "new_install"),
            None
        );
    }
}
