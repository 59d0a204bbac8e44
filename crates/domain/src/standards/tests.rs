use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn v(number: i64, from: Option<&str>) -> VersionDates {
    VersionDates {
        number,
        effective_from: from.map(d),
    }
}

#[test]
fn the_latest_version_dated_on_or_before_today_is_in_effect() {
    let vs = [
        v(1, Some("2026-01-01")),
        v(2, Some("2026-12-01")),
        v(3, None),
    ];
    assert_eq!(in_effect(&vs, d("2025-12-31")), None, "nothing yet");
    assert_eq!(in_effect(&vs, d("2026-11-30")), Some(1));
    assert_eq!(in_effect(&vs, d("2026-12-01")), Some(2), "on its date");
    use VersionState::*;
    assert_eq!(states(&vs, d("2026-11-30")), [InEffect, Scheduled, Draft]);
    assert_eq!(states(&vs, d("2026-12-01")), [Superseded, InEffect, Draft]);
}

#[test]
fn publishing_is_for_drafts_on_today_or_later_after_the_last_date() {
    let today = d("2026-11-28");
    let vs = [v(1, Some("2026-01-01")), v(2, None)];
    assert_eq!(check_publish(&vs, 2, today, today), Ok(()));
    assert_eq!(check_publish(&vs, 2, d("2026-12-01"), today), Ok(()));
    assert_eq!(
        check_publish(&vs, 1, today, today),
        Err(PublishError::Locked(1))
    );
    assert!(matches!(
        check_publish(&vs, 2, d("2026-11-27"), today),
        Err(PublishError::InThePast { .. })
    ));
    // A scheduled version: the next one must come after it.
    let vs = [
        v(1, Some("2026-01-01")),
        v(2, Some("2026-12-10")),
        v(3, None),
    ];
    assert_eq!(
        check_publish(&vs, 3, d("2026-12-10"), today),
        Err(PublishError::NotAfterLatest {
            date: d("2026-12-10"),
            number: 2,
            latest: d("2026-12-10")
        })
    );
    assert_eq!(check_publish(&vs, 3, d("2026-12-11"), today), Ok(()));
}

#[test]
fn only_the_audience_of_the_version_in_effect_in_its_hall_acknowledges() {
    let today = d("2026-11-28");
    let vs = [
        v(1, Some("2026-01-01")),
        v(2, Some("2026-12-01")),
        v(3, None),
    ];
    let clerks = Audience::new(&[Role::Clerk]).unwrap();
    let clerk = Reader {
        role: Role::Clerk,
        hall_id: Some(7),
    };
    assert_eq!(
        check_acknowledge(&vs, 1, &clerks, Some(7), clerk, today),
        Ok(())
    );
    assert_eq!(
        check_acknowledge(&vs, 1, &clerks, None, clerk, today),
        Ok(()),
        "company-wide"
    );
    assert_eq!(
        check_acknowledge(&vs, 1, &clerks, Some(8), clerk, today),
        Err(AckError::OtherHall)
    );
    assert!(matches!(
        check_acknowledge(&vs, 2, &clerks, Some(7), clerk, today),
        Err(AckError::NotYetEffective { number: 2, .. })
    ));
    assert_eq!(
        check_acknowledge(&vs, 3, &clerks, Some(7), clerk, today),
        Err(AckError::Draft(3))
    );
    let guide = Reader {
        role: Role::Guide,
        hall_id: Some(7),
    };
    assert!(matches!(
        check_acknowledge(&vs, 1, &clerks, Some(7), guide, today),
        Err(AckError::WrongRole { .. })
    ));
    // Once version 2 is in effect, version 1 is history.
    assert_eq!(
        check_acknowledge(&vs, 1, &clerks, Some(7), clerk, d("2026-12-01")),
        Err(AckError::Superseded {
            number: 1,
            current: 2
        })
    );
    let admin = Reader {
        role: Role::Admin,
        hall_id: None,
    };
    assert_eq!(
        check_acknowledge(&vs, 1, &clerks, None, admin, today),
        Err(AckError::NoHall)
    );
}

#[test]
fn audiences_are_hall_roles_in_a_fixed_order() {
    let a = Audience::from_csv("guide, clerk,clerk").unwrap();
    assert_eq!(a.roles(), [Role::Clerk, Role::Guide]);
    assert_eq!(a.to_csv(), "clerk,guide");
    assert_eq!(a.label_zh(), "柜员、引导员");
    assert!(Audience::all_staff().is_all_staff());
    assert_eq!(Audience::all_staff().label_zh(), "全体员工");
    assert!(Audience::from_csv("").is_err());
    assert!(Audience::from_csv("admin").is_err());
    assert!(Audience::from_csv("boss").is_err());
}

#[test]
fn behaviour_code_documents_reference_a_code_by_id() {
    assert_eq!(
        check_behaviour_ref(Category::BehaviourCode, Some("read_back")),
        Ok(())
    );
    assert!(check_behaviour_ref(Category::BehaviourCode, None).is_err());
    assert!(check_behaviour_ref(Category::BehaviourCode, Some("smile")).is_err());
    assert!(check_behaviour_ref(Category::HallRules, Some("read_back")).is_err());
    assert_eq!(check_behaviour_ref(Category::HallRules, Some("")), Ok(()));
}

#[test]
fn rates_add_up_and_say_when_nobody_is_required() {
    let r: AckRate = [
        AckRate {
            required: 4,
            acknowledged: 3,
        },
        AckRate {
            required: 6,
            acknowledged: 2,
        },
    ]
    .into_iter()
    .sum();
    assert_eq!(
        r,
        AckRate {
            required: 10,
            acknowledged: 5
        }
    );
    assert_eq!(r.ratio(), Some(0.5));
    assert_eq!(r.percent_label(), "50.0%");
    assert_eq!(AckRate::default().ratio(), None);
    assert_eq!(
        "ten_prohibitions".parse::<Category>(),
        Ok(Category::TenProhibitions)
    );
    assert!("rules".parse::<Category>().is_err());
}
