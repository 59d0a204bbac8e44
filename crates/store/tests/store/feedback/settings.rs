//! Feedback settings and figure definitions: every change audited field by field.

use crate::fixture::{T0, fixture};
use servicehall_domain::feedback::FeedbackSettings;
use servicehall_domain::insight::{CsiWeights, IndexConfig};
use servicehall_store::*;

const MIN: i64 = 60_000;

on_both!(settings_changes_are_audited_field_by_field);

pub async fn settings_changes_are_audited_field_by_field(s: SqlStore) {
    let f = fixture(&s).await;
    let h = f.hall.id;
    let by = Some(f.clerks[0].id);
    let bad = FeedbackSettings {
        phone_window_hours: 0,
        ..Default::default()
    };
    let e = s
        .change_feedback_settings(h, &bad, by, T0)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(ref m) if m.contains("phone_window_hours")));
    assert!(s.settings_audit(Some(h), 10).await.unwrap().is_empty());
    let new = FeedbackSettings {
        phone_window_hours: 48,
        top_run: 30,
        ..Default::default()
    };
    let changes = s.change_feedback_settings(h, &new, by, T0).await.unwrap();
    let mut named: Vec<(String, String, String)> = changes
        .iter()
        .map(|c| (c.setting.clone(), c.old_value.clone(), c.new_value.clone()))
        .collect();
    named.sort();
    assert_eq!(
        named,
        [
            ("phone_window_hours".into(), "72".into(), "48".into()),
            ("top_run".into(), "50".into(), "30".into())
        ]
    );
    assert_eq!(s.feedback_settings(h).await.unwrap(), new);
    // Saving the same values changes nothing and records nothing.
    assert!(
        s.change_feedback_settings(h, &new, by, T0 + MIN)
            .await
            .unwrap()
            .is_empty()
    );
    let log = s.settings_audit(Some(h), 10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|c| c.by_staff == by && c.hall_id == Some(h)));
    // Figure definitions are province-wide: audited without a hall.
    let cfg = IndexConfig {
        good_from: 4,
        weights: CsiWeights::from_percents([40, 30, 10, 10, 10]).unwrap(),
        ..Default::default()
    };
    let changes = s.change_insight_config(&cfg, by, T0).await.unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c.setting == "good_from" && c.new_value == "4")
    );
    assert!(
        changes
            .iter()
            .any(|c| c.setting == "weights.environment" && c.new_value == "40")
    );
    assert_eq!(s.insight_config().await.unwrap(), cfg);
    assert_eq!(
        s.settings_audit(None, 50).await.unwrap().len(),
        changes.len()
    );
    assert_eq!(s.settings_audit(Some(h), 50).await.unwrap().len(), 2);
}
