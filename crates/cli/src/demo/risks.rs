//! The demo's risk register (服务风险): the shipped sample register for a power-supply hall,
//! owned by the hall manager, its KRIs counted day by day over the simulated history (so each
//! has a chart, and the crossings have raised reviews and left notices), one acceptance
//! signed by the supervisor and one residual score lowered after a review, for the trend.

use crate::CliResult;
use crate::demo::hall::DemoHall;
use chrono::{Days, NaiveDate};
use servicehall_domain::Role;
use servicehall_domain::risks::kri::Measure;
use servicehall_domain::risks::sample::{register, thresholds};
use servicehall_domain::risks::{Control, Rating, Treatment};
use servicehall_store::{KriInput, RiskActor, RiskInput, Store};

const DAY: i64 = 86_400_000;

/// The sample's thresholds adapted to the demo hall's volume (about 200 tickets a day), as a
/// hall adapts them: 7-day counts at which it turns amber and red.
fn adapted(code: &str, measure: Measure, amber: i64, red: i64) -> (i64, i64) {
    match (code, measure) {
        ("R05", Measure::LongWaits) => (40, 55),
        (_, Measure::LongWaits) => (60, 100),
        (_, Measure::NoShows) => (45, 70),
        (_, Measure::BadRatings) => (10, 20),
        (_, Measure::Complaints) => (3, 5),
        _ => (amber, red),
    }
}

/// What was seeded: risks, KRIs, notices left by crossings.
pub struct RiskStats {
    pub risks: usize,
    pub kris: usize,
    pub notices: usize,
}

pub async fn seed(
    store: &dyn Store,
    demo: &DemoHall,
    today: NaiveDate,
    days: u64,
    now: i64,
) -> CliResult<RiskStats> {
    let hall = demo.hall.id;
    let staff = store.staff_list(None).await?;
    let find = |role: Role| staff.iter().find(|s| s.role == role && s.active);
    let (Some(manager), Some(supervisor)) = (
        find(Role::HallManager).filter(|m| m.hall_id == Some(hall)),
        find(Role::Supervisor),
    ) else {
        return Ok(RiskStats {
            risks: 0,
            kris: 0,
            notices: 0,
        });
    };
    let by_manager = RiskActor {
        staff_id: Some(manager.id),
        role: Role::HallManager,
    };
    let start = now - days as i64 * DAY;
    let mut kris = 0;
    let mut ids = Vec::new();
    for (i, s) in register().iter().enumerate() {
        let controls = s
            .controls
            .iter()
            .enumerate()
            .map(|(j, (text, owner, every))| Control {
                text: (*text).into(),
                owner: (*owner).into(),
                // Most tested within their cadence; the odd one overdue, as in a real hall.
                last_tested: today.checked_sub_days(Days::new(if (i + j) % 5 == 4 {
                    u64::from(*every) + 12
                } else {
                    u64::from(*every) / 2 + j as u64
                })),
                test_every_days: *every,
            })
            .collect();
        let input = RiskInput {
            code: s.code.into(),
            title: s.title.into(),
            category: s.category,
            cause: s.cause.into(),
            event: s.event.into(),
            consequence: s.consequence.into(),
            owner_id: manager.id,
            inherent: s.inherent,
            residual: s.residual,
            controls,
            treatment: s.treatment,
            accept_until: None,
            reviewed: false,
            sample: true,
        };
        let r = store.create_risk(hall, &input, by_manager, start).await?;
        for (measure, amber, red) in s.kris {
            let (amber, red) = adapted(s.code, *measure, *amber, *red);
            store
                .save_kri(
                    hall,
                    &KriInput {
                        risk_id: r.id,
                        measure: *measure,
                        thresholds: thresholds(amber, red),
                        target_minutes: 20,
                    },
                )
                .await?;
            kris += 1;
        }
        ids.push((r.id, input));
    }
    // Ten days ago the manager reviewed 超时限 and lowered its residual score after the
    // morning case meeting started; the supervisor accepted 评价器刷评 for a quarter.
    if let Some((id, input)) = ids.iter().find(|(_, i)| i.code == "R03") {
        let mut after = input.clone();
        after.residual = Rating {
            likelihood: 2,
            impact: 3,
        };
        after.reviewed = true;
        store
            .update_risk(*id, &after, by_manager, now - 10 * DAY)
            .await?;
    }
    if let Some((id, input)) = ids.iter().find(|(_, i)| i.code == "R08") {
        let mut after = input.clone();
        after.treatment = Treatment::Accept;
        after.accept_until = today.checked_add_days(Days::new(90));
        let by = RiskActor {
            staff_id: Some(supervisor.id),
            role: Role::Supervisor,
        };
        store.update_risk(*id, &after, by, now - 5 * DAY).await?;
    }
    // Count every day of the history, oldest first, as the background pass would have.
    let mut notices = 0;
    for back in (0..days as i64).rev() {
        notices += store
            .refresh_kris(Some(hall), now - back * DAY)
            .await?
            .len();
    }
    Ok(RiskStats {
        risks: ids.len(),
        kris,
        notices,
    })
}
