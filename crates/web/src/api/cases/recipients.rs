//! Who a case-clock warning goes to along the escalation chain: the owner at the first
//! share, the hall's managers at the second, and at breach the supervisors of the nearest
//! region above the hall that has any (the city company before the province), falling back
//! to supervisors not limited to a region.

use crate::AppState;
use crate::error::ApiResult;
use servicehall_domain::Role;
use servicehall_domain::cases::WarningLevel;
use servicehall_domain::regions::RegionTree;
use servicehall_store::{CaseWarning, Staff};

/// One person a warning is addressed to.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Recipient {
    pub staff_id: i64,
    pub name: String,
    pub badge_no: String,
    pub role: &'static str,
}

fn of(p: &Staff) -> Recipient {
    Recipient {
        staff_id: p.id,
        name: p.name.clone(),
        badge_no: p.badge_no.clone(),
        role: p.role.as_str(),
    }
}

/// The supervisors for a breach in a hall hung on `hall_region`: those of the nearest region
/// at or above it that has active supervisors, else the deployment-wide ones.
pub fn breach_supervisors<'a>(
    tree: &RegionTree,
    hall_region: Option<i64>,
    above_halls: &'a [Staff],
) -> Vec<&'a Staff> {
    let sups: Vec<&Staff> = above_halls
        .iter()
        .filter(|p| p.active && p.hall_id.is_none() && p.role == Role::Supervisor)
        .collect();
    let nearest = hall_region
        .and_then(|r| tree.nearest(r, |region| sups.iter().any(|p| p.region_id == Some(region))));
    sups.into_iter()
        .filter(|p| p.region_id == nearest)
        .collect()
}

/// The people `w` is addressed to.
pub async fn recipients(s: &AppState, w: &CaseWarning) -> ApiResult<Vec<Recipient>> {
    Ok(match w.level {
        WarningLevel::Owner => vec![of(&s.store.staff(w.owner_id).await?)],
        WarningLevel::HallManager => s
            .store
            .staff_list(Some(w.hall_id))
            .await?
            .iter()
            .filter(|p| p.active && p.role == Role::HallManager)
            .map(of)
            .collect(),
        WarningLevel::Supervisor => {
            let hall = s.store.hall(w.hall_id).await?;
            let tree = s.store.region_tree().await?;
            let above = s.store.staff_list(None).await?;
            breach_supervisors(&tree, hall.region_id, &above)
                .into_iter()
                .map(of)
                .collect()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use servicehall_domain::regions::Region;

    fn sup(id: i64, region: Option<i64>) -> Staff {
        Staff {
            id,
            hall_id: None,
            username: format!("s{id}"),
            name: format!("督查{id}"),
            badge_no: format!("B{id}"),
            role: Role::Supervisor,
            photo: String::new(),
            active: true,
            region_id: region,
        }
    }

    fn tree() -> RegionTree {
        let r = |id, code: &str, parent| Region {
            id,
            code: code.into(),
            name_zh: code.into(),
            name_en: String::new(),
            parent_id: parent,
        };
        RegionTree::new(vec![
            r(1, "LN", None),
            r(2, "DL", Some(1)),
            r(3, "XG", Some(2)),
            r(4, "SY", Some(1)),
        ])
        .unwrap()
    }

    #[test]
    fn a_breach_goes_to_the_nearest_region_with_supervisors() {
        let staff = [
            sup(10, None),
            sup(11, Some(1)),
            sup(12, Some(2)),
            sup(13, Some(4)),
        ];
        let ids = |v: Vec<&Staff>| v.iter().map(|p| p.id).collect::<Vec<_>>();
        // A hall in 西岗 (under 大连): the city supervisor, not the province or Shenyang.
        assert_eq!(ids(breach_supervisors(&tree(), Some(3), &staff)), vec![12]);
        // Without a city supervisor the province's takes it.
        assert_eq!(
            ids(breach_supervisors(&tree(), Some(3), &staff[..2])),
            vec![11]
        );
        // A hall on no region, or no regional supervisor at all: the deployment-wide ones.
        assert_eq!(ids(breach_supervisors(&tree(), None, &staff)), vec![10]);
        assert_eq!(
            ids(breach_supervisors(&tree(), Some(3), &staff[..1])),
            vec![10]
        );
    }
}
