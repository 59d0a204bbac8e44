//! 关键时刻: the touchpoints of a visit, in the order the customer lives them.
//!
//! Ratings, survey answers and observations carry touchpoint ids; the emotion curve is the
//! satisfaction along this order.

/// One moment of truth: stable id, 中文, English, and the standard the hall holds itself to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Touchpoint {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// 标准: what good looks like at this moment.
    pub standard_zh: &'static str,
}

/// The visit, door to follow-up.
pub const TOUCHPOINTS: [Touchpoint; 8] = [
    Touchpoint {
        id: "welcome",
        zh: "进门迎接",
        en: "Welcome at the door",
        standard_zh: "客户进门,引导员起身微笑问候“您好,请问您办理什么业务?”",
    },
    Touchpoint {
        id: "triage",
        zh: "取号分流",
        en: "Ticket and triage",
        standard_zh: "问清需求,取对业务号;老弱病孕及抢修客户走绿色通道",
    },
    Touchpoint {
        id: "waiting",
        zh: "等候",
        en: "Waiting",
        standard_zh: "等候区整洁有座,叫号清晰,超时主动致歉并告知进度",
    },
    Touchpoint {
        id: "call",
        zh: "叫号",
        en: "Being called",
        standard_zh: "语音与屏幕同步叫号,柜员起身示意",
    },
    Touchpoint {
        id: "counter",
        zh: "柜台受理",
        en: "At the counter",
        standard_zh: "挂牌服务,规范用语,一次性告知所需资料,限时办结",
    },
    Touchpoint {
        id: "payment",
        zh: "缴费唱收唱付",
        en: "Payment read-back",
        standard_zh: "唱收唱付,金额清楚,票据齐全",
    },
    Touchpoint {
        id: "farewell",
        zh: "离厅送别",
        en: "Farewell",
        standard_zh: "起身送别“请慢走”,提醒带好随身物品",
    },
    Touchpoint {
        id: "follow_up",
        zh: "事后回访",
        en: "Follow-up",
        standard_zh: "按时回访,问题闭环",
    },
];

/// The touchpoint with this id, if it is one.
pub fn touchpoint(id: &str) -> Option<&'static Touchpoint> {
    TOUCHPOINTS.iter().find(|t| t.id == id)
}

/// Position along the visit, for ordering the emotion curve.
pub fn touchpoint_order(id: &str) -> Option<usize> {
    TOUCHPOINTS.iter().position(|t| t.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_unique_and_ordered() {
        for (i, t) in TOUCHPOINTS.iter().enumerate() {
            assert_eq!(touchpoint_order(t.id), Some(i));
            assert_eq!(touchpoint(t.id), Some(t));
        }
        assert_eq!(touchpoint("parking"), None);
    }
}
