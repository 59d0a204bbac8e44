//! Checklists and inspections on both backends: versions that never rewrite the past, a run
//! to a score, and the refusals on the way.

on_both!(in suite:
    template_versions_leave_past_inspections_alone,
    an_inspection_runs_to_its_score_once,
);

mod suite {
    use crate::fixture::{fixture, hall_input};
    use servicehall_domain::inspections::Outcome;
    use servicehall_domain::inspections::shipped::shipped;
    use servicehall_store::*;

    const NOW: i64 = 1_780_000_000_000;

    pub async fn template_versions_leave_past_inspections_alone(s: SqlStore) {
        let f = fixture(&s).await;
        let other = s.create_hall(&hall_input("SY-TX")).await.unwrap();
        let all = shipped().unwrap();
        assert_eq!(s.install_inspection_templates(&all, NOW).await.unwrap(), 6);
        // Installing again at the next start writes nothing.
        assert_eq!(s.install_inspection_templates(&all, NOW).await.unwrap(), 0);
        let list = s.inspection_templates(f.hall.id).await.unwrap();
        assert_eq!(list.len(), 6);
        let opening = list
            .iter()
            .find(|t| t.template.code == "opening")
            .unwrap()
            .clone();
        assert_eq!((opening.version, opening.hall_id), (1, None));

        let started = s
            .start_inspection(
                &InspectionStart {
                    hall_id: f.hall.id,
                    template_id: opening.id,
                    subject_staff_id: None,
                    inspector_id: f.clerks[1].id,
                },
                NOW,
            )
            .await
            .unwrap();

        // The hall writes version 2: floor_clean now weighs 10 and lights_ac is gone.
        let mut v2 = opening.template.clone();
        v2.sections[1].items[1].weight = 10;
        v2.sections[1].items.remove(0);
        let saved = s
            .save_inspection_template(Some(f.hall.id), &v2, Some(f.clerks[1].id), NOW + 1)
            .await
            .unwrap();
        assert_eq!((saved.version, saved.hall_id), (2, Some(f.hall.id)));
        let mine = s.inspection_templates(f.hall.id).await.unwrap();
        let now_opening = mine.iter().find(|t| t.template.code == "opening").unwrap();
        assert_eq!(now_opening.id, saved.id);
        // Another hall still sees the company-wide version 1 and cannot use this hall's.
        let theirs = s.inspection_templates(other.id).await.unwrap();
        assert_eq!(
            theirs
                .iter()
                .find(|t| t.template.code == "opening")
                .unwrap()
                .id,
            opening.id
        );
        let e = s
            .start_inspection(
                &InspectionStart {
                    hall_id: other.id,
                    template_id: saved.id,
                    subject_staff_id: None,
                    inspector_id: f.clerks[1].id,
                },
                NOW,
            )
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::NotFound(_)), "{e}");

        // The inspection begun on version 1 is scored by version 1: lights_ac still counts
        // and floor_clean weighs 2. 17 of 17; floor fails → 15/17 = 88.2.
        for (_, item) in opening.template.items() {
            let o = if item.key == "floor_clean" {
                Outcome::Fail
            } else {
                Outcome::Pass
            };
            s.record_inspection_item(started.id, &item.key, o, "地面有水渍", NOW + 2)
                .await
                .unwrap();
        }
        let done = s.submit_inspection(started.id, NOW + 3).await.unwrap();
        assert_eq!(done.template_version, 1);
        assert_eq!(done.results.len(), 9);
        assert_eq!(done.score_tenths, Some(882));
        assert_eq!(done.passed, Some(false));
        // A bad template is refused with a bilingual reason and writes nothing.
        let mut bad = v2.clone();
        bad.pass_threshold = 101;
        let e = s
            .save_inspection_template(Some(f.hall.id), &bad, None, NOW)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("合格线") && e.to_string().contains("threshold"));
        assert_eq!(
            s.inspection_template(saved.id).await.unwrap().template,
            v2,
            "version 2 unchanged"
        );
    }

    pub async fn an_inspection_runs_to_its_score_once(s: SqlStore) {
        let f = fixture(&s).await;
        s.install_inspection_templates(&shipped().unwrap(), NOW)
            .await
            .unwrap();
        let list = s.inspection_templates(f.hall.id).await.unwrap();
        let grooming = list
            .iter()
            .find(|t| t.template.code == "pre_shift_grooming")
            .unwrap();
        let start = |staff: Option<i64>| InspectionStart {
            hall_id: f.hall.id,
            template_id: grooming.id,
            subject_staff_id: staff,
            inspector_id: f.clerks[2].id,
        };
        // A per-person check needs its person.
        let e = s.start_inspection(&start(None), NOW).await.unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e}");
        let i = s
            .start_inspection(&start(Some(f.clerks[0].id)), NOW)
            .await
            .unwrap();
        assert_eq!(i.subject_name.as_deref(), Some(f.clerks[0].name.as_str()));
        assert!(i.submitted_at.is_none());

        let e = s
            .record_inspection_item(i.id, "no_such_item", Outcome::Pass, "", NOW)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e}");
        for (_, item) in grooming.template.items() {
            let o = if item.key == "badge" {
                Outcome::Fail
            } else {
                Outcome::Pass
            };
            s.record_inspection_item(i.id, &item.key, o, "", NOW + 1)
                .await
                .unwrap();
        }
        // The badge failed without its note: refused, naming the item, nothing closed.
        let e = s.submit_inspection(i.id, NOW + 2).await.unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e}");
        assert!(e.to_string().contains("工号牌"), "{e}");
        assert!(s.inspection(i.id).await.unwrap().submitted_at.is_none());
        // Changing a result replaces it.
        s.record_inspection_item(i.id, "badge", Outcome::Fail, "  工号牌未佩戴 ", NOW + 3)
            .await
            .unwrap();
        let done = s.submit_inspection(i.id, NOW + 4).await.unwrap();
        // 13 of 16 (badge weighs 3) = 81.25 → 81.3, and badge is critical.
        assert_eq!(done.score_tenths, Some(813));
        assert_eq!(done.passed, Some(false));
        assert_eq!(done.submitted_at, Some(NOW + 4));
        let badge = done.results.iter().find(|r| r.key == "badge").unwrap();
        assert_eq!(
            (badge.outcome, badge.note.as_str()),
            (Outcome::Fail, "工号牌未佩戴")
        );
        assert_eq!(done.results[0].key, "uniform", "template order");

        // Submitted is final.
        let e = s.submit_inspection(i.id, NOW + 5).await.unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e}");
        let e = s
            .record_inspection_item(i.id, "badge", Outcome::Pass, "", NOW + 5)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e}");

        let listed = s.inspections(f.hall.id, NOW - 1, 10).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].score_tenths, Some(813));
        assert!(
            s.inspections(f.hall.id, NOW + 1, 10)
                .await
                .unwrap()
                .is_empty()
        );
    }
}
