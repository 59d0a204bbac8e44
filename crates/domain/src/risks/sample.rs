//! A starting register for a power-supply hall (供电营业厅), marked as a sample for the hall
//! to adapt: the risks the service standard warns about, each with its controls and the
//! indicators that watch it.

use super::kri::{Direction, Measure, Thresholds};
use super::{Category, Rating, Treatment};

/// One sample risk.
#[derive(Debug, Clone)]
pub struct SampleRisk {
    pub code: &'static str,
    pub title: &'static str,
    pub category: Category,
    pub cause: &'static str,
    pub event: &'static str,
    pub consequence: &'static str,
    pub inherent: Rating,
    pub residual: Rating,
    pub treatment: Treatment,
    /// (control, who carries it, test every n days)
    pub controls: &'static [(&'static str, &'static str, u32)],
    pub kris: &'static [(Measure, i64, i64)],
}

const fn r(likelihood: u8, impact: u8) -> Rating {
    Rating { likelihood, impact }
}

/// Thresholds of a sample KRI: higher is worse, counted over 7 days.
pub fn thresholds(amber: i64, red: i64) -> Thresholds {
    Thresholds {
        amber,
        red,
        direction: Direction::HigherIsWorse,
        window_days: 7,
    }
}

/// The sample register.
pub fn register() -> Vec<SampleRisk> {
    use Category as C;
    use Measure as M;
    vec![
        SampleRisk {
            code: "R01",
            title: "乱收费",
            category: C::BillingError,
            cause: "收费标准未及时更新；柜员对业扩收费政策理解不一",
            event: "向客户收取不应收取或超标准的费用",
            consequence: "客户投诉、退费与行政处罚，损害公司形象",
            inherent: r(3, 5),
            residual: r(2, 4),
            treatment: Treatment::Reduce,
            controls: &[
                ("收费标准上墙公示并随政策更新", "值班长", 90),
                ("唱收唱付与收费凭证复核", "柜员", 30),
            ],
            kris: &[(M::Complaints, 2, 4)],
        },
        SampleRisk {
            code: "R02",
            title: "推诿扯皮",
            category: C::ServiceConduct,
            cause: "首问负责制执行不到位；跨部门业务边界不清",
            event: "客户被要求到其他窗口或部门反复办理",
            consequence: "重复往返、投诉升级，满意度下降",
            inherent: r(4, 3),
            residual: r(3, 3),
            treatment: Treatment::Reduce,
            controls: &[
                ("首问负责登记与工单跟踪", "柜员", 30),
                ("一次性告知书", "值班长", 90),
            ],
            kris: &[(M::RepeatTrips, 3, 6), (M::BadRatings, 3, 6)],
        },
        SampleRisk {
            code: "R03",
            title: "超时限",
            category: C::BusinessError,
            cause: "工单积压；资料不全时未一次性告知",
            event: "业务办理超过承诺时限",
            consequence: "违反十项承诺，受到考核与投诉",
            inherent: r(4, 4),
            residual: r(3, 3),
            treatment: Treatment::Reduce,
            controls: &[
                ("工单时限 50%/80% 预警与升级", "值班长", 30),
                ("每日工单晨会清理", "值班长", 7),
            ],
            kris: &[(M::DeadlineBreaches, 1, 3), (M::LongWaits, 10, 25)],
        },
        SampleRisk {
            code: "R04",
            title: "泄露客户信息",
            category: C::InfoSecurity,
            cause: "屏幕、单据未遮挡；资料随意放置",
            event: "客户户号、身份证等信息被他人获取",
            consequence: "违反个人信息保护规定，引发舆情与处罚",
            inherent: r(2, 5),
            residual: r(2, 4),
            treatment: Treatment::Reduce,
            controls: &[
                ("查询工单须凭查询码，屏幕显示脱敏", "系统管理员", 180),
                ("离岗锁屏与资料入柜检查", "值班长", 30),
            ],
            kris: &[],
        },
        SampleRisk {
            code: "R05",
            title: "停电后客户聚集",
            category: C::Outage,
            cause: "计划或故障停电后大量客户到厅咨询",
            event: "大厅短时间内客户聚集、等候过长",
            consequence: "现场秩序混乱、冲突与舆情",
            inherent: r(3, 4),
            residual: r(2, 4),
            treatment: Treatment::Reduce,
            controls: &[
                ("停电信息大屏公告与统一答复口径", "引导员", 90),
                ("高峰增开窗口预案", "值班长", 90),
            ],
            kris: &[(M::LongWaits, 10, 25), (M::NoShows, 15, 30)],
        },
        SampleRisk {
            code: "R06",
            title: "营销系统故障",
            category: C::Outage,
            cause: "营销业务系统或网络中断",
            event: "柜台无法办理缴费、业扩等业务",
            consequence: "客户滞留、业务积压与超时",
            inherent: r(2, 4),
            residual: r(2, 3),
            treatment: Treatment::Transfer,
            controls: &[
                ("系统故障应急手工登记流程", "值班长", 180),
                ("信通运维服务协议", "系统管理员", 365),
            ],
            kris: &[(M::LongWaits, 10, 25)],
        },
        SampleRisk {
            code: "R07",
            title: "过激客户",
            category: C::CustomerConflict,
            cause: "客户对电费、停电不满，情绪激动",
            event: "客户在厅内辱骂、冲突或拍摄传播",
            consequence: "人员受伤、舆情事件",
            inherent: r(3, 4),
            residual: r(3, 3),
            treatment: Treatment::Reduce,
            controls: &[
                ("投诉接待室与值班长到场处置", "值班长", 90),
                ("安保联动与录音录像", "系统管理员", 180),
            ],
            kris: &[(M::Complaints, 2, 4), (M::BadRatings, 3, 6)],
        },
        SampleRisk {
            code: "R08",
            title: "评价器刷评",
            category: C::ServiceConduct,
            cause: "考核压力下柜员自行点评或诱导好评",
            event: "评价数据失真",
            consequence: "管理决策失准，受到通报",
            inherent: r(3, 3),
            residual: r(2, 3),
            treatment: Treatment::Reduce,
            controls: &[("评价异常自动识别与复核", "督查", 30)],
            kris: &[(M::GamingFlags, 1, 3)],
        },
        SampleRisk {
            code: "R09",
            title: "现场服务规范执行不到位",
            category: C::ServiceConduct,
            cause: "班前定妆上岗、开门前、午间和营业结束检查未按计划开展",
            event: "仪容仪表、环境设施、设备和公示问题未被及时发现",
            consequence: "客户体验下降，暗访与督查扣分、被通报",
            inherent: r(3, 3),
            residual: r(2, 3),
            treatment: Treatment::Reduce,
            controls: &[
                ("现场检查计划与漏检提醒", "值班长", 30),
                ("督查抽查检查记录", "督查", 90),
            ],
            // 7-day counts: three missed checks turn it amber, six red.
            kris: &[(M::MissedChecks, 3, 6)],
        },
    ]
}
