//! What a list is asked for: its filters as typed in the URL (each checked, a bad one
//! named), the days it covers, and the page, file or print wanted.

use crate::error::ApiError;
use servicehall_store::Window;

/// Rows on one screen page.
pub const PER_PAGE: i64 = 50;
/// The most rows a screen page may be asked for (`per`).
pub const MAX_PER: i64 = 200;
/// The most rows an export or a print holds; past it the file says how many were left out.
pub const MAX_EXPORT: i64 = 5_000;

/// Every filter any list knows, as typed in the URL; each list reads the ones it has.
/// Numbers arrive as text so a bad one is refused with a message naming it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    pub hall: Option<String>,
    /// First and last day, `YYYY-MM-DD`, hall-local, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// open, closed or overdue.
    pub state: Option<String>,
    /// A business type's id.
    pub business: Option<String>,
    /// A clerk's staff id.
    pub clerk: Option<String>,
    /// A rating level 1–5.
    pub score: Option<String>,
    /// The list's own kind: a channel, an observer kind …
    pub kind: Option<String>,
    pub page: Option<String>,
    pub per: Option<String>,
    /// Empty for the screen, `xlsx` or `print`.
    pub format: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn whole(
    v: &Option<String>,
    name: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>, ApiError> {
    given(v)
        .map(|s| {
            s.parse::<i64>().ok().filter(|n| range.contains(n)).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "筛选条件 {name} 须为 {}–{} 的整数 · {name} must be a whole number {}–{} (got {s:?})",
                    range.start(),
                    range.end(),
                    range.start(),
                    range.end()
                ))
            })
        })
        .transpose()
}

impl ListQuery {
    /// An id filter (`business`, `clerk`).
    pub fn id(&self, v: &Option<String>, name: &str) -> Result<Option<i64>, ApiError> {
        whole(v, name, 1..=i64::MAX)
    }

    /// The `score` filter, 1–5.
    pub fn score(&self) -> Result<Option<i64>, ApiError> {
        whole(&self.score, "score", 1..=5)
    }

    /// A text filter that must be one of `allowed`.
    pub fn choice(
        &self,
        v: &Option<String>,
        name: &str,
        allowed: &[&str],
    ) -> Result<Option<String>, ApiError> {
        match given(v) {
            None => Ok(None),
            Some(s) if allowed.contains(&s) => Ok(Some(s.to_string())),
            Some(s) => Err(ApiError::bad_request(format!(
                "筛选条件 {name} 须为 {} 之一 · {name} must be one of {} (got {s:?})",
                allowed.join("、"),
                allowed.join(", ")
            ))),
        }
    }

    /// The page asked for and how it answers.
    pub fn request(&self) -> Result<ListRequest, ApiError> {
        let format = match given(&self.format) {
            None | Some("html") => Format::Html,
            Some("xlsx") => Format::Xlsx,
            Some("print") => Format::Print,
            Some(f) => {
                return Err(ApiError::bad_request(format!(
                    "导出格式须为 xlsx 或 print · format must be xlsx or print (got {f:?})"
                )));
            }
        };
        Ok(ListRequest {
            format,
            page: whole(&self.page, "page", 1..=1_000_000)?.unwrap_or(1),
            per: whole(&self.per, "per", 1..=MAX_PER)?.unwrap_or(PER_PAGE),
        })
    }
}

/// The days a list covers, hall-local and inclusive (`from`, `to`; the last 30 days by
/// default), as the satisfaction views read them: at most three years, `from` not after `to`.
pub fn period(
    halls: &[servicehall_store::Hall],
    q: &ListQuery,
    now: i64,
) -> Result<crate::api::insight::view::Period, ApiError> {
    let vq = crate::api::insight::view::ViewQuery {
        from: q.from.clone(),
        to: q.to.clone(),
        ..Default::default()
    };
    crate::api::insight::view::period_for(halls, &vq, now)
}

/// The hall-local time of `at` as lists, files and prints write it.
pub fn when(at: i64, tz: chrono_tz::Tz) -> String {
    servicehall_domain::time::local(at, tz)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// How a list answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Xlsx,
    Print,
}

#[derive(Debug, Clone, Copy)]
pub struct ListRequest {
    pub format: Format,
    pub page: i64,
    pub per: i64,
}

impl ListRequest {
    /// The rows to load: the page on screen, or the first [`MAX_EXPORT`] for a file.
    pub fn window(&self) -> Window {
        match self.format {
            Format::Html => Window {
                limit: self.per,
                offset: (self.page - 1) * self.per,
            },
            Format::Xlsx | Format::Print => Window::first(MAX_EXPORT),
        }
    }
}
