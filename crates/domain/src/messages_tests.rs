//! Every message the domain gives a person is bilingual: Chinese first, then English.
//! One value of every error variant (and the string messages that reach people through
//! the pass-through errors), each checked the same way.

use crate::calendar::{CalendarError, parse, parse_hours};
use crate::cases::document::{DocType, UploadError};
use crate::cases::{CaseRuleError, ClockError, ClockState, HandoverError};
use crate::catalogue::{from_yaml, normalize_contact, parse_yuan};
use crate::feedback::csv::CsvError;
use crate::feedback::gaming::check_finding_note;
use crate::feedback::import::ShapeError;
use crate::feedback::phone::PhoneRatingError;
use crate::halls::{check_business_type, check_hall};
use crate::insight::indices::IndexConfigError;
use crate::insight::observation::{ObservationItem, Verdict, check_items};
use crate::insight::survey::{
    InvitationState, ItemKind, SurveyAnswer, SurveyDefinition, SurveyItem, SurveyTrigger,
    check_answer,
};
use crate::regions::RegionError;
use crate::standards::{AckError, PublishError};
use crate::{Fen, MoneyError, RatingError, TicketAction, TicketState, TransitionError};
use chrono::NaiveDate;

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Starts with Chinese (a Chinese quote or a number may come before it) and has English.
fn bilingual(m: &str) -> bool {
    let head = m.trim_start_matches(|c: char| c == '“' || c.is_ascii_digit() || c == ' ');
    let chinese_first = head.chars().next().is_some_and(is_cjk);
    let english = m
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.len() >= 3);
    chinese_first && english
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn err<T: std::fmt::Debug, E: ToString>(r: Result<T, E>) -> String {
    r.unwrap_err().to_string()
}

fn survey(items: Vec<SurveyItem>) -> SurveyDefinition {
    SurveyDefinition {
        title: "办理后回访".into(),
        trigger: SurveyTrigger::CaseClosed,
        window_hours: 72,
        items,
    }
}

fn item(key: &str, kind: ItemKind, touchpoint: Option<&str>) -> SurveyItem {
    SurveyItem {
        key: key.into(),
        kind,
        text: "您对本次服务满意吗".into(),
        touchpoint: touchpoint.map(Into::into),
        dimension: None,
    }
}

fn observed(code: &str, verdict: Verdict, note: &str, tp: &[&str]) -> Vec<ObservationItem> {
    vec![ObservationItem {
        code: code.into(),
        verdict,
        note: note.into(),
        touchpoints: tp.iter().map(|t| t.to_string()).collect(),
    }]
}

fn survey_messages() -> Vec<String> {
    let level = |k: &str| item(k, ItemKind::Level, Some("waiting"));
    let mut long_title = survey(vec![level("q1")]);
    long_title.title = "长".repeat(81);
    let mut window = survey(vec![level("q1")]);
    window.window_hours = 0;
    let open = InvitationState {
        expires_at: 100,
        answered: false,
    };
    let answer = |k: &str, v: i64| SurveyAnswer {
        values: [(k.to_string(), v)].into(),
        comment: String::new(),
    };
    let ok = survey(vec![level("q1")]);
    vec![
        err(long_title.validate()),
        err(window.validate()),
        err(survey(vec![]).validate()),
        err(survey(vec![level("q 1")]).validate()),
        err(survey(vec![level("q1"), level("q1")]).validate()),
        err(survey(vec![item("q1", ItemKind::Level, Some("lobby"))]).validate()),
        err(survey(vec![item("q1", ItemKind::Level, None)]).validate()),
        err(survey(vec![item("q1", ItemKind::Text, Some("waiting"))]).validate()),
        err(survey(vec![
            level("q1"),
            item("q2", ItemKind::Text, None),
            item("q3", ItemKind::Text, None),
        ])
        .validate()),
        err(survey(vec![item("q1", ItemKind::Text, None)]).validate()),
        err(check_answer(
            &ok,
            InvitationState {
                answered: true,
                ..open
            },
            &answer("q1", 5),
            0,
        )),
        err(check_answer(&ok, open, &answer("q1", 5), 101)),
        err(check_answer(&ok, open, &answer("q9", 5), 0)),
        err(check_answer(&ok, open, &SurveyAnswer::default(), 0)),
        err(check_answer(&ok, open, &answer("q1", 6), 0)),
    ]
}

fn observation_messages() -> Vec<String> {
    let mut twice = observed("grooming", Verdict::Met, "", &[]);
    twice.extend(observed("grooming", Verdict::Met, "", &[]));
    vec![
        err(check_items(&[])),
        err(check_items(&observed("smile", Verdict::Met, "", &[]))),
        err(check_items(&twice)),
        err(check_items(&observed("grooming", Verdict::NotMet, "", &[]))),
        err(check_items(&observed(
            "grooming",
            Verdict::Met,
            &"长".repeat(501),
            &[],
        ))),
        err(check_items(&observed(
            "grooming",
            Verdict::Met,
            "",
            &["lobby"],
        ))),
        err(check_items(&observed(
            "grooming",
            Verdict::NotObserved,
            "",
            &[],
        ))),
    ]
}

fn setup_and_catalogue_messages() -> Vec<String> {
    let hall = |tz, o| check_hall("DL-XG", "西岗营业厅", tz, o, "17:30", 3);
    let catalogue = |text: &str| err(from_yaml(text, &["payment"]));
    vec![
        err(hall("Mars/Olympus", "08:30")),
        err(hall("Asia/Shanghai", "8h30")),
        err(check_business_type(
            "payment",
            "电费缴纳",
            "Bill payment",
            "a1",
            900,
            300,
        )),
        catalogue("hall: DL-XG\nrepeat_window_days: 7\nentries: 5\n"),
        catalogue("hall: DL-XG\nrepeat_window_days: 0\nentries: []\n"),
        catalogue("hall: DL-XG\nrepeat_window_days: 7\nmap_url: map.example\nentries: []\n"),
        err(parse_yuan("十元")),
        err(normalize_contact("")),
        err(check_finding_note(" ")),
        err(parse_hours("soon")),
        err("printer".parse::<crate::DeviceKind>()),
        parse("year 2026\nworkday 2026-02-16\n").unwrap_err().errors[0]
            .reason
            .clone(),
    ]
}

#[test]
fn every_message_is_chinese_first_then_english() {
    let key = || "callback.callback".to_string();
    let name = || "刘洋".to_string();
    let mut messages = vec![
        UploadError::Empty.to_string(),
        UploadError::TooBig {
            size: 30 << 20,
            max: 20 << 20,
        }
        .to_string(),
        UploadError::UnknownType {
            name: "a.doc".into(),
        }
        .to_string(),
        UploadError::NameMismatch {
            name: "a.pdf".into(),
            found: DocType::Png,
        }
        .to_string(),
        UploadError::QuotaFull {
            files: 40,
            bytes: 1,
        }
        .to_string(),
        UploadError::BadName.to_string(),
        ClockError::PauseNotRunning {
            key: key(),
            state: ClockState::Paused,
        }
        .to_string(),
        ClockError::ResumeNotPaused {
            key: key(),
            state: ClockState::Running,
        }
        .to_string(),
        ClockError::StoppedTwice { key: key() }.to_string(),
        ClockError::StopNotStarted { key: key() }.to_string(),
        ClockError::StartedTwice { key: key() }.to_string(),
        ClockError::OutOfOrder {
            key: key(),
            at: 1,
            last: 2,
        }
        .to_string(),
        ClockError::PauseWithoutReason.to_string(),
        CaseRuleError::UnknownStep {
            code: "visit".into(),
            known: "accept, callback".into(),
        }
        .to_string(),
        CaseRuleError::StepDone {
            code: "callback".into(),
            name_zh: "回访".into(),
        }
        .to_string(),
        CaseRuleError::OutOfOrder {
            code: "callback".into(),
            waiting: "reply".into(),
            waiting_zh: "答复客户".into(),
        }
        .to_string(),
        CaseRuleError::CallbackMissing.to_string(),
        CaseRuleError::CallbackNoteMissing.to_string(),
        CaseRuleError::ComplaintWithoutCallback.to_string(),
        CaseRuleError::RecoveryWithoutCallback.to_string(),
        CaseRuleError::StepsOpen {
            code: "callback".into(),
            name_zh: "回访".into(),
        }
        .to_string(),
        CaseRuleError::Closed.to_string(),
        HandoverError::ToOwner { name: name() }.to_string(),
        HandoverError::OutsideHall { name: name() }.to_string(),
        HandoverError::OutsideRegion { name: name() }.to_string(),
        HandoverError::CannotWorkCases {
            name: name(),
            role_zh: "引导员",
            role_en: "guide",
        }
        .to_string(),
        HandoverError::Inactive { name: name() }.to_string(),
        HandoverError::NoReason.to_string(),
        HandoverError::AlreadyPending { name: name() }.to_string(),
        HandoverError::NonePending.to_string(),
        HandoverError::NotTheRecipient { name: name() }.to_string(),
        MoneyError::NegativeDue(-1).to_string(),
        MoneyError::ReceivedLessThanDue {
            due: Fen(26000),
            received: Fen(20000),
        }
        .to_string(),
        MoneyError::TooLarge.to_string(),
        RatingError::OutOfRange(6).to_string(),
        RatingError::ReasonRequired.to_string(),
        RatingError::UnknownReason("rude".into()).to_string(),
        PhoneRatingError::Level(RatingError::ReasonRequired).to_string(),
        PhoneRatingError::UnknownTouchpoint("lobby".into()).to_string(),
        PhoneRatingError::TouchpointTwice("waiting".into()).to_string(),
        PhoneRatingError::TouchpointLevel {
            touchpoint: "payment".into(),
            source: RatingError::OutOfRange(0),
        }
        .to_string(),
        PhoneRatingError::CommentTooLong(501).to_string(),
        PhoneRatingError::BadPhone.to_string(),
        PhoneRatingError::NameTooLong.to_string(),
        PhoneRatingError::NotFinished("A012".into()).to_string(),
        PhoneRatingError::WindowClosed {
            number: "A012".into(),
            hours: 72,
        }
        .to_string(),
        CsvError { line: 3 }.to_string(),
        ShapeError::Empty.to_string(),
        ShapeError::Csv(CsvError { line: 3 }).to_string(),
        ShapeError::MissingColumns("level".into()).to_string(),
        ShapeError::DuplicateColumn("level".into()).to_string(),
        ShapeError::TooManyRows(20_001).to_string(),
        TransitionError::NotAllowed {
            state: TicketState::Finished,
            action: TicketAction::Call,
        }
        .to_string(),
        PublishError::Locked(3).to_string(),
        PublishError::InThePast {
            date: day("2026-01-01"),
            today: day("2026-02-01"),
        }
        .to_string(),
        PublishError::NotAfterLatest {
            date: day("2026-03-01"),
            number: 2,
            latest: day("2026-04-01"),
        }
        .to_string(),
        AckError::Draft(3).to_string(),
        AckError::NotYetEffective {
            number: 3,
            from: day("2026-03-01"),
        }
        .to_string(),
        AckError::Superseded {
            number: 2,
            current: 3,
        }
        .to_string(),
        AckError::WrongRole {
            role: "引导员".into(),
            audience: "柜员".into(),
        }
        .to_string(),
        AckError::OtherHall.to_string(),
        AckError::NoHall.to_string(),
        RegionError::BadCode("x".into()).to_string(),
        RegionError::NoName.to_string(),
        RegionError::UnknownParent(9).to_string(),
        RegionError::Cycle("LN-DL".into()).to_string(),
        RegionError::Corrupt(9).to_string(),
        IndexConfigError::GoodFrom(5).to_string(),
        IndexConfigError::MinN(0).to_string(),
        IndexConfigError::NegativeWeight("attitude").to_string(),
        IndexConfigError::ZeroWeights.to_string(),
        CalendarError::OutOfRange.to_string(),
        CalendarError::Negative.to_string(),
        CalendarError::BadPause.to_string(),
    ];
    messages.extend(survey_messages());
    messages.extend(observation_messages());
    messages.extend(setup_and_catalogue_messages());
    let english_only: Vec<&String> = messages.iter().filter(|m| !bilingual(m)).collect();
    assert!(
        english_only.is_empty(),
        "messages not Chinese-first and bilingual:\n{english_only:#?}"
    );
}
