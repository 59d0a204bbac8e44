//! The daily roll-up of ratings: the figures read from it equal counting the rows.

use crate::fixture::{Fixture, T0, fixture, issue_req};
use servicehall_domain::Role;
use servicehall_domain::catalogue::VisitOutcome;
use servicehall_domain::feedback::phone::PhoneRatingInput;
use servicehall_store::*;
use std::collections::BTreeMap;

const MIN: i64 = 60_000;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
/// 2025-11-28 00:00 in the hall's zone (T0 is 10:00 that day, CST).
const MIDNIGHT: i64 = T0 - 10 * HOUR;

/// A deterministic generator, so the data is the same on every run and database.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
    fn level(&mut self) -> i64 {
        match self.below(100) {
            0..4 => 1,
            4..9 => 2,
            9..20 => 3,
            20..45 => 4,
            _ => 5,
        }
    }
}

async fn manager(s: &SqlStore, f: &Fixture) {
    s.create_staff(
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
}

/// Pad and phone ratings over a week (through the queue), outside evaluations over three
/// weeks (through the import): every channel the roll-up keeps.
async fn generate(s: &SqlStore, f: &Fixture) -> i64 {
    let mut rng = Lcg(0x5EED);
    let reasons = ["long_wait", "attitude", "slow", "unclear"];
    let mut total = 0;
    for i in 0..24i64 {
        let at = T0 - 6 * DAY + i * 7 * HOUR + rng.below(50) as i64 * MIN;
        let code = format!("g{i}");
        let t = s.issue_ticket(&issue_req(f, 1, &code), at).await.unwrap();
        let k = 1 + (i as usize % 2);
        let counter = f.counters[k].id;
        s.call_next(counter, None, at).await.unwrap().unwrap();
        let op = Operator {
            staff_id: Some(f.clerks[k].id),
            counter_id: Some(counter),
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
            at + 5 * MIN,
        )
        .await
        .unwrap();
        let level = rng.level();
        let why: Vec<String> = if level <= 2 {
            vec![reasons[rng.below(4) as usize].to_string()]
        } else {
            vec![]
        };
        // A visit is rated once: every third on the phone, the others on the pad.
        if i % 3 == 0 {
            let input = PhoneRatingInput {
                level: 3 + rng.below(3) as i64,
                ..Default::default()
            };
            s.rate_by_phone(&code, &input, at + HOUR).await.unwrap();
        } else {
            s.rate(t.id, counter, None, level, &why, 10 * MIN, at + 6 * MIN)
                .await
                .unwrap();
        }
        total += 1;
    }
    let mut csv =
        String::from("source_row_id,hall_code,date,level,business_type,touchpoint,reasons\n");
    let zh = ["等候时间长", "服务态度差", "办理速度慢"];
    for i in 0..300 {
        let level = rng.level();
        let bt = ["payment", "new_connection", ""][rng.below(3) as usize];
        let tp = ["waiting", "counter", "farewell", ""][rng.below(4) as usize];
        let why = if level <= 2 {
            zh[rng.below(3) as usize]
        } else {
            ""
        };
        csv.push_str(&format!(
            "R-{i},DL-XH,2025-11-{:02} {:02}:{:02},{level},{bt},{tp},{why}\n",
            8 + rng.below(22),
            rng.below(24),
            rng.below(60)
        ));
    }
    let by = f.clerks[0].id;
    let r = s
        .import_external(
            ExternalSource::Survey,
            "gen.csv",
            &csv,
            by,
            None,
            T0 + 5 * DAY,
        )
        .await
        .unwrap();
    assert_eq!(r.rows_imported, 300, "{:?}", r.errors);
    total + 300
}

/// Everything a view is computed from, in an order-free form.
#[derive(Debug, PartialEq, Default)]
struct Counted {
    /// (index in BYS, group key) → counts by level.
    groups: BTreeMap<(usize, i64), [i64; 5]>,
    reasons: BTreeMap<String, i64>,
    pad: [i64; 5],
    curve_reasons: BTreeMap<String, i64>,
    reasons_at: BTreeMap<(String, String), i64>,
}

const BYS: [GroupBy; 4] = [
    GroupBy::Hall,
    GroupBy::Counter,
    GroupBy::Staff,
    GroupBy::BusinessType,
];

async fn count_into(s: &SqlStore, scope: &InsightScope, out: &mut Counted) {
    for (bi, by) in BYS.into_iter().enumerate() {
        let c = s.satisfaction_counts(scope, by).await.unwrap();
        for g in c.groups {
            let e = out.groups.entry((bi, g.key)).or_default();
            for (i, n) in g.levels.0.iter().enumerate() {
                e[i] += n;
            }
        }
        if by == GroupBy::Hall {
            for (r, n) in c.reasons {
                *out.reasons.entry(r).or_default() += n;
            }
        }
    }
    let curve = s.curve_counts(scope).await.unwrap();
    for (i, n) in curve.sources.pad.0.iter().enumerate() {
        out.pad[i] += n;
    }
    for (r, n) in curve.sources.bad_reasons {
        *out.curve_reasons.entry(r).or_default() += n;
    }
    for (tp, r, n) in curve.sources.reasons_at {
        *out.reasons_at.entry((tp, r)).or_default() += n;
    }
}

/// The scope as the views count it (whole days from the roll-up).
async fn viewed(s: &SqlStore, scope: &InsightScope) -> Counted {
    let mut out = Counted::default();
    count_into(s, scope, &mut out).await;
    out.groups.retain(|_, v| v.iter().any(|n| *n > 0));
    out
}

/// The same from the rows: pieces of 12 hours never hold a whole day, so each is counted
/// from the rating rows; their sum is the raw count.
async fn from_rows(s: &SqlStore, scope: &InsightScope) -> Counted {
    let mut out = Counted::default();
    let mut a = scope.from;
    while a < scope.to {
        let b = (a + 12 * HOUR).min(scope.to);
        let piece = InsightScope {
            hall_ids: scope.hall_ids.clone(),
            from: a,
            to: b,
        };
        count_into(s, &piece, &mut out).await;
        a = b;
    }
    out.groups.retain(|_, v| v.iter().any(|n| *n > 0));
    out
}

pub async fn rollup_figures_equal_counting_rows(s: SqlStore) {
    let f = fixture(&s).await;
    manager(&s, &f).await;
    let total = generate(&s, &f).await;
    let halls = vec![f.hall.id];
    let scope = |from: i64, to: i64| InsightScope {
        hall_ids: halls.clone(),
        from,
        to,
    };
    let scopes = [
        // November: whole weeks and days from the roll-up.
        scope(MIDNIGHT - 27 * DAY, MIDNIGHT + 3 * DAY),
        // Ragged ends on both sides.
        scope(
            MIDNIGHT - 19 * DAY + 5 * HOUR + 7 * MIN,
            T0 + 2 * DAY + 3 * HOUR,
        ),
        // Exactly one day; less than a day; ten days starting mid-day.
        scope(MIDNIGHT - DAY, MIDNIGHT),
        scope(MIDNIGHT + HOUR, MIDNIGHT + 20 * HOUR),
        scope(
            MIDNIGHT - 12 * DAY + 13 * HOUR,
            MIDNIGHT - 2 * DAY + 13 * HOUR,
        ),
    ];
    let all = viewed(&s, &scopes[0]).await;
    let counted: i64 = all
        .groups
        .iter()
        .filter(|((bi, _), _)| *bi == 0)
        .map(|(_, v)| v.iter().sum::<i64>())
        .sum();
    assert_eq!(counted, total, "every generated rating is in November");
    assert!(
        !all.reasons.is_empty() && !all.reasons_at.is_empty(),
        "{all:?}"
    );
    for sc in &scopes {
        let rows = from_rows(&s, sc).await;
        assert_eq!(viewed(&s, sc).await, rows, "{} .. {}", sc.from, sc.to);
    }
    // The roll-up holds every rating once; a rebuild from the rows gives the same figures.
    let rolled: i64 = sqlx::query_scalar("SELECT CAST(SUM(n) AS BIGINT) FROM rating_days")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(rolled, total);
    sqlx::query("UPDATE rating_days SET n = n + 5")
        .execute(s.pool())
        .await
        .unwrap();
    assert_ne!(
        viewed(&s, &scopes[0]).await,
        all,
        "the view reads the roll-up"
    );
    assert!(s.rebuild_rating_days().await.unwrap() > 0);
    assert_eq!(viewed(&s, &scopes[0]).await, all);
    let weekly: i64 = sqlx::query_scalar("SELECT CAST(SUM(n) AS BIGINT) FROM rating_weeks")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(weekly, total);
}
