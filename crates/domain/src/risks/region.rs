//! 区域风险 · risks a region (city or province company) holds itself: who may keep or read a
//! region's register, and the roll-up heat map that counts the hall risks under a region.

use crate::access::Role;
use crate::regions::RegionTree;

/// What a person may do with a region's register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionRiskAccess {
    None,
    Read,
    Edit,
}

/// Who the caller is, for a region's register.
#[derive(Debug, Clone, Copy)]
pub struct RegionCaller {
    pub role: Role,
    /// The caller's own hall; `None` for staff above halls.
    pub hall: Option<i64>,
    /// Above halls: the region they are limited to (`None`: everywhere). Hall staff: the
    /// region their hall hangs on.
    pub region: Option<i64>,
}

/// Supervisors and administrators above halls keep the register of their region and every
/// region below it, and read the registers of the regions above theirs; hall managers read
/// the registers of every region their hall lies in. Everyone else: nothing.
pub fn region_access(c: RegionCaller, tree: &RegionTree, region: i64) -> RegionRiskAccess {
    if tree.get(region).is_none() {
        return RegionRiskAccess::None;
    }
    match (c.role, c.hall) {
        (Role::Admin | Role::Supervisor, None) => match c.region {
            None => RegionRiskAccess::Edit,
            Some(own) if tree.contains(own, region) => RegionRiskAccess::Edit,
            Some(own) if tree.contains(region, own) => RegionRiskAccess::Read,
            Some(_) => RegionRiskAccess::None,
        },
        (Role::HallManager | Role::Admin, Some(_)) => match c.region {
            Some(hall_region) if tree.contains(region, hall_region) => RegionRiskAccess::Read,
            _ => RegionRiskAccess::None,
        },
        _ => RegionRiskAccess::None,
    }
}

/// The roll-up of a region: how many hall risks sit in each cell of a `size`×`size` grid
/// (`[likelihood - 1][impact - 1]`), counted, never averaged, and how many lie outside it
/// (rated on a hall's larger matrix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollUp {
    pub counts: Vec<Vec<u32>>,
    pub outside: u32,
    pub total: u32,
}

/// Counts `(likelihood, impact, how many)` cells into a `size`×`size` grid.
pub fn roll_up(size: u8, cells: &[(u8, u8, u32)]) -> RollUp {
    let n = usize::from(size);
    let mut counts = vec![vec![0u32; n]; n];
    let (mut outside, mut total) = (0, 0);
    for &(l, i, k) in cells {
        total += k;
        match (usize::from(l).checked_sub(1), usize::from(i).checked_sub(1)) {
            (Some(li), Some(ii)) if li < n && ii < n => counts[li][ii] += k,
            _ => outside += k,
        }
    }
    RollUp {
        counts,
        outside,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regions::Region;

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
            r(2, "LN-DL", Some(1)),
            r(3, "LN-SY", Some(1)),
            r(4, "DL-XG", Some(2)),
        ])
        .unwrap()
    }

    fn above(role: Role, region: Option<i64>) -> RegionCaller {
        RegionCaller {
            role,
            hall: None,
            region,
        }
    }

    #[test]
    fn supervisors_keep_their_region_and_below_and_read_above() {
        let t = tree();
        let s = above(Role::Supervisor, Some(2));
        assert_eq!(region_access(s, &t, 2), RegionRiskAccess::Edit);
        assert_eq!(region_access(s, &t, 4), RegionRiskAccess::Edit);
        assert_eq!(region_access(s, &t, 1), RegionRiskAccess::Read);
        assert_eq!(region_access(s, &t, 3), RegionRiskAccess::None);
        let everywhere = above(Role::Admin, None);
        assert_eq!(region_access(everywhere, &t, 3), RegionRiskAccess::Edit);
        assert_eq!(region_access(everywhere, &t, 99), RegionRiskAccess::None);
    }

    #[test]
    fn hall_managers_read_the_regions_their_hall_lies_in() {
        let t = tree();
        let m = RegionCaller {
            role: Role::HallManager,
            hall: Some(7),
            region: Some(4),
        };
        assert_eq!(region_access(m, &t, 4), RegionRiskAccess::Read);
        assert_eq!(region_access(m, &t, 2), RegionRiskAccess::Read);
        assert_eq!(region_access(m, &t, 1), RegionRiskAccess::Read);
        assert_eq!(region_access(m, &t, 3), RegionRiskAccess::None);
        let unhung = RegionCaller { region: None, ..m };
        assert_eq!(region_access(unhung, &t, 1), RegionRiskAccess::None);
        let clerk = RegionCaller {
            role: Role::Clerk,
            ..m
        };
        assert_eq!(region_access(clerk, &t, 4), RegionRiskAccess::None);
    }

    #[test]
    fn roll_up_counts_cells_and_what_lies_outside() {
        let r = roll_up(5, &[(3, 4, 2), (3, 4, 1), (1, 1, 1), (6, 2, 2), (0, 1, 1)]);
        assert_eq!(r.counts[2][3], 3);
        assert_eq!(r.counts[0][0], 1);
        assert_eq!(r.outside, 3);
        assert_eq!(r.total, 7);
        assert_eq!(r.counts.iter().flatten().sum::<u32>(), 4);
    }
}
