//! The `[limits]` table of the config file: sign-in throttle, live-stream caps, ticket-issue
//! rates and connection timeouts. Every key is optional; unset keys keep the defaults of
//! `servicehall_web::limits::Limits`. 0 turns a limit off.

use serde::Deserialize;
use servicehall_web::limits::{Limits, Rate};
use std::time::Duration;

pub const LIMITS_KEYS: &str = "login_account_failures, login_address_failures, \
login_window_secs, login_lockout_secs, login_max_lockout_secs, streams_per_credential, \
streams_per_address, kiosk_issue_per_minute, kiosk_issue_burst, integration_issue_per_minute, \
integration_issue_burst, header_read_timeout_secs, idle_timeout_secs";

#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LimitsFile {
    pub login_account_failures: Option<u32>,
    pub login_address_failures: Option<u32>,
    pub login_window_secs: Option<u64>,
    pub login_lockout_secs: Option<u64>,
    pub login_max_lockout_secs: Option<u64>,
    pub streams_per_credential: Option<usize>,
    pub streams_per_address: Option<usize>,
    pub kiosk_issue_per_minute: Option<u32>,
    pub kiosk_issue_burst: Option<u32>,
    pub integration_issue_per_minute: Option<u32>,
    pub integration_issue_burst: Option<u32>,
    pub header_read_timeout_secs: Option<u64>,
    pub idle_timeout_secs: Option<u64>,
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// A timeout in seconds, 0 meaning none.
fn timeout(s: u64) -> Option<Duration> {
    (s > 0).then(|| secs(s))
}

impl LimitsFile {
    /// The defaults with this table's keys applied.
    pub fn limits(&self) -> Limits {
        let mut l = Limits::default();
        let login = &mut l.login;
        set(&mut login.account_failures, self.login_account_failures);
        set(&mut login.address_failures, self.login_address_failures);
        set(&mut login.window, self.login_window_secs.map(secs));
        set(&mut login.lockout, self.login_lockout_secs.map(secs));
        set(
            &mut login.max_lockout,
            self.login_max_lockout_secs.map(secs),
        );
        set(&mut l.streams_per_credential, self.streams_per_credential);
        set(&mut l.streams_per_address, self.streams_per_address);
        rate(
            &mut l.issue_kiosk,
            self.kiosk_issue_per_minute,
            self.kiosk_issue_burst,
        );
        rate(
            &mut l.issue_integration,
            self.integration_issue_per_minute,
            self.integration_issue_burst,
        );
        set(
            &mut l.header_read_timeout,
            self.header_read_timeout_secs.map(timeout),
        );
        set(&mut l.idle_timeout, self.idle_timeout_secs.map(timeout));
        l
    }
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

fn rate(r: &mut Rate, per_minute: Option<u32>, burst: Option<u32>) {
    set(&mut r.per_minute, per_minute);
    set(&mut r.burst, burst);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_keys_keep_the_defaults_and_zero_turns_off() {
        let d = LimitsFile::default().limits();
        assert_eq!(d.login.account_failures, 5);
        assert_eq!(d.login.address_failures, 20);
        assert_eq!(d.streams_per_credential, 8);
        assert_eq!(d.streams_per_address, 64);
        assert_eq!(
            d.issue_kiosk,
            Rate {
                per_minute: 30,
                burst: 10
            }
        );
        assert_eq!(d.header_read_timeout, Some(secs(10)));
        let f: LimitsFile = toml::from_str(
            "login_account_failures = 3\nkiosk_issue_per_minute = 0\nidle_timeout_secs = 0\nstreams_per_address = 500\n",
        )
        .unwrap();
        let l = f.limits();
        assert_eq!(l.login.account_failures, 3);
        assert_eq!(l.issue_kiosk.per_minute, 0);
        assert_eq!(l.issue_kiosk.burst, 10);
        assert_eq!(l.idle_timeout, None);
        assert_eq!(l.streams_per_address, 500);
        assert!(toml::from_str::<LimitsFile>("login_failures = 3").is_err());
    }
}
