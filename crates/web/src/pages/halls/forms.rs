//! The administrator's forms as the person typed them: kept as text so a rejected form
//! comes back exactly as entered, and parsed into store inputs only on save.

use servicehall_domain::CallingPolicy;
use servicehall_store::{BusinessType, BusinessTypeInput, Counter, Hall, HallInput};

use crate::pages::Fields;

/// Minutes as typed (`"15"`, `"2.5"`) to whole seconds; must be more than 0 and at most a day.
pub fn minutes_to_seconds(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let m: f64 = s
        .parse()
        .map_err(|_| format!("请填写分钟数 · minutes must be a number, got {s:?}"))?;
    if !m.is_finite() || m <= 0.0 || m > 24.0 * 60.0 {
        return Err(format!(
            "分钟数须大于 0 且不超过 1440 · minutes must be above 0 and at most 1440, got {s}"
        ));
    }
    Ok((m * 60.0).round() as i64)
}

/// Seconds as minutes for a form: whole minutes without decimals, else up to two decimals.
pub fn seconds_to_minutes(s: i64) -> String {
    if s % 60 == 0 {
        return (s / 60).to_string();
    }
    let text = format!("{:.2}", s as f64 / 60.0);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub(super) fn parse_int(s: &str, what: &str) -> Result<i64, String> {
    s.trim()
        .parse::<i64>()
        .map_err(|_| format!("{what}须为整数 · {what} must be a whole number, got {s:?}"))
}

/// What a counter does with one business type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duty {
    Primary,
    Secondary,
    None,
}

impl Duty {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Primary => "primary",
            Self::Secondary => "secondary",
            Self::None => "none",
        }
    }
}

/// The counter form's grid: fields `bt_{id}` = `primary` | `secondary` | `none`.
/// Returns the primary and secondary business type ids, each sorted.
pub fn parse_duty_grid(fields: &[(String, String)]) -> Result<(Vec<i64>, Vec<i64>), String> {
    let mut primary = Vec::new();
    let mut secondary = Vec::new();
    for (k, v) in fields {
        let Some(id) = k.strip_prefix("bt_") else {
            continue;
        };
        let id: i64 = id
            .parse()
            .map_err(|_| format!("业务类型字段有误 · unknown business type field {k:?}"))?;
        match v.as_str() {
            "primary" => primary.push(id),
            "secondary" => secondary.push(id),
            "none" | "" => {}
            other => {
                return Err(format!(
                    "业务类型 {id} 请选择主办、兼办或不办 · business type {id}: choose primary, secondary or none (got {other:?})"
                ));
            }
        }
    }
    primary.sort_unstable();
    primary.dedup();
    secondary.sort_unstable();
    secondary.dedup();
    if let Some(both) = primary.iter().find(|id| secondary.contains(id)) {
        return Err(format!(
            "业务类型 {both} 只能是主办或兼办之一 · business type {both} is either primary or secondary, not both"
        ));
    }
    Ok((primary, secondary))
}

/// An `<option>` or radio choice.
#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

// ---- hall ----

#[derive(Debug, Clone)]
pub struct HallForm {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub address: String,
    pub phone: String,
    pub timezone: String,
    pub opens: String,
    pub closes: String,
    pub green_first: bool,
    pub overdue_to_all: bool,
    pub max_recalls: String,
    /// 提前提醒: the phone page warns at this many tickets ahead (saved apart, audited).
    pub notify_ahead: String,
}

impl HallForm {
    pub fn blank() -> Self {
        let p = CallingPolicy::default();
        Self {
            code: String::new(),
            name: String::new(),
            name_en: String::new(),
            address: String::new(),
            phone: String::new(),
            timezone: "Asia/Shanghai".into(),
            opens: "08:30".into(),
            closes: "17:30".into(),
            green_first: p.green_first,
            overdue_to_all: p.overdue_to_all,
            max_recalls: p.max_recalls.to_string(),
            notify_ahead: servicehall_store::DEFAULT_NOTIFY_AHEAD.to_string(),
        }
    }

    pub fn of(h: &Hall) -> Self {
        Self {
            code: h.code.clone(),
            name: h.name.clone(),
            name_en: h.name_en.clone(),
            address: h.address.clone(),
            phone: h.phone.clone(),
            timezone: h.timezone.clone(),
            opens: h.opens.clone(),
            closes: h.closes.clone(),
            green_first: h.policy.green_first,
            overdue_to_all: h.policy.overdue_to_all,
            max_recalls: h.policy.max_recalls.to_string(),
            notify_ahead: h.notify_ahead.to_string(),
        }
    }

    pub fn read(f: &Fields) -> Self {
        Self {
            code: f.get("code"),
            name: f.get("name"),
            name_en: f.get("name_en"),
            address: f.get("address"),
            phone: f.get("phone"),
            timezone: f.get("timezone"),
            opens: f.get("opens"),
            closes: f.get("closes"),
            green_first: f.checked("green_first"),
            overdue_to_all: f.checked("overdue_to_all"),
            max_recalls: f.get("max_recalls"),
            notify_ahead: f.get("notify_ahead"),
        }
    }

    /// The notice threshold, checked before anything is saved; `None` when the form left it
    /// out (a form of an older page keeps the hall's).
    pub fn notify_ahead(&self) -> Result<Option<u32>, String> {
        let max = servicehall_store::MAX_NOTIFY_AHEAD;
        if self.notify_ahead.trim().is_empty() {
            return Ok(None);
        }
        self.notify_ahead
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| i64::from(*n) <= max)
            .map(Some)
            .ok_or_else(|| {
                format!(
                    "提前提醒人数须为 0–{max} · the notice threshold must be 0 to {max} tickets ahead, got {:?}",
                    self.notify_ahead
                )
            })
    }

    pub fn input(&self) -> Result<HallInput, String> {
        let max_recalls: u32 = self.max_recalls.parse().map_err(|_| {
            format!(
                "最多重呼次数须为 0–9 · max recalls must be 0 to 9, got {:?}",
                self.max_recalls
            )
        })?;
        Ok(HallInput {
            code: self.code.clone(),
            name: self.name.clone(),
            name_en: self.name_en.clone(),
            address: self.address.clone(),
            phone: self.phone.clone(),
            timezone: self.timezone.clone(),
            opens: self.opens.clone(),
            closes: self.closes.clone(),
            policy: CallingPolicy {
                green_first: self.green_first,
                overdue_to_all: self.overdue_to_all,
                max_recalls,
            },
        })
    }
}

// ---- business type ----

#[derive(Debug, Clone)]
pub struct BtForm {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub prefix: String,
    pub target_wait_min: String,
    pub target_handling_min: String,
    pub is_payment: bool,
    pub sort_order: String,
    pub active: bool,
}

impl BtForm {
    pub fn blank(next_sort: i64) -> Self {
        Self {
            code: String::new(),
            name_zh: String::new(),
            name_en: String::new(),
            prefix: String::new(),
            target_wait_min: "15".into(),
            target_handling_min: "10".into(),
            is_payment: false,
            sort_order: next_sort.to_string(),
            active: true,
        }
    }

    pub fn of(b: &BusinessType) -> Self {
        Self {
            code: b.code.clone(),
            name_zh: b.name_zh.clone(),
            name_en: b.name_en.clone(),
            prefix: b.prefix.clone(),
            target_wait_min: seconds_to_minutes(b.target_wait_s),
            target_handling_min: seconds_to_minutes(b.target_handling_s),
            is_payment: b.is_payment,
            sort_order: b.sort_order.to_string(),
            active: b.active,
        }
    }

    pub fn read(f: &Fields) -> Self {
        Self {
            code: f.get("code"),
            name_zh: f.get("name_zh"),
            name_en: f.get("name_en"),
            prefix: f.get("prefix").to_ascii_uppercase(),
            target_wait_min: f.get("target_wait_min"),
            target_handling_min: f.get("target_handling_min"),
            is_payment: f.checked("is_payment"),
            sort_order: f.get("sort_order"),
            active: f.checked("active"),
        }
    }

    pub fn input(&self) -> Result<BusinessTypeInput, String> {
        let sort_order = if self.sort_order.is_empty() {
            0
        } else {
            parse_int(&self.sort_order, "排序")?
        };
        Ok(BusinessTypeInput {
            code: self.code.clone(),
            name_zh: self.name_zh.clone(),
            name_en: self.name_en.clone(),
            prefix: self.prefix.clone(),
            target_wait_s: minutes_to_seconds(&self.target_wait_min)?,
            target_handling_s: minutes_to_seconds(&self.target_handling_min)?,
            is_payment: self.is_payment,
            sort_order,
            active: self.active,
        })
    }
}

// ---- counter ----

/// One row of the counter form's grid.
#[derive(Debug, Clone)]
pub struct DutyRow {
    pub bt_id: i64,
    pub label: String,
    pub duty: &'static str,
}

#[derive(Debug, Clone)]
pub struct CounterForm {
    pub number: String,
    pub grid: Vec<DutyRow>,
}

fn grid_for(bts: &[BusinessType], primary: &[i64], secondary: &[i64]) -> Vec<DutyRow> {
    bts.iter()
        .map(|b| DutyRow {
            bt_id: b.id,
            label: if b.active {
                format!("{} {} · {}", b.prefix, b.name_zh, b.name_en)
            } else {
                format!("{} {} · {} (停用 inactive)", b.prefix, b.name_zh, b.name_en)
            },
            duty: if primary.contains(&b.id) {
                Duty::Primary.as_str()
            } else if secondary.contains(&b.id) {
                Duty::Secondary.as_str()
            } else {
                Duty::None.as_str()
            },
        })
        .collect()
}

impl CounterForm {
    pub fn blank(bts: &[BusinessType], next_number: i64) -> Self {
        Self {
            number: next_number.to_string(),
            grid: grid_for(bts, &[], &[]),
        }
    }

    pub fn of(c: &Counter, bts: &[BusinessType]) -> Self {
        Self {
            number: c.number.to_string(),
            grid: grid_for(bts, &c.primary, &c.secondary),
        }
    }

    /// The form as sent; a grid that does not parse comes back with nothing chosen.
    pub fn read(f: &Fields, bts: &[BusinessType]) -> Self {
        let (p, s) = parse_duty_grid(&f.0).unwrap_or_default();
        Self {
            number: f.get("number"),
            grid: grid_for(bts, &p, &s),
        }
    }

    pub fn input(f: &Fields) -> Result<servicehall_store::CounterInput, String> {
        let number = parse_int(&f.get("number"), "柜台号")?;
        let (primary, secondary) = parse_duty_grid(&f.0)?;
        if primary.is_empty() {
            return Err(
                "请至少选择一项主办业务 · choose at least one primary (主办) business type".into(),
            );
        }
        Ok(servicehall_store::CounterInput {
            number,
            primary,
            secondary,
        })
    }
}

/// The success message a `?ok=` code stands for (fixed texts, so links cannot inject any).
pub fn flash_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "hall-created" => "营业厅已创建 · Hall created",
        "hall-saved" => "营业厅信息已保存 · Hall settings saved",
        "bt-created" => "业务类型已添加 · Business type added",
        "bt-saved" => "业务类型已保存 · Business type saved",
        "counter-created" => "柜台已添加 · Counter added",
        "counter-saved" => "柜台已保存 · Counter saved",
        "staff-created" => "员工已添加 · Staff member added",
        "staff-saved" => "员工信息已保存 · Staff member saved",
        "password-reset" => "密码已重置 · Password reset; their sessions were signed out",
        "device-revoked" => "设备已停用 · Device revoked; its token no longer works",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn minutes_become_seconds_and_back() {
        assert_eq!(minutes_to_seconds("15"), Ok(900));
        assert_eq!(minutes_to_seconds(" 2.5 "), Ok(150));
        assert!(minutes_to_seconds("0").is_err());
        assert!(minutes_to_seconds("-3").is_err());
        assert!(minutes_to_seconds("abc").is_err());
        assert!(minutes_to_seconds("").is_err());
        assert!(minutes_to_seconds("NaN").is_err());
        assert!(minutes_to_seconds("99999").is_err());
        assert_eq!(seconds_to_minutes(900), "15");
        assert_eq!(seconds_to_minutes(150), "2.5");
        assert_eq!(seconds_to_minutes(100), "1.67");
        assert_eq!(
            minutes_to_seconds(&seconds_to_minutes(150)),
            Ok(150),
            "round trip"
        );
    }

    #[test]
    fn the_duty_grid_splits_primary_and_secondary() {
        let f = pairs(&[
            ("_csrf", "x"),
            ("number", "3"),
            ("bt_7", "secondary"),
            ("bt_2", "primary"),
            ("bt_5", "none"),
            ("bt_1", "primary"),
        ]);
        assert_eq!(parse_duty_grid(&f), Ok((vec![1, 2], vec![7])));
        assert_eq!(parse_duty_grid(&[]), Ok((vec![], vec![])));
    }

    #[test]
    fn the_duty_grid_rejects_nonsense() {
        assert!(parse_duty_grid(&pairs(&[("bt_x", "primary")])).is_err());
        assert!(parse_duty_grid(&pairs(&[("bt_1", "boss")])).is_err());
        assert!(parse_duty_grid(&pairs(&[("bt_1", "primary"), ("bt_1", "secondary")])).is_err());
    }

    #[test]
    fn counter_input_needs_a_number_and_a_primary_type() {
        let ok = Fields(pairs(&[("number", "4"), ("bt_3", "primary")]));
        let input = CounterForm::input(&ok).unwrap();
        assert_eq!(
            (input.number, input.primary, input.secondary),
            (4, vec![3], vec![])
        );
        assert!(
            CounterForm::input(&Fields(pairs(&[("number", "4"), ("bt_3", "secondary")]))).is_err()
        );
        assert!(
            CounterForm::input(&Fields(pairs(&[("number", "four"), ("bt_3", "primary")]))).is_err()
        );
    }

    #[test]
    fn checkboxes_and_fields_read_as_sent() {
        let f = Fields(pairs(&[
            ("name", "  张三 "),
            ("active", "on"),
            ("green_first", "0"),
        ]));
        assert_eq!(f.get("name"), "张三");
        assert_eq!(f.get("missing"), "");
        assert!(f.checked("active"));
        assert!(!f.checked("green_first"));
        assert!(!f.checked("missing"));
    }

    #[test]
    fn hall_form_keeps_bad_input_and_explains() {
        let mut h = HallForm::blank();
        h.max_recalls = "many".into();
        assert!(h.input().is_err());
        h.max_recalls = "2".into();
        assert_eq!(h.input().map(|i| i.policy.max_recalls), Ok(2));
    }

    #[test]
    fn flash_codes_map_to_fixed_texts() {
        assert!(flash_message("bt-saved").is_some());
        assert_eq!(flash_message("<script>"), None);
    }
}
