//! The staff and device forms as typed (see `forms`): a person's role, hall and counter,
//! a new password's rule, a device's kind and counter.

use super::forms::{Opt, parse_int};
use crate::pages::Fields;
use servicehall_domain::{DeviceKind, Role};
use servicehall_store::Staff;

// ---- staff ----

#[derive(Debug, Clone)]
pub struct StaffForm {
    pub name: String,
    pub badge_no: String,
    pub username: String,
    pub role: String,
    pub active: bool,
}

impl StaffForm {
    pub fn blank() -> Self {
        Self {
            name: String::new(),
            badge_no: String::new(),
            username: String::new(),
            role: Role::Clerk.as_str().into(),
            active: true,
        }
    }

    pub fn of(s: &Staff) -> Self {
        Self {
            name: s.name.clone(),
            badge_no: s.badge_no.clone(),
            username: s.username.clone(),
            role: s.role.as_str().into(),
            active: s.active,
        }
    }

    pub fn read(f: &Fields) -> Self {
        Self {
            name: f.get("name"),
            badge_no: f.get("badge_no"),
            username: f.get("username"),
            role: f.get("role"),
            active: f.checked("active"),
        }
    }

    pub fn role(&self) -> Result<Role, String> {
        self.role.parse()
    }

    /// The roles to choose from, with this form's role selected.
    pub fn role_options(&self, roles: &[Role]) -> Vec<Opt> {
        roles
            .iter()
            .map(|r| Opt {
                value: r.as_str().into(),
                label: format!("{} {}", r.label_zh(), r.as_str()),
                selected: r.as_str() == self.role,
            })
            .collect()
    }
}

/// The fewest characters a new password may have (passwords set earlier keep working).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Checks a new password: at least [`MIN_PASSWORD_CHARS`] characters.
pub fn check_password(pw: &str) -> Result<(), String> {
    if pw.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "密码至少 {MIN_PASSWORD_CHARS} 位 · the password needs at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    Ok(())
}

// ---- device ----

#[derive(Debug, Clone)]
pub struct DeviceForm {
    pub kind: String,
    pub name: String,
    pub counter_number: String,
}

impl DeviceForm {
    pub fn blank() -> Self {
        Self {
            kind: DeviceKind::Kiosk.as_str().into(),
            name: String::new(),
            counter_number: String::new(),
        }
    }

    pub fn read(f: &Fields) -> Self {
        Self {
            kind: f.get("kind"),
            name: f.get("name"),
            counter_number: f.get("counter_number"),
        }
    }

    pub fn kind_options(&self) -> Vec<Opt> {
        DeviceKind::ALL
            .iter()
            .map(|k| Opt {
                value: k.as_str().into(),
                label: format!("{} {}", k.label_zh(), k.as_str()),
                selected: k.as_str() == self.kind,
            })
            .collect()
    }

    /// The kind, name and counter number (when one is given).
    pub fn parsed(&self) -> Result<(DeviceKind, String, Option<i64>), String> {
        let kind: DeviceKind = self.kind.parse()?;
        if self.name.is_empty() {
            return Err("请填写设备名称 · give the device a name".into());
        }
        let number = if self.counter_number.is_empty() {
            None
        } else {
            Some(parse_int(&self.counter_number, "柜台号")?)
        };
        if kind.needs_counter() && number.is_none() {
            return Err(format!(
                "{}须绑定柜台 · a {} belongs to a counter; give its counter number",
                kind.label_zh(),
                kind.as_str()
            ));
        }
        Ok((kind, self.name.clone(), number))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_on_counters_need_a_counter_number() {
        let mut d = DeviceForm::blank();
        d.name = "1号窗口评价器".into();
        d.kind = "evaluator".into();
        assert!(d.parsed().is_err());
        d.counter_number = "1".into();
        assert_eq!(d.parsed().map(|p| p.2), Ok(Some(1)));
        d.kind = "toaster".into();
        assert!(d.parsed().is_err());
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert!(check_password("short").is_err());
        assert!(
            check_password("demo1234").is_err(),
            "8 characters are no longer enough"
        );
        assert!(check_password("Demo-2026!ab").is_ok());
        assert!(check_password("供电营业厅服务好").is_err());
        assert!(
            check_password("国网供电营业厅优质服务承诺").is_ok(),
            "characters, not bytes"
        );
    }
}
