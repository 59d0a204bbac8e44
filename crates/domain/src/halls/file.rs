//! A hall as one YAML file (`servicehall hall export` / `hall import`): its address, hours,
//! business types, counters with what they serve as 主办 (primary) and 兼办 (secondary), and
//! staff — never passwords. Parsing is all or nothing: every problem is reported with the
//! field and, where it can be found, the line.

use super::{check_business_type, check_hall, check_staff};
use crate::Role;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HallFile {
    /// The hall's code, e.g. `DL-XG`: the key an import updates by.
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default = "default_tz")]
    pub timezone: String,
    pub hours: Hours,
    pub business_types: Vec<BusinessTypeEntry>,
    #[serde(default)]
    pub counters: Vec<CounterEntry>,
    #[serde(default)]
    pub staff: Vec<StaffEntry>,
}

fn default_tz() -> String {
    "Asia/Shanghai".into()
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    pub opens: String,
    pub closes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessTypeEntry {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The ticket number's letter, e.g. `A`.
    pub prefix: String,
    pub target_wait_s: i64,
    pub target_handling_s: i64,
    #[serde(default)]
    pub is_payment: bool,
    #[serde(default = "yes")]
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CounterEntry {
    pub number: i64,
    /// Business type codes served as 主办.
    #[serde(default)]
    pub primary: Vec<String>,
    /// Business type codes served as 兼办.
    #[serde(default)]
    pub secondary: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffEntry {
    pub username: String,
    pub name: String,
    pub badge_no: String,
    /// `clerk`, `guide`, `hall_manager` … (a hall's staff).
    pub role: String,
    #[serde(default = "yes")]
    pub active: bool,
}

/// One problem in a hall file: where (`counters[2].primary[0]`, line) and why (bilingual).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HallFileError {
    pub at: String,
    pub line: Option<usize>,
    pub why: String,
}

impl std::fmt::Display for HallFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "第 {l} 行 line {l}, {}: {}", self.at, self.why),
            None => write!(f, "{}: {}", self.at, self.why),
        }
    }
}

/// Parses and checks a hall file; every problem found, or none.
pub fn parse(text: &str) -> Result<HallFile, Vec<HallFileError>> {
    let de = serde_norway::Deserializer::from_str(text);
    let file: HallFile = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let line = inner.location().map(|l| l.line());
        let why = inner.to_string();
        let why = why.split(" at line ").next().unwrap_or(&why).to_string();
        vec![HallFileError {
            at: if path == "." { "file".into() } else { path },
            line,
            why: format!("格式错误 · {why}"),
        }]
    })?;
    let errors = check(&file, text);
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(errors)
    }
}

/// The file as YAML.
pub fn to_yaml(file: &HallFile) -> String {
    serde_norway::to_string(file).unwrap_or_default()
}

/// The rules beyond the shape: the hall, each business type and staff member by the same
/// rules as the admin screens, and the references between them.
pub fn check(file: &HallFile, text: &str) -> Vec<HallFileError> {
    let mut out = Vec::new();
    let err = |out: &mut Vec<HallFileError>, at: String, needle: &str, why: String| {
        out.push(HallFileError {
            line: line_of(text, needle),
            at,
            why,
        })
    };
    if let Err(e) = check_hall(
        &file.code,
        &file.name,
        &file.timezone,
        &file.hours.opens,
        &file.hours.closes,
        3,
    ) {
        err(&mut out, "hall".into(), "code:", e.0);
    }
    let mut codes = HashSet::new();
    for (i, b) in file.business_types.iter().enumerate() {
        let at = format!("business_types[{i}]");
        if let Err(e) = check_business_type(
            &b.code,
            &b.name_zh,
            &b.name_en,
            &b.prefix,
            b.target_wait_s,
            b.target_handling_s,
        ) {
            err(&mut out, at.clone(), &b.code, e.0);
        }
        if !codes.insert(b.code.as_str()) {
            err(
                &mut out,
                format!("{at}.code"),
                &b.code,
                format!(
                    "业务类型 {} 重复 · business type {} is listed twice",
                    b.code, b.code
                ),
            );
        }
    }
    let mut numbers = HashSet::new();
    for (i, c) in file.counters.iter().enumerate() {
        let at = format!("counters[{i}]");
        let needle = format!("number: {}", c.number);
        if c.number < 1 || !numbers.insert(c.number) {
            err(
                &mut out,
                format!("{at}.number"),
                &needle,
                format!(
                    "窗口号 {} 无效或重复 · counter number {} is not positive or listed twice",
                    c.number, c.number
                ),
            );
        }
        for (kind, list) in [("primary", &c.primary), ("secondary", &c.secondary)] {
            for (j, code) in list.iter().enumerate() {
                if !codes.contains(code.as_str()) {
                    out.push(HallFileError {
                        at: format!("{at}.{kind}[{j}]"),
                        line: line_after(text, &needle, code),
                        why: format!("没有业务类型 {code} · no business type {code} in this file"),
                    });
                }
            }
        }
        if let Some(both) = c.primary.iter().find(|p| c.secondary.contains(p)) {
            err(
                &mut out,
                at.clone(),
                &needle,
                format!("{both} 不能既主办又兼办 · {both} cannot be both primary and secondary"),
            );
        }
    }
    let (mut users, mut badges) = (HashSet::new(), HashSet::new());
    for (i, s) in file.staff.iter().enumerate() {
        let at = format!("staff[{i}]");
        let needle = format!("username: {}", s.username);
        match s.role.parse::<Role>() {
            Ok(role @ (Role::Admin | Role::Supervisor)) => err(
                &mut out,
                format!("{at}.role"),
                &needle,
                format!(
                    "{} 不属于营业厅，请在 /admin 管理 · a {} is not a hall's staff; manage them in /admin",
                    role.label_zh(),
                    role.as_str()
                ),
            ),
            Ok(role) => {
                if let Err(e) = check_staff(&s.username, &s.name, &s.badge_no, role, true) {
                    err(&mut out, at.clone(), &needle, e.0);
                }
            }
            Err(e) => err(&mut out, format!("{at}.role"), &needle, e),
        }
        if !users.insert(s.username.as_str()) {
            err(
                &mut out,
                format!("{at}.username"),
                &needle,
                format!(
                    "用户名 {} 重复 · username {} is listed twice",
                    s.username, s.username
                ),
            );
        }
        if !badges.insert(s.badge_no.as_str()) {
            err(
                &mut out,
                format!("{at}.badge_no"),
                &needle,
                format!(
                    "工号 {} 重复 · badge {} is listed twice",
                    s.badge_no, s.badge_no
                ),
            );
        }
    }
    out
}

/// The first line containing `needle` at or after the first line containing `from`.
fn line_after(text: &str, from: &str, needle: &str) -> Option<usize> {
    let start = line_of(text, from)?;
    text.lines()
        .enumerate()
        .skip(start - 1)
        .find(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
}

/// The first line containing `needle` (1-based), to point a person at it.
fn line_of(text: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "code: DL-XH
name: 大连星海营业厅
hours:
  opens: '08:30'
  closes: '17:30'
business_types:
  - code: pay
    name_zh: 缴费
    name_en: Payment
    prefix: A
    target_wait_s: 600
    target_handling_s: 300
    is_payment: true
counters:
  - number: 1
    primary: [pay]
staff:
  - username: xh_clerk1
    name: 王芳
    badge_no: XH001
    role: clerk
";

    #[test]
    fn a_good_file_round_trips() {
        let f = parse(GOOD).unwrap();
        assert_eq!(f.timezone, "Asia/Shanghai");
        assert_eq!(f.counters[0].primary, vec!["pay".to_string()]);
        assert_eq!(parse(&to_yaml(&f)).unwrap(), f);
    }

    #[test]
    fn unknown_fields_name_their_path_and_line() {
        let bad = GOOD.replace("    prefix: A", "    prefx: A");
        let e = parse(&bad).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].at, "business_types[0].prefx");
        assert_eq!(e[0].line, Some(10), "{e:?}");
        assert!(e[0].why.contains("prefx"), "{e:?}");
    }

    #[test]
    fn every_broken_reference_is_reported() {
        let bad = GOOD
            .replace("primary: [pay]", "primary: [pay]\n    secondary: [repair]")
            .replace("role: clerk", "role: admin");
        let e = parse(&bad).unwrap_err();
        let at: Vec<&str> = e.iter().map(|e| e.at.as_str()).collect();
        assert_eq!(
            at,
            vec!["counters[0].secondary[0]", "staff[0].role"],
            "{e:?}"
        );
        assert_eq!(e[0].line, Some(17));
        assert!(e[0].why.starts_with("没有业务类型 repair"));
    }
}
