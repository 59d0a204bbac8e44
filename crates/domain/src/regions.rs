//! The region tree (省公司 → 市公司 → 县/区公司 → 营业厅). Halls hang on a region; supervisors
//! and administrators above halls may be limited to one region, and then see and act on the
//! halls of that region's subtree only. Reports roll halls up along the same tree.

use std::collections::{BTreeMap, HashMap};

/// One region as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Region {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub parent_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionError {
    #[error(
        "区域编码须为 2–32 位字母、数字、“-”或“_” region code must be 2–32 letters, digits, '-' or '_' (got '{0}')"
    )]
    BadCode(String),
    #[error("请填写区域的中文名称 a region needs a Chinese name (name_zh)")]
    NoName,
    #[error(
        "没有编号为 {0} 的区域，请从区域列表中选择上级区域 no region {0}; pick a parent from the region list"
    )]
    UnknownParent(i64),
    #[error(
        "区域 {0} 不能挂在自身或其下级区域之下 region {0} cannot sit under itself or under one of its own sub-regions"
    )]
    Cycle(String),
    #[error(
        "已保存的区域层级在区域 {0} 处出错（上级区域循环） the stored region tree is broken at region {0} (its parents loop)"
    )]
    Corrupt(i64),
}

/// Checks the fields an administrator types for a region.
pub fn validate_region(code: &str, name_zh: &str) -> Result<(), RegionError> {
    let ok = (2..=32).contains(&code.chars().count())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        return Err(RegionError::BadCode(code.to_string()));
    }
    if name_zh.trim().is_empty() {
        return Err(RegionError::NoName);
    }
    Ok(())
}

/// The whole tree, checked: every parent exists and no parent chain loops.
#[derive(Debug, Clone, Default)]
pub struct RegionTree {
    nodes: BTreeMap<i64, Region>,
    children: HashMap<i64, Vec<i64>>,
}

impl RegionTree {
    pub fn new(regions: Vec<Region>) -> Result<Self, RegionError> {
        let nodes: BTreeMap<i64, Region> = regions.into_iter().map(|r| (r.id, r)).collect();
        let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
        for r in nodes.values() {
            if let Some(p) = r.parent_id {
                if !nodes.contains_key(&p) {
                    return Err(RegionError::UnknownParent(p));
                }
                children.entry(p).or_default().push(r.id);
            }
        }
        for v in children.values_mut() {
            v.sort_by(|a, b| nodes[a].code.cmp(&nodes[b].code));
        }
        let tree = Self { nodes, children };
        for &id in tree.nodes.keys() {
            // A chain longer than the node count must revisit a node.
            if tree.ancestors_or_self(id).len() > tree.nodes.len() {
                return Err(RegionError::Corrupt(id));
            }
        }
        Ok(tree)
    }

    pub fn get(&self, id: i64) -> Option<&Region> {
        self.nodes.get(&id)
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// `id`, its parent, … up to the root (bounded, so a corrupt loop cannot hang).
    pub fn ancestors_or_self(&self, id: i64) -> Vec<i64> {
        let mut out = Vec::new();
        let mut at = Some(id);
        while let Some(i) = at {
            let Some(n) = self.nodes.get(&i) else { break };
            out.push(i);
            if out.len() > self.nodes.len() {
                break;
            }
            at = n.parent_id;
        }
        out
    }

    /// `id` and every region below it.
    pub fn subtree(&self, id: i64) -> Vec<i64> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(i) = stack.pop() {
            if !self.nodes.contains_key(&i) || out.contains(&i) {
                continue;
            }
            out.push(i);
            if let Some(c) = self.children.get(&i) {
                stack.extend(c.iter().rev());
            }
        }
        out
    }

    /// True when `id` is `ancestor` or lies below it.
    pub fn contains(&self, ancestor: i64, id: i64) -> bool {
        self.ancestors_or_self(id).contains(&ancestor)
    }

    /// May `id` be moved under `new_parent`? Not under itself or its own subtree.
    pub fn check_parent(
        &self,
        id: Option<i64>,
        new_parent: Option<i64>,
    ) -> Result<(), RegionError> {
        let Some(p) = new_parent else { return Ok(()) };
        if !self.nodes.contains_key(&p) {
            return Err(RegionError::UnknownParent(p));
        }
        if let Some(id) = id
            && self.contains(id, p)
        {
            let code = self
                .nodes
                .get(&id)
                .map_or(id.to_string(), |n| n.code.clone());
            return Err(RegionError::Cycle(code));
        }
        Ok(())
    }

    /// The halls (given as `(hall_id, region_id)`) that lie in `region`'s subtree.
    pub fn halls_in(&self, region: i64, halls: &[(i64, Option<i64>)]) -> Vec<i64> {
        halls
            .iter()
            .filter(|(_, r)| r.is_some_and(|r| self.contains(region, r)))
            .map(|(h, _)| *h)
            .collect()
    }

    /// "辽宁省 / 大连市 / 西岗区" — the names from the root down to `id`.
    pub fn path_zh(&self, id: i64) -> String {
        let mut names: Vec<&str> = self
            .ancestors_or_self(id)
            .iter()
            .filter_map(|i| self.nodes.get(i).map(|n| n.name_zh.as_str()))
            .collect();
        names.reverse();
        names.join(" / ")
    }

    /// Every region once, parents before children, siblings by code, with its depth (roots 0).
    pub fn in_order(&self) -> Vec<(usize, &Region)> {
        let mut roots: Vec<&Region> = self
            .nodes
            .values()
            .filter(|n| n.parent_id.is_none())
            .collect();
        roots.sort_by(|a, b| a.code.cmp(&b.code));
        let mut out = Vec::new();
        let mut stack: Vec<(usize, i64)> = roots.iter().rev().map(|r| (0, r.id)).collect();
        while let Some((d, id)) = stack.pop() {
            out.push((d, &self.nodes[&id]));
            if let Some(c) = self.children.get(&id) {
                stack.extend(c.iter().rev().map(|&c| (d + 1, c)));
            }
        }
        out
    }

    /// The nearest region at or above `id` that satisfies `pred` (e.g. "has a supervisor").
    pub fn nearest(&self, id: i64, pred: impl Fn(i64) -> bool) -> Option<i64> {
        self.ancestors_or_self(id).into_iter().find(|&i| pred(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(id: i64, code: &str, parent: Option<i64>) -> Region {
        Region {
            id,
            code: code.into(),
            name_zh: format!("{code}区"),
            name_en: String::new(),
            parent_id: parent,
        }
    }

    /// LN → {DL → {XG, ZS}, SY}
    fn tree() -> RegionTree {
        RegionTree::new(vec![
            r(1, "LN", None),
            r(2, "DL", Some(1)),
            r(3, "XG", Some(2)),
            r(4, "ZS", Some(2)),
            r(5, "SY", Some(1)),
        ])
        .unwrap()
    }

    #[test]
    fn subtree_and_containment_follow_the_tree() {
        let t = tree();
        let mut dl = t.subtree(2);
        dl.sort();
        assert_eq!(dl, vec![2, 3, 4]);
        assert_eq!(t.subtree(1).len(), 5);
        assert!(t.contains(1, 3) && t.contains(2, 4) && t.contains(3, 3));
        assert!(!t.contains(2, 5) && !t.contains(3, 2));
        assert_eq!(t.ancestors_or_self(3), vec![3, 2, 1]);
        assert_eq!(t.path_zh(4), "LN区 / DL区 / ZS区");
    }

    #[test]
    fn halls_in_a_region_are_those_hung_anywhere_below_it() {
        let t = tree();
        let halls = [(10, Some(3)), (11, Some(4)), (12, Some(5)), (13, None)];
        assert_eq!(t.halls_in(2, &halls), vec![10, 11]);
        assert_eq!(t.halls_in(1, &halls), vec![10, 11, 12]);
        assert_eq!(t.halls_in(5, &halls), vec![12]);
        assert!(t.halls_in(3, &[(13, None)]).is_empty());
    }

    #[test]
    fn moving_a_region_under_its_own_subtree_is_refused() {
        let t = tree();
        assert_eq!(
            t.check_parent(Some(2), Some(3)),
            Err(RegionError::Cycle("DL".into()))
        );
        assert_eq!(
            t.check_parent(Some(2), Some(2)),
            Err(RegionError::Cycle("DL".into()))
        );
        assert_eq!(
            t.check_parent(Some(2), Some(99)),
            Err(RegionError::UnknownParent(99))
        );
        assert_eq!(t.check_parent(Some(4), Some(5)), Ok(()));
        assert_eq!(t.check_parent(None, None), Ok(()));
    }

    #[test]
    fn a_stored_loop_or_missing_parent_is_reported_not_followed() {
        let looped = RegionTree::new(vec![r(1, "A", Some(2)), r(2, "B", Some(1))]);
        assert!(matches!(looped, Err(RegionError::Corrupt(_))));
        let orphan = RegionTree::new(vec![r(1, "A", Some(9))]);
        assert_eq!(orphan.unwrap_err(), RegionError::UnknownParent(9));
    }

    #[test]
    fn in_order_lists_parents_before_children_with_depth() {
        let t = tree();
        let order: Vec<(usize, &str)> = t
            .in_order()
            .iter()
            .map(|(d, n)| (*d, n.code.as_str()))
            .collect();
        assert_eq!(
            order,
            vec![(0, "LN"), (1, "DL"), (2, "XG"), (2, "ZS"), (1, "SY")]
        );
    }

    #[test]
    fn nearest_finds_the_closest_matching_ancestor() {
        let t = tree();
        assert_eq!(t.nearest(3, |i| i == 2 || i == 1), Some(2));
        assert_eq!(t.nearest(5, |i| i == 2), None);
    }

    #[test]
    fn codes_and_names_are_checked() {
        assert!(validate_region("DL-01", "大连").is_ok());
        assert!(matches!(
            validate_region("大连", "大连"),
            Err(RegionError::BadCode(_))
        ));
        assert!(matches!(
            validate_region("D", "大连"),
            Err(RegionError::BadCode(_))
        ));
        assert_eq!(validate_region("DL", " "), Err(RegionError::NoName));
    }
}
