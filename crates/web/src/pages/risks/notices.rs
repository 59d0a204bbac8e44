//! The notices a KRI crossing leaves for a risk's owner, as lines for the home page, the
//! dashboard and the register (until the owner reviews the risk).

use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use servicehall_domain::access::Permission;
use servicehall_domain::time::{local, parse_tz};
use servicehall_store::Hall;

/// One notice: where it leads and what it says.
pub struct Line {
    pub href: String,
    pub text: String,
    /// `amber` | `red`
    pub state: &'static str,
}

fn line(n: &servicehall_store::RiskNotice, when: String) -> Line {
    Line {
        href: format!("/risks/{}", n.risk_id),
        text: format!(
            "{when} {} {}：{}{}（{}）· KRI {} is {} ({}), review the risk",
            n.risk_code,
            n.risk_title,
            n.measure.label_zh(),
            n.state.label_zh(),
            n.value,
            n.measure.label_en(),
            n.state.label_en().to_lowercase(),
            n.value
        ),
        state: n.state.as_str(),
    }
}

/// Notices about a hall's risks (of one owner when `owner` is set).
pub async fn lines(s: &AppState, hall: &Hall, owner: Option<i64>) -> Result<Vec<Line>, PageError> {
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    Ok(s.store
        .risk_notices(Some(hall.id), owner)
        .await?
        .iter()
        .map(|n| line(n, local(n.at, tz).format("%m-%d %H:%M").to_string()))
        .collect())
}

/// The caller's own notices, for the home page and the dashboard: empty for anyone who
/// does not keep risks.
pub async fn mine(s: &AppState, caller: &Caller) -> Vec<Line> {
    let Some(staff) = caller.actor.staff_id else {
        return Vec::new();
    };
    if !caller.actor.allows(Permission::ManageRisks) {
        return Vec::new();
    }
    // A notice is a hint on the way in; a failed read must not break the home page.
    let list = s
        .store
        .risk_notices(None, Some(staff))
        .await
        .unwrap_or_default();
    list.iter()
        .filter(|n| caller.actor.in_hall(n.hall_id))
        // The latest few: the register lists them all.
        .take(5)
        .map(|n| {
            line(
                n,
                local(n.at, chrono_tz::Asia::Shanghai)
                    .format("%m-%d %H:%M")
                    .to_string(),
            )
        })
        .collect()
}
