//! The layout map on both backends: versions that leave past walks alone, a walk to its
//! score with the findings kept, refusals, and reference photos.

on_both!(in suite:
    layout_versions_leave_past_walks_alone,
    a_walk_records_findings_and_scores_as_an_inspection,
    reference_photos_are_kept_per_item,
);

mod suite {
    use crate::fixture::{fixture, hall_input};
    use servicehall_domain::inspections::Outcome;
    use servicehall_domain::layout_map::sample;
    use servicehall_domain::layout_map::walk::Finding;
    use servicehall_store::*;

    const NOW: i64 = 1_780_000_000_000;

    fn finding(item: &str, finding: Finding, counted: Option<i64>) -> FindingInput {
        FindingInput {
            item: item.into(),
            finding,
            counted,
            note: String::new(),
        }
    }

    pub async fn layout_versions_leave_past_walks_alone(s: SqlStore) {
        let f = fixture(&s).await;
        let other = s.create_hall(&hall_input("SY-TX")).await.unwrap();
        assert!(s.layout_map(f.hall.id).await.unwrap().is_none());
        // No plan yet: a walk is refused with what to do.
        let e = s
            .start_layout_walk(f.hall.id, f.clerks[0].id, NOW)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("尚未绘制定置图"), "{e}");

        let v1 = s
            .save_layout_map(f.hall.id, &sample(), Some(f.clerks[0].id), NOW)
            .await
            .unwrap();
        assert_eq!(v1.version, 1);
        let walk = s
            .start_layout_walk(f.hall.id, f.clerks[0].id, NOW + 1)
            .await
            .unwrap();
        assert_eq!(walk.layout.id, v1.id);
        assert_eq!(walk.inspection.template_code, "layout_map");

        // Version 2 drops the umbrellas; the past walk still shows version 1.
        let mut l2 = sample();
        l2.items.retain(|i| i.code != "umbrellas");
        let v2 = s
            .save_layout_map(f.hall.id, &l2, None, NOW + 2)
            .await
            .unwrap();
        assert_eq!(v2.version, 2);
        assert_eq!(s.layout_map(f.hall.id).await.unwrap().unwrap().id, v2.id);
        let past = s.layout_walk(walk.inspection.id).await.unwrap();
        assert_eq!(past.layout.version, 1);
        assert!(past.layout.layout.item("umbrellas").is_some());
        // A new walk runs on version 2 with a new checklist version; the same plan reuses it.
        let w2 = s
            .start_layout_walk(f.hall.id, f.clerks[0].id, NOW + 3)
            .await
            .unwrap();
        assert_eq!(w2.layout.version, 2);
        assert_eq!(w2.inspection.template_version, 2);
        let w3 = s
            .start_layout_walk(f.hall.id, f.clerks[0].id, NOW + 4)
            .await
            .unwrap();
        assert_eq!(w3.inspection.template_id, w2.inspection.template_id);

        // A bad plan is refused naming what to fix; the other hall has its own versions.
        let mut bad = sample();
        bad.items[0].expected = -2;
        let e = s
            .save_layout_map(f.hall.id, &bad, None, NOW)
            .await
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Invalid(ref m) if m.contains("定额数量")),
            "{e}"
        );
        assert!(s.layout_map(other.id).await.unwrap().is_none());
        let o1 = s
            .save_layout_map(other.id, &sample(), None, NOW)
            .await
            .unwrap();
        assert_eq!(o1.version, 1);
        let listed = s.layout_walks(f.hall.id, 0, 10).await.unwrap();
        assert_eq!(listed.len(), 3);
        assert_eq!(listed[2].inspection.id, walk.inspection.id);
        assert!(s.layout_walks(other.id, 0, 10).await.unwrap().is_empty());
    }

    pub async fn a_walk_records_findings_and_scores_as_an_inspection(s: SqlStore) {
        let f = fixture(&s).await;
        let plan = sample();
        s.save_layout_map(f.hall.id, &plan, None, NOW)
            .await
            .unwrap();
        let walk = s
            .start_layout_walk(f.hall.id, f.clerks[1].id, NOW)
            .await
            .unwrap();
        let id = walk.inspection.id;
        for item in &plan.items {
            s.record_layout_finding(id, &finding(&item.code, Finding::InPlace, None), NOW + 1)
                .await
                .unwrap();
        }
        // Short needs a count below the expected 3; a wrong one is refused and changes nothing.
        let e = s
            .record_layout_finding(
                id,
                &finding("reading_glasses", Finding::Short, Some(3)),
                NOW,
            )
            .await
            .unwrap_err();
        assert!(e.to_string().contains("定额 3"), "{e}");
        let w = s
            .record_layout_finding(
                id,
                &finding("reading_glasses", Finding::Short, Some(1)),
                NOW + 2,
            )
            .await
            .unwrap();
        let glasses = w
            .findings
            .iter()
            .find(|f| f.item == "reading_glasses")
            .unwrap();
        assert_eq!(
            (glasses.finding, glasses.counted),
            (Finding::Short, Some(1))
        );
        let r = w
            .inspection
            .results
            .iter()
            .find(|r| r.key == "reading_glasses")
            .unwrap();
        assert_eq!(r.outcome, Outcome::Fail);
        assert_eq!(w.findings.len(), plan.items.len());
        let e = s
            .record_layout_finding(id, &finding("no_such_item", Finding::InPlace, None), NOW)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("no_such_item"), "{e}");

        // A missing first-aid kit (critical) fails the walk whatever the score.
        s.record_layout_finding(
            id,
            &finding("first_aid_kit", Finding::Missing, None),
            NOW + 3,
        )
        .await
        .unwrap();
        let done = s.submit_inspection(id, NOW + 4).await.unwrap();
        assert_eq!(done.passed, Some(false));
        assert!(done.score_tenths.unwrap() > 800);
        // Submitted: no more findings.
        let e = s
            .record_layout_finding(
                id,
                &finding("first_aid_kit", Finding::InPlace, None),
                NOW + 5,
            )
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e}");
        let again = s.layout_walk(id).await.unwrap();
        assert_eq!(again.inspection.submitted_at, Some(NOW + 4));
        // An ordinary inspection is no walk.
        assert!(matches!(
            s.layout_walk(id + 1000).await.unwrap_err(),
            StoreError::NotFound(_)
        ));
    }

    pub async fn reference_photos_are_kept_per_item(s: SqlStore) {
        let f = fixture(&s).await;
        let e = s
            .set_layout_photo(f.hall.id, "water_dispenser", "image/png", b"png", NOW)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::NotFound(_)), "{e}");
        s.save_layout_map(f.hall.id, &sample(), None, NOW)
            .await
            .unwrap();
        s.set_layout_photo(f.hall.id, "water_dispenser", "image/png", b"one", NOW)
            .await
            .unwrap();
        s.set_layout_photo(f.hall.id, "water_dispenser", "image/jpeg", b"two", NOW + 1)
            .await
            .unwrap();
        let p = s
            .layout_photo(f.hall.id, "water_dispenser")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (p.mime.as_str(), p.bytes.as_slice()),
            ("image/jpeg", &b"two"[..])
        );
        assert!(
            s.layout_photo(f.hall.id, "umbrellas")
                .await
                .unwrap()
                .is_none()
        );
        let m = s.layout_map(f.hall.id).await.unwrap().unwrap();
        assert_eq!(m.photos, vec![("water_dispenser".to_string(), NOW + 1)]);
    }
}
