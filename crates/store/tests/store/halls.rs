//! Halls and their set-up: migrations, validation, unique badges, the configuration cache.

use crate::fixture::*;
use servicehall_domain::Priority;
use servicehall_store::*;

on_both!(
    migrations_are_idempotent,
    hall_setup_validates_and_rejects_duplicates,
    badge_numbers_are_unique_in_a_hall,
    configuration_changes_are_seen_at_once,
    messages_people_see_are_chinese_first,
    staff_photos_replace_and_show_on_the_counter,
);

/// The first character is Chinese (the English follows, kept word for word).
fn chinese_first(m: &str) -> bool {
    m.chars()
        .next()
        .is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// What the store answers a person with reads Chinese first, the English after it.
pub async fn messages_people_see_are_chinese_first(s: SqlStore) {
    let f = fixture(&s).await;
    let dup = s.create_hall(&hall_input("DL-XH")).await.unwrap_err();
    let m = dup.to_string();
    assert!(chinese_first(&m), "{m}");
    assert!(m.contains("a hall with code DL-XH already exists"), "{m}");
    let dup = s
        .create_counter(
            f.hall.id,
            &CounterInput {
                number: 1,
                primary: vec![f.bt[0].id],
                secondary: vec![],
            },
        )
        .await
        .unwrap_err();
    let m = dup.to_string();
    assert!(chinese_first(&m), "{m}");
    assert!(m.contains("counter 1 already exists in this hall"), "{m}");
    let missing = s.hall(999_999).await.unwrap_err();
    let m = missing.to_string();
    assert!(matches!(missing, StoreError::NotFound(_)), "{m}");
    assert!(chinese_first(&m) && m.contains("no hall 999999"), "{m}");
    let code = s.ticket_by_code("no-such-code").await;
    let m = match code {
        Err(e) => e.to_string(),
        Ok(t) => panic!("a ticket for a made-up code: {t:?}"),
    };
    assert!(chinese_first(&m) && m.contains("check the slip"), "{m}");
}

pub async fn migrations_are_idempotent(s: SqlStore) {
    assert!(
        s.migrate().await.unwrap().is_empty(),
        "second run applies nothing"
    );
}

pub async fn hall_setup_validates_and_rejects_duplicates(s: SqlStore) {
    let f = fixture(&s).await;
    let dup = s.create_hall(&hall_input("DL-XH")).await.unwrap_err();
    assert!(matches!(dup, StoreError::Conflict(_)), "{dup}");
    let mut bad = hall_input("DL-2");
    bad.timezone = "Moon/Base".into();
    assert!(
        matches!(s.create_hall(&bad).await, Err(StoreError::Invalid(m)) if m.contains("time zone"))
    );
    let mut bad = hall_input("DL-3");
    bad.opens = "18:00".into();
    assert!(matches!(
        s.create_hall(&bad).await,
        Err(StoreError::Invalid(_))
    ));
    // a counter may not serve another hall's business type, nor list one twice
    let other = s.create_hall(&hall_input("DL-4")).await.unwrap();
    let e = s
        .create_counter(
            other.id,
            &CounterInput {
                number: 1,
                primary: vec![f.bt[0].id],
                secondary: vec![],
            },
        )
        .await;
    assert!(matches!(e, Err(StoreError::Invalid(m)) if m.contains("does not belong")));
    let e = s
        .create_counter(
            f.hall.id,
            &CounterInput {
                number: 9,
                primary: vec![f.bt[0].id],
                secondary: vec![f.bt[0].id],
            },
        )
        .await;
    assert!(matches!(e, Err(StoreError::Invalid(_))));
    let e = s
        .create_counter(
            f.hall.id,
            &CounterInput {
                number: 1,
                primary: vec![f.bt[0].id],
                secondary: vec![],
            },
        )
        .await;
    assert!(matches!(e, Err(StoreError::Conflict(_))));
    let mut bt = bt_input("x", "x", "a1", false);
    assert!(
        matches!(s.create_business_type(f.hall.id, &bt).await, Err(StoreError::Invalid(m)) if m.contains("prefix"))
    );
    bt.prefix = "A".into();
    bt.code = "payment".into();
    assert!(matches!(
        s.create_business_type(f.hall.id, &bt).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        s.counters(f.hall.id).await.unwrap().len(),
        3,
        "nothing half-written"
    );
}

pub async fn badge_numbers_are_unique_in_a_hall(s: SqlStore) {
    let f = fixture(&s).await;
    let dup = staff_input(f.hall.id, "someone", &f.clerks[0].badge_no);
    let e = s.create_staff(&dup, "x").await.unwrap_err();
    assert!(
        matches!(&e, StoreError::Conflict(m) if m.contains("badge")),
        "{e}"
    );
    let other = s.create_hall(&hall_input("DL-B")).await.unwrap();
    let elsewhere = staff_input(other.id, "someone", &f.clerks[0].badge_no);
    assert!(
        s.create_staff(&elsewhere, "x").await.is_ok(),
        "another hall may reuse it"
    );
}

// ── Cases (工单) ────────────────────────────────────────────────────────────────────────

/// Halls and business types are cached in the process; a change made through the store is
/// seen at once by every read, including the calling policy.
pub async fn configuration_changes_are_seen_at_once(s: SqlStore) {
    let f = fixture(&s).await;
    assert_eq!(s.hall(f.hall.id).await.unwrap().name, "大连星海营业厅");
    assert_eq!(s.business_types(f.hall.id).await.unwrap().len(), 3);
    let mut h = hall_input("DL-XH");
    h.name = "大连星海湾营业厅".into();
    h.policy.green_first = false;
    s.update_hall(f.hall.id, &h).await.unwrap();
    assert_eq!(s.hall(f.hall.id).await.unwrap().name, "大连星海湾营业厅");
    assert_eq!(
        s.hall_by_code("DL-XH").await.unwrap().name,
        "大连星海湾营业厅"
    );
    let mut bt = bt_input("payment", "电费缴纳及预存", "A", true);
    bt.sort_order = 1;
    s.update_business_type(f.bt[0].id, &bt).await.unwrap();
    assert_eq!(
        s.business_type(f.bt[0].id).await.unwrap().name_zh,
        "电费缴纳及预存"
    );
    assert!(
        s.business_types(f.hall.id)
            .await
            .unwrap()
            .iter()
            .any(|b| b.name_zh == "电费缴纳及预存")
    );
    // green_first is now off: the earlier normal ticket is called before the green one
    let normal = s.issue_ticket(&issue_req(&f, 0, "cfg1"), T0).await.unwrap();
    let mut g = issue_req(&f, 0, "cfg2");
    g.priority = Priority::Green;
    g.green_reason = "老年人".into();
    s.issue_ticket(&g, T0 + MIN).await.unwrap();
    let first = s
        .call_next(f.counters[0].id, None, T0 + 2 * MIN)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.id, normal.id);
}

/// A staff member's photo replaces the one before, its thumbnail is kept beside it, and the
/// counter they staff shows the photo's URL (挂牌服务).
pub async fn staff_photos_replace_and_show_on_the_counter(s: SqlStore) {
    let f = fixture(&s).await;
    let clerk = f.clerks[0].id;
    assert_eq!(s.staff_photo(clerk, false).await.unwrap(), None);
    let input = |b: u8| StaffPhotoInput {
        mime: "image/png".into(),
        image: vec![b; 10],
        thumb: vec![b; 3],
    };
    let first = s.set_staff_photo(clerk, &input(1), 1_000).await.unwrap();
    let second = s.set_staff_photo(clerk, &input(2), 2_000).await.unwrap();
    assert_ne!(first, second, "a new photo gets a new URL");
    assert_eq!(second, staff_photo_url(clerk, 2_000));
    let image = s.staff_photo(clerk, false).await.unwrap().unwrap();
    assert_eq!(
        (image.mime.as_str(), image.bytes),
        ("image/png", vec![2; 10])
    );
    assert_eq!(
        s.staff_photo(clerk, true).await.unwrap().unwrap().bytes,
        vec![2; 3]
    );
    assert_eq!(s.staff(clerk).await.unwrap().photo, second);
    // Another clerk has none; an unknown staff member is refused.
    assert_eq!(s.staff_photo(f.clerks[1].id, true).await.unwrap(), None);
    let e = s
        .set_staff_photo(999_999, &input(3), 3_000)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::NotFound(_)), "{e}");
    s.open_counter(f.counters[0].id, clerk, 3_000)
        .await
        .unwrap();
    let on_duty = s.counter(f.counters[0].id).await.unwrap().clerk.unwrap();
    assert_eq!(on_duty.photo, second);
}
