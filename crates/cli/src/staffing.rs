//! `staffing` and `simulate`: the staffing advisor's arithmetic for planners and tests, with
//! no database. `staffing` asks Erlang C for the fewest counters reaching a service level;
//! `simulate` runs the seeded M/M/c simulation. `--json` prints one object:
//! `{"counters", "service_level", "mean_wait_s"}`.

use crate::{CliError, CliResult};
use clap::Args;
use servicehall_domain::staffing::{self, Load, erlang, sim};

/// The most customers one `simulate` run may draw (memory stays under a few hundred MB).
const MAX_CUSTOMERS: f64 = 5_000_000.0;

#[derive(Args, Debug)]
pub struct StaffingArgs {
    /// Arrivals per hour. 每小时到达人数
    #[arg(long, value_name = "A", value_parser = non_negative, allow_negative_numbers = true)]
    pub arrivals_per_hour: f64,
    /// Mean service time in minutes. 平均办理时长（分钟）
    #[arg(long, value_name = "S", value_parser = positive, allow_negative_numbers = true)]
    pub mean_service_min: f64,
    /// Target wait in seconds (the business type's 目标等候时长). 目标等候（秒）
    #[arg(long, value_name = "T", value_parser = non_negative, allow_negative_numbers = true)]
    pub target_wait_s: f64,
    /// Share to call within the target: 0.8, 80 or 80%. 服务水平
    #[arg(long, value_name = "P", value_parser = share)]
    pub service_level: f64,
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// Arrivals per hour (Poisson). 每小时到达人数
    #[arg(long, value_name = "A", value_parser = non_negative, allow_negative_numbers = true)]
    pub arrivals_per_hour: f64,
    /// Mean service time in minutes (exponential). 平均办理时长（分钟）
    #[arg(long, value_name = "S", value_parser = positive, allow_negative_numbers = true)]
    pub mean_service_min: f64,
    /// Counters open the whole time. 窗口数
    #[arg(long, value_name = "C", value_parser = clap::value_parser!(u32).range(1..=500))]
    pub counters: u32,
    /// Hours of arrivals simulated (the queue left at the end is still served). 模拟小时数
    #[arg(long, value_name = "H", value_parser = positive, allow_negative_numbers = true)]
    pub hours: f64,
    /// Seed: the same seed gives the same result. 随机种子
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// Target wait in seconds for the service level. 目标等候（秒）
    #[arg(long, value_name = "T", default_value_t = 300.0, value_parser = non_negative, allow_negative_numbers = true)]
    pub target_wait_s: f64,
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

fn number(s: &str) -> Result<f64, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("「{s}」不是数字 · '{s}' is not a number"))
}

fn non_negative(s: &str) -> Result<f64, String> {
    number(s).and_then(|x| {
        if x >= 0.0 {
            Ok(x)
        } else {
            Err(format!(
                "须不小于 0，而不是 {s} · must be 0 or more, not {s}"
            ))
        }
    })
}

fn positive(s: &str) -> Result<f64, String> {
    number(s).and_then(|x| {
        if x > 0.0 {
            Ok(x)
        } else {
            Err(format!(
                "须大于 0，而不是 {s} · must be more than 0, not {s}"
            ))
        }
    })
}

/// 0.8, 80 and 80% all mean 80 %.
fn share(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let (body, percent) = match t.strip_suffix('%') {
        Some(b) => (b, true),
        None => (t, false),
    };
    let x = number(body)?;
    let x = if percent || x > 1.0 { x / 100.0 } else { x };
    if x > 0.0 && x < 1.0 {
        Ok(x)
    } else {
        Err(format!(
            "服务水平须在 0 与 1 之间（如 0.8 或 80%），而不是 {s} · the service level must be between 0 and 1 (0.8 or 80%), not {s}"
        ))
    }
}

/// The answer both commands print.
struct Answer {
    counters: u32,
    service_level: f64,
    mean_wait_s: f64,
}

impl Answer {
    fn print(&self, json: bool, target_wait_s: f64) {
        if json {
            println!(
                "{}",
                serde_json::json!({
                    "counters": self.counters,
                    "service_level": round(self.service_level, 4),
                    "mean_wait_s": round(self.mean_wait_s, 1),
                })
            );
        } else {
            println!("窗口数 Counters: {}", self.counters);
            println!(
                "服务水平 Service level: {:.1}% ({target_wait_s} 秒内 · within {target_wait_s} s)",
                self.service_level * 100.0
            );
            println!("平均等候 Mean wait: {:.1} 秒 · s", self.mean_wait_s);
        }
    }
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

fn usage(e: staffing::StaffingError) -> CliError {
    CliError::usage(e.to_string())
}

pub fn staffing(args: StaffingArgs) -> CliResult<()> {
    let load = Load::new(args.arrivals_per_hour, args.mean_service_min * 60.0).map_err(usage)?;
    let p = erlang::recommend(load, args.target_wait_s, args.service_level).map_err(usage)?;
    Answer {
        counters: p.counters,
        service_level: p.service_level,
        mean_wait_s: p.mean_wait_s,
    }
    .print(args.json, args.target_wait_s);
    Ok(())
}

pub fn simulate(args: SimulateArgs) -> CliResult<()> {
    let load = Load::new(args.arrivals_per_hour, args.mean_service_min * 60.0).map_err(usage)?;
    if args.arrivals_per_hour * args.hours > MAX_CUSTOMERS {
        return Err(CliError::usage(format!(
            "到达人数 × 小时数不能超过 {MAX_CUSTOMERS}，请缩短 --hours · arrivals per hour × hours must stay within {MAX_CUSTOMERS}; shorten --hours"
        )));
    }
    if let Err(e) = erlang::erlang_c(load.erlangs(), args.counters) {
        // Still simulated (a finite run has finite waits), but the planner should know.
        eprintln!("servicehall: {e}");
    }
    let out = sim::simulate_mmc(
        args.arrivals_per_hour,
        load.mean_service_s,
        args.counters,
        args.hours,
        args.target_wait_s,
        args.seed,
    );
    Answer {
        counters: args.counters,
        service_level: out.service_level,
        mean_wait_s: out.mean_wait_s,
    }
    .print(args.json, args.target_wait_s);
    Ok(())
}
