//! The risk register and its KRIs on both backends: scoring and review by the hall's matrix,
//! acceptance rules, the audited history, and a KRI counted from recorded anti-gaming flags
//! and bad ratings that crosses its threshold, raises its risk and tells the owner.

on_both!(in suite:
    the_register_scores_reviews_and_keeps_history,
    a_kri_crossing_raises_its_risk_and_tells_the_owner,
);

pub(crate) mod suite {
    use crate::fixture::{fixture, staff_input};
    use chrono::NaiveDate;
    use servicehall_domain::Role;
    use servicehall_domain::risks::kri::{KriState, Measure};
    use servicehall_domain::risks::sample::thresholds;
    use servicehall_domain::risks::{Category, Control, Matrix, Rating, Treatment};
    use servicehall_store::*;

    // 2026-06-15 10:00 Asia/Shanghai.
    const NOW: i64 = 1_781_488_800_000;
    const DAY: i64 = 86_400_000;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    pub(crate) fn input(owner: i64) -> RiskInput {
        RiskInput {
            code: "R01".into(),
            title: "乱收费".into(),
            category: Category::BillingError,
            cause: "收费标准未更新".into(),
            event: "多收客户费用".into(),
            consequence: "投诉与退费".into(),
            owner_id: owner,
            inherent: Rating {
                likelihood: 4,
                impact: 5,
            },
            residual: Rating {
                likelihood: 3,
                impact: 4,
            },
            controls: vec![Control {
                text: "唱收唱付复核".into(),
                owner: "柜员".into(),
                last_tested: Some(d("2026-06-01")),
                test_every_days: 30,
            }],
            treatment: Treatment::Reduce,
            accept_until: None,
            reviewed: false,
            sample: false,
        }
    }

    async fn people(s: &SqlStore, hall: i64) -> (Staff, Staff) {
        let mut m = staff_input(hall, "mgr", "900");
        m.role = Role::HallManager;
        let manager = s.create_staff(&m, "x").await.unwrap();
        let mut sv = staff_input(hall, "sup", "901");
        sv.hall_id = None;
        sv.role = Role::Supervisor;
        let supervisor = s.create_staff(&sv, "x").await.unwrap();
        (manager, supervisor)
    }

    pub async fn the_register_scores_reviews_and_keeps_history(s: SqlStore) {
        let f = fixture(&s).await;
        let (manager, supervisor) = people(&s, f.hall.id).await;
        let by_manager = RiskActor {
            staff_id: Some(manager.id),
            role: Role::HallManager,
        };
        let by_supervisor = RiskActor {
            staff_id: Some(supervisor.id),
            role: Role::Supervisor,
        };
        let r = s
            .create_risk(f.hall.id, &input(manager.id), by_manager, NOW)
            .await
            .unwrap();
        // 3 × 4 = 12 is high: reviewed quarterly from today.
        assert_eq!(r.last_reviewed, d("2026-06-15"));
        assert_eq!(r.next_review, d("2026-09-13"));
        assert_eq!(r.controls.len(), 1);
        assert_eq!(r.owner_role, Role::HallManager);
        assert_eq!(s.get(r.id).await.unwrap(), r);

        // The same code twice is refused; residual above inherent is refused.
        let dup = s
            .create_risk(f.hall.id, &input(manager.id), by_manager, NOW)
            .await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
        let mut worse = input(manager.id);
        worse.code = "R02".into();
        worse.residual = Rating {
            likelihood: 5,
            impact: 5,
        };
        assert!(matches!(
            s.create_risk(f.hall.id, &worse, by_manager, NOW).await,
            Err(StoreError::Invalid(_))
        ));

        // The manager owns it, so cannot accept it; the supervisor can, until a date.
        let mut accept = input(manager.id);
        accept.treatment = Treatment::Accept;
        accept.accept_until = Some(d("2026-12-31"));
        let refused = s.update_risk(r.id, &accept, by_manager, NOW + DAY).await;
        assert!(
            matches!(refused, Err(StoreError::Invalid(ref m)) if m.starts_with("接受风险须由高于")),
            "{refused:?}"
        );
        let accepted = s
            .update_risk(r.id, &accept, by_supervisor, NOW + DAY)
            .await
            .unwrap();
        assert_eq!(accepted.accepted_by, Some(supervisor.id));
        assert_eq!(accepted.accepted_until, Some(d("2026-12-31")));
        // The manager may still edit the words; the acceptance stands.
        let mut edit = accept.clone();
        edit.consequence = "投诉、退费与处罚".into();
        let edited = s
            .update_risk(r.id, &edit, by_manager, NOW + 2 * DAY)
            .await
            .unwrap();
        assert_eq!(edited.accepted_by, Some(supervisor.id));

        // Lowering the residual score moves the review by the new band (medium: 180 days).
        let mut lower = edit.clone();
        lower.residual = Rating {
            likelihood: 2,
            impact: 3,
        };
        let lowered = s
            .update_risk(r.id, &lower, by_manager, NOW + 3 * DAY)
            .await
            .unwrap();
        assert_eq!(lowered.next_review, d("2026-12-12"));

        let h = s.risk_changes(r.id).await.unwrap();
        assert_eq!(h.len(), 4);
        assert_eq!(h[0].summary, "登记 registered");
        assert!(
            h[1].summary.contains("应对：降低 → 接受"),
            "{}",
            h[1].summary
        );
        assert_eq!(h[1].by_name.as_deref(), Some(supervisor.name.as_str()));
        assert!(h[2].summary.contains("后果"), "{}", h[2].summary);
        assert_eq!((h[2].residual_score, h[3].residual_score), (12, 6));

        // A hall's own matrix: a 3×3 with two bands changes the band and cadence.
        let mut m = Matrix {
            size: 3,
            ..Matrix::default()
        };
        m.bands.truncate(2);
        m.bands[1].min_score = 4;
        m.bands[1].review_days = 10;
        s.set_risk_matrix(f.hall.id, &m, Some(manager.id), NOW)
            .await
            .unwrap();
        assert_eq!(s.risk_matrix(f.hall.id).await.unwrap(), m);
        let mut reviewed = lower.clone();
        reviewed.reviewed = true;
        // 4 × 5 no longer fits a 3×3 matrix.
        assert!(matches!(
            s.update_risk(r.id, &reviewed, by_manager, NOW + 4 * DAY)
                .await,
            Err(StoreError::Invalid(_))
        ));
        reviewed.inherent = Rating {
            likelihood: 3,
            impact: 3,
        };
        reviewed.residual = Rating {
            likelihood: 2,
            impact: 2,
        };
        let r2 = s
            .update_risk(r.id, &reviewed, by_manager, NOW + 4 * DAY)
            .await
            .unwrap();
        assert_eq!(
            (r2.last_reviewed, r2.next_review),
            (d("2026-06-19"), d("2026-06-29"))
        );
        m.size = 12;
        assert!(s.set_risk_matrix(f.hall.id, &m, None, NOW).await.is_err());
        assert_eq!(s.risks(f.hall.id).await.unwrap().len(), 1);
    }

    async fn flag(s: &SqlStore, hall: i64, subject: i64, at: i64) {
        sqlx::query(
            "INSERT INTO gaming_flags (hall_id, kind, subject_type, subject_id, summary_zh, figures, tickets, last_ticket_id, first_seen_at, last_seen_at) \
             VALUES ($1, 'burst', 'counter', $2, '连续好评', '{}', '[]', 0, $3, $3)",
        )
        .bind(hall)
        .bind(subject)
        .bind(at)
        .execute(s.pool())
        .await
        .unwrap();
    }

    pub async fn a_kri_crossing_raises_its_risk_and_tells_the_owner(s: SqlStore) {
        let f = fixture(&s).await;
        let (manager, _) = people(&s, f.hall.id).await;
        let by = RiskActor {
            staff_id: Some(manager.id),
            role: Role::HallManager,
        };
        let r = s
            .create_risk(f.hall.id, &input(manager.id), by, NOW - 10 * DAY)
            .await
            .unwrap();
        let k = s
            .save_kri(
                f.hall.id,
                &KriInput {
                    risk_id: r.id,
                    measure: Measure::GamingFlags,
                    thresholds: thresholds(1, 3),
                    target_minutes: 20,
                },
            )
            .await
            .unwrap();
        assert_eq!((k.state, k.value, k.day), (KriState::Green, 0, None));
        // Bad thresholds are refused.
        let bad = KriInput {
            risk_id: r.id,
            measure: Measure::NoShows,
            thresholds: thresholds(5, 2),
            target_minutes: 20,
        };
        assert!(matches!(
            s.save_kri(f.hall.id, &bad).await,
            Err(StoreError::Invalid(_))
        ));

        // A quiet day: green, no notice.
        assert!(
            s.refresh_kris(Some(f.hall.id), NOW - 2 * DAY)
                .await
                .unwrap()
                .is_empty()
        );
        // One flag yesterday (amber), then two more today (3 in 7 days: red).
        flag(&s, f.hall.id, 1, NOW - DAY).await;
        let n = s.refresh_kris(Some(f.hall.id), NOW - DAY).await.unwrap();
        assert_eq!(n.len(), 1);
        assert_eq!(
            (n[0].state, n[0].value, n[0].owner_id),
            (KriState::Amber, 1, manager.id)
        );
        // Counting again the same day does not notify twice.
        assert!(
            s.refresh_kris(None, NOW - DAY + 60_000)
                .await
                .unwrap()
                .is_empty()
        );
        flag(&s, f.hall.id, 2, NOW - 3_600_000).await;
        flag(&s, f.hall.id, 3, NOW - 1_800_000).await;
        // A flag from another hall's ten-day-old past is outside the window.
        flag(&s, f.hall.id, 4, NOW - 9 * DAY).await;
        let n = s.refresh_kris(Some(f.hall.id), NOW).await.unwrap();
        assert_eq!(n.len(), 1);
        assert_eq!((n[0].state, n[0].value), (KriState::Red, 3));

        let k = s.kris(f.hall.id).await.unwrap().remove(0);
        assert_eq!((k.state, k.value, k.previous), (KriState::Red, 3, Some(1)));
        assert_eq!(k.day, Some(d("2026-06-15")));
        let hist = s.kri_history(k.id, 30, NOW).await.unwrap();
        let values: Vec<i64> = hist.iter().map(|p| p.value).collect();
        assert_eq!(values, vec![0, 1, 3]);

        // The risk's review is due since the first crossing, with the latest reason, and
        // the history says so.
        let raised = s.get(r.id).await.unwrap();
        assert_eq!(raised.next_review, d("2026-06-14"));
        assert!(
            raised.review_reason.starts_with("评价异常超限 3"),
            "{}",
            raised.review_reason
        );
        let h = s.risk_changes(r.id).await.unwrap();
        assert!(h.last().unwrap().summary.starts_with("触发复核"));
        assert_eq!(h.last().unwrap().by_name, None);

        // The owner sees both notices until the risk is reviewed.
        assert_eq!(
            s.risk_notices(None, Some(manager.id)).await.unwrap().len(),
            2
        );
        assert_eq!(
            s.risk_notices(Some(f.hall.id), None).await.unwrap().len(),
            2
        );
        assert!(
            s.risk_notices(None, Some(f.clerks[0].id))
                .await
                .unwrap()
                .is_empty()
        );
        let mut review = input(manager.id);
        review.reviewed = true;
        let done = s
            .update_risk(r.id, &review, by, NOW + 60_000)
            .await
            .unwrap();
        assert_eq!(done.review_reason, "");
        assert_eq!(done.next_review, d("2026-09-13"));
        assert!(
            s.risk_notices(None, Some(manager.id))
                .await
                .unwrap()
                .is_empty()
        );
    }
}
