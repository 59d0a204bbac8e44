//! The demo hall's service catalogue: the YAML file beside this one, in effect since
//! 2026-01-01, plus an upcoming version (next month) and a repeat trip for the manager.

use super::hall::DemoHall;
use crate::CliResult;
use chrono::{Datelike, NaiveDate, NaiveTime};
use servicehall_domain::cases::CustomerClass;
use servicehall_domain::catalogue::VisitOutcome;
use servicehall_domain::time::{at_local, parse_tz, service_day};
use servicehall_store::{Store, VisitInput};

pub const YAML: &str = include_str!("catalogue.yaml");

/// Seeds the catalogue once (a hall that already has one keeps it).
pub async fn seed(store: &dyn Store, demo: &DemoHall, now: i64) -> CliResult<()> {
    if !store
        .catalogue_versions(demo.hall.id, now)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let tz = parse_tz(&demo.hall.timezone).map_err(crate::CliError::failed)?;
    let ten = NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default();
    // The file's versions take effect 2026-01-01: imported as on that day, as an
    // administrator would have done then (a version can never be back-dated later).
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    store
        .import_catalogue(demo.hall.id, YAML, at_local(start, ten, tz).min(now))
        .await?;

    // An upcoming change, shown on the public page only from the 1st of next month.
    let today = service_day(now, tz);
    let next_month = if today.month() == 12 {
        NaiveDate::from_ymd_opt(today.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(today.year(), today.month() + 1, 1)
    }
    .unwrap_or(today);
    let current = store
        .export_catalogue(demo.hall.id)
        .await?
        .entries
        .into_iter()
        .find(|e| e.business_type == "payment");
    if let Some(mut e) = current {
        e.effective_from = next_month.format("%Y-%m-%d").to_string();
        e.notes = "自本版起，柜台支持数字人民币缴费（示例数据）。Digital RMB accepted at the counter from this version (sample).".into();
        store.save_catalogue_version(demo.hall.id, &e, now).await?;
    }

    // A repeat trip: a customer sent home for a missing paper three days ago, back today.
    let clerk = demo.clerks.first().map(|c| c.id);
    let visit = |outcome| VisitInput {
        hall_id: demo.hall.id,
        ticket_id: None,
        business_type: "new_residential".into(),
        class: CustomerClass::Resident,
        contact: "13904110427".into(),
        outcome,
        staff_id: clerk,
    };
    let three_days_ago = now - 3 * 86_400_000;
    store
        .record_visit(&visit(VisitOutcome::MissingDocument), three_days_ago)
        .await?;
    store
        .record_visit(&visit(VisitOutcome::Completed), now - 3_600_000)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::YAML;
    use crate::demo::hall::BUSINESS_TYPES;

    #[test]
    fn the_demo_catalogue_is_valid_and_covers_every_business_type() {
        let codes: Vec<&str> = BUSINESS_TYPES.iter().map(|b| b.code).collect();
        let file = servicehall_domain::catalogue::from_yaml(YAML, &codes).unwrap();
        for code in &codes {
            assert!(
                file.entries.iter().any(|e| e.business_type == *code),
                "{code} has no entry"
            );
        }
        // Every non-zero fee is either cited or marked sample data.
        for e in &file.entries {
            for f in &e.fees {
                assert!(f.fen == 0 || f.sample || f.basis.contains('〔'), "{f:?}");
            }
        }
    }
}
