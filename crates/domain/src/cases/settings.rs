//! A hall's clock settings (administrator): the shares of a limit at which the owner and the
//! hall manager are warned, and the pause cap. A case keeps the settings it was opened with.

use super::clock::{ClockPolicy, WarningLevel};
use serde::{Deserialize, Serialize};

/// Where the default warning shares and pause cap come from.
pub const SRC_SETTINGS: &str =
    "sample default: warn at 50 % and 80 % of the limit, pauses excused up to 30 days";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSettings {
    /// Share of the limit (‰) at which the owner is reminded.
    pub owner_permille: u32,
    /// Share of the limit (‰) at which the hall manager is warned (the bar turns amber).
    pub manager_permille: u32,
    /// Paused time excused per clock, in hours; beyond it time counts again.
    pub pause_cap_hours: u32,
}

impl Default for CaseSettings {
    fn default() -> Self {
        Self {
            owner_permille: 500,
            manager_permille: 800,
            pause_cap_hours: 30 * 24,
        }
    }
}

/// At most a year of excused pause per clock.
pub const MAX_PAUSE_CAP_HOURS: u32 = 366 * 24;

impl CaseSettings {
    /// Checks the settings, saying what to fix.
    pub fn validate(&self) -> Result<(), String> {
        if self.owner_permille == 0 || self.owner_permille >= 1000 {
            return Err(format!(
                "负责人预警须在时限的 0.1%–99.9% 之间 the owner's warning must be between 0.1 % and 99.9 % of the limit (got {} ‰)",
                self.owner_permille
            ));
        }
        if self.manager_permille <= self.owner_permille || self.manager_permille >= 1000 {
            return Err(format!(
                "值班长预警须高于负责人预警且低于 100% the hall manager's warning must be above the owner's ({} ‰) and below 100 % (got {} ‰)",
                self.owner_permille, self.manager_permille
            ));
        }
        if self.pause_cap_hours > MAX_PAUSE_CAP_HOURS {
            return Err(format!(
                "可扣除的暂停时长最多 {MAX_PAUSE_CAP_HOURS} 小时（一年） the pause cap must be at most {MAX_PAUSE_CAP_HOURS} hours (a year); got {}",
                self.pause_cap_hours
            ));
        }
        Ok(())
    }

    /// The clock policy these settings give: owner → hall manager → breach (supervisor).
    pub fn policy(&self) -> ClockPolicy {
        ClockPolicy {
            pause_cap_ms: i64::from(self.pause_cap_hours) * 3_600_000,
            thresholds: vec![
                (f64::from(self.owner_permille) / 1000.0, WarningLevel::Owner),
                (
                    f64::from(self.manager_permille) / 1000.0,
                    WarningLevel::HallManager,
                ),
                (1.0, WarningLevel::Supervisor),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_give_the_default_policy() {
        assert_eq!(CaseSettings::default().policy(), ClockPolicy::default());
        assert!(CaseSettings::default().validate().is_ok());
    }

    #[test]
    fn bad_settings_say_what_to_fix() {
        let s = |o, m, p| CaseSettings {
            owner_permille: o,
            manager_permille: m,
            pause_cap_hours: p,
        };
        assert!(s(0, 800, 1).validate().unwrap_err().contains("owner"));
        assert!(s(500, 500, 1).validate().unwrap_err().contains("above"));
        assert!(
            s(500, 1000, 1)
                .validate()
                .unwrap_err()
                .contains("below 100")
        );
        assert!(
            s(500, 800, 9000)
                .validate()
                .unwrap_err()
                .contains("pause cap")
        );
        assert!(s(300, 900, 0).validate().is_ok());
    }
}
