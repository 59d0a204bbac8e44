//! The region tree on both backends: create, move, refuse loops, hang halls, limit staff.

on_both!(in suite:
    regions_hang_halls_and_limit_staff,
    region_changes_that_would_break_the_tree_change_nothing,
);

mod suite {
    use crate::fixture::{fixture, hall_input};
    use servicehall_domain::Role;
    use servicehall_store::*;

    fn input(code: &str, parent: Option<i64>) -> RegionInput {
        RegionInput {
            code: code.into(),
            name_zh: format!("{code} 公司"),
            name_en: String::new(),
            parent_id: parent,
        }
    }

    fn person(user: &str, hall: Option<i64>, role: Role) -> StaffInput {
        StaffInput {
            hall_id: hall,
            username: user.into(),
            name: user.into(),
            badge_no: format!("R-{user}"),
            role,
            photo: String::new(),
            active: true,
        }
    }

    pub async fn regions_hang_halls_and_limit_staff(s: SqlStore) {
        let f = fixture(&s).await;
        let other = s.create_hall(&hall_input("SY-TX")).await.unwrap();
        let ln = s.save_region(None, &input("LN", None)).await.unwrap();
        let dl = s
            .save_region(None, &input("LN-DL", Some(ln.id)))
            .await
            .unwrap();
        let sy = s
            .save_region(None, &input("LN-SY", Some(ln.id)))
            .await
            .unwrap();
        let hall = s.set_hall_region(f.hall.id, Some(dl.id)).await.unwrap();
        assert_eq!(hall.region_id, Some(dl.id));
        // The cached hall is refreshed: the next read sees the region.
        assert_eq!(s.hall(f.hall.id).await.unwrap().region_id, Some(dl.id));
        s.set_hall_region(other.id, Some(sy.id)).await.unwrap();

        let mut province = s.region_halls(ln.id).await.unwrap();
        province.sort();
        assert_eq!(province, {
            let mut v = vec![f.hall.id, other.id];
            v.sort();
            v
        });
        assert_eq!(s.region_halls(dl.id).await.unwrap(), vec![f.hall.id]);

        // Moving 沈阳 under 大连 moves its halls with it.
        s.save_region(Some(sy.id), &input("LN-SY", Some(dl.id)))
            .await
            .unwrap();
        assert_eq!(s.region_halls(dl.id).await.unwrap().len(), 2);
        assert_eq!(
            s.region_tree().await.unwrap().path_zh(sy.id),
            "LN 公司 / LN-DL 公司 / LN-SY 公司"
        );

        let sup = s
            .create_staff(&person("sup", None, Role::Supervisor), "x")
            .await
            .unwrap();
        let limited = s.set_staff_region(sup.id, Some(dl.id)).await.unwrap();
        assert_eq!(limited.region_id, Some(dl.id));
        assert_eq!(s.staff(sup.id).await.unwrap().region_id, Some(dl.id));
        // Hall staff are never limited to a region; moving a supervisor into a hall drops it.
        let e = s
            .set_staff_region(f.clerks[0].id, Some(dl.id))
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e}");
        s.update_staff(sup.id, &person("sup", Some(f.hall.id), Role::HallManager))
            .await
            .unwrap();
        assert_eq!(s.staff(sup.id).await.unwrap().region_id, None);
    }

    pub async fn region_changes_that_would_break_the_tree_change_nothing(s: SqlStore) {
        let f = fixture(&s).await;
        let ln = s.save_region(None, &input("LN", None)).await.unwrap();
        let dl = s
            .save_region(None, &input("LN-DL", Some(ln.id)))
            .await
            .unwrap();
        let before = s.region_tree().await.unwrap().in_order().len();

        let e = s
            .save_region(Some(ln.id), &input("LN", Some(dl.id)))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("under itself"), "{e}");
        let e = s
            .save_region(None, &input("LN-DL", None))
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e}");
        let e = s
            .save_region(None, &input("X", Some(ln.id)))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("region code"), "{e}");
        let e = s
            .save_region(None, &input("XY", Some(9_999)))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("9999"), "{e}");
        let e = s.set_hall_region(f.hall.id, Some(9_999)).await.unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e}");

        s.set_hall_region(f.hall.id, Some(dl.id)).await.unwrap();
        let e = s.remove_region(dl.id).await.unwrap_err();
        assert!(e.to_string().contains("1 halls"), "{e}");
        let e = s.remove_region(ln.id).await.unwrap_err();
        assert!(e.to_string().contains("sub-regions"), "{e}");

        let tree = s.region_tree().await.unwrap();
        assert_eq!(tree.in_order().len(), before, "nothing was added or lost");
        assert_eq!(tree.get(ln.id).unwrap().parent_id, None);

        s.set_hall_region(f.hall.id, None).await.unwrap();
        s.remove_region(dl.id).await.unwrap();
        assert!(s.region_tree().await.unwrap().get(dl.id).is_none());
    }
}
