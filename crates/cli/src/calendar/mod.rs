//! `calendar`: working days, deadlines and working time for scripts, on the built-in State
//! Council schedules or an imported file. Answers go to stdout; a year without a schedule
//! (counted provisionally by the statutory holidays) is named on stderr.

pub mod bench;

use crate::{CliError, CliResult};
use chrono::NaiveDate;
use clap::{ArgGroup, Args, Subcommand};
use servicehall_domain::calendar::{self, Calendar, CalendarError, Counted};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// Print `true` if DATE (YYYY-MM-DD) is a working day, else `false`. 是否工作日
    IsWorkday {
        date: String,
        #[command(flatten)]
        source: Source,
    },
    /// Print the deadline in RFC 3339 with its offset. 计算办结时限
    ///
    /// Working days: the acceptance day is not counted; ends at close of business (17:30).
    /// Working hours: from the instant (or the next opening), lunch and days off skipped.
    /// Days: calendar days, ending at close of business, moved off a day off. Hours: elapsed.
    Add(AddArgs),
    /// Print the working time from FROM to TO as `4h30m 16200`: the time, then seconds
    /// (negative when TO is before FROM). 工作时长
    Between {
        from: String,
        to: String,
        #[command(flatten)]
        source: Source,
    },
}

#[derive(Args, Debug)]
pub struct Source {
    /// A calendar file to use instead of the built-in one (format: docs/deadlines.md).
    /// 日历文件
    #[arg(long, value_name = "FILE")]
    pub calendar: Option<PathBuf>,
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("amount").required(true).multiple(false)))]
pub struct AddArgs {
    /// Instant of acceptance: RFC 3339 (2024-09-30T16:00:00+08:00) or local 2024-09-30T16:00.
    #[arg(long)]
    pub from: String,
    /// Working days. 工作日
    #[arg(long, group = "amount")]
    pub working_days: Option<u32>,
    /// Working hours: 4, 1.5 or 4h30m. 工作小时
    #[arg(long, group = "amount", value_name = "H")]
    pub working_hours: Option<String>,
    /// Calendar days. 自然日
    #[arg(long, group = "amount", value_name = "N")]
    pub days: Option<u32>,
    /// Elapsed hours: 24, 1.5 or 4h30m. 小时
    #[arg(long, group = "amount", value_name = "H")]
    pub hours: Option<String>,
    #[command(flatten)]
    pub source: Source,
}

/// The built-in calendar, or the file's; a malformed file lists every bad line.
pub fn load(source: &Source) -> CliResult<Calendar> {
    let Some(path) = &source.calendar else {
        return Ok(Calendar::china().clone());
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::usage(format!("cannot read {}: {e}", path.display())))?;
    calendar::parse(&text).map_err(|e| {
        let lines: Vec<String> = e
            .errors
            .iter()
            .map(|l| format!("{}:{}: {}", path.display(), l.line, l.reason))
            .collect();
        CliError::usage(format!(
            "the calendar file is not valid:\n{}",
            lines.join("\n")
        ))
    })
}

fn warn<T>(c: &Counted<T>) {
    for w in c.warnings() {
        eprintln!("warning: {w}");
    }
}

fn refused(e: CalendarError) -> CliError {
    CliError::usage(e.to_string())
}

pub fn run(cmd: CalendarCommand) -> CliResult<()> {
    match cmd {
        CalendarCommand::IsWorkday { date, source } => {
            let cal = load(&source)?;
            let d = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
                CliError::usage(format!(
                    "DATE must be YYYY-MM-DD, e.g. 2026-02-14; got {date:?}"
                ))
            })?;
            let answer = cal.is_working_day(d);
            warn(&answer);
            println!("{}", answer.value);
        }
        CalendarCommand::Add(a) => {
            let cal = load(&a.source)?;
            let from = calendar::parse_instant(&a.from, cal.tz()).map_err(CliError::usage)?;
            let period = calendar::period_from(
                a.working_days,
                a.working_hours.as_deref(),
                a.days,
                a.hours.as_deref(),
            )
            .map_err(CliError::usage)?;
            let deadline = cal.deadline(from, period).map_err(refused)?;
            warn(&deadline);
            println!("{}", calendar::format_instant(deadline.value, cal.tz()));
        }
        CalendarCommand::Between { from, to, source } => {
            let cal = load(&source)?;
            let a = calendar::parse_instant(&from, cal.tz()).map_err(CliError::usage)?;
            let b = calendar::parse_instant(&to, cal.tz()).map_err(CliError::usage)?;
            let t = cal.working_time_between(a, b).map_err(refused)?;
            warn(&t);
            println!("{} {}", calendar::format_duration(t.value), t.value / 1000);
        }
    }
    Ok(())
}
