//! The staff lists' one frame: filters read from the query string (and kept in every link),
//! paging of 50 with the count of all rows, and one column spec that the HTML table, the
//! Excel export (`format=xlsx`) and the print view (`format=print`) all use, so what a
//! person exports or prints is what the screen lists under the same filters. A list's
//! handler reads a [`ListRequest`], asks its store for the [`Window`] it gives, fills a
//! [`List`]; its own page template includes the bar and the table, and [`export`] writes
//! the file or the print. Filter bar and pager: `templates/listing/`.

use crate::error::PageError;
use crate::pages::{Chrome, render};
use crate::xlsx::{self, Cell, Sheet};
use askama::Template;
use axum::http::header;
use axum::response::{IntoResponse, Response};
mod query;

pub use query::*;

/// A column: its bilingual heading, and whether it holds numbers (right-aligned, and a
/// number in the workbook).
pub struct Column {
    pub zh: &'static str,
    pub en: &'static str,
    pub num: bool,
}

pub const fn col(zh: &'static str, en: &'static str) -> Column {
    Column { zh, en, num: false }
}

pub const fn num(zh: &'static str, en: &'static str) -> Column {
    Column { zh, en, num: true }
}

/// One cell: the text shown, printed and exported; a number is exported as a number.
#[derive(Debug, Clone, Default)]
pub struct Value {
    pub text: String,
    pub number: Option<i64>,
    /// A link on screen (not in the file or the print).
    pub href: String,
    /// A CSS class on screen: `pill`, `miss`, `ok`, `muted` …
    pub class: &'static str,
    /// A shorter text for the screen when the file and the print hold a long one (e.g. 30
    /// ticket numbers); empty: the screen shows `text`.
    pub brief: String,
}

impl Value {
    pub fn text(t: impl Into<String>) -> Self {
        Self {
            text: t.into(),
            ..Default::default()
        }
    }

    pub fn num(n: i64) -> Self {
        Self {
            text: n.to_string(),
            number: Some(n),
            ..Default::default()
        }
    }

    pub fn link(t: impl Into<String>, href: impl Into<String>) -> Self {
        Self {
            text: t.into(),
            href: href.into(),
            ..Default::default()
        }
    }

    /// The same value, shown shorter on screen.
    pub fn brief(mut self, screen: impl Into<String>) -> Self {
        self.brief = screen.into();
        self
    }

    /// What the screen's table shows.
    pub fn shown(&self) -> &str {
        if self.brief.is_empty() {
            &self.text
        } else {
            &self.brief
        }
    }

    pub fn class(mut self, class: &'static str) -> Self {
        self.class = class;
        self
    }
}

pub struct Row {
    pub cells: Vec<Value>,
    /// A CSS class of the whole row (e.g. `missing`).
    pub class: &'static str,
    /// The row's element id on screen, for links back to it (`flag-12`); empty for none.
    pub id: String,
    /// The row's action cell on screen (a form, a button), HTML the list rendered from its
    /// own template; only when the list has an [`List::action`] column. Never in the file
    /// or the print.
    pub action: String,
}

/// A filter in the bar: a day or a choice among options (the first meaning "all").
pub struct Filter {
    pub name: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub value: String,
    pub date: bool,
    pub options: Vec<(String, String)>,
}

impl Filter {
    pub fn date(name: &'static str, zh: &'static str, en: &'static str, value: &str) -> Self {
        Self {
            name,
            zh,
            en,
            value: value.into(),
            date: true,
            options: Vec::new(),
        }
    }

    /// A choice; `value` is what the URL holds (`None`: all).
    pub fn choice(
        name: &'static str,
        zh: &'static str,
        en: &'static str,
        value: Option<String>,
        options: Vec<(String, String)>,
    ) -> Self {
        let mut all = vec![(String::new(), "全部 All".to_string())];
        all.extend(options);
        Self {
            name,
            zh,
            en,
            value: value.unwrap_or_default(),
            date: false,
            options: all,
        }
    }

    /// `业务 Business: 新装` for the print view and the file, or `None` when not set.
    fn applied(&self) -> Option<String> {
        if self.value.is_empty() {
            return None;
        }
        let shown = if self.date {
            self.value.clone()
        } else {
            self.options
                .iter()
                .find(|(v, _)| *v == self.value)
                .map_or_else(|| self.value.clone(), |(_, l)| l.clone())
        };
        Some(format!("{} {}: {shown}", self.zh, self.en))
    }
}

/// A list as one page, a file or a print shows it.
pub struct List {
    /// The screen's path, e.g. `/feedback/recovery`.
    pub path: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    /// The table's element id (tests and scripts find it by this).
    pub table_id: &'static str,
    pub hall_code: String,
    pub hall_name: String,
    /// Whether `hall=` is kept in links (people above halls pick the hall).
    pub keep_hall: bool,
    pub filters: Vec<Filter>,
    pub columns: &'static [Column],
    /// A last column on screen holding each row's action (its heading), for lists where a
    /// person acts on a row in place; `None` for none.
    pub action: Option<&'static Column>,
    pub rows: Vec<Row>,
    pub total: i64,
    pub page: i64,
    pub per: i64,
    /// What an empty list says, `中文 · English`.
    pub empty: &'static str,
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

impl List {
    /// The filters as a query string (no page, no format), `&`-joined.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if self.keep_hall {
            parts.push(format!("hall={}", encode(&self.hall_code)));
        }
        for f in self.filters.iter().filter(|f| !f.value.is_empty()) {
            parts.push(format!("{}={}", f.name, encode(&f.value)));
        }
        if self.per != PER_PAGE {
            parts.push(format!("per={}", self.per));
        }
        parts.join("&")
    }

    fn href(&self, extra: &str) -> String {
        let q = self.query();
        match (q.is_empty(), extra.is_empty()) {
            (true, true) => self.path.to_string(),
            (true, false) => format!("{}?{extra}", self.path),
            (false, true) => format!("{}?{q}", self.path),
            (false, false) => format!("{}?{q}&{extra}", self.path),
        }
    }

    /// How many columns the screen's table has (the action column included).
    pub fn width(&self) -> usize {
        self.columns.len() + usize::from(self.action.is_some())
    }

    pub fn pages(&self) -> i64 {
        ((self.total + self.per - 1) / self.per).max(1)
    }

    /// The first and last row number on this page (1-based; 0–0 when empty).
    pub fn first_no(&self) -> i64 {
        if self.rows.is_empty() {
            0
        } else {
            (self.page - 1) * self.per + 1
        }
    }

    pub fn last_no(&self) -> i64 {
        (self.page - 1) * self.per + self.rows.len() as i64
    }

    /// The previous page's link, empty on the first.
    pub fn prev_href(&self) -> String {
        match self.page {
            1 => String::new(),
            2 => self.href(""),
            p => self.href(&format!("page={}", (p - 1).min(self.pages()))),
        }
    }

    /// The next page's link, empty on the last.
    pub fn next_href(&self) -> String {
        if self.page >= self.pages() {
            String::new()
        } else {
            self.href(&format!("page={}", self.page + 1))
        }
    }

    pub fn xlsx_href(&self) -> String {
        self.href("format=xlsx")
    }

    pub fn print_href(&self) -> String {
        self.href("format=print")
    }

    /// The clear-filters link (the hall kept).
    pub fn reset_href(&self) -> String {
        if self.keep_hall {
            format!("{}?hall={}", self.path, encode(&self.hall_code))
        } else {
            self.path.to_string()
        }
    }

    /// The filters set, in words; `无 none` when none is.
    pub fn applied(&self) -> String {
        let set: Vec<String> = self.filters.iter().filter_map(Filter::applied).collect();
        if set.is_empty() {
            "无 none".into()
        } else {
            set.join("；")
        }
    }

    /// Rows matched but left out of an export or print (past [`MAX_EXPORT`]).
    pub fn left_out(&self) -> i64 {
        (self.total - self.rows.len() as i64).max(0)
    }

    fn workbook(&self, generated: &str) -> Vec<u8> {
        let heads: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("{} {}", c.zh, c.en))
            .collect();
        let mut rows: Vec<Vec<Cell<'_>>> = vec![heads.iter().map(|h| Cell::Text(h)).collect()];
        for r in &self.rows {
            rows.push(
                r.cells
                    .iter()
                    .map(|v| match v.number {
                        Some(n) => Cell::Number(n),
                        None => Cell::Text(&v.text),
                    })
                    .collect(),
            );
        }
        let title = format!("{} {} · {}", self.title_zh, self.title_en, self.hall_name);
        let applied = self.applied();
        let count = self.total.to_string();
        let left = if self.left_out() > 0 {
            format!(
                "只导出前 {MAX_EXPORT} 行，另有 {} 行未导出；请缩小筛选范围 · only the first {MAX_EXPORT} rows; {} more left out — narrow the filters",
                self.left_out(),
                self.left_out()
            )
        } else {
            String::new()
        };
        let about = vec![
            vec![Cell::Text("列表 List"), Cell::Text(&title)],
            vec![Cell::Text("筛选 Filters"), Cell::Text(&applied)],
            vec![Cell::Text("生成时间 Generated"), Cell::Text(generated)],
            vec![Cell::Text("行数 Rows"), Cell::Text(&count)],
            vec![Cell::Text(""), Cell::Text(&left)],
        ];
        xlsx::workbook(&[
            Sheet {
                name: self.title_zh,
                rows,
                header: true,
            },
            Sheet {
                name: "筛选 Filters",
                rows: about,
                header: false,
            },
        ])
    }
}

#[derive(Template)]
#[template(path = "listing/print.html")]
struct PrintPage<'a> {
    chrome: Chrome,
    list: &'a List,
    generated: &'a str,
    max_export: i64,
}

/// The list as a file: the workbook named by list, hall and day, or the print view (a
/// screen page is the list's own template). `generated` is the hall-local time of the
/// request, `YYYY-MM-DD HH:MM`.
pub fn export(list: &List, format: Format, generated: &str) -> Result<Response, PageError> {
    if format == Format::Xlsx {
        let day = generated.get(..10).unwrap_or(generated);
        let hall = match list.hall_code.as_str() {
            "" => "全部",
            code => code,
        };
        let name = format!("{}-{hall}-{day}.xlsx", list.title_zh);
        return Ok((
            [
                (header::CONTENT_TYPE, xlsx::CONTENT_TYPE.to_string()),
                (header::CONTENT_DISPOSITION, xlsx::attachment(&name)),
            ],
            list.workbook(generated),
        )
            .into_response());
    }
    Ok(render(&PrintPage {
        chrome: Chrome::bare(
            &format!("{} {}", list.title_zh, list.title_en),
            "",
            "print-view",
        ),
        list,
        generated,
        max_export: MAX_EXPORT,
    })?
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use servicehall_store::Window;

    fn list(total: i64, page: i64) -> List {
        List {
            path: "/feedback/ratings",
            title_zh: "评价",
            title_en: "Ratings",
            table_id: "t",
            hall_code: "DL XH".into(),
            hall_name: String::new(),
            keep_hall: true,
            filters: vec![
                Filter::date("from", "起", "From", "2026-12-01"),
                Filter::choice("score", "评价", "Score", None, vec![]),
            ],
            columns: &[],
            action: None,
            rows: Vec::new(),
            total,
            page,
            per: PER_PAGE,
            empty: "",
        }
    }

    #[test]
    fn links_keep_the_filters_and_turn_the_page() {
        let l = list(120, 2);
        assert_eq!(l.pages(), 3);
        assert_eq!(
            l.prev_href(),
            "/feedback/ratings?hall=DL%20XH&from=2026-12-01"
        );
        assert_eq!(
            l.next_href(),
            "/feedback/ratings?hall=DL%20XH&from=2026-12-01&page=3"
        );
        assert!(l.xlsx_href().ends_with("from=2026-12-01&format=xlsx"));
        assert_eq!(list(120, 3).next_href(), "");
        assert_eq!(list(0, 1).pages(), 1);
        assert_eq!(l.applied(), "起 From: 2026-12-01");
    }

    #[test]
    fn bad_paging_and_formats_are_refused_by_name() {
        let q = |page: &str, format: &str| ListQuery {
            page: Some(page.into()),
            format: Some(format.into()),
            ..Default::default()
        };
        assert!(q("0", "").request().is_err());
        assert!(q("x", "").request().is_err());
        assert!(q("1", "pdf").request().is_err());
        let r = q("3", "").request().unwrap();
        assert_eq!(
            r.window(),
            Window {
                limit: 50,
                offset: 100
            }
        );
        assert_eq!(
            q("3", "xlsx").request().unwrap().window(),
            Window::first(MAX_EXPORT)
        );
    }
}
