//! The demo hall's customer register (客户与分群): a dozen customers across every segment,
//! with bases and review dates (some due within 30 days), consents given and one withdrawn,
//! and one customer the guide desk recognises: 刘建国 (残障), sent home two days ago for a
//! missing document with a one-time notice, with an open complaint.

use super::hall::DemoHall;
use crate::CliResult;
use chrono::Days;
use servicehall_domain::cases::{CaseKind, CustomerClass};
use servicehall_domain::catalogue::VisitOutcome;
use servicehall_domain::customers::{Basis, ContactChannel, Membership, Purpose, Segment};
use servicehall_domain::time::{parse_tz, service_day};
use servicehall_store::{ConsentInput, CustomerFilter, NewCustomer, OpenCase, Store, VisitInput};

const DAY: i64 = 86_400_000;

/// (account, name, phone, class, [(segment, basis, review in days)], [(purpose, channel)])
type Spec = (
    &'static str,
    &'static str,
    &'static str,
    CustomerClass,
    &'static [(Segment, Option<Basis>, u64)],
    &'static [(Purpose, ContactChannel)],
);

use Basis::{CommunityReferral, SelfDeclared, VerifiedDocument};
use ContactChannel::{Call, Sms, Wechat};
use CustomerClass::{HvDual, HvSingle, LowVoltage, Resident};
use Purpose::{AppointmentReminder, Marketing, OutageNotice, SatisfactionSurvey};
use Segment::*;

const CUSTOMERS: &[Spec] = &[
    (
        "0411300218",
        "刘建国",
        "13898765432",
        Resident,
        &[(Disabled, Some(VerifiedDocument), 150)],
        &[(OutageNotice, Sms), (AppointmentReminder, Sms)],
    ),
    (
        "0411200417",
        "王秀兰",
        "13904110427",
        Resident,
        &[(LivingAlone, Some(CommunityReferral), 12)],
        &[(OutageNotice, Call)],
    ),
    (
        "0411200533",
        "张桂芳",
        "13700112233",
        Resident,
        &[(MedicalEquipment, Some(VerifiedDocument), 90)],
        &[(OutageNotice, Call), (OutageNotice, Sms)],
    ),
    (
        "0411200861",
        "周玉梅",
        "15904112208",
        Resident,
        &[
            (LivingAlone, Some(CommunityReferral), 25),
            (Disabled, Some(SelfDeclared), 25),
        ],
        &[],
    ),
    (
        "0411201102",
        "李淑珍",
        "13504113317",
        Resident,
        &[(LowIncome, Some(VerifiedDocument), 200)],
        &[(SatisfactionSurvey, Sms)],
    ),
    (
        "0411201358",
        "吴国华",
        "18640112345",
        Resident,
        &[(MedicalEquipment, Some(CommunityReferral), 20)],
        &[(OutageNotice, Call)],
    ),
    (
        "0411201790",
        "赵德顺",
        "13309870011",
        Resident,
        &[(LivingAlone, Some(SelfDeclared), 300)],
        &[],
    ),
    (
        "0411800016",
        "大连港湾物流有限公司",
        "041182345678",
        HvSingle,
        &[(KeyAccount, None, 0), (HighVoltage, None, 0)],
        &[(OutageNotice, Sms), (AppointmentReminder, Wechat)],
    ),
    (
        "0411800027",
        "大连星海湾酒店",
        "041184561234",
        HvDual,
        &[(KeyAccount, None, 0), (HighVoltage, None, 0)],
        &[(OutageNotice, Call)],
    ),
    (
        "0411500341",
        "陈志强",
        "13942001234",
        LowVoltage,
        &[(KeyAccount, None, 0)],
        &[(AppointmentReminder, Sms), (Marketing, Wechat)],
    ),
    (
        "0411202004",
        "郑海燕",
        "15140998877",
        Resident,
        &[],
        &[(AppointmentReminder, Sms)],
    ),
    (
        "0411202215",
        "孙丽",
        "13591234567",
        Resident,
        &[],
        &[(SatisfactionSurvey, Wechat)],
    ),
];

/// Seeds the register once (a hall that already keeps customers keeps them). Returns how
/// many customers were registered.
pub async fn seed(store: &dyn Store, demo: &DemoHall, now: i64) -> CliResult<usize> {
    let hall = demo.hall.id;
    if !store
        .customers(hall, &CustomerFilter::default())
        .await?
        .is_empty()
    {
        return Ok(0);
    }
    let tz = parse_tz(&demo.hall.timezone).map_err(crate::CliError::failed)?;
    let today = service_day(now, tz);
    let manager = store
        .staff_list(Some(hall))
        .await?
        .into_iter()
        .find(|s| s.role == servicehall_domain::Role::HallManager)
        .map(|s| s.id);
    let clerk = demo.clerks.first().map(|c| c.id);
    let registered = now - 40 * DAY;
    for (i, (account, name, phone, class, segs, consents)) in CUSTOMERS.iter().enumerate() {
        let at = registered + i as i64 * 3_600_000;
        let segments = segs
            .iter()
            .map(|(segment, basis, days)| Membership {
                segment: *segment,
                care: segment.default_care(),
                basis: *basis,
                // Review dates are counted from today so the demo always has some due.
                review_on: basis.map(|_| today + Days::new(*days)),
                note: match segment {
                    MedicalEquipment => "家用制氧机，停电须提前告知".into(),
                    LivingAlone => "子女在外地，社区网格员联系".into(),
                    _ => String::new(),
                },
            })
            .collect();
        let c = store
            .create_customer(
                hall,
                &NewCustomer {
                    account_no: (*account).into(),
                    name: (*name).into(),
                    phone: (*phone).into(),
                    class: *class,
                    note: String::new(),
                    segments,
                },
                manager,
                at.min(now),
            )
            .await?;
        for (k, (purpose, channel)) in consents.iter().enumerate() {
            let input = ConsentInput {
                purpose: *purpose,
                channel: Some(*channel),
                granted: true,
                note: "柜台签字 signed at the counter".into(),
            };
            store
                .record_consent(c.id, &input, clerk, (at + 60_000 * (k as i64 + 1)).min(now))
                .await?;
        }
        if *account == "0411202004" {
            // A withdrawal: the history keeps the grant, contact stops from the withdrawal.
            let input = ConsentInput {
                purpose: AppointmentReminder,
                channel: None,
                granted: false,
                note: "客户来电撤回 withdrawn by phone".into(),
            };
            store
                .record_consent(c.id, &input, clerk, now - 5 * DAY)
                .await?;
        }
    }
    // 刘建国: sent home two days ago for a missing document, with an open complaint.
    let visit = VisitInput {
        hall_id: hall,
        ticket_id: None,
        business_type: "new_residential".into(),
        class: Resident,
        contact: "13898765432".into(),
        outcome: VisitOutcome::MissingDocument,
        staff_id: clerk,
    };
    store
        .give_notice(&visit, "demo-cust-0411300218", now - 2 * DAY)
        .await?;
    if let Some(by) = clerk {
        store
            .open_case(
                &OpenCase {
                    hall_id: hall,
                    kind: CaseKind::Complaint,
                    business_type_id: None,
                    customer_class: Resident,
                    customer_name: "刘建国".into(),
                    customer_phone: "13898765432".into(),
                    account_no: "0411300218".into(),
                    summary: "计划停电前未接到通知，轮椅电梯停运".into(),
                    ticket_id: None,
                    by,
                },
                now - DAY,
            )
            .await?;
    }
    Ok(CUSTOMERS.len())
}
