//! The kiosk's reduced set during an incident, as the issue API enforces it: a self-service
//! caller (a kiosk, an integration) may take only the businesses every active `reduced`
//! playbook keeps. A person at the guide desk is not held to it: they triage the customer
//! in front of them (a 新装 that cannot wait, a customer with a paper form) and record the
//! visit knowing the system is down.

use super::{KioskMode, Playbook};

/// Why a self-service issue of `business` is refused while `active` incidents run, or `None`
/// when it may go ahead. `name_of` gives a business code's Chinese and English names.
pub fn kiosk_refusal<'a>(
    active: impl IntoIterator<Item = &'a Playbook>,
    business: &str,
    name_of: impl Fn(&str) -> (String, String),
) -> Option<String> {
    let p = active.into_iter().find(|p| {
        p.kiosk == KioskMode::Reduced && !p.kiosk_businesses.iter().any(|b| b == business)
    })?;
    let names: Vec<(String, String)> = p.kiosk_businesses.iter().map(|b| name_of(b)).collect();
    let zh = names
        .iter()
        .map(|n| n.0.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let en = names
        .iter()
        .map(|n| n.1.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let (bz, be) = name_of(business);
    Some(format!(
        "突发情况“{}”处置期间，自助取号只办理{zh}；“{bz}”请到引导台人工取号 · \
         during the incident “{}” self-service tickets are only for {en}; for “{be}” please see the guide desk",
        p.name_zh, p.name_en
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::shipped::shipped;

    fn names(code: &str) -> (String, String) {
        match code {
            "payment" => ("电费缴纳".into(), "bill payment".into()),
            "inquiry" => ("咨询".into(), "inquiry".into()),
            c => (c.into(), c.into()),
        }
    }

    #[test]
    fn a_reduced_playbook_refuses_what_it_does_not_keep_and_names_itself() {
        let all = shipped().unwrap();
        let bs = all.iter().find(|p| p.code == "business_system").unwrap();
        let outage = all.iter().find(|p| p.code == "outage").unwrap();
        assert_eq!(kiosk_refusal([bs], "payment", names), None);
        assert_eq!(kiosk_refusal([bs], "inquiry", names), None);
        let m = kiosk_refusal([outage, bs], "new_connection", names).unwrap();
        assert!(m.starts_with("突发情况“营销系统故障”"), "{m}");
        assert!(
            m.contains("电费缴纳、咨询") && m.contains("Business system down"),
            "{m}"
        );
        assert!(m.contains(" · "), "{m}");
        // No reduced playbook active: nothing is refused here (a notice kiosk shows no tiles).
        assert_eq!(kiosk_refusal([outage], "new_connection", names), None);
        assert_eq!(kiosk_refusal([], "new_connection", names), None);
    }
}
