//! Rectification (整改) and photo evidence on both backends: failed items open cases at
//! submit, a fix needs new evidence, the fixer cannot verify, a reopen sends it back, and
//! photos are superseded, never deleted.

on_both!(in suite:
    failed_items_open_rectification_cases_at_submit,
    a_fix_needs_new_evidence_and_another_verifier,
    photos_are_kept_and_superseded_never_deleted,
    the_list_filters_open_overdue_and_verified,
    a_halls_own_limits_are_audited_and_set_the_clock,
);

mod suite {
    use crate::fixture::{Fixture, fixture};
    use servicehall_domain::cases::CaseKind;
    use servicehall_domain::inspections::Outcome;
    use servicehall_domain::inspections::rectification::{Stage, Verdict};
    use servicehall_domain::inspections::shipped::shipped;
    use servicehall_store::*;

    const NOW: i64 = 1_780_000_000_000;
    const DAY: i64 = 86_400_000;

    fn upload(by: i64, supersedes: Option<i64>, tag: u8) -> PhotoUpload {
        PhotoUpload {
            mime: "image/png".into(),
            image: vec![0x89, b'P', b'N', b'G', tag],
            thumb: vec![0x89, b'P', b'N', b'G', tag, 0],
            uploaded_by: by,
            supersedes,
        }
    }

    /// An opening check with `fail` failed (each with a note), the rest passed; not submitted.
    async fn opening(s: &SqlStore, f: &Fixture, fail: &[&str]) -> Inspection {
        s.install_inspection_templates(&shipped().unwrap(), NOW)
            .await
            .unwrap();
        let t = s
            .inspection_templates(f.hall.id)
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.template.code == "opening")
            .unwrap();
        let i = s
            .start_inspection(
                &InspectionStart {
                    hall_id: f.hall.id,
                    template_id: t.id,
                    subject_staff_id: None,
                    inspector_id: f.clerks[2].id,
                },
                NOW,
            )
            .await
            .unwrap();
        for (_, item) in t.template.items() {
            let o = if fail.contains(&item.key.as_str()) {
                Outcome::Fail
            } else {
                Outcome::Pass
            };
            s.record_inspection_item(i.id, &item.key, o, "有污渍", NOW)
                .await
                .unwrap();
        }
        i
    }

    pub async fn failed_items_open_rectification_cases_at_submit(s: SqlStore) {
        let f = fixture(&s).await;
        let i = opening(&s, &f, &["entrance_clean", "floor_clean"]).await;
        assert!(
            s.inspection_rectifications(i.id, NOW)
                .await
                .unwrap()
                .is_empty()
        );
        s.submit_inspection(i.id, NOW + 1).await.unwrap();
        let list = s.inspection_rectifications(i.id, NOW + 2).await.unwrap();
        assert_eq!(list.len(), 2);
        let (entrance, floor) = (&list[0], &list[1]);
        assert_eq!(entrance.item_key, "entrance_clean");
        assert!(entrance.critical && !floor.critical);
        assert_eq!(entrance.stage, Stage::Open);
        assert_eq!(entrance.finding, "有污渍");
        assert_eq!(entrance.inspector_id, f.clerks[2].id);
        // The critical item is due sooner than the other (1 working day against 3).
        let (d1, d3) = (entrance.deadline_at.unwrap(), floor.deadline_at.unwrap());
        assert!(d1 > NOW && d1 < d3, "{d1} {d3}");
        assert!(!entrance.overdue);
        // An ordinary case of kind rectification with the summary, and its own workflow:
        // the generic step and close actions are refused.
        let case = s.case(entrance.case_id, NOW + 2).await.unwrap();
        assert_eq!(case.case.kind, CaseKind::Rectification);
        assert!(
            case.case.summary.contains("（关键项）"),
            "{}",
            case.case.summary
        );
        let e = s
            .close_case(entrance.case_id, f.clerks[0].id, "", NOW + 3)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e}");
        let e = s
            .complete_step(entrance.case_id, "fix", f.clerks[0].id, "done", NOW + 3)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e}");
        // A passed inspection opens nothing.
        let ok = opening(&s, &f, &[]).await;
        s.submit_inspection(ok.id, NOW + 4).await.unwrap();
        assert!(
            s.inspection_rectifications(ok.id, NOW + 4)
                .await
                .unwrap()
                .is_empty()
        );
    }

    pub async fn a_halls_own_limits_are_audited_and_set_the_clock(s: SqlStore) {
        use servicehall_domain::cases::Amount;
        use servicehall_domain::inspections::schedule::Schedule;
        let f = fixture(&s).await;
        let by = Some(f.clerks[0].id);
        let own = Schedule {
            rect_critical_days: 2,
            rect_other_days: 10,
            ..Schedule::default()
        };
        let changes = s
            .change_inspection_schedule(f.hall.id, &own, by, NOW)
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
                ("rect_critical_days", "1", "2"),
                ("rect_other_days", "3", "10")
            ]
        );
        // Out of 1..=30 is refused and changes nothing.
        let e = s
            .change_inspection_schedule(
                f.hall.id,
                &Schedule {
                    rect_other_days: 31,
                    ..own.clone()
                },
                by,
                NOW + 1,
            )
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e}");
        assert_eq!(s.inspection_schedule(f.hall.id).await.unwrap(), own);
        // The cases opened from now on run on the hall's limits.
        let i = opening(&s, &f, &["entrance_clean", "floor_clean"]).await;
        s.submit_inspection(i.id, NOW + 2).await.unwrap();
        let list = s.inspection_rectifications(i.id, NOW + 3).await.unwrap();
        for (r, days) in [(&list[0], 2), (&list[1], 10)] {
            let case = s.case(r.case_id, NOW + 3).await.unwrap();
            let clock = &case.clocks[0];
            assert_eq!(clock.amount, Amount::WorkingDays(days), "{}", r.item_key);
            assert!(clock.source.contains("本厅设置"), "{}", clock.source);
        }
    }

    pub async fn a_fix_needs_new_evidence_and_another_verifier(s: SqlStore) {
        let f = fixture(&s).await;
        let (fixer, verifier) = (f.clerks[0].id, f.clerks[1].id);
        let i = opening(&s, &f, &["floor_clean"]).await;
        s.submit_inspection(i.id, NOW + 1).await.unwrap();
        let id = s.inspection_rectifications(i.id, NOW).await.unwrap()[0].case_id;
        // Nothing to verify yet; no evidence, no fix.
        let e = s
            .verify_rectification(id, verifier, Verdict::Accept, "", NOW + 2)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e}");
        let e = s
            .fix_rectification(id, fixer, "  ", NOW + 2)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e}");
        assert!(e.to_string().contains("证据"), "{e}");
        // A photo of the fix is new evidence.
        let p = s
            .add_rectification_photo(id, &upload(fixer, None, 1), NOW + 10)
            .await
            .unwrap();
        assert_eq!((p.stage, p.case_id), (PhotoStage::Fix, Some(id)));
        let r = s.fix_rectification(id, fixer, "", NOW + 11).await.unwrap();
        assert_eq!(r.stage, Stage::Fixed);
        assert_eq!(r.fixed_by, Some(fixer));
        assert_eq!(r.fixed_by_name.as_deref(), Some(f.clerks[0].name.as_str()));
        // Fixed: no more photos, no second fix, and the fixer cannot verify.
        let e = s
            .add_rectification_photo(id, &upload(fixer, None, 2), NOW + 12)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e}");
        let e = s
            .fix_rectification(id, fixer, "again", NOW + 12)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e}");
        let e = s
            .verify_rectification(id, fixer, Verdict::Accept, "", NOW + 12)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e}");
        assert!(e.to_string().contains("整改人不能验证"), "{e}");
        // A reopen says why; then the fix is due again and the old photo no longer counts.
        let e = s
            .verify_rectification(id, verifier, Verdict::Reopen, " ", NOW + 13)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e}");
        let r = s
            .verify_rectification(id, verifier, Verdict::Reopen, "地面仍有水渍", NOW + 20)
            .await
            .unwrap();
        assert_eq!((r.stage, r.reopened, r.fixed_by), (Stage::Open, 1, None));
        assert_eq!(r.round_at, NOW + 20);
        let e = s
            .fix_rectification(id, fixer, "", NOW + 21)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e}");
        // The same person who reopened may not verify their own fix either.
        s.fix_rectification(id, verifier, "已重新拖地并放置防滑垫", NOW + 22)
            .await
            .unwrap();
        let e = s
            .verify_rectification(id, verifier, Verdict::Accept, "", NOW + 23)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e}");
        let r = s
            .verify_rectification(id, fixer, Verdict::Accept, "已复查", NOW + 24)
            .await
            .unwrap();
        assert_eq!(r.stage, Stage::Verified);
        assert_eq!(r.closed_at, Some(NOW + 24));
        assert!(r.deadline_at.is_none(), "the clock stopped");
        let case = s.case(id, NOW + 25).await.unwrap();
        assert_eq!(case.case.status.as_str(), "closed");
        assert!(
            case.trail
                .iter()
                .any(|e| e.kind == "reopened" && e.note == "地面仍有水渍")
        );
        let e = s
            .verify_rectification(id, verifier, Verdict::Reopen, "x", NOW + 26)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e}");
    }

    pub async fn photos_are_kept_and_superseded_never_deleted(s: SqlStore) {
        let f = fixture(&s).await;
        let by = f.clerks[2].id;
        let i = opening(&s, &f, &["floor_clean"]).await;
        let e = s
            .add_inspection_photo(i.id, "no_such_item", &upload(by, None, 1), NOW)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::NotFound(_)), "{e}");
        let first = s
            .add_inspection_photo(i.id, "floor_clean", &upload(by, None, 1), NOW + 1)
            .await
            .unwrap();
        assert_eq!(
            (
                first.hall_id,
                first.uploaded_by,
                first.uploaded_at,
                first.stage
            ),
            (f.hall.id, by, NOW + 1, PhotoStage::Finding)
        );
        assert_eq!(first.uploader_name, f.clerks[2].name);
        // Only a photo of the same item can be replaced.
        let e = s
            .add_inspection_photo(i.id, "lights_ac", &upload(by, Some(first.id), 2), NOW + 2)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e}");
        let second = s
            .add_inspection_photo(i.id, "floor_clean", &upload(by, Some(first.id), 2), NOW + 3)
            .await
            .unwrap();
        let e = s
            .add_inspection_photo(i.id, "floor_clean", &upload(by, Some(first.id), 3), NOW + 4)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e}");
        let all = s.inspection_photos(i.id).await.unwrap();
        assert_eq!(all.len(), 2, "the replaced photo is kept");
        assert_eq!(all[0].superseded_by, Some(second.id));
        assert_eq!(all[0].superseded_at, Some(NOW + 3));
        assert_eq!(all[1].superseded_by, None);
        let old = s.inspection_photo_file(first.id, false).await.unwrap();
        assert_eq!(old.bytes, vec![0x89, b'P', b'N', b'G', 1]);
        let thumb = s.inspection_photo_file(second.id, true).await.unwrap();
        assert_eq!(thumb.bytes, vec![0x89, b'P', b'N', b'G', 2, 0]);
        // Once submitted, the finding's photos are final.
        s.submit_inspection(i.id, NOW + 5).await.unwrap();
        let e = s
            .add_inspection_photo(i.id, "floor_clean", &upload(by, None, 4), NOW + 6)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e}");
        let e = s.inspection_photo_file(999_999, false).await.unwrap_err();
        assert!(matches!(e, StoreError::NotFound(_)), "{e}");
    }

    pub async fn the_list_filters_open_overdue_and_verified(s: SqlStore) {
        let f = fixture(&s).await;
        let i = opening(&s, &f, &["entrance_clean", "floor_clean", "notices"]).await;
        s.submit_inspection(i.id, NOW).await.unwrap();
        let ids: Vec<i64> = s
            .inspection_rectifications(i.id, NOW)
            .await
            .unwrap()
            .iter()
            .map(|r| r.case_id)
            .collect();
        // One verified, one fixed and waiting.
        s.fix_rectification(ids[1], f.clerks[0].id, "已清洁", NOW + 1)
            .await
            .unwrap();
        s.verify_rectification(ids[1], f.clerks[1].id, Verdict::Accept, "", NOW + 2)
            .await
            .unwrap();
        s.fix_rectification(ids[2], f.clerks[0].id, "已更新公告", NOW + 3)
            .await
            .unwrap();
        let later = NOW + 10 * DAY;
        let list = |state| {
            let s = s.clone();
            let hall = f.hall.id;
            async move {
                let filter = RectificationFilter {
                    from: NOW - DAY,
                    to: NOW + DAY,
                    state,
                };
                s.rectifications(hall, &filter, Window::first(10), later)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(list(None).await.total, 3);
        let open = list(Some(RectificationState::Open)).await;
        assert_eq!(open.total, 2);
        let overdue = list(Some(RectificationState::Overdue)).await;
        assert_eq!(overdue.total, 2, "ten days on, both unverified are late");
        assert!(overdue.items.iter().all(|r| r.overdue));
        let to_verify = list(Some(RectificationState::ToVerify)).await;
        assert_eq!(to_verify.total, 1);
        assert_eq!(to_verify.items[0].case_id, ids[2]);
        let closed = list(Some(RectificationState::Closed)).await;
        assert_eq!(closed.items[0].case_id, ids[1]);
        assert!(!closed.items[0].overdue);
        // Paging counts every match.
        let page = s
            .rectifications(
                f.hall.id,
                &RectificationFilter {
                    from: NOW - DAY,
                    to: NOW + DAY,
                    state: None,
                },
                Window {
                    limit: 1,
                    offset: 1,
                },
                later,
            )
            .await
            .unwrap();
        assert_eq!((page.items.len(), page.total), (1, 3));
    }
}
