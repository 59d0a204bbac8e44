//! Surveys (window, once, range), observations (validation, other halls) and the counts
//! behind the satisfaction figures, on both databases.

use crate::fixture::{Fixture, T0, fixture, hall_input, issue_req};
use servicehall_domain::Role;
use servicehall_domain::catalogue::VisitOutcome;
use servicehall_domain::insight::observation::{ObservationItem, ObserverKind, Verdict};
use servicehall_domain::insight::survey::*;
use servicehall_domain::insight::{CsiWeights, Dimension, IndexConfig, LevelCounts};
use servicehall_store::*;

const MIN: i64 = 60_000;
const HOUR: i64 = 3_600_000;

mod list;
mod rollup;

on_both!(in rollup: rollup_figures_equal_counting_rows);
on_both!(in list: observation_list_filters_and_pages);

on_both!(
    survey_answers_once_within_the_window_and_in_range,
    survey_definitions_are_checked_before_anything_is_stored,
    observations_stay_in_their_hall,
    counts_by_group_match_what_was_recorded,
    index_settings_are_validated,
    phone_and_outside_ratings_count_in_every_view,
);

/// A visit of business type B served and finished at counter 2 by clerk 2; returns its id.
async fn finished_visit(s: &SqlStore, f: &Fixture, code: &str, at: i64) -> i64 {
    let t = s.issue_ticket(&issue_req(f, 1, code), at).await.unwrap();
    let c2 = f.counters[1].id;
    let called = s.call_next(c2, None, at).await.unwrap().unwrap();
    assert_eq!(called.id, t.id);
    let op = Operator {
        staff_id: Some(f.clerks[1].id),
        counter_id: Some(c2),
    };
    s.act_on_ticket(t.id, &TicketCommand::Start, op, at)
        .await
        .unwrap();
    s.act_on_ticket(
        t.id,
        &TicketCommand::Finish {
            read_back: None,
            outcome: VisitOutcome::Completed,
        },
        op,
        at + MIN,
    )
    .await
    .unwrap();
    t.id
}

fn definition() -> SurveyDefinition {
    SurveyDefinition {
        title: "新装体验 New connection".into(),
        trigger: SurveyTrigger::BusinessType,
        window_hours: 48,
        items: vec![
            SurveyItem {
                key: "wait".into(),
                kind: ItemKind::Level,
                text: "等候时间满意吗".into(),
                touchpoint: Some("waiting".into()),
                dimension: Some(Dimension::Efficiency),
            },
            SurveyItem {
                key: "clerk".into(),
                kind: ItemKind::Level,
                text: "柜员服务态度".into(),
                touchpoint: Some("counter".into()),
                dimension: Some(Dimension::Attitude),
            },
            SurveyItem {
                key: "nps".into(),
                kind: ItemKind::Recommend,
                text: "推荐给亲友".into(),
                touchpoint: None,
                dimension: None,
            },
            SurveyItem {
                key: "more".into(),
                kind: ItemKind::Text,
                text: "其他意见".into(),
                touchpoint: None,
                dimension: None,
            },
        ],
    }
}

fn answer(wait: i64, clerk: i64, nps: i64) -> SurveyAnswer {
    let mut a = SurveyAnswer::default();
    a.values.insert("wait".into(), wait);
    a.values.insert("clerk".into(), clerk);
    a.values.insert("nps".into(), nps);
    a
}

pub async fn survey_answers_once_within_the_window_and_in_range(s: SqlStore) {
    let f = fixture(&s).await;
    let survey = s
        .create_survey(&definition(), &[f.bt[1].id], None, T0)
        .await
        .unwrap();
    assert_eq!(survey.business_type_ids, vec![f.bt[1].id]);

    // A visit not finished yet cannot be invited (type A: counter 2 never calls it).
    let open = s.issue_ticket(&issue_req(&f, 0, "open"), T0).await.unwrap();
    assert!(matches!(
        s.invite_for_ticket(open.id, "h-open", T0).await,
        Err(StoreError::Conflict(_))
    ));
    let t = finished_visit(&s, &f, "v1", T0).await;
    let inv = s
        .invite_for_ticket(t, "h1", T0 + 2 * MIN)
        .await
        .unwrap()
        .expect("the business type has a survey");
    assert_eq!(inv.expires_at, T0 + 2 * MIN + 48 * HOUR);
    assert_eq!(inv.staff_id, Some(f.clerks[1].id));
    assert!(
        matches!(s.invite_for_ticket(t, "h1b", T0 + 3 * MIN).await, Err(StoreError::Conflict(m)) if m.contains("already")),
        "one invitation per visit"
    );

    // Out of range: refused, and nothing is kept — the same link still takes a good answer.
    let e = s
        .answer_survey("h1", &answer(6, 4, 9), T0 + HOUR)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(m) if m.contains("1 to 5")));
    let e = s
        .answer_survey("h1", &answer(4, 4, 11), T0 + HOUR)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(m) if m.contains("0 to 10")));
    let counts = s
        .satisfaction_counts(&scope(&f), GroupBy::Hall)
        .await
        .unwrap();
    assert!(counts.groups.iter().all(|g| g.recommend.n() == 0));

    let done = s
        .answer_survey("h1", &answer(2, 5, 9), T0 + HOUR)
        .await
        .unwrap();
    assert_eq!(done.answered_at, Some(T0 + HOUR));
    assert!(
        matches!(s.answer_survey("h1", &answer(5, 5, 10), T0 + HOUR + MIN).await, Err(StoreError::Conflict(m)) if m.contains("already")),
        "a second answer is refused"
    );
    let (again, _) = s.invitation("h1").await.unwrap();
    assert_eq!(
        again.answered_at,
        Some(T0 + HOUR),
        "the first answer stands"
    );

    // After the window: refused, nothing counted.
    let t2 = finished_visit(&s, &f, "v2", T0 + 5 * MIN).await;
    s.invite_for_ticket(t2, "h2", T0 + 10 * MIN)
        .await
        .unwrap()
        .unwrap();
    let late = T0 + 10 * MIN + 48 * HOUR + 1;
    assert!(matches!(
        s.answer_survey("h2", &answer(5, 5, 10), late).await,
        Err(StoreError::Conflict(m)) if m.contains("window")
    ));
    assert!(matches!(
        s.answer_survey("nope", &answer(5, 5, 10), T0).await,
        Err(StoreError::NotFound(_))
    ));

    // Exactly one answer is counted: NPS 9 once, 等候 level 2, 态度 level 5.
    let counts = s
        .satisfaction_counts(&scope(&f), GroupBy::Staff)
        .await
        .unwrap();
    let g = counts
        .groups
        .iter()
        .find(|g| g.key == f.clerks[1].id)
        .unwrap();
    assert_eq!(g.recommend.n(), 1);
    assert_eq!(g.recommend.0[9], 1);
    let dim = |d| g.dimensions.iter().find(|(x, _)| *x == d).unwrap().1;
    assert_eq!(dim(Dimension::Efficiency), LevelCounts([0, 1, 0, 0, 0]));
    assert_eq!(dim(Dimension::Attitude), LevelCounts([0, 0, 0, 0, 1]));

    // A deactivated survey invites no one.
    let surveys = s.surveys().await.unwrap();
    assert_eq!(surveys.len(), 1);
    s.set_survey_active(survey.id, false).await.unwrap();
    let t3 = finished_visit(&s, &f, "v3", T0 + 20 * MIN).await;
    assert_eq!(
        s.invite_for_ticket(t3, "h3", T0 + 30 * MIN).await.unwrap(),
        None
    );
}

pub async fn survey_definitions_are_checked_before_anything_is_stored(s: SqlStore) {
    let f = fixture(&s).await;
    let e = s
        .create_survey(&definition(), &[f.bt[1].id, 999_999], None, T0)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(m) if m.contains("999999")));
    assert!(s.surveys().await.unwrap().is_empty(), "rolled back");
    let mut bad = definition();
    bad.items[0].touchpoint = Some("parking".into());
    assert!(matches!(
        s.create_survey(&bad, &[f.bt[1].id], None, T0).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.create_survey(&definition(), &[], None, T0).await,
        Err(StoreError::Invalid(m)) if m.contains("business type")
    ));
    let mut after_case = definition();
    after_case.trigger = SurveyTrigger::CaseClosed;
    let ok = s.create_survey(&after_case, &[], None, T0).await.unwrap();
    assert_eq!(s.survey(ok.id).await.unwrap().definition, after_case);
    assert!(matches!(
        s.invite_for_case(424_242, "hc", T0).await,
        Err(StoreError::NotFound(_))
    ));
}

fn scope(f: &Fixture) -> InsightScope {
    InsightScope {
        hall_ids: vec![f.hall.id],
        from: T0 - HOUR,
        to: T0 + 100 * HOUR,
    }
}

fn item(code: &str, verdict: Verdict, note: &str, tp: &str) -> ObservationItem {
    ObservationItem {
        code: code.into(),
        verdict,
        note: note.into(),
        touchpoints: vec![tp.into()],
    }
}

fn observation(f: &Fixture, observer: i64) -> ObservationInput {
    ObservationInput {
        hall_id: f.hall.id,
        counter_id: Some(f.counters[0].id),
        staff_id: Some(f.clerks[0].id),
        observer_id: observer,
        observer_kind: ObserverKind::Supervisor,
        observed_at: T0,
        note: "上午巡查".into(),
        evidence: "10:05 收费 86.50 元,未唱付找零".into(),
        photo_ref: String::new(),
        photo: Some("data:image/png;base64,iVBORw0KGgo=".into()),
        items: vec![
            item("grooming", Verdict::Met, "", "counter"),
            item("read_back", Verdict::NotMet, "找零未唱付", "payment"),
            item("first_inquiry", Verdict::NotObserved, "", "counter"),
        ],
    }
}

pub async fn observations_stay_in_their_hall(s: SqlStore) {
    let f = fixture(&s).await;
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
    let other = s.create_hall(&hall_input("DL-OT")).await.unwrap();
    let other_clerk = s
        .create_staff(
            &StaffInput {
                hall_id: Some(other.id),
                username: "ot1".into(),
                name: "柜员乙".into(),
                badge_no: "OT01".into(),
                role: Role::Clerk,
                photo: String::new(),
                active: true,
            },
            "x",
        )
        .await
        .unwrap();
    let mut wrong = observation(&f, sup.id);
    wrong.staff_id = Some(other_clerk.id);
    assert!(matches!(
        s.record_observation(&wrong, T0).await,
        Err(StoreError::Invalid(m)) if m.contains("another hall")
    ));
    let mut wrong = observation(&f, sup.id);
    wrong.hall_id = other.id;
    wrong.staff_id = None;
    assert!(matches!(
        s.record_observation(&wrong, T0).await,
        Err(StoreError::Invalid(m)) if m.contains("another hall")
    ));
    let mut wrong = observation(&f, sup.id);
    wrong.items[1].note = String::new();
    assert!(matches!(
        s.record_observation(&wrong, T0).await,
        Err(StoreError::Invalid(m)) if m.contains("note")
    ));
    let mut wrong = observation(&f, sup.id);
    wrong.photo = Some("javascript:alert(1)".into());
    assert!(s.record_observation(&wrong, T0).await.is_err());
    // Only what the web layer's re-encoding produces is kept: JPEG or PNG data URLs.
    let mut wrong = observation(&f, sup.id);
    wrong.photo = Some("data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=".into());
    assert!(matches!(
        s.record_observation(&wrong, T0).await,
        Err(StoreError::Invalid(m)) if m.contains("JPEG or PNG")
    ));
    // Times far in the past are refused, not stored (i64::MIN came through before).
    let mut wrong = observation(&f, sup.id);
    wrong.observed_at = i64::MIN;
    assert!(matches!(
        s.record_observation(&wrong, T0).await,
        Err(StoreError::Invalid(m)) if m.contains("a year ago")
    ));
    let mut wrong = observation(&f, sup.id);
    wrong.counter_id = None;
    wrong.staff_id = None;
    assert!(s.record_observation(&wrong, T0).await.is_err());
    assert!(
        s.observations(&scope(&f), 10).await.unwrap().is_empty(),
        "nothing half-written"
    );

    let o = s
        .record_observation(&observation(&f, sup.id), T0 + MIN)
        .await
        .unwrap();
    // (2 + 0) / (2 × 2) = 50%.
    assert_eq!(o.score_pct, Some(50.0));
    assert_eq!(o.items.len(), 3);
    assert_eq!(o.items[1].code, "read_back");
    assert!(o.has_photo);
    assert!(
        s.observation_photo(o.id)
            .await
            .unwrap()
            .unwrap()
            .starts_with("data:image/png")
    );
    let list = s.observations(&scope(&f), 10).await.unwrap();
    assert_eq!(list, vec![o]);

    let curve = s.curve_counts(&scope(&f)).await.unwrap();
    let obs = |tp: &str| curve.observed.iter().find(|(t, _, _)| t == tp).cloned();
    assert_eq!(obs("counter"), Some(("counter".into(), 2, 1)));
    assert_eq!(obs("payment"), Some(("payment".into(), 0, 1)));
    assert_eq!(
        curve.sources.observed_misses,
        vec![("payment".to_string(), "read_back".to_string(), 1)]
    );
}

pub async fn counts_by_group_match_what_was_recorded(s: SqlStore) {
    let f = fixture(&s).await;
    // Five visits at counter 2, rated 5, 4, 3, 2 (long_wait), 1 (long_wait, attitude).
    let ratings: [(i64, &[&str]); 5] = [
        (5, &[]),
        (4, &[]),
        (3, &[]),
        (2, &["long_wait"]),
        (1, &["long_wait", "attitude"]),
    ];
    for (i, (level, reasons)) in ratings.iter().enumerate() {
        let at = T0 + i as i64 * 10 * MIN;
        let t = finished_visit(&s, &f, &format!("r{i}"), at).await;
        let reasons: Vec<String> = reasons.iter().map(|r| r.to_string()).collect();
        s.rate(
            t,
            f.counters[1].id,
            None,
            *level,
            &reasons,
            10 * MIN,
            at + MIN,
        )
        .await
        .unwrap();
    }
    // One rating outside the period is not counted.
    let late = finished_visit(&s, &f, "late", T0 + 200 * HOUR).await;
    s.rate(
        late,
        f.counters[1].id,
        None,
        1,
        &["slow".into()],
        10 * MIN,
        T0 + 200 * HOUR + MIN,
    )
    .await
    .unwrap();

    for by in [
        GroupBy::Hall,
        GroupBy::Counter,
        GroupBy::Staff,
        GroupBy::BusinessType,
    ] {
        let c = s.satisfaction_counts(&scope(&f), by).await.unwrap();
        let want = match by {
            GroupBy::Hall => f.hall.id,
            GroupBy::Counter => f.counters[1].id,
            GroupBy::Staff => f.clerks[1].id,
            GroupBy::BusinessType => f.bt[1].id,
        };
        assert_eq!(c.groups.len(), 1, "{by:?}");
        assert_eq!(c.groups[0].key, want, "{by:?}");
        assert_eq!(c.groups[0].levels, LevelCounts([1, 1, 1, 1, 1]), "{by:?}");
        let mut reasons = c.reasons.clone();
        reasons.sort();
        assert_eq!(
            reasons,
            vec![("attitude".to_string(), 1), ("long_wait".to_string(), 2)]
        );
    }
    // Another hall's scope sees none of it; an empty list of halls sees nothing.
    let other = s.create_hall(&hall_input("DL-OT")).await.unwrap();
    let mut sc = scope(&f);
    sc.hall_ids = vec![other.id];
    assert!(
        s.satisfaction_counts(&sc, GroupBy::Hall)
            .await
            .unwrap()
            .groups
            .is_empty()
    );
    sc.hall_ids.clear();
    assert!(s.curve_counts(&sc).await.unwrap().sources.pad.n() == 0);

    let curve = s.curve_counts(&scope(&f)).await.unwrap();
    assert_eq!(curve.sources.pad, LevelCounts([1, 1, 1, 1, 1]));
}

pub async fn index_settings_are_validated(s: SqlStore) {
    assert_eq!(s.insight_config().await.unwrap(), IndexConfig::default());
    let mut c = IndexConfig {
        weights: CsiWeights([0.0; 5]),
        ..IndexConfig::default()
    };
    assert!(matches!(
        s.set_insight_config(&c, T0).await,
        Err(StoreError::Invalid(m)) if m.contains("not all be 0")
    ));
    c.weights = CsiWeights([1.0, 2.0, 3.0, 0.0, 0.5]);
    c.min_n = 20;
    c.good_from = 4;
    s.set_insight_config(&c, T0).await.unwrap();
    assert_eq!(s.insight_config().await.unwrap(), c);
}

pub async fn phone_and_outside_ratings_count_in_every_view(s: SqlStore) {
    use servicehall_domain::feedback::phone::{PhoneRatingInput, TouchpointLevel};
    let f = fixture(&s).await;
    let mgr = s
        .create_staff(
            &StaffInput {
                hall_id: Some(f.hall.id),
                username: "mgr".into(),
                name: "值班长王".into(),
                badge_no: "DL900".into(),
                role: Role::HallManager,
                photo: String::new(),
                active: true,
            },
            "x",
        )
        .await
        .unwrap();
    // 一事一评: 不满意 (slow) overall; 等候 1 star, 柜台 4.
    finished_visit(&s, &f, "ph1", T0).await;
    let tp = |t: &str, level| TouchpointLevel {
        touchpoint: t.into(),
        level,
    };
    s.rate_by_phone(
        "ph1",
        &PhoneRatingInput {
            level: 2,
            touchpoints: vec![tp("waiting", 1), tp("counter", 4)],
            reasons: vec!["slow".into()],
            ..Default::default()
        },
        T0 + HOUR,
    )
    .await
    .unwrap();
    // 外评: a 5 at the counter, a 1 at 等候 (long_wait), and one outside the period.
    let csv = "source_row_id,hall_code,date,level,business_type,touchpoint,reasons,comment,customer_phone\n\
        X-1,DL-XH,2025-11-28 12:00,5,payment,counter,,,\n\
        X-2,DL-XH,2025-11-28 15:00,1,new_connection,waiting,等候时间长,,\n\
        X-3,DL-XH,2025-10-01 15:00,1,payment,,,,\n";
    let r = s
        .import_external(
            ExternalSource::Survey,
            "x.csv",
            csv,
            mgr.id,
            None,
            T0 + 10 * HOUR,
        )
        .await
        .unwrap();
    assert_eq!(r.rows_imported, 3, "{r:?}");

    let by_hall = s
        .satisfaction_counts(&scope(&f), GroupBy::Hall)
        .await
        .unwrap();
    assert_eq!(by_hall.groups.len(), 1);
    // Phone 2, outside 5 and 1: one response each.
    assert_eq!(by_hall.groups[0].levels, LevelCounts([1, 1, 0, 0, 1]));
    let mut reasons = by_hall.reasons.clone();
    reasons.sort();
    assert_eq!(
        reasons,
        vec![("long_wait".to_string(), 1), ("slow".to_string(), 1)]
    );
    // Outside rows name no counter: they group under 0 ("not recorded").
    let by_counter = s
        .satisfaction_counts(&scope(&f), GroupBy::Counter)
        .await
        .unwrap();
    let keys: Vec<(i64, i64)> = by_counter
        .groups
        .iter()
        .map(|g| (g.key, g.levels.n()))
        .collect();
    assert_eq!(keys, vec![(0, 2), (f.counters[1].id, 1)]);
    let by_type = s
        .satisfaction_counts(&scope(&f), GroupBy::BusinessType)
        .await
        .unwrap();
    let b = |i: usize| {
        by_type
            .groups
            .iter()
            .find(|g| g.key == f.bt[i].id)
            .map(|g| g.levels.n())
    };
    assert_eq!((b(0), b(1)), (Some(1), Some(2)));

    let curve = s.curve_counts(&scope(&f)).await.unwrap();
    let at = |t: &str| {
        curve
            .sources
            .by_touchpoint
            .iter()
            .find(|(x, _)| x == t)
            .map(|(_, c)| *c)
    };
    assert_eq!(at("waiting"), Some(LevelCounts([2, 0, 0, 0, 0])));
    assert_eq!(at("counter"), Some(LevelCounts([0, 0, 0, 1, 1])));
    assert_eq!(curve.sources.bad_reasons, vec![("slow".to_string(), 1)]);
    assert_eq!(
        curve.sources.reasons_at,
        vec![("waiting".to_string(), "long_wait".to_string(), 1)]
    );
}
