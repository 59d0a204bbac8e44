//! The standards library on both backends: versions by date, drafts and locks,
//! acknowledgement rules and the acknowledgement rate.

use crate::fixture::{T0, fixture, hall_input};
use chrono::NaiveDate;
use servicehall_domain::Role;
use servicehall_domain::standards::{AckRate, Category, VersionState};
use servicehall_domain::time::{parse_tz, service_day};
use servicehall_store::*;

const DAY: i64 = 86_400_000;

fn today() -> NaiveDate {
    service_day(T0, parse_tz("Asia/Shanghai").unwrap())
}

fn draft(title: &str, body: &str, audience: &[Role]) -> DraftInput {
    DraftInput {
        title: title.into(),
        title_en: String::new(),
        body: body.into(),
        audience: audience.to_vec(),
        source: String::new(),
    }
}

fn input(hall: Option<i64>, category: Category, audience: &[Role]) -> StandardInput {
    StandardInput {
        hall_id: hall,
        category,
        behaviour_code: None,
        draft: draft("营业厅服务守则", "第一条 遵纪守法。", audience),
    }
}

async fn person(s: &SqlStore, hall: i64, user: &str, role: Role, active: bool) -> Staff {
    s.create_staff(
        &StaffInput {
            hall_id: Some(hall),
            username: user.into(),
            name: format!("员工{user}"),
            badge_no: format!("B-{user}"),
            role,
            photo: String::new(),
            active,
        },
        "x",
    )
    .await
    .unwrap()
}

fn states(d: &StandardDocument) -> Vec<(i64, VersionState)> {
    d.versions.iter().map(|v| (v.number, v.state)).collect()
}

pub async fn standard_versions_take_effect_on_their_date(s: SqlStore) {
    use VersionState::*;
    let f = fixture(&s).await;
    let all = [Role::HallManager, Role::Clerk, Role::Guide];
    let doc = s
        .create_standard(&input(Some(f.hall.id), Category::HallRules, &all), None, T0)
        .await
        .unwrap();
    assert_eq!(states(&doc), [(1, Draft)]);
    // A draft is edited in place.
    let doc = s
        .save_draft(
            doc.id,
            &draft("营业厅服务守则", "第一条 遵纪守法，廉洁自律。", &all),
            T0,
        )
        .await
        .unwrap();
    assert_eq!(doc.versions.len(), 1);
    assert_eq!(doc.versions[0].body, "第一条 遵纪守法，廉洁自律。");
    let doc = s.publish_standard(doc.id, today(), None, T0).await.unwrap();
    assert_eq!(states(&doc), [(1, InEffect)]);
    assert_eq!(doc.current().unwrap().effective_from, Some(today()));

    // The next version, for next week: version 1 stays in effect until then.
    let doc = s
        .save_draft(
            doc.id,
            &draft(
                "营业厅服务守则（2027版）",
                "第一条 遵纪守法。第二条 首问负责。",
                &all,
            ),
            T0,
        )
        .await
        .unwrap();
    assert_eq!(states(&doc), [(1, InEffect), (2, Draft)]);
    let next_week = today() + chrono::Days::new(7);
    let doc = s
        .publish_standard(doc.id, next_week, None, T0)
        .await
        .unwrap();
    assert_eq!(states(&doc), [(1, InEffect), (2, Scheduled)]);
    assert_eq!(doc.title(), "营业厅服务守则");

    // Published versions are locked: a new edit starts version 3.
    let doc = s
        .save_draft(doc.id, &draft("第三版", "草稿", &all), T0 + DAY)
        .await
        .unwrap();
    assert_eq!(states(&doc), [(1, InEffect), (2, Scheduled), (3, Draft)]);
    assert_eq!(doc.versions[1].body, "第一条 遵纪守法。第二条 首问负责。");

    // On its date version 2 takes over; version 1 is history, still readable.
    let later = s.standard(doc.id, T0 + 7 * DAY).await.unwrap();
    assert_eq!(states(&later), [(1, Superseded), (2, InEffect), (3, Draft)]);
    assert_eq!(later.title(), "营业厅服务守则（2027版）");
    assert_eq!(later.versions[0].body, "第一条 遵纪守法，廉洁自律。");

    // Bad dates: in the past, or not after the scheduled version — nothing changes.
    let yesterday = today() - chrono::Days::new(1);
    for (date, why) in [(yesterday, "in the past"), (next_week, "must come after")] {
        match s.publish_standard(doc.id, date, None, T0).await {
            Err(StoreError::Invalid(m)) => assert!(m.contains(why), "{m}"),
            other => panic!("publishing on {date} gave {other:?}"),
        }
    }
    let after = s.standard(doc.id, T0).await.unwrap();
    assert_eq!(states(&after), [(1, InEffect), (2, Scheduled), (3, Draft)]);
    // Nothing to publish once the draft is published.
    s.publish_standard(doc.id, next_week + chrono::Days::new(1), None, T0)
        .await
        .unwrap();
    assert!(matches!(
        s.publish_standard(doc.id, next_week + chrono::Days::new(2), None, T0)
            .await,
        Err(StoreError::Conflict(_))
    ));
}

pub async fn standards_validate_their_input(s: SqlStore) {
    let f = fixture(&s).await;
    let mut bad = input(Some(f.hall.id), Category::BehaviourCode, &[Role::Clerk]);
    for (code, why) in [
        (None, "must name its code"),
        (Some("smile"), "unknown behaviour code"),
    ] {
        bad.behaviour_code = code.map(String::from);
        match s.create_standard(&bad, None, T0).await {
            Err(StoreError::Invalid(m)) => assert!(m.contains(why), "{m}"),
            other => panic!("{other:?}"),
        }
    }
    bad.behaviour_code = Some("read_back".into());
    let doc = s.create_standard(&bad, None, T0).await.unwrap();
    assert_eq!(doc.behaviour_code.as_deref(), Some("read_back"));
    let mut bad = input(Some(f.hall.id), Category::HallRules, &[]);
    assert!(matches!(
        s.create_standard(&bad, None, T0).await,
        Err(StoreError::Invalid(_))
    ));
    bad.draft.audience = vec![Role::Admin];
    assert!(matches!(
        s.create_standard(&bad, None, T0).await,
        Err(StoreError::Invalid(_))
    ));
    bad.draft.audience = vec![Role::Clerk];
    bad.draft.title = "  ".into();
    assert!(matches!(
        s.create_standard(&bad, None, T0).await,
        Err(StoreError::Invalid(_))
    ));
    bad.draft.title = "x".into();
    bad.hall_id = Some(999_999);
    assert!(matches!(
        s.create_standard(&bad, None, T0).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        s.standards(None, T0).await.unwrap().len(),
        1,
        "only the good one"
    );
}

pub async fn acknowledgements_follow_the_rules_and_make_the_rate(s: SqlStore) {
    let f = fixture(&s).await;
    let guide = person(&s, f.hall.id, "guide", Role::Guide, true).await;
    let manager = person(&s, f.hall.id, "manager", Role::HallManager, true).await;
    person(&s, f.hall.id, "gone", Role::Clerk, false).await; // inactive: not counted
    let other = s.create_hall(&hall_input("SY-TX")).await.unwrap();
    let stranger = person(&s, other.id, "stranger", Role::Clerk, true).await;

    // Company-wide, for clerks; and one of the other hall's own, for all staff.
    let clerks_only = s
        .create_standard(
            &input(None, Category::StandardPhrases, &[Role::Clerk]),
            None,
            T0,
        )
        .await
        .unwrap();
    let clerks_only = s
        .publish_standard(clerks_only.id, today(), None, T0)
        .await
        .unwrap();
    let theirs = s
        .create_standard(
            &input(
                Some(other.id),
                Category::HallRules,
                &[Role::Clerk, Role::Guide, Role::HallManager],
            ),
            None,
            T0,
        )
        .await
        .unwrap();
    let theirs = s
        .publish_standard(theirs.id, today(), None, T0)
        .await
        .unwrap();
    let v1 = clerks_only.current().unwrap().id;

    let pending = s
        .pending_acknowledgements(f.clerks[0].id, T0)
        .await
        .unwrap();
    assert_eq!(
        pending.iter().map(|p| p.version.id).collect::<Vec<_>>(),
        [v1]
    );
    assert!(
        s.pending_acknowledgements(guide.id, T0)
            .await
            .unwrap()
            .is_empty()
    );

    let r = s.acknowledgement_report(f.hall.id, T0).await.unwrap();
    assert_eq!(
        r.total,
        AckRate {
            required: 3,
            acknowledged: 0
        },
        "three active clerks"
    );
    assert_eq!(r.lines.len(), 1, "the other hall's document is not ours");

    let a = s
        .acknowledge_standard(v1, f.clerks[0].id, T0 + 1000)
        .await
        .unwrap();
    assert!(a.created);
    // Twice: idempotent, the first time stands.
    let again = s
        .acknowledge_standard(v1, f.clerks[0].id, T0 + 5000)
        .await
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.at, T0 + 1000);
    assert!(
        s.pending_acknowledgements(f.clerks[0].id, T0)
            .await
            .unwrap()
            .is_empty()
    );

    // Not for them: wrong role, other hall, no such version — clear errors, nothing stored.
    for (version, staff, why) in [
        (v1, guide.id, "applies to 柜员"),
        (v1, manager.id, "applies to 柜员"),
        (theirs.current().unwrap().id, f.clerks[1].id, "another hall"),
    ] {
        match s.acknowledge_standard(version, staff, T0).await {
            Err(StoreError::Invalid(m)) => assert!(m.contains(why), "{m}"),
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(
        s.acknowledge_standard(987_654, f.clerks[1].id, T0).await,
        Err(StoreError::NotFound(_))
    ));
    // The stranger may acknowledge the company-wide version in their own hall.
    s.acknowledge_standard(v1, stranger.id, T0).await.unwrap();

    let r = s.acknowledgement_report(f.hall.id, T0).await.unwrap();
    assert_eq!(
        r.total,
        AckRate {
            required: 3,
            acknowledged: 1
        }
    );
    let line = &r.lines[0];
    assert_eq!(line.acknowledged[0].staff.id, f.clerks[0].id);
    assert_eq!(line.acknowledged[0].at, T0 + 1000);
    assert_eq!(line.missing.len(), 2);
    assert!(line.missing.iter().all(|m| m.role == Role::Clerk));

    // A new version for next week: not yet acknowledgeable; on its date everyone starts again.
    s.save_draft(
        clerks_only.id,
        &draft(
            "规范用语（修订）",
            "您好，请问您办理什么业务？",
            &[Role::Clerk, Role::Guide],
        ),
        T0,
    )
    .await
    .unwrap();
    let next_week = today() + chrono::Days::new(7);
    let doc = s
        .publish_standard(clerks_only.id, next_week, None, T0)
        .await
        .unwrap();
    let v2 = doc.scheduled().unwrap().id;
    match s.acknowledge_standard(v2, f.clerks[1].id, T0).await {
        Err(StoreError::Conflict(m)) => assert!(m.contains("takes effect on"), "{m}"),
        other => panic!("{other:?}"),
    }
    let later = T0 + 7 * DAY;
    match s.acknowledge_standard(v1, f.clerks[1].id, later).await {
        Err(StoreError::Conflict(m)) => assert!(m.contains("replaced by version 2"), "{m}"),
        other => panic!("{other:?}"),
    }
    let r = s.acknowledgement_report(f.hall.id, later).await.unwrap();
    assert_eq!(
        r.total,
        AckRate {
            required: 4,
            acknowledged: 0
        },
        "3 clerks + the guide"
    );
    assert_eq!(
        s.pending_acknowledgements(guide.id, later)
            .await
            .unwrap()
            .len(),
        1
    );
    s.acknowledge_standard(v2, guide.id, later).await.unwrap();
    let r = s.acknowledgement_report(f.hall.id, later).await.unwrap();
    assert_eq!(r.total.ratio(), Some(0.25));
}

pub async fn the_stamp_moves_with_every_write(s: SqlStore) {
    let f = fixture(&s).await;
    let s0 = s.standards_stamp().await.unwrap();
    let doc = s
        .create_standard(
            &input(Some(f.hall.id), Category::StaffCode, &[Role::Clerk]),
            None,
            T0,
        )
        .await
        .unwrap();
    let s1 = s.standards_stamp().await.unwrap();
    assert_ne!(s0, s1);
    s.publish_standard(doc.id, today(), None, T0 + 1)
        .await
        .unwrap();
    let s2 = s.standards_stamp().await.unwrap();
    assert_ne!(s1, s2);
    assert_eq!(
        s2,
        s.standards_stamp().await.unwrap(),
        "reads do not move it"
    );
    // A catalogue version added moves it too: search indexes the catalogue as well.
    let entry = servicehall_domain::catalogue::CatalogueEntry {
        business_type: "new_connection".into(),
        effective_from: today().to_string(),
        description: "居民新装".into(),
        description_en: String::new(),
        who_may_apply: "房屋产权人".into(),
        documents: servicehall_domain::catalogue::ClassDocuments {
            resident: Some(vec![servicehall_domain::catalogue::Document {
                name: "户主有效身份证明".into(),
                note: String::new(),
            }]),
            ..Default::default()
        },
        fees: vec![],
        channels: vec![servicehall_domain::catalogue::Channel::Hall],
        online: String::new(),
        notes: String::new(),
    };
    s.save_catalogue_version(f.hall.id, &entry, T0)
        .await
        .unwrap();
    assert_ne!(s2, s.standards_stamp().await.unwrap());
}

on_both!(
    standard_versions_take_effect_on_their_date,
    standards_validate_their_input,
    acknowledgements_follow_the_rules_and_make_the_rate,
    the_stamp_moves_with_every_write,
);
