use super::*;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn member(segment: Segment, basis: Option<Basis>, review: Option<&str>) -> Membership {
    Membership {
        segment,
        care: segment.default_care(),
        basis,
        review_on: review.map(day),
        note: String::new(),
    }
}

fn grant(purpose: Purpose, channel: ContactChannel, at: i64) -> ConsentEvent {
    ConsentEvent {
        purpose,
        channel: Some(channel),
        granted: true,
        at,
    }
}

fn withdraw(purpose: Purpose, at: i64) -> ConsentEvent {
    ConsentEvent {
        purpose,
        channel: None,
        granted: false,
        at,
    }
}

#[test]
fn masking_shows_the_last_four_of_the_account_the_phone_s_ends_and_the_surname() {
    let m = masked("0102345678", "13812341234", "张秀英");
    assert_eq!(m.account, "****5678");
    assert_eq!(m.phone, "138****1234");
    assert_eq!(m.name, "张**");
    assert_eq!(masked("", "", "").phone, "");
}

#[test]
fn no_purpose_is_consented_without_a_grant_and_marketing_never_by_default() {
    for p in Purpose::ALL {
        assert!(!may_contact(&[], *p, ContactChannel::Sms, 1_000));
    }
    let h = vec![grant(Purpose::OutageNotice, ContactChannel::Sms, 100)];
    assert!(may_contact(
        &h,
        Purpose::OutageNotice,
        ContactChannel::Sms,
        100
    ));
    // Another purpose, another channel or a time before the grant: no.
    assert!(!may_contact(
        &h,
        Purpose::Marketing,
        ContactChannel::Sms,
        200
    ));
    assert!(!may_contact(
        &h,
        Purpose::OutageNotice,
        ContactChannel::Call,
        200
    ));
    assert!(!may_contact(
        &h,
        Purpose::OutageNotice,
        ContactChannel::Sms,
        99
    ));
}

#[test]
fn a_withdrawal_stops_contact_from_its_moment_and_a_new_grant_restarts_it() {
    let mut h = vec![
        grant(Purpose::AppointmentReminder, ContactChannel::Sms, 100),
        withdraw(Purpose::AppointmentReminder, 500),
    ];
    let p = Purpose::AppointmentReminder;
    assert!(may_contact(&h, p, ContactChannel::Sms, 499));
    assert!(!may_contact(&h, p, ContactChannel::Sms, 500));
    assert!(!may_contact(&h, p, ContactChannel::Sms, 10_000));
    h.push(grant(p, ContactChannel::Wechat, 900));
    assert_eq!(consent_now(&h, p, 900).unwrap().since, 900);
    assert!(may_contact(&h, p, ContactChannel::Wechat, 900));
    assert!(!may_contact(&h, p, ContactChannel::Sms, 900));
    // Withdrawn in the same millisecond as granted: the later record wins.
    h.push(withdraw(p, 900));
    assert!(!may_contact(&h, p, ContactChannel::Wechat, 900));
}

#[test]
fn a_grant_names_its_channel_and_only_a_consent_in_force_can_be_withdrawn() {
    let p = Purpose::SatisfactionSurvey;
    let e = check_consent(&[], p, None, true, 10).unwrap_err();
    assert!(e.contains("渠道") && e.contains("channel"), "{e}");
    let e = check_consent(&[], p, None, false, 10).unwrap_err();
    assert!(e.contains("withdraw"), "{e}");
    let h = vec![grant(p, ContactChannel::Call, 5)];
    assert!(check_consent(&h, p, None, false, 10).is_ok());
    assert!(check_consent(&h, p, Some(ContactChannel::Sms), true, 10).is_ok());
}

#[test]
fn a_vulnerable_membership_needs_a_basis_and_a_review_date_within_a_year() {
    let today = day("2026-12-06");
    let e = check_membership(
        &member(Segment::LivingAlone, None, Some("2027-06-01")),
        today,
    )
    .unwrap_err();
    assert!(e.contains("依据") && e.contains("basis"), "{e}");
    let e = check_membership(
        &member(Segment::Disabled, Some(Basis::VerifiedDocument), None),
        today,
    )
    .unwrap_err();
    assert!(e.contains("review date"), "{e}");
    let past = member(
        Segment::LowIncome,
        Some(Basis::SelfDeclared),
        Some("2026-12-05"),
    );
    assert!(check_membership(&past, today).is_err());
    let far = member(
        Segment::LowIncome,
        Some(Basis::SelfDeclared),
        Some("2028-01-01"),
    );
    assert!(check_membership(&far, today).is_err());
    let ok = member(
        Segment::MedicalEquipment,
        Some(Basis::CommunityReferral),
        Some("2027-03-01"),
    );
    assert!(check_membership(&ok, today).is_ok());
    // A key account needs neither.
    assert!(check_membership(&member(Segment::KeyAccount, None, None), today).is_ok());
    let twice = [ok.clone(), ok];
    assert!(
        check_memberships(&twice, today)
            .unwrap_err()
            .contains("twice")
    );
}

#[test]
fn care_needs_merge_across_segments_and_green_channel_is_suggested_when_needed() {
    let today = day("2026-12-06");
    let alone = member(
        Segment::LivingAlone,
        Some(Basis::SelfDeclared),
        Some("2026-12-20"),
    );
    let med = member(
        Segment::MedicalEquipment,
        Some(Basis::VerifiedDocument),
        Some("2027-06-01"),
    );
    let needs = care_needs(&[alone.clone(), med.clone()]);
    assert_eq!(
        needs,
        vec![
            Care::GreenChannel,
            Care::Seat,
            Care::OutageCall,
            Care::HomeVisit
        ]
    );
    assert!(suggest_green_channel(std::slice::from_ref(&alone)));
    assert!(!suggest_green_channel(std::slice::from_ref(&med)));
    assert!(review_due(&alone, today));
    assert!(!review_due(&med, today));
}

#[test]
fn identifiers_are_normalised_and_bad_ones_say_what_to_give() {
    assert_eq!(normalize_account(" 0102-345678 ").unwrap(), "0102345678");
    assert!(normalize_account("12").unwrap_err().contains("户号"));
    assert_eq!(normalize_phone("138 1234 1234").unwrap(), "13812341234");
    assert!(normalize_phone("138abc").is_err());
    assert!(check_name("  ").is_err());
    assert!(check_reveal_reason("看").is_err());
    assert_eq!(
        check_reveal_reason(" 核对停电通知名单 ").unwrap(),
        "核对停电通知名单"
    );
    assert_eq!(Segment::parse("disabled"), Some(Segment::Disabled));
    assert!(Segment::names().contains("living_alone (独居老人)"));
}
