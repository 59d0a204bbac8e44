//! 唱收唱付 (read-back): amounts are whole fen (1/100 yuan), never floats.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in fen. Negative amounts are never valid in the hall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl fmt::Display for Fen {
    /// Formats as yuan with two decimals: `Fen(12345)` → `123.45`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("应收金额不能为负数 amount due must not be negative (got {0} fen)")]
    NegativeDue(i64),
    #[error(
        "实收 {received} 元少于应收 {due} 元，请先收齐 amount received ({received}) is less than the amount due ({due}); collect the rest first"
    )]
    ReceivedLessThanDue { due: Fen, received: Fen },
    #[error(
        "金额超过柜台可办理的上限（1 亿元） amount exceeds the largest amount a counter handles (100,000,000.00 yuan)"
    )]
    TooLarge,
}

/// What the clerk states aloud and the receipt records: due, received, change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadBack {
    pub due: Fen,
    pub received: Fen,
    pub change: Fen,
}

/// 1e8 yuan in fen: far above any hall payment, far below i64 overflow.
const MAX_FEN: i64 = 10_000_000_000;

impl ReadBack {
    /// Validates the amounts and computes the change (received − due).
    pub fn new(due: i64, received: i64) -> Result<Self, MoneyError> {
        if due < 0 {
            return Err(MoneyError::NegativeDue(due));
        }
        if due > MAX_FEN || received > MAX_FEN {
            return Err(MoneyError::TooLarge);
        }
        if received < due {
            return Err(MoneyError::ReceivedLessThanDue {
                due: Fen(due),
                received: Fen(received),
            });
        }
        Ok(Self {
            due: Fen(due),
            received: Fen(received),
            change: Fen(received - due),
        })
    }

    /// The sentence the clerk reads back, in Mandarin.
    pub fn spoken_zh(&self) -> String {
        format!(
            "应收{}元，实收{}元，找零{}元",
            self.due, self.received, self.change
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_is_received_minus_due() {
        let rb = ReadBack::new(12_345, 20_000).unwrap();
        assert_eq!(rb.change, Fen(7_655));
        assert_eq!(rb.spoken_zh(), "应收123.45元，实收200.00元，找零76.55元");
    }

    #[test]
    fn exact_payment_has_zero_change() {
        assert_eq!(ReadBack::new(500, 500).unwrap().change, Fen(0));
    }

    #[test]
    fn received_less_than_due_is_rejected() {
        let err = ReadBack::new(1_000, 999).unwrap_err();
        assert!(matches!(err, MoneyError::ReceivedLessThanDue { .. }));
        assert!(err.to_string().contains("less than the amount due"));
    }

    #[test]
    fn negative_and_huge_amounts_are_rejected() {
        assert_eq!(ReadBack::new(-1, 0), Err(MoneyError::NegativeDue(-1)));
        assert_eq!(ReadBack::new(0, MAX_FEN + 1), Err(MoneyError::TooLarge));
    }

    #[test]
    fn display_formats_yuan() {
        assert_eq!(Fen(5).to_string(), "0.05");
        assert_eq!(Fen(100).to_string(), "1.00");
        assert_eq!(Fen(-250).to_string(), "-2.50");
    }
}
