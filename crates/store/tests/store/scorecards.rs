//! Scorecards (考核 · 红黑榜) on both backends: scheme versions by month, the month-end
//! freeze, appeals changing a frozen score only through an adjustment row, every write on
//! the audit chain, and the per-clerk figures and violations the scoring reads.

on_both!(in suite:
    schemes_keep_every_version_and_are_audited,
    a_frozen_score_changes_only_through_an_adjustment,
    a_clerks_figures_and_violations_are_theirs,
);

mod suite {
    use crate::fixture::{Fixture, MIN, T0, fixture, issue_req, op};
    use servicehall_domain::Role;
    use servicehall_domain::insight::observation::{ObservationItem, ObserverKind, Verdict};
    use servicehall_store::*;

    async fn region(s: &SqlStore, f: &Fixture) -> i64 {
        let r = s
            .save_region(
                None,
                &RegionInput {
                    code: "LN-DL".into(),
                    name_zh: "大连".into(),
                    name_en: "Dalian".into(),
                    parent_id: None,
                },
            )
            .await
            .unwrap();
        s.set_hall_region(f.hall.id, Some(r.id)).await.unwrap();
        r.id
    }

    fn kinds(records: &[AuditRecord]) -> Vec<&str> {
        records.iter().map(|r| r.kind.as_str()).collect()
    }

    pub async fn schemes_keep_every_version_and_are_audited(s: SqlStore) {
        let f = fixture(&s).await;
        let r = region(&s, &f).await;
        let new = |month: i64, body: &str| NewScheme {
            region_id: r,
            level: "hall".into(),
            effective_month: month,
            scheme: body.into(),
            set_by: Some(f.clerks[0].id),
            summary: format!("满意率 satisfaction {body}"),
        };
        s.set_scorecard_scheme(new(202601, "v1"), T0).await.unwrap();
        s.set_scorecard_scheme(new(202602, "v2"), T0 + MIN)
            .await
            .unwrap();
        // A second change before February starts replaces February's version only.
        let again = s
            .set_scorecard_scheme(new(202602, "v2b"), T0 + 2 * MIN)
            .await
            .unwrap();
        assert_eq!((again.scheme.as_str(), again.set_at), ("v2b", T0 + 2 * MIN));
        let all = s.scorecard_schemes(r, "hall").await.unwrap();
        let seen: Vec<(i64, &str)> = all
            .iter()
            .map(|v| (v.effective_month, v.scheme.as_str()))
            .collect();
        assert_eq!(seen, [(202602, "v2b"), (202601, "v1")]);
        assert!(s.scorecard_schemes(r, "clerk").await.unwrap().is_empty());
        let recs = s.audit_records(None, 10).await.unwrap();
        let schemes: Vec<&AuditRecord> = recs
            .iter()
            .filter(|x| x.kind == "scorecard.scheme")
            .collect();
        assert_eq!(schemes.len(), 3, "{:?}", kinds(&recs));
        assert!(schemes.iter().any(|x| x.subject.contains("2026-02")));
    }

    pub async fn a_frozen_score_changes_only_through_an_adjustment(s: SqlStore) {
        let f = fixture(&s).await;
        let r = region(&s, &f).await;
        let h = f.hall.id;
        let appeal = |month: i64| NewAppeal {
            hall_id: h,
            month,
            reason: "3月5日观察记录中的违规系顾客插队所致".into(),
            evidence: "观察 #12，监控截图".into(),
            filed_by: Some(f.clerks[0].id),
        };
        // Not frozen yet: nothing to appeal.
        let e = s.file_appeal(appeal(202603), T0).await.unwrap_err();
        assert!(
            matches!(e, StoreError::Invalid(ref m) if m.contains("尚未冻结")),
            "{e}"
        );
        let freeze = NewFreeze {
            region_id: r,
            month: 202603,
            frozen_by: None,
            scores: vec![FrozenInput {
                hall_id: h,
                total_tenths: Some(862),
                detail: "{\"lines\":[]}".into(),
            }],
        };
        s.freeze_scorecards(freeze.clone(), T0).await.unwrap();
        let e = s.freeze_scorecards(freeze, T0 + MIN).await.unwrap_err();
        assert!(
            matches!(e, StoreError::Conflict(ref m) if m.contains("已经冻结")),
            "{e}"
        );
        assert!(s.scorecard_freeze(r, 202603).await.unwrap().is_some());
        assert!(s.scorecard_freeze(r, 202602).await.unwrap().is_none());

        let a = s.file_appeal(appeal(202603), T0 + MIN).await.unwrap();
        assert_eq!(a.state, "pending");
        let e = s
            .file_appeal(appeal(202603), T0 + 2 * MIN)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e}");
        let decided = s
            .decide_appeal(
                AppealDecision {
                    id: a.id,
                    accept: true,
                    points_tenths: 35,
                    reason: "监控证实顾客插队，撤销该项扣分".into(),
                    decided_by: None,
                },
                T0 + 3 * MIN,
            )
            .await
            .unwrap();
        assert_eq!(
            (decided.state.as_str(), decided.points_tenths),
            ("accepted", Some(35))
        );
        let again = AppealDecision {
            id: a.id,
            accept: false,
            points_tenths: 0,
            reason: "再次裁定".into(),
            decided_by: None,
        };
        assert!(matches!(
            s.decide_appeal(again, T0 + 4 * MIN).await.unwrap_err(),
            StoreError::Conflict(_)
        ));
        // A second appeal, rejected: no adjustment.
        let b = s.file_appeal(appeal(202603), T0 + 5 * MIN).await.unwrap();
        let rejected = s
            .decide_appeal(
                AppealDecision {
                    id: b.id,
                    accept: false,
                    points_tenths: 0,
                    reason: "证据不足".into(),
                    decided_by: None,
                },
                T0 + 6 * MIN,
            )
            .await
            .unwrap();
        assert_eq!(
            (rejected.state.as_str(), rejected.points_tenths),
            ("rejected", None)
        );
        // The frozen score itself never moved; the one adjustment carries the change.
        let frozen = s.frozen_scores(&[h], 202603).await.unwrap();
        assert_eq!(frozen[0].total_tenths, Some(862));
        let adj = s.scorecard_adjustments(&[h], 202603).await.unwrap();
        assert_eq!(adj.len(), 1);
        assert_eq!((adj[0].points_tenths, adj[0].appeal_id), (35, Some(a.id)));
        assert!(
            s.scorecard_adjustments(&[h], 202602)
                .await
                .unwrap()
                .is_empty()
        );
        let list = s.appeals(&[h]).await.unwrap();
        assert_eq!(list.iter().map(|x| x.id).collect::<Vec<_>>(), [b.id, a.id]);
        assert!(s.appeals(&[]).await.unwrap().is_empty());
        let recs = s.audit_records(Some(h), 20).await.unwrap();
        let k = kinds(&recs);
        for want in [
            "scorecard.frozen",
            "scorecard.appeal",
            "scorecard.adjustment",
            "scorecard.appeal_rejected",
        ] {
            assert!(k.contains(&want), "{want} missing from {k:?}");
        }
    }

    pub async fn a_clerks_figures_and_violations_are_theirs(s: SqlStore) {
        let f = fixture(&s).await;
        // Clerk 1 at counter 1 serves one visit for 5 minutes, rated 5, and calls a no-show.
        let c = f.counters[1].id;
        let t = s.issue_ticket(&issue_req(&f, 1, "p1"), T0).await.unwrap();
        let late = s.issue_ticket(&issue_req(&f, 1, "p2"), T0).await.unwrap();
        let called = s
            .call_next(c, Some(f.clerks[1].id), T0 + MIN)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(called.id, t.id);
        s.act_on_ticket(t.id, &TicketCommand::Start, op(&f, 1), T0 + MIN)
            .await
            .unwrap();
        s.act_on_ticket(
            t.id,
            &TicketCommand::Finish {
                read_back: None,
                outcome: servicehall_domain::catalogue::VisitOutcome::Completed,
            },
            op(&f, 1),
            T0 + 6 * MIN,
        )
        .await
        .unwrap();
        s.rate(t.id, c, None, 5, &[], 10 * MIN, T0 + 7 * MIN)
            .await
            .unwrap();
        let n = s
            .call_next(c, Some(f.clerks[1].id), T0 + 8 * MIN)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(n.id, late.id);
        s.act_on_ticket(late.id, &TicketCommand::NoShow, op(&f, 1), T0 + 10 * MIN)
            .await
            .unwrap();
        let sup = s
            .create_staff(
                &StaffInput {
                    hall_id: None,
                    username: "sup".into(),
                    name: "督查甲".into(),
                    badge_no: "S001".into(),
                    role: Role::Supervisor,
                    photo: String::new(),
                    active: true,
                },
                "x",
            )
            .await
            .unwrap();
        let item = |code: &str, v: Verdict, note: &str| ObservationItem {
            code: code.into(),
            verdict: v,
            note: note.into(),
            touchpoints: vec![],
        };
        let obs = s
            .record_observation(
                &ObservationInput {
                    hall_id: f.hall.id,
                    counter_id: Some(c),
                    staff_id: Some(f.clerks[1].id),
                    observer_id: sup.id,
                    observer_kind: ObserverKind::MysteryShopper,
                    observed_at: T0 + 20 * MIN,
                    note: "暗访".into(),
                    evidence: "未起身迎客".into(),
                    photo_ref: String::new(),
                    photo: None,
                    items: vec![
                        item("greet_farewell", Verdict::NotMet, "未起身迎客"),
                        item("grooming", Verdict::Met, ""),
                    ],
                },
                T0 + 20 * MIN,
            )
            .await
            .unwrap();
        let (from, to) = (T0 - 60 * MIN, T0 + 60 * MIN);
        let me = Personal::Staff(f.clerks[1].id);
        let figs = s
            .scorecard_personal_figures(f.hall.id, me, from, to)
            .await
            .unwrap();
        let get = |k: &str| {
            figs.iter()
                .find(|x| x.indicator == k)
                .map(|x| (x.num, x.den))
        };
        assert_eq!(get("served"), Some((1, 1)), "{figs:?}");
        assert_eq!(get("handling_mean"), Some((5 * MIN, 1)));
        assert_eq!(get("no_show_rate"), Some((1, 2)));
        assert_eq!(get("observation_score"), Some((500, 1)));
        let by_counter = s
            .scorecard_personal_figures(f.hall.id, Personal::Counter(c), from, to)
            .await
            .unwrap();
        assert!(
            by_counter
                .iter()
                .any(|x| x.indicator == "satisfaction" && x.den == 1)
        );
        // Another clerk has none of it.
        let other = Personal::Staff(f.clerks[2].id);
        let none = s
            .scorecard_personal_figures(f.hall.id, other, from, to)
            .await
            .unwrap();
        assert!(none.is_empty(), "{none:?}");
        let v = s
            .scorecard_violations(&[f.hall.id], me, from, to)
            .await
            .unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(
            (v[0].observation_id, v[0].code.as_str()),
            (obs.id, "greet_farewell")
        );
        assert!(
            s.scorecard_violations(&[f.hall.id], other, from, to)
                .await
                .unwrap()
                .is_empty()
        );
        let hall = s
            .scorecard_violations(&[f.hall.id], Personal::Hall, from, to)
            .await
            .unwrap();
        assert_eq!(hall.len(), 1);
        assert!(
            s.scorecard_violations(&[f.hall.id], Personal::Hall, to, to + MIN)
                .await
                .unwrap()
                .is_empty()
        );
    }
}
