//! The demo hall's standards library (规章制度): State Grid's company-wide rules as
//! published (员工守则) and, as sample data, 员工服务"十个不准" and 供电服务"十项承诺", the standard phrases, the
//! seven behaviour codes by id, and the hall's own shift hand-over rules in three versions
//! (one replaced, one in effect, one scheduled) — with most staff having acknowledged and a
//! few not, so the manager's screen has something to show.
//!
//! The 十个不准 and 十项承诺 texts are sample data (示例数据): they follow the company's earlier
//! public releases of its "三个十条" (2005, revised 2011); the 2019/2021 revisions could not be
//! found in a citable public source, so a real hall loads its current official text.

use super::hall::DemoHall;
use crate::CliResult;
use chrono::{Days, NaiveDate, NaiveTime};
use servicehall_domain::Role;
use servicehall_domain::standards::Category;
use servicehall_domain::time::{at_local, parse_tz, service_day};
use servicehall_store::{DraftInput, StandardInput, Store};

const ALL: [Role; 3] = [Role::HallManager, Role::Clerk, Role::Guide];
/// Marked as sample data: a search of public sources (2026-11) found only third-party
/// reprints of the 2005/2011 texts, not State Grid's 2019/2021 revisions, so these bodies are
/// written from memory of the earlier releases. Screens flag a source starting 示例数据.
const SOURCE_SAMPLE: &str = "示例数据 Sample data：按国家电网公司“三个十条”早期公开文本（2005 年发布、2011 年修订）整理，未找到并核对 2019/2021 年修订的正式文本；正式使用前请替换为公司现行正式文本。Written from the 2005/2011 public releases; not checked against the 2019/2021 revisions — load the current official text before real use.";

struct Spec {
    category: Category,
    code: Option<&'static str>,
    title: &'static str,
    title_en: &'static str,
    audience: &'static [Role],
    source: &'static str,
    body: &'static str,
}

const STAFF_CODE: Spec = Spec {
    category: Category::StaffCode,
    code: None,
    title: "国家电网公司员工守则",
    title_en: "State Grid staff code",
    audience: &ALL,
    source: "国家电网公司《员工守则》公开文本 · State Grid's published staff code",
    body: "《国家电网公司员工守则》是公司全体员工应共同遵守的基本行为准则。\n\
（一）遵纪守法，尊荣弃耻，争做文明员工。\n\
（二）忠诚企业，奉献社会，共塑国网品牌。\n\
（三）爱岗敬业，令行禁止，切实履行职责。\n\
（四）团结协作，勤奋学习，勇于开拓创新。\n\
（五）以人为本，落实责任，确保安全生产。\n\
（六）弘扬宗旨，信守承诺，深化优质服务。\n\
（七）勤俭节约，精细管理，提高效率效益。\n\
（八）努力超越，追求卓越，建设一流公司。",
};

const TEN_PROHIBITIONS: Spec = Spec {
    category: Category::TenProhibitions,
    code: None,
    title: "员工服务“十个不准”",
    title_en: "Ten prohibitions for staff",
    audience: &ALL,
    source: SOURCE_SAMPLE,
    body: "一、不准违反规定停电、无故拖延送电。\n\
二、不准违反政府部门批准的收费项目和标准向客户收费。\n\
三、不准为客户指定设计、施工、供货单位。\n\
四、不准违反业务办理告知要求，造成客户重复往返。\n\
五、不准违反首问负责制，推诿、搪塞、怠慢客户。\n\
六、不准对外泄露客户个人信息及商业秘密。\n\
七、不准工作时间饮酒及酒后上岗。\n\
八、不准营业窗口擅自离岗或做与工作无关的事。\n\
九、不准接受客户吃请和收受客户礼品、礼金、有价证券。\n\
十、不准利用岗位和工作之便谋取不正当利益。",
};

const COMMITMENTS: Spec = Spec {
    category: Category::ServiceCommitments,
    code: None,
    title: "供电服务“十项承诺”",
    title_en: "Ten service commitments",
    audience: &ALL,
    source: SOURCE_SAMPLE,
    body: "一、城市地区：供电可靠率不低于99.90%，居民客户端电压合格率不低于96%；农村地区：供电可靠率和居民客户端电压合格率，经国家电网公司核定后，由各省（自治区、直辖市）电力公司公布承诺指标。\n\
二、供电营业场所公开电价、收费标准和服务程序。\n\
三、供电方案答复期限：居民客户不超过3个工作日，低压电力客户不超过7个工作日，高压单电源客户不超过15个工作日，高压双电源客户不超过30个工作日。\n\
四、城乡居民客户向供电企业申请用电，受电装置检验合格并办理相关手续后，3个工作日内送电。\n\
五、非居民客户向供电企业申请用电，受电工程验收合格并办理相关手续后，5个工作日内送电。\n\
六、当电力供应不足，不能保证连续供电时，严格执行政府批准的限电序位。\n\
七、供电设施计划检修停电，提前7天向社会公告。\n\
八、提供24小时电力故障报修服务，供电抢修人员到达现场的时间一般不超过：城区范围45分钟；农村地区90分钟；特殊边远地区2小时。\n\
九、客户欠电费需依法采取停电措施的，提前7天送达停电通知书，费用结清后24小时内恢复供电。\n\
十、电力服务热线“95598”24小时受理业务咨询、信息查询、服务投诉和电力故障报修。",
};

const PHRASES: Spec = Spec {
    category: Category::StandardPhrases,
    code: None,
    title: "营业厅服务规范用语",
    title_en: "Standard phrases at the hall",
    audience: &ALL,
    source: "演示数据，按营业厅常用服务用语编写 · Demo text written for this hall",
    body: "【迎客】您好，请问您办理什么业务？ Hello, what can I do for you today?\n\
【请坐】请坐，请稍候，我马上为您办理。 Please take a seat; I will help you right away.\n\
【核对】请您出示身份证件和户号，我为您核对一下。 May I see your ID and account number?\n\
【唱收】收您现金200元。 I have received 200 yuan in cash.\n\
【唱付】应缴电费186.50元，找您13.50元，请您收好。 The bill is 186.50 yuan; here is your change, 13.50 yuan.\n\
【告知】办理此项业务需要以下资料，我给您一份一次性告知单。 Here is the one-time notice listing everything you need.\n\
【致歉】对不起，让您久等了。 Sorry to keep you waiting.\n\
【评价】请您对我的服务进行评价，谢谢！ Please rate my service, thank you!\n\
【送别】请慢走，欢迎再来。 Goodbye, and welcome back.\n\
【服务禁语】不得使用“不知道”“这事不归我管”“下班了，明天再来”“墙上贴着呢，自己看”等语言。 Never say \"I don't know\", \"not my job\", \"come back tomorrow\" or \"read the wall\".",
};

const BEHAVIOUR: [Spec; 7] = [
    Spec {
        category: Category::BehaviourCode,
        code: Some("grooming"),
        title: "定妆上岗",
        title_en: "Groomed before the shift",
        audience: &ALL,
        source: "演示数据 · Demo text",
        body: "上岗前按规定统一着装、佩戴工号牌，发型整洁、淡妆上岗；班前会由值班长检查仪容仪表，不合格者整改后方可上岗。",
    },
    Spec {
        category: Category::BehaviourCode,
        code: Some("greet_farewell"),
        title: "迎送有声",
        title_en: "Greets and says farewell",
        audience: &ALL,
        source: "演示数据 · Demo text",
        body: "客户到达窗口一米线时起身或点头微笑，主动问候“您好，请问您办理什么业务？”；业务办结后道别“请慢走，欢迎再来”。",
    },
    Spec {
        category: Category::BehaviourCode,
        code: Some("standard_phrases"),
        title: "使用规范用语",
        title_en: "Uses the standard phrases",
        audience: &ALL,
        source: "演示数据 · Demo text",
        body: "服务全程使用普通话和《营业厅服务规范用语》，语气亲切、语速适中；不使用服务禁语，不与客户争辩。",
    },
    Spec {
        category: Category::BehaviourCode,
        code: Some("read_back"),
        title: "唱收唱付",
        title_en: "Reads back money received and paid",
        audience: &[Role::Clerk],
        source: "演示数据 · Demo text",
        body: "收取电费时唱收“收您现金××元”，找零时唱付“应缴××元，找您××元，请您收好”，钱款当面点清，票据双手递交。",
    },
    Spec {
        category: Category::BehaviourCode,
        code: Some("one_time_notice"),
        title: "一次性告知",
        title_en: "Tells everything needed at once",
        audience: &[Role::Clerk, Role::Guide],
        source: "演示数据 · Demo text",
        body: "客户咨询或办理业务时，一次性告知所需资料、收费标准、办理流程和时限，并提供一次性告知单，避免客户重复往返。",
    },
    Spec {
        category: Category::BehaviourCode,
        code: Some("first_inquiry"),
        title: "首问负责",
        title_en: "First-inquiry responsibility",
        audience: &ALL,
        source: "演示数据 · Demo text",
        body: "第一位接待客户的员工为首问责任人，不属于本岗位职责的事项应引导至相应窗口或开具工单跟踪办结，不推诿、不搪塞。",
    },
    Spec {
        category: Category::BehaviourCode,
        code: Some("serve_one_settle_two"),
        title: "办一安二招呼三",
        title_en: "Serve one, settle the next, greet the third",
        audience: &[Role::Clerk],
        source: "演示数据 · Demo text",
        body: "办理第一位客户业务的同时，安抚第二位等候客户，招呼第三位客户，使每位客户都感受到被关注。",
    },
];

/// The hall's own shift hand-over rules, version by version.
const HANDOVER: [(&str, &str); 3] = [
    (
        "营业厅交接班制度",
        "一、交接班时间为每日12:00和营业结束后。\n二、交班人员清点现金、票据和印章，填写交接班记录。\n三、接班人员核对无误后签字。",
    ),
    (
        "营业厅交接班制度（2026年修订）",
        "一、交接班时间为每日12:00和营业结束后，窗口不得因交接班暂停服务超过5分钟。\n二、交班人员清点现金、票据、印章和未办结工单，在系统中填写交接班记录。\n三、接班人员核对无误后签字；发现差错立即报告值班长。\n四、交接班期间由引导员向等候客户说明情况。",
    ),
    (
        "营业厅交接班制度（2027年版）",
        "一、交接班时间为每日12:00和营业结束后，交接期间至少保留一个综合窗口服务。\n二、交班人员清点现金、票据、印章和未办结工单，在系统中填写交接班记录，未办结工单逐单移交。\n三、接班人员核对无误后签字；发现差错立即报告值班长。\n四、交接班期间由引导员向等候客户说明情况并安排优先办理。",
    ),
];

fn draft(title: &str, title_en: &str, body: &str, audience: &[Role], source: &str) -> DraftInput {
    DraftInput {
        title: title.into(),
        title_en: title_en.into(),
        body: body.into(),
        audience: audience.to_vec(),
        source: source.into(),
    }
}

/// Seeds the library once; a data directory that already has standards keeps them.
pub async fn seed_if_empty(store: &dyn Store, demo: &DemoHall, now: i64) -> CliResult<()> {
    if !store.standards(None, now).await?.is_empty() {
        return Ok(());
    }
    let tz = parse_tz(&demo.hall.timezone).map_err(crate::CliError::failed)?;
    let today = service_day(now, tz);
    // Publishing is for today or later, so each version is published on its own date.
    let on = |d: NaiveDate| at_local(d, NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(), tz);
    let admin = store
        .staff_list(None)
        .await?
        .into_iter()
        .find(|s| s.role == Role::Admin)
        .map(|s| s.id);
    let since_2011 = NaiveDate::from_ymd_opt(2011, 7, 1).unwrap_or(today);
    let mut company = vec![STAFF_CODE, TEN_PROHIBITIONS, COMMITMENTS, PHRASES];
    company.extend(BEHAVIOUR);
    for s in &company {
        let date = if matches!(
            s.category,
            Category::StandardPhrases | Category::BehaviourCode
        ) {
            today - Days::new(20)
        } else {
            since_2011
        };
        let input = StandardInput {
            hall_id: None,
            category: s.category,
            behaviour_code: s.code.map(String::from),
            draft: draft(s.title, s.title_en, s.body, s.audience, s.source),
        };
        let doc = store.create_standard(&input, admin, on(date)).await?;
        store
            .publish_standard(doc.id, date, admin, on(date))
            .await?;
    }
    // The hall's hand-over rules: replaced last year, in effect since last month, and the
    // next version scheduled for two weeks ahead.
    let manager = demo_staff(store, demo, "manager").await?;
    let dates = [
        today - Days::new(400),
        today - Days::new(30),
        today + Days::new(14),
    ];
    let mut doc_id = None;
    for ((title, body), date) in HANDOVER.iter().zip(dates) {
        let publish_at = on(date.min(today));
        let d = draft(
            title,
            "Shift hand-over rules",
            body,
            &ALL,
            "本厅制度 · This hall's own rules",
        );
        let id = match doc_id {
            None => {
                let input = StandardInput {
                    hall_id: Some(demo.hall.id),
                    category: Category::HallRules,
                    behaviour_code: None,
                    draft: d,
                };
                store.create_standard(&input, manager, publish_at).await?.id
            }
            Some(id) => store.save_draft(id, &d, publish_at).await?.id,
        };
        store
            .publish_standard(id, date, manager, publish_at)
            .await?;
        doc_id = Some(id);
    }
    // Who has read what: most staff, but clerk6, clerk7 and the guide are behind.
    let behind = ["clerk6", "clerk7", "guide"];
    let day_start = at_local(today, NaiveTime::MIN, tz);
    for st in store.staff_list(Some(demo.hall.id)).await? {
        for p in store.pending_acknowledgements(st.id, now).await? {
            let skip = behind.contains(&st.username.as_str()) && p.version.id % 2 == 0;
            let skip = skip || (st.username == "clerk7" && p.category == Category::HallRules);
            if !skip {
                // Read within the week after publication, as a hall's staff do, so the
                // month's acknowledgement rate is kept on the right days; a version
                // published this morning is read during the morning, never after now.
                let published = p.version.published_at.unwrap_or(day_start);
                let delay = 3_600_000 * (2 + (st.id + p.version.id) % 96);
                let at = (published + delay).min(now - 60_000 * (1 + p.version.id % 90));
                let at = at.max(published).min(now);
                store.acknowledge_standard(p.version.id, st.id, at).await?;
            }
        }
    }
    Ok(())
}

async fn demo_staff(store: &dyn Store, demo: &DemoHall, username: &str) -> CliResult<Option<i64>> {
    Ok(store
        .staff_list(Some(demo.hall.id))
        .await?
        .into_iter()
        .find(|s| s.username == username)
        .map(|s| s.id))
}
