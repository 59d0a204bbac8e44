//! The bench's world, written straight into an empty database: two halls, their business
//! types and counters, a clerk and an evaluator pad per client, and the device tokens the
//! clients issue and watch with.

use super::*;

pub(super) const PASSWORD: &str = "bench-pass-1";

pub(super) struct Prepared {
    pub hall_a: String,
    pub hall_b: String,
    pub issue_token_a: String,
    pub issue_token_b: String,
    pub display_token: String,
    /// (counter id, clerk username, evaluator token) per client.
    pub counters: Vec<(i64, String, String)>,
    /// The counter used to trigger calls for the displays, its clerk, and its business code.
    pub call_counter: (i64, String),
}

pub(super) fn hall(code: &str) -> HallInput {
    HallInput {
        code: code.into(),
        name: format!("压测营业厅 {code}"),
        name_en: format!("Bench hall {code}"),
        address: "127.0.0.1".into(),
        phone: "95598".into(),
        timezone: "Asia/Shanghai".into(),
        opens: "00:00".into(),
        closes: "23:59".into(),
        policy: CallingPolicy::default(),
    }
}

pub(super) fn bt(code: &str, prefix: &str) -> BusinessTypeInput {
    BusinessTypeInput {
        code: code.into(),
        name_zh: code.into(),
        name_en: code.into(),
        prefix: prefix.into(),
        target_wait_s: 3600,
        target_handling_s: 300,
        is_payment: false,
        sort_order: 0,
        active: true,
    }
}

pub(super) async fn device(
    s: &SqlStore,
    hall: i64,
    counter: Option<i64>,
    kind: DeviceKind,
) -> CliResult<String> {
    let token = servicehall_web::auth::new_token();
    s.create_device(
        hall,
        counter,
        kind,
        kind.as_str(),
        &servicehall_web::auth::hash_token(&token),
        servicehall_web::now_ms(),
    )
    .await?;
    Ok(token)
}

pub(super) async fn prepare(s: &SqlStore, clients: usize) -> CliResult<Prepared> {
    let now = servicehall_web::now_ms();
    let a = s.create_hall(&hall("BENCH-A")).await?;
    s.create_business_type(a.id, &bt("inquiry", "A")).await?;
    s.create_business_type(a.id, &bt("payment", "B")).await?;
    let b = s.create_hall(&hall("BENCH-B")).await?;
    let inquiry = s.create_business_type(b.id, &bt("inquiry", "A")).await?;
    let called = s
        .create_business_type(b.id, &bt("display_call", "Z"))
        .await?;
    let hash = crate::demo::hash_password(PASSWORD)?;
    let mut counters = Vec::new();
    for i in 0..=clients {
        let primary = if i < clients { inquiry.id } else { called.id };
        let c = s
            .create_counter(
                b.id,
                &CounterInput {
                    number: i as i64 + 1,
                    primary: vec![primary],
                    secondary: vec![],
                },
            )
            .await?;
        let username = format!("bench-clerk-{}", i + 1);
        let st = s
            .create_staff(
                &StaffInput {
                    hall_id: Some(b.id),
                    username: username.clone(),
                    name: format!("柜员{}", i + 1),
                    badge_no: format!("B{:04}", i + 1),
                    role: Role::Clerk,
                    photo: String::new(),
                    active: true,
                },
                &hash,
            )
            .await?;
        s.open_counter(c.id, st.id, now).await?;
        let eval = device(s, b.id, Some(c.id), DeviceKind::Evaluator).await?;
        counters.push((c.id, username, eval));
    }
    let last = counters.pop().map(|(id, user, _)| (id, user));
    let call_counter = last.ok_or_else(|| {
        CliError::failed(
            "基准准备：没有供显示屏使用的窗口 · bench set-up: no counter for the displays",
        )
    })?;
    Ok(Prepared {
        hall_a: a.code,
        hall_b: b.code,
        issue_token_a: device(s, a.id, None, DeviceKind::Integration).await?,
        issue_token_b: device(s, b.id, None, DeviceKind::Integration).await?,
        display_token: device(s, b.id, None, DeviceKind::Display).await?,
        counters,
        call_counter,
    })
}
