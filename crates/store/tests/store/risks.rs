//! The risk register and its KRIs on both backends: scoring and review by the hall's matrix,
//! acceptance rules, the audited history, and a KRI counted from recorded anti-gaming flags
//! and bad ratings that crosses its threshold, raises its risk and tells the owner; the
//! missed-site-checks KRI counted from the schedule, the checks and the counters opened.

on_both!(in suite:
    the_register_scores_reviews_and_keeps_history,
    a_kri_crossing_raises_its_risk_and_tells_the_owner,
    the_missed_site_checks_kri_counts_the_schedules_misses,
);

pub(crate) mod suite {
    use crate::fixture::{fixture, staff_input};
    use chrono::NaiveDate;
    use servicehall_domain::Role;
    use servicehall_domain::inspections::Outcome;
    use servicehall_domain::inspections::shipped::shipped;
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
        // It cannot hold the register's 4 × 5: re-rate first.
        let e = s
            .set_risk_matrix(f.hall.id, &m, Some(manager.id), NOW)
            .await
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Invalid(_)) && e.to_string().contains("3×3"),
            "{e}"
        );
        let mut fit = lower.clone();
        fit.inherent = Rating {
            likelihood: 3,
            impact: 3,
        };
        fit.residual = Rating {
            likelihood: 2,
            impact: 2,
        };
        s.update_risk(r.id, &fit, by_manager, NOW + 3 * DAY + 60_000)
            .await
            .unwrap();
        s.set_risk_matrix(f.hall.id, &m, Some(manager.id), NOW)
            .await
            .unwrap();
        assert_eq!(s.risk_matrix(f.hall.id).await.unwrap(), m);
        // Audited band by band: the size, the second band moved, the two dropped.
        let audit = s.settings_audit(Some(f.hall.id), 20).await.unwrap();
        let named: Vec<(&str, &str, &str)> = audit
            .iter()
            .filter(|c| c.setting.starts_with("risk_matrix."))
            .map(|c| {
                (
                    c.setting.as_str(),
                    c.old_value.as_str(),
                    c.new_value.as_str(),
                )
            })
            .collect();
        assert!(
            named.contains(&("risk_matrix.size", "5×5", "3×3")),
            "{named:?}"
        );
        assert!(
            named.contains(&(
                "risk_matrix.band2",
                "中 Medium 5–9 #fff1b8 180d",
                "中 Medium 4–9 #fff1b8 10d"
            )),
            "{named:?}"
        );
        assert!(
            named
                .iter()
                .any(|c| c.0 == "risk_matrix.band4" && c.2.is_empty())
        );
        assert!(audit.iter().all(|c| c.by_staff == Some(manager.id)));
        let mut reviewed = fit.clone();
        reviewed.reviewed = true;
        // 4 × 5 no longer fits a 3×3 matrix.
        let mut outside = reviewed.clone();
        outside.inherent = Rating {
            likelihood: 4,
            impact: 5,
        };
        assert!(matches!(
            s.update_risk(r.id, &outside, by_manager, NOW + 4 * DAY)
                .await,
            Err(StoreError::Invalid(_))
        ));
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

    /// Submits a check of `code` at `at`, every item passed.
    async fn check(s: &SqlStore, hall: i64, code: &str, subject: Option<i64>, by: i64, at: i64) {
        let list = s.inspection_templates(hall).await.unwrap();
        let t = list.iter().find(|t| t.template.code == code).unwrap();
        let i = s
            .start_inspection(
                &InspectionStart {
                    hall_id: hall,
                    template_id: t.id,
                    subject_staff_id: subject,
                    inspector_id: by,
                },
                at,
            )
            .await
            .unwrap();
        for (_, item) in t.template.items() {
            s.record_inspection_item(i.id, &item.key, Outcome::Pass, "", at)
                .await
                .unwrap();
        }
        s.submit_inspection(i.id, at).await.unwrap();
    }

    pub async fn the_missed_site_checks_kri_counts_the_schedules_misses(s: SqlStore) {
        let f = fixture(&s).await;
        s.install_inspection_templates(&shipped().unwrap(), NOW - 30 * DAY)
            .await
            .unwrap();
        let (manager, _) = people(&s, f.hall.id).await;
        let by = RiskActor {
            staff_id: Some(manager.id),
            role: Role::HallManager,
        };
        let mut conduct = input(manager.id);
        conduct.code = "R09".into();
        conduct.category = Category::ServiceConduct;
        let r = s
            .create_risk(f.hall.id, &conduct, by, NOW - 10 * DAY)
            .await
            .unwrap();
        s.save_kri(
            f.hall.id,
            &KriInput {
                risk_id: r.id,
                measure: Measure::MissedChecks,
                thresholds: thresholds(3, 5),
                target_minutes: 20,
            },
        )
        .await
        .unwrap();
        const H: i64 = 3_600_000;
        const M: i64 = 60_000;
        // NOW is 10:00; yesterday's midnight is 34 hours before.
        let yesterday = NOW - 34 * H;
        let today = NOW - 10 * H;
        // The day before yesterday the hall was closed: nothing recorded, nothing missed.
        assert!(
            s.refresh_kris(Some(f.hall.id), NOW - 2 * DAY)
                .await
                .unwrap()
                .is_empty()
        );
        // Yesterday: the opening check done at 08:20; clerk 1 opened at 08:40 unchecked,
        // clerk 2 was checked at 08:05 and opened at 08:30, clerk 3 was off. Midday and
        // closing never done: 3 missed by the end of the day.
        let (c1, c2) = (f.clerks[0].id, f.clerks[1].id);
        check(
            &s,
            f.hall.id,
            "opening",
            None,
            manager.id,
            yesterday + 8 * H + 20 * M,
        )
        .await;
        check(
            &s,
            f.hall.id,
            "pre_shift_grooming",
            Some(c2),
            manager.id,
            yesterday + 8 * H + 5 * M,
        )
        .await;
        s.open_counter(f.counters[0].id, c1, yesterday + 8 * H + 40 * M)
            .await
            .unwrap();
        s.close_counter(f.counters[0].id, yesterday + 12 * H)
            .await
            .unwrap();
        s.open_counter(f.counters[1].id, c2, yesterday + 8 * H + 30 * M)
            .await
            .unwrap();
        s.close_counter(f.counters[1].id, yesterday + 12 * H)
            .await
            .unwrap();
        let n = s
            .refresh_kris(Some(f.hall.id), NOW - DAY + 13 * H)
            .await
            .unwrap();
        assert_eq!((n.len(), n[0].state, n[0].value), (1, KriState::Amber, 3));
        // Today at 10:00: clerk 2 opened at 08:35 unchecked (missed since 09:00) and the
        // opening check was not done; midday is still upcoming. 3 + 2 in the window: red.
        s.open_counter(f.counters[1].id, c2, today + 8 * H + 35 * M)
            .await
            .unwrap();
        let n = s.refresh_kris(Some(f.hall.id), NOW).await.unwrap();
        assert_eq!((n.len(), n[0].state, n[0].value), (1, KriState::Red, 5));
        let k = s.kris(f.hall.id).await.unwrap().remove(0);
        let hist = s.kri_history(k.id, 3, NOW).await.unwrap();
        let values: Vec<i64> = hist.iter().map(|p| p.value).collect();
        assert_eq!(values, vec![0, 3, 5]);
        assert!(
            s.get(r.id)
                .await
                .unwrap()
                .review_reason
                .starts_with("漏检现场检查超限 5")
        );
    }
}
