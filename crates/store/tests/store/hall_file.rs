//! A hall as one file: its region, calling policy and catalogue reference are imported in
//! the same transaction as the rest, and exported back; a bad region or catalogue refuses
//! it all.

use servicehall_domain::halls::file;
use servicehall_store::*;
use std::collections::HashMap;

const NOW: i64 = 1_790_000_000_000;

fn hall_yaml(region: &str) -> String {
    format!(
        "code: DL-HF
name: 大连海港营业厅
region: {region}
calling: {{ green_first: false, overdue_to_all: true, max_recalls: 2 }}
catalogue: dl-hf.catalogue.yaml
hours: {{ opens: '08:30', closes: '17:00' }}
business_types:
  - {{ code: payment, name_zh: 缴费, name_en: Payment, prefix: A, target_wait_s: 600, target_handling_s: 300, is_payment: true }}
counters:
  - {{ number: 1, primary: [payment] }}
staff:
  - {{ username: hf_clerk, name: 王芳, badge_no: HF001, role: clerk }}
"
    )
}

const CATALOGUE: &str = "hall: DL-HF
repeat_window_days: 15
entries:
- business_type: payment
  effective_from: 2099-01-01
  description: 缴纳电费
  who_may_apply: 任何人
  documents:
    resident:
    - name: 户号
  fees: []
  channels: [hall, app]
";

pub async fn region_policy_and_catalogue_travel_with_the_hall(store: SqlStore) {
    let hashes = HashMap::from([("hf_clerk".to_string(), "hash".to_string())]);
    // An unknown region refuses the whole file: no hall appears.
    let f = file::parse(&hall_yaml("LN-DL")).unwrap();
    let e = store
        .import_hall(&f, &hashes, Some(CATALOGUE), NOW)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("no region LN-DL"), "{e}");
    assert!(matches!(
        store.hall_by_code("DL-HF").await,
        Err(StoreError::NotFound(_))
    ));
    let region = store
        .save_region(
            None,
            &RegionInput {
                code: "LN-DL".into(),
                name_zh: "大连供电公司".into(),
                name_en: String::new(),
                parent_id: None,
            },
        )
        .await
        .unwrap();
    // A catalogue naming an unknown business type refuses it all too.
    let bad = CATALOGUE.replace("business_type: payment", "business_type: repair");
    let e = store
        .import_hall(&f, &hashes, Some(&bad), NOW)
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("catalogue (dl-hf.catalogue.yaml)"),
        "{e}"
    );
    assert!(store.hall_by_code("DL-HF").await.is_err());

    let done = store
        .import_hall(&f, &hashes, Some(CATALOGUE), NOW)
        .await
        .unwrap();
    assert!(done.created_hall);
    assert_eq!(done.catalogue_versions, Some(1));
    let hall = store.hall_by_code("DL-HF").await.unwrap();
    assert_eq!(hall.region_id, Some(region.id));
    assert!(!hall.policy.green_first);
    assert_eq!(hall.policy.max_recalls, 2);
    assert_eq!(
        store.export_catalogue(hall.id).await.unwrap().entries.len(),
        1
    );

    // Export gives the same file back; importing it again changes nothing.
    let out = store.export_hall("DL-HF").await.unwrap();
    assert_eq!(out, f);
    let again = store
        .import_hall(&out, &HashMap::new(), Some(CATALOGUE), NOW)
        .await
        .unwrap();
    assert_eq!((again.created_hall, again.new_staff.len()), (false, 0));
    assert_eq!(again.catalogue_versions, Some(0));

    // A file without region or policy keeps the hall's.
    let mut plain = f.clone();
    (plain.region, plain.calling, plain.catalogue) = (None, None, None);
    store
        .import_hall(&plain, &HashMap::new(), None, NOW)
        .await
        .unwrap();
    let hall = store.hall_by_code("DL-HF").await.unwrap();
    assert_eq!(hall.region_id, Some(region.id));
    assert_eq!(hall.policy.max_recalls, 2);
}

on_both!(region_policy_and_catalogue_travel_with_the_hall);
