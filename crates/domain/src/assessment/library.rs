//! The indicators library: every figure the conformance page and later scorecards read,
//! each with its written definition, unit, direction, source records and drill-down.
//! Every one is counted from the logs only (tickets and their events, ratings, cases and
//! their clocks, observations, inspections), never from counters kept on the side.

use super::{Direction, Indicator, Unit};

const VISITS: &str = "/conformance/visits?hall={hall}&from={from}&to={to}";

pub const INDICATORS: &[Indicator] = &[
    Indicator {
        code: "wait_mean",
        name_zh: "平均等候时长",
        name_en: "Mean waiting time",
        definition_zh: "被叫号的号票从取号（排队开始）到首次叫号的平均时长；按叫号所在日计入，转办生成的号票不计。",
        definition_en: "Mean time from a ticket's queueing to its first call, for tickets called; counted on the day of the call, transfers excluded.",
        unit: Unit::Minutes,
        direction: Direction::Lower,
        sources: "tickets, ticket_events",
        drill: VISITS,
    },
    Indicator {
        code: "wait_within",
        name_zh: "等候达标率",
        name_en: "Served within target wait",
        definition_zh: "被叫号的号票中，等候不超过 15 分钟的比例。",
        definition_en: "Share of called tickets that waited 15 minutes or less.",
        unit: Unit::Percent,
        direction: Direction::Higher,
        sources: "tickets, ticket_events",
        drill: VISITS,
    },
    Indicator {
        code: "handling_mean",
        name_zh: "平均办理时长",
        name_en: "Mean handling time",
        definition_zh: "办结的号票从开始办理到办结的平均时长；按办结所在日计入。",
        definition_en: "Mean time from serving to finish, for finished tickets; counted on the day of the finish.",
        unit: Unit::Minutes,
        direction: Direction::Lower,
        sources: "tickets, ticket_events",
        drill: VISITS,
    },
    Indicator {
        code: "served",
        name_zh: "办结人次",
        name_en: "Visits served",
        definition_zh: "办结的号票数（转办生成的号票不重复计），加上营销系统故障时窗口无号票在办的人工登记。",
        definition_en: "Tickets finished (a transfer's linked ticket is not counted twice), plus manual entries recorded while the business system was down with no ticket at their counter.",
        unit: Unit::Count,
        direction: Direction::Higher,
        sources: "tickets, ticket_events, manual_entries",
        drill: VISITS,
    },
    Indicator {
        code: "no_show_rate",
        name_zh: "过号率",
        name_en: "No-show rate",
        definition_zh: "被叫号的号票中，最终过号的比例；按叫号所在日计入。",
        definition_en: "Share of called tickets that ended as no-shows; counted on the day of the first call.",
        unit: Unit::Percent,
        direction: Direction::Lower,
        sources: "tickets, ticket_events",
        drill: VISITS,
    },
    Indicator {
        code: "satisfaction",
        name_zh: "满意率",
        name_en: "Satisfaction",
        definition_zh: "评价器评价中，4–5 分（满意、非常满意）的比例。",
        definition_en: "Share of evaluator-pad ratings at 4 or 5 (satisfied or very satisfied).",
        unit: Unit::Percent,
        direction: Direction::Higher,
        sources: "ratings",
        drill: "/feedback/ratings?hall={hall}&from={from}&to={to}&kind=pad",
    },
    Indicator {
        code: "bad_rating_rate",
        name_zh: "差评率",
        name_en: "Bad-rating rate",
        definition_zh: "评价器评价中，1–2 分（不满意、非常不满意）的比例。",
        definition_en: "Share of evaluator-pad ratings at 1 or 2 (dissatisfied).",
        unit: Unit::Percent,
        direction: Direction::Lower,
        sources: "ratings",
        drill: "/feedback/ratings?hall={hall}&from={from}&to={to}&kind=pad",
    },
    Indicator {
        code: "on_time_rate",
        name_zh: "按时办结率",
        name_en: "On-time rate",
        definition_zh: "工单时限停止计时的，其中在时限内停止的比例（规定、承诺、预约时限合计）；按停止所在日计入。",
        definition_en: "Share of case clocks stopped within their deadline (statutory, promised and appointment limits together); counted on the day the clock stopped.",
        unit: Unit::Percent,
        direction: Direction::Higher,
        sources: "cases, case_clocks, case_events",
        drill: "/cases/on-time?scope=hall:{hall}&from={from}&to={to}",
    },
    Indicator {
        code: "complaints_per_10k",
        name_zh: "万人次投诉量",
        name_en: "Complaints per 10,000 visits",
        definition_zh: "登记的投诉工单数 ÷ 取号人次 × 10000。",
        definition_en: "Complaint cases registered ÷ tickets issued × 10,000.",
        unit: Unit::Per10k,
        direction: Direction::Lower,
        sources: "cases, tickets",
        drill: "/cases/register?hall={hall}&from={from}&to={to}&kind=complaint",
    },
    Indicator {
        code: "observation_score",
        name_zh: "内查观察得分",
        name_en: "Observation score",
        definition_zh: "督查、神秘客观察记录的平均得分（百分制）；按记录时间计入。",
        definition_en: "Mean score of supervisors' and mystery shoppers' observations (of 100); counted when recorded.",
        unit: Unit::Score,
        direction: Direction::Higher,
        sources: "observations",
        drill: "/observations?hall={hall}&from={from}&to={to}",
    },
    Indicator {
        code: "inspection_score",
        name_zh: "现场检查得分",
        name_en: "Site-check score",
        definition_zh: "已提交现场检查（定妆、定置、环境）的平均得分（百分制）；按提交时间计入。",
        definition_en: "Mean score of submitted site checks (grooming, fixed positions, environment), of 100; counted when submitted.",
        unit: Unit::Score,
        direction: Direction::Higher,
        sources: "inspections",
        drill: "/inspections?hall={hall}",
    },
    Indicator {
        code: "inspection_pass",
        name_zh: "现场检查合格率",
        name_en: "Site checks passed",
        definition_zh: "已提交现场检查中判定合格的比例。",
        definition_en: "Share of submitted site checks that passed.",
        unit: Unit::Percent,
        direction: Direction::Higher,
        sources: "inspections",
        drill: "/inspections?hall={hall}",
    },
    // Added with the monthly reports: the rest of the library the standard asks for.
    Indicator {
        code: "wait_p90",
        name_zh: "等候时长 P90",
        name_en: "Waiting time, 90th percentile",
        definition_zh: "被叫号的号票中，90% 的等候不超过的时长；按整分钟分档计数（60 分钟及以上为一档），取第 90 百分位所在档的上沿；按叫号所在日计入，转办生成的号票不计。",
        definition_en: "The wait that 90% of called tickets did not exceed; counted in whole-minute bins (60 minutes and over in one), the upper edge of the bin holding the 90th percentile; on the day of the call, transfers excluded.",
        unit: Unit::Minutes,
        direction: Direction::Lower,
        sources: "tickets, ticket_events",
        drill: VISITS,
    },
    Indicator {
        code: "on_time_statutory",
        name_zh: "规定时限按时率",
        name_en: "On time, statutory limits",
        definition_zh: "工单的规定时限（法规规定）停止计时的，其中在时限内停止的比例；按停止所在日计入。",
        definition_en: "Share of case clocks of statutory limits stopped within their deadline; counted on the day the clock stopped.",
        unit: Unit::Percent,
        direction: Direction::Higher,
        sources: "cases, case_clocks (limit_kind = statutory), case_events",
        drill: "/cases/on-time?scope=hall:{hall}&from={from}&to={to}",
    },
    Indicator {
        code: "on_time_promised",
        name_zh: "承诺时限按时率",
        name_en: "On time, promised limits",
        definition_zh: "工单的承诺时限（十项承诺等）停止计时的，其中在时限内停止的比例；按停止所在日计入。",
        definition_en: "Share of case clocks of promised limits (the company's commitments) stopped within their deadline; counted on the day the clock stopped.",
        unit: Unit::Percent,
        direction: Direction::Higher,
        sources: "cases, case_clocks (limit_kind = promised), case_events",
        drill: "/cases/on-time?scope=hall:{hall}&from={from}&to={to}",
    },
    Indicator {
        code: "on_time_appointment",
        name_zh: "预约时限按时率",
        name_en: "On time, appointment limits",
        definition_zh: "工单的预约时限（与客户约定）停止计时的，其中在时限内停止的比例；按停止所在日计入。",
        definition_en: "Share of case clocks of appointment limits (agreed with the customer) stopped within their deadline; counted on the day the clock stopped.",
        unit: Unit::Percent,
        direction: Direction::Higher,
        sources: "cases, case_clocks (limit_kind = appointment), case_events",
        drill: "/cases/on-time?scope=hall:{hall}&from={from}&to={to}",
    },
    Indicator {
        code: "repeat_trips",
        name_zh: "重复往返率",
        name_en: "Repeat trips",
        definition_zh: "登记的来访中，因同一事项再次来厅（标记为重复往返）的比例；按来访时间计入。",
        definition_en: "Share of recorded visits that were a repeat trip for the same matter; counted when the visit was recorded.",
        unit: Unit::Percent,
        direction: Direction::Lower,
        sources: "customer_visits (repeat_of)",
        drill: "/manager/repeat-trips?hall={hall}&from={from}&to={to}",
    },
    Indicator {
        code: "callback_within_limit",
        name_zh: "差评回访及时率",
        name_en: "Call-backs within the limit",
        definition_zh: "差评补救工单的回访时限停止计时的，其中在时限内完成回访的比例；按停止所在日计入。",
        definition_en: "Share of bad-rating recovery cases whose call-back clock stopped within its limit; counted on the day the clock stopped.",
        unit: Unit::Percent,
        direction: Direction::Higher,
        sources: "recovery_links, case_clocks (callback), case_events",
        drill: "/feedback/recovery?hall={hall}",
    },
    Indicator {
        code: "ack_rate",
        name_zh: "制度学习确认率",
        name_en: "Standards acknowledged",
        definition_zh: "发布的制度版本应由其适用岗位的在岗人员在 7 天内学习确认；应确认人次中按时确认的比例。按确认期满（发布后第 7 天）所在日计入。",
        definition_en: "Each published standard must be acknowledged within 7 days by the active staff of the roles it applies to; the share of those owed acknowledged in time. Counted on the day the 7 days end.",
        unit: Unit::Percent,
        direction: Direction::Higher,
        sources: "standard_versions, standard_documents, standard_acks, staff",
        drill: "/standards/acks?hall={hall}",
    },
    Indicator {
        code: "rectification_on_time",
        name_zh: "整改按时完成率",
        name_en: "Rectifications on time",
        definition_zh: "现场检查发现问题生成的整改工单，其时限停止计时的，其中在时限内停止的比例；按停止所在日计入。",
        definition_en: "Share of the clocks of rectification cases (raised by site checks) stopped within their deadline; counted on the day the clock stopped.",
        unit: Unit::Percent,
        direction: Direction::Higher,
        sources: "rectifications, case_clocks, case_events",
        drill: "/rectifications?hall={hall}",
    },
    // The last of the library: counters' idle time and the site checks on schedule.
    Indicator {
        code: "idle_share",
        name_zh: "窗口空闲率",
        name_en: "Counter idle share",
        definition_zh: "窗口开放（挂牌营业，暂停与关闭不计）的时长中，没有号票在叫号或办理中的时长所占的比例；号票自在该窗口叫号起、至办结、过号、挂起、转办或退回等候止算在办。各窗口时长相加后再相除；按时长所在日拆分计入；一次状态最长计到其开始次日结束。",
        definition_en: "Share of counters' open time (paused and closed excluded) with no ticket called or in service at the counter; a ticket is in service from its call there until it is finished, a no-show, held, transferred or back to waiting. Times are added over the counters before dividing, split by the day they fall in; a status lasts at most to the end of the day after it began.",
        unit: Unit::Percent,
        direction: Direction::Lower,
        sources: "hall_events (counter), ticket_events",
        drill: "/staffing?hall={hall}&date={from}",
    },
    Indicator {
        code: "site_checks_done_rate",
        name_zh: "现场检查完成率",
        name_en: "Site checks done",
        definition_zh: "按检查计划应做的现场检查（营业前、午间、营业后三次厅检，及每位上岗柜员的班前检查）中，已在时段及宽限内完成的比例；分母为已完成与漏检之和（尚未到期的不计）。未开门的日子不计；按检查所在日计入。",
        definition_en: "Share of the scheduled site checks (the hall's opening, midday and closing checks and each clerk's pre-shift check) done within their window and grace, of those done or missed (checks not yet due are neither). Days the hall did not open owe nothing; counted on the check's day.",
        unit: Unit::Percent,
        direction: Direction::Higher,
        sources: "inspections, inspection_schedules, hall_events (counter), staff",
        drill: "/inspections?hall={hall}",
    },
    Indicator {
        code: "site_checks_missed",
        name_zh: "漏检次数",
        name_en: "Site checks missed",
        definition_zh: "按检查计划应做而宽限期满仍未完成的现场检查次数（与风险指标“漏检现场检查”同一口径）；按检查所在日计入。",
        definition_en: "Scheduled site checks not done by the end of their grace (as the missed-site-checks risk indicator counts them); counted on the check's day.",
        unit: Unit::Checks,
        direction: Direction::Lower,
        sources: "inspections, inspection_schedules, hall_events (counter), staff",
        drill: "/inspections?hall={hall}",
    },
];

/// The indicator of a code.
pub fn indicator(code: &str) -> Option<&'static Indicator> {
    INDICATORS.iter().find(|i| i.code == code)
}

/// The bin code of `wait_p90`'s kept counts: whole minutes of wait, 60 and over in one bin.
/// These rows are kept beside the indicators; a month's p90 is read from their sums.
pub fn wait_bin_code(minute: i64) -> String {
    format!("wait_bin:{:02}", minute.clamp(0, WAIT_BINS - 1))
}

/// The number of `wait_p90` bins (0..=59 minutes, then 60 and over).
pub const WAIT_BINS: i64 = 61;

/// The 90th percentile in ms from bin counts `(minute, count)`: the upper edge of the bin
/// holding it (the 60-and-over bin reads as 60 minutes). `None` when nothing was counted.
pub fn wait_p90_ms(bins: &[(i64, i64)]) -> Option<i64> {
    let total: i64 = bins.iter().map(|b| b.1.max(0)).sum();
    if total <= 0 {
        return None;
    }
    // The smallest bin where the running count reaches 90% of all (rounded up).
    let need = (total * 9 + 9) / 10;
    let mut sorted: Vec<(i64, i64)> = bins.to_vec();
    sorted.sort_unstable();
    let mut seen = 0;
    for (minute, n) in sorted {
        seen += n.max(0);
        if seen >= need {
            return Some((minute + 1).min(WAIT_BINS - 1) * 60_000);
        }
    }
    Some((WAIT_BINS - 1) * 60_000)
}
