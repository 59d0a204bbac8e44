//! `token create`: a device token for a kiosk, display, evaluator, counter screen or integration.

use crate::config::{self, DbArgs};
use crate::{CliError, CliResult};
use clap::{Args, Subcommand};
use servicehall_domain::DeviceKind;
use servicehall_store::{HallStore, SqlStore, StoreError};

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a device token and print ONLY the token on stdout (for scripts).
    /// 创建设备令牌（标准输出只打印令牌）。
    ///
    /// Pair a screen by opening http://HOST/device/pair?token=TOKEN on it, or send
    /// `Authorization: Bearer TOKEN` from an integration.
    Create(CreateArgs),
    /// List a hall's devices: id, role, counter, live or revoked, name. 设备列表
    List(crate::token_admin::ListArgs),
    /// Revoke a device by its id; its token stops working at once. 吊销设备令牌
    Revoke(crate::token_admin::RevokeArgs),
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Device role: kiosk 取号机, display 大厅显示屏, evaluator 评价器, counter-screen 窗口屏,
    /// integration 系统集成.
    #[arg(long)]
    pub role: String,
    /// Hall code, e.g. DL-XG. 营业厅编码
    #[arg(long)]
    pub hall: String,
    /// Counter number in that hall (required for evaluator and counter-screen). 窗口号
    #[arg(long)]
    pub counter: Option<i64>,
    /// A name shown in the device list. 设备名称 [default: role and counter]
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub db: DbArgs,
}

pub async fn run(cmd: TokenCommand) -> CliResult<()> {
    match cmd {
        TokenCommand::Create(args) => {
            let (store, _) = config::open_store(&args.db.url()).await?;
            let token = create(&store, &args, servicehall_web::now_ms()).await?;
            println!("{token}");
            Ok(())
        }
        TokenCommand::List(args) => crate::token_admin::list(args).await,
        TokenCommand::Revoke(args) => crate::token_admin::revoke(args).await,
    }
}

/// Creates the device and returns its (unhashed) token.
pub async fn create(store: &SqlStore, args: &CreateArgs, now: i64) -> CliResult<String> {
    let kind: DeviceKind = args.role.trim().parse().map_err(CliError::usage)?;
    let hall = match store.hall_by_code(args.hall.trim()).await {
        Ok(h) => h,
        Err(StoreError::NotFound(_)) => {
            let known: Vec<String> = store
                .halls()
                .await
                .map(|hs| hs.into_iter().map(|h| h.code).collect())
                .unwrap_or_default();
            return Err(CliError::usage(format!(
                "no hall with code {:?}; known halls: {}",
                args.hall,
                if known.is_empty() {
                    "(none — run `servicehall demo` or create one in /admin)".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
        Err(e) => return Err(e.into()),
    };
    let counter = match args.counter {
        Some(n) => {
            let counters = store.counters(hall.id).await?;
            let c = counters.iter().find(|c| c.number == n).ok_or_else(|| {
                let nums: Vec<String> = counters.iter().map(|c| c.number.to_string()).collect();
                CliError::usage(format!(
                    "hall {} has no counter {n}; its counters are: {}",
                    hall.code,
                    nums.join(", ")
                ))
            })?;
            Some((c.id, c.number))
        }
        None if kind.needs_counter() => {
            return Err(CliError::usage(format!(
                "a {} belongs to one counter: add --counter N",
                kind.as_str()
            )));
        }
        None => None,
    };
    let name = match &args.name {
        Some(n) if !n.trim().is_empty() => n.trim().to_string(),
        _ => match counter {
            Some((_, number)) => format!("{} · {}号窗口", kind.label_zh(), number),
            None => kind.label_zh().to_string(),
        },
    };
    let token = servicehall_web::auth::new_token();
    let hash = servicehall_web::auth::hash_token(&token);
    store
        .create_device(hall.id, counter.map(|c| c.0), kind, &name, &hash, now)
        .await
        .map_err(|e| match e {
            StoreError::Invalid(m) => CliError::usage(m),
            other => other.into(),
        })?;
    Ok(token)
}
