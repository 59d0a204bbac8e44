//! A hall as one YAML file (`servicehall hall export` / `hall import`, the halls admin
//! screen): its region (by code), address, hours, calling policy (叫号策略), business types,
//! counters with what they serve as 主办 (primary) and 兼办 (secondary), staff — never
//! passwords — and a reference to its service catalogue file (业务公开, its own format). Parsing
//! is all or nothing: every problem is reported with the field and, where it can be found,
//! the line.

use super::{check_business_type, check_hall, check_staff};
use crate::{CallingPolicy, Role};
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
    /// The code of the region the hall hangs on (省/市/县公司). Absent: an import leaves the
    /// hall's region as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub hours: Hours,
    /// The calling policy. Absent: an import keeps the hall's (a new hall gets the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calling: Option<Calling>,
    /// The hall's service catalogue file (the format of docs/catalogue.md), as a path
    /// relative to this file. `hall import` imports it in the same transaction; the admin
    /// screen, which receives one file, names it for the catalogue screen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<String>,
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

/// The calling policy as the file writes it (see [`CallingPolicy`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calling {
    /// 绿色通道 tickets first.
    #[serde(default = "yes")]
    pub green_first: bool,
    /// A ticket past its target wait goes to every counter.
    #[serde(default = "yes")]
    pub overdue_to_all: bool,
    /// Recalls before a ticket is a no-show (0–9).
    #[serde(default = "three")]
    pub max_recalls: i64,
}

fn three() -> i64 {
    3
}

impl From<&CallingPolicy> for Calling {
    fn from(p: &CallingPolicy) -> Self {
        Self {
            green_first: p.green_first,
            overdue_to_all: p.overdue_to_all,
            max_recalls: p.max_recalls.into(),
        }
    }
}

impl Calling {
    /// The policy; call after [`check`] (which bounds `max_recalls`).
    pub fn policy(&self) -> CallingPolicy {
        CallingPolicy {
            green_first: self.green_first,
            overdue_to_all: self.overdue_to_all,
            max_recalls: self.max_recalls.clamp(0, 99) as u32,
        }
    }
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
        file.calling.as_ref().map_or(3, |c| c.max_recalls),
    ) {
        err(&mut out, "hall".into(), "code:", e.0);
    }
    if let Some(region) = &file.region
        && let Err(e) = crate::regions::validate_region(region, "-")
    {
        err(&mut out, "region".into(), "region:", e.to_string());
    }
    if let Some(path) = &file.catalogue
        && let Err(why) = check_catalogue_path(path)
    {
        err(&mut out, "catalogue".into(), "catalogue:", why);
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

/// A catalogue reference is a file name or a relative path below the hall file's folder.
fn check_catalogue_path(path: &str) -> Result<(), String> {
    let p = std::path::Path::new(path);
    let below = p
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    let yaml = path.ends_with(".yaml") || path.ends_with(".yml");
    if path.trim().is_empty() || !below || !yaml {
        return Err(format!(
            "目录文件须为本文件所在目录下的 .yaml 文件，例如 dl-xg.catalogue.yaml · the catalogue must be a .yaml file beside this one or below it, e.g. dl-xg.catalogue.yaml (got '{path}')"
        ));
    }
    Ok(())
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

    #[test]
    fn region_calling_policy_and_catalogue_round_trip() {
        let full = GOOD.replace(
            "hours:\n",
            "region: LN-DL\ncalling:\n  green_first: false\n  max_recalls: 2\ncatalogue: dl-xh.catalogue.yaml\nhours:\n",
        );
        let f = parse(&full).unwrap();
        assert_eq!(f.region.as_deref(), Some("LN-DL"));
        let calling = f.calling.clone().unwrap();
        assert_eq!(
            calling.policy(),
            CallingPolicy {
                green_first: false,
                overdue_to_all: true,
                max_recalls: 2
            }
        );
        assert_eq!(f.catalogue.as_deref(), Some("dl-xh.catalogue.yaml"));
        let again = to_yaml(&f);
        assert!(again.contains("region: LN-DL"), "{again}");
        assert_eq!(parse(&again).unwrap(), f);
        // Absent stays absent: an import then keeps what the hall has.
        let plain = parse(GOOD).unwrap();
        assert_eq!(
            (plain.region, plain.calling, plain.catalogue),
            (None, None, None)
        );
    }

    #[test]
    fn bad_region_policy_or_catalogue_path_is_named() {
        let bad = GOOD.replace(
            "hours:\n",
            "region: 大连\ncalling: { max_recalls: 50 }\ncatalogue: ../etc/passwd\nhours:\n",
        );
        let e = parse(&bad).unwrap_err();
        let at: Vec<(&str, Option<usize>)> = e.iter().map(|e| (e.at.as_str(), e.line)).collect();
        assert_eq!(
            at,
            vec![
                ("hall", Some(1)),
                ("region", Some(3)),
                ("catalogue", Some(5))
            ],
            "{e:?}"
        );
        assert!(e[0].why.contains("max recalls"), "{e:?}");
    }
}
