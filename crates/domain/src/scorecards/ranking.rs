//! 红黑榜: the halls of a region ranked by their month's total, with the change of rank
//! since the month before. Ties share a rank (1, 2, 2, 4); halls without a score are listed
//! last, unranked. The top of the list is the 红榜 (red board, honours), the bottom the 黑榜
//! (black board): a quarter of the ranked halls each, at least one and at most three, never
//! the same hall on both.

use serde::{Deserialize, Serialize};

/// Rank change since the previous month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trend {
    /// Moved up by `by` places (↑).
    Up { by: u32 },
    /// Moved down by `by` places (↓).
    Down { by: u32 },
    /// Same place (—).
    Same,
    /// Not ranked the month before (or not now).
    New,
}

impl Trend {
    pub fn arrow(self) -> &'static str {
        match self {
            Self::Up { .. } => "↑",
            Self::Down { .. } => "↓",
            Self::Same => "—",
            Self::New => "·",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Board {
    Red,
    Black,
    None,
}

/// One hall's place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub hall_id: i64,
    pub total: Option<f64>,
    pub rank: Option<u32>,
    pub previous_rank: Option<u32>,
    pub trend: Trend,
    pub board: Board,
}

/// Competition ranks (1, 2, 2, 4) of the scored entries, best first; ties by total compared
/// at one decimal. Entries without a total get no rank.
fn ranks(entries: &[(i64, Option<f64>)]) -> Vec<(i64, Option<f64>, Option<u32>)> {
    let mut scored: Vec<(i64, i64)> = entries
        .iter()
        .filter_map(|&(h, t)| t.map(|t| (h, super::tenths(t))))
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out = Vec::new();
    let mut rank = 0;
    for (i, &(h, t)) in scored.iter().enumerate() {
        if i == 0 || scored[i - 1].1 != t {
            rank = i as u32 + 1;
        }
        out.push((h, Some(t as f64 / 10.0), Some(rank)));
    }
    let mut unscored: Vec<i64> = entries
        .iter()
        .filter(|e| e.1.is_none())
        .map(|e| e.0)
        .collect();
    unscored.sort();
    out.extend(unscored.into_iter().map(|h| (h, None, None)));
    out
}

/// Ranks this month's totals against last month's.
pub fn rank(current: &[(i64, Option<f64>)], previous: &[(i64, Option<f64>)]) -> Vec<Ranked> {
    let now = ranks(current);
    let before = ranks(previous);
    let ranked = now.iter().filter(|r| r.2.is_some()).count() as u32;
    let board = if ranked >= 2 {
        (ranked / 4).clamp(1, 3)
    } else {
        0
    };
    now.into_iter()
        .map(|(hall_id, total, r)| {
            let previous_rank = before.iter().find(|b| b.0 == hall_id).and_then(|b| b.2);
            let trend = match (r, previous_rank) {
                (Some(n), Some(p)) if n < p => Trend::Up { by: p - n },
                (Some(n), Some(p)) if n > p => Trend::Down { by: n - p },
                (Some(_), Some(_)) => Trend::Same,
                _ => Trend::New,
            };
            let board = match r {
                Some(n) if n <= board => Board::Red,
                Some(n) if board > 0 && n > ranked - board => Board::Black,
                _ => Board::None,
            };
            Ranked {
                hall_id,
                total,
                rank: r,
                previous_rank,
                trend,
                board,
            }
        })
        .collect()
}
