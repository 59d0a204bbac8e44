//! 区域风险 · a region's own register on both backends: region risks share the hall risks'
//! id space (so one `get`/`update_risk` serves both), stay in their region, keep an audited
//! history and land on the deployment's audit chain, score on the region's matrix, and the
//! roll-up counts hall risks per cell.

on_both!(in suite:
    region_risks_share_ids_keep_scope_and_history,
);

pub(crate) mod suite {
    use crate::fixture::{fixture, hall_input, staff_input};
    use crate::risks::suite::input;
    use chrono::NaiveDate;
    use servicehall_domain::Role;
    use servicehall_domain::risks::{Matrix, Rating, Treatment};
    use servicehall_store::*;

    // 2026-06-15 10:00 Asia/Shanghai.
    const NOW: i64 = 1_781_488_800_000;

    fn region(code: &str, parent: Option<i64>) -> RegionInput {
        RegionInput {
            code: code.into(),
            name_zh: format!("{code} 公司"),
            name_en: String::new(),
            parent_id: parent,
        }
    }

    pub async fn region_risks_share_ids_keep_scope_and_history(s: SqlStore) {
        let f = fixture(&s).await;
        let other = s.create_hall(&hall_input("SY-TX")).await.unwrap();
        let ln = s.save_region(None, &region("LN", None)).await.unwrap();
        let dl = s
            .save_region(None, &region("LN-DL", Some(ln.id)))
            .await
            .unwrap();
        let sy = s
            .save_region(None, &region("LN-SY", Some(ln.id)))
            .await
            .unwrap();
        s.set_hall_region(f.hall.id, Some(dl.id)).await.unwrap();
        s.set_hall_region(other.id, Some(sy.id)).await.unwrap();
        let mut sv = staff_input(f.hall.id, "dlsup", "950");
        sv.hall_id = None;
        sv.role = Role::Supervisor;
        let sup = s.create_staff(&sv, "x").await.unwrap();
        s.set_staff_region(sup.id, Some(dl.id)).await.unwrap();
        let mut ad = staff_input(f.hall.id, "admin2", "951");
        ad.hall_id = None;
        ad.role = Role::Admin;
        let admin = s.create_staff(&ad, "x").await.unwrap();
        let sy_clerk = s
            .create_staff(&staff_input(other.id, "syc", "952"), "x")
            .await
            .unwrap();
        let by_sup = RiskActor {
            staff_id: Some(sup.id),
            role: Role::Supervisor,
        };

        // Ids: hall, region, hall again — one increasing space.
        let h1 = s
            .create_risk(f.hall.id, &input(f.clerks[0].id), by_sup, NOW)
            .await
            .unwrap();
        let mut ri = input(sup.id);
        ri.code = "RR01".into();
        ri.title = "区域性停电后多厅客户聚集".into();
        let r1 = s.create_region_risk(dl.id, &ri, by_sup, NOW).await.unwrap();
        assert!(r1.id > h1.id, "{} after {}", r1.id, h1.id);
        assert_eq!((r1.hall_id, r1.region_id), (None, Some(dl.id)));
        let mut hi = input(f.clerks[0].id);
        hi.code = "R02".into();
        let h2 = s.create_risk(f.hall.id, &hi, by_sup, NOW).await.unwrap();
        assert!(h2.id > r1.id, "{} after {}", h2.id, r1.id);
        let got = s.get(r1.id).await.unwrap();
        assert_eq!(got.region_id, Some(dl.id));
        assert_eq!(got.title, "区域性停电后多厅客户聚集");
        assert_eq!(s.get(h2.id).await.unwrap().hall_id, Some(f.hall.id));

        // Scope: the region's list holds only its own; the hall's only the hall's.
        let dl_list = s.region_risks(dl.id).await.unwrap();
        assert_eq!(
            dl_list.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![r1.id]
        );
        assert!(s.region_risks(sy.id).await.unwrap().is_empty());
        assert!(
            s.risks(f.hall.id)
                .await
                .unwrap()
                .iter()
                .all(|r| r.id != r1.id)
        );
        // A code is unique in its region; another region may reuse it.
        let dup = s.create_region_risk(dl.id, &ri, by_sup, NOW).await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
        // An owner from a hall of another region does not own this region's risk.
        let mut far = ri.clone();
        far.code = "RR02".into();
        far.owner_id = sy_clerk.id;
        let e = s.create_region_risk(dl.id, &far, by_sup, NOW).await;
        assert!(
            matches!(&e, Err(StoreError::Invalid(m)) if m.contains("本区域")),
            "{e:?}"
        );
        let in_sy = s
            .create_region_risk(sy.id, &far, by_sup, NOW)
            .await
            .unwrap();
        assert_eq!(in_sy.region_id, Some(sy.id));
        // No such region.
        let e = s.create_region_risk(9999, &ri, by_sup, NOW).await;
        assert!(matches!(e, Err(StoreError::NotFound(_))), "{e:?}");

        // Changes through the shared update: history on the region risk only.
        let mut changed = ri.clone();
        changed.residual = Rating {
            likelihood: 2,
            impact: 3,
        };
        let r1b = s
            .update_risk(r1.id, &changed, by_sup, NOW + 1000)
            .await
            .unwrap();
        assert_eq!(r1b.residual.likelihood, 2);
        assert_eq!(r1b.region_id, Some(dl.id));
        let hist = s.risk_changes(r1.id).await.unwrap();
        assert_eq!(hist.len(), 2);
        assert!(
            hist[1].summary.contains("剩余风险：3×4 → 2×3"),
            "{}",
            hist[1].summary
        );
        assert_eq!(hist[1].residual_score, 6);
        assert_eq!(s.risk_changes(h1.id).await.unwrap().len(), 1);

        // Acceptance needs an approver above the owner (a supervisor): an administrator.
        let mut accept = changed.clone();
        accept.treatment = Treatment::Accept;
        accept.accept_until = NaiveDate::from_ymd_opt(2026, 12, 31);
        let e = s.update_risk(r1.id, &accept, by_sup, NOW + 2000).await;
        assert!(matches!(e, Err(StoreError::Invalid(_))), "{e:?}");
        let by_admin = RiskActor {
            staff_id: Some(admin.id),
            role: Role::Admin,
        };
        let acc = s
            .update_risk(r1.id, &accept, by_admin, NOW + 3000)
            .await
            .unwrap();
        assert_eq!(acc.accepted_by, Some(admin.id));

        // Region risks go on the deployment chain.
        let recs = s.audit_records(Some(0), 50).await.unwrap();
        let region_recs: Vec<_> = recs.iter().filter(|r| r.kind == "risk.region").collect();
        assert_eq!(region_recs.len(), 4, "{recs:?}");
        assert!(region_recs.iter().any(|r| r.subject.contains("RR01")));

        // The region's matrix: the default 5×5 until one is set, then its own.
        assert_eq!(s.region_risk_matrix(dl.id).await.unwrap().size, 5);
        let m6 = Matrix {
            size: 6,
            ..Matrix::default()
        };
        s.set_region_risk_matrix(dl.id, &m6, Some(admin.id), NOW)
            .await
            .unwrap();
        assert_eq!(s.region_risk_matrix(dl.id).await.unwrap().size, 6);
        assert_eq!(s.region_risk_matrix(sy.id).await.unwrap().size, 5);
        let mut big = ri.clone();
        big.code = "RR06".into();
        big.inherent = Rating {
            likelihood: 6,
            impact: 6,
        };
        big.residual = big.inherent;
        s.create_region_risk(dl.id, &big, by_sup, NOW)
            .await
            .unwrap();
        // …and a matrix too small for its risks is refused.
        let e = s
            .set_region_risk_matrix(dl.id, &Matrix::default(), Some(admin.id), NOW)
            .await;
        assert!(matches!(e, Err(StoreError::Invalid(_))), "{e:?}");

        // The roll-up counts hall risks per residual cell (both hall risks are 3×4).
        let mut o = input(sy_clerk.id);
        o.residual = Rating {
            likelihood: 1,
            impact: 2,
        };
        s.create_risk(other.id, &o, by_sup, NOW).await.unwrap();
        let cells = s.hall_risk_cells(&[f.hall.id]).await.unwrap();
        assert_eq!(
            cells,
            vec![RiskCell {
                likelihood: 3,
                impact: 4,
                count: 2
            }]
        );
        let mut all = s.hall_risk_cells(&[f.hall.id, other.id]).await.unwrap();
        all.sort_by_key(|c| (c.likelihood, c.impact));
        assert_eq!(all.iter().map(|c| c.count).sum::<u32>(), 3);
        assert_eq!((all[0].likelihood, all[0].impact, all[0].count), (1, 2, 1));
        assert!(s.hall_risk_cells(&[]).await.unwrap().is_empty());
    }
}
