//! `hall export` and `hall import`: a hall as one YAML file (format in
//! `servicehall_domain::halls::file`, guide in docs/operations.md).

use crate::config::{self, DbArgs};
use crate::{CliError, CliResult};
use clap::{Args, Subcommand};
use servicehall_domain::halls::file::{
    self, BusinessTypeEntry, CounterEntry, HallFile, Hours, StaffEntry,
};
use servicehall_store::{HallFileStore, HallStore, SqlStore, StoreError};
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum HallCommand {
    /// Write a hall as YAML: address, hours, business types, counters (主办/兼办), staff
    /// (never passwords). 导出营业厅
    Export(ExportArgs),
    /// Create or update a hall from such a file, all or nothing; new staff get one-time
    /// passwords, printed once. 导入营业厅
    Import(ImportArgs),
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Hall code, e.g. DL-XG. 营业厅编码
    pub code: String,
    /// Write to this file instead of standard output. 输出文件
    #[arg(long)]
    pub to: Option<PathBuf>,
    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The hall file (YAML). 营业厅文件
    pub file: PathBuf,
    #[command(flatten)]
    pub db: DbArgs,
}

pub async fn run(cmd: HallCommand) -> CliResult<()> {
    match cmd {
        HallCommand::Export(args) => {
            let (store, _) = config::open_store(&args.db.url()).await?;
            let text = file::to_yaml(&export(&store, args.code.trim()).await?);
            match &args.to {
                Some(path) => {
                    std::fs::write(path, text).map_err(|e| {
                        CliError::failed(format!("无法写入 · cannot write {}: {e}", path.display()))
                    })?;
                    eprintln!("已导出 · exported {} to {}", args.code, path.display());
                }
                None => print!("{text}"),
            }
            Ok(())
        }
        HallCommand::Import(args) => {
            let text = std::fs::read_to_string(&args.file).map_err(|e| {
                CliError::usage(format!(
                    "无法读取 · cannot read {}: {e}",
                    args.file.display()
                ))
            })?;
            let file = file::parse(&text).map_err(|errors| {
                let lines: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}: {e}", args.file.display()))
                    .collect();
                CliError::usage(format!(
                    "营业厅文件有误，未导入任何内容 · the hall file has errors; nothing was imported:\n{}",
                    lines.join("\n")
                ))
            })?;
            let (store, _) = config::open_store(&args.db.url()).await?;
            import(&store, &file).await
        }
    }
}

/// The hall with this code as a file.
pub async fn export(store: &SqlStore, code: &str) -> CliResult<HallFile> {
    let hall = store.hall_by_code(code).await.map_err(|e| match e {
        StoreError::NotFound(_) => {
            CliError::usage(format!("没有营业厅 {code} · no hall with code {code}"))
        }
        other => other.into(),
    })?;
    let mut types = store.business_types(hall.id).await?;
    types.sort_by_key(|t| (t.sort_order, t.id));
    let code_of: HashMap<i64, String> = types.iter().map(|t| (t.id, t.code.clone())).collect();
    let codes = |ids: &[i64]| ids.iter().filter_map(|i| code_of.get(i).cloned()).collect();
    let mut counters = store.counters(hall.id).await?;
    counters.sort_by_key(|c| c.number);
    let mut staff = store.staff_list(Some(hall.id)).await?;
    staff.retain(|s| s.hall_id == Some(hall.id));
    staff.sort_by(|a, b| a.username.cmp(&b.username));
    Ok(HallFile {
        code: hall.code,
        name: hall.name,
        name_en: hall.name_en,
        address: hall.address,
        phone: hall.phone,
        timezone: hall.timezone,
        hours: Hours {
            opens: hall.opens,
            closes: hall.closes,
        },
        business_types: types
            .iter()
            .map(|t| BusinessTypeEntry {
                code: t.code.clone(),
                name_zh: t.name_zh.clone(),
                name_en: t.name_en.clone(),
                prefix: t.prefix.clone(),
                target_wait_s: t.target_wait_s,
                target_handling_s: t.target_handling_s,
                is_payment: t.is_payment,
                active: t.active,
            })
            .collect(),
        counters: counters
            .iter()
            .map(|c| CounterEntry {
                number: c.number,
                primary: codes(&c.primary),
                secondary: codes(&c.secondary),
            })
            .collect(),
        staff: staff
            .into_iter()
            .map(|s| StaffEntry {
                username: s.username,
                name: s.name,
                badge_no: s.badge_no,
                role: s.role.as_str().to_string(),
                active: s.active,
            })
            .collect(),
    })
}

/// Imports a checked file; prints what it did and each new person's one-time password.
async fn import(store: &SqlStore, file: &HallFile) -> CliResult<()> {
    let mut passwords = Vec::new();
    let mut hashes = HashMap::new();
    for s in &file.staff {
        if store.staff_login(&s.username).await?.is_none() {
            let password = servicehall_web::auth::random_hex(8);
            let hash = servicehall_web::auth::hash_password(&password).map_err(|e| {
                CliError::failed(format!(
                    "无法计算密码散列 · cannot hash a password: {}",
                    e.detail
                ))
            })?;
            hashes.insert(s.username.clone(), hash);
            passwords.push((s.username.clone(), password));
        }
    }
    let done = store
        .import_hall(file, &hashes)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(m) | StoreError::Invalid(m) => CliError::failed(m),
            other => other.into(),
        })?;
    println!(
        "{} 营业厅 {} · hall {} {}: {} business types, {} counters, {} staff",
        if done.created_hall {
            "已创建"
        } else {
            "已更新"
        },
        file.code,
        file.code,
        if done.created_hall {
            "created"
        } else {
            "updated"
        },
        done.business_types,
        done.counters,
        done.staff
    );
    if !done.new_staff.is_empty() {
        println!(
            "新员工的一次性密码（只显示这一次，请当面交给本人） · one-time passwords of the new staff (shown only now; hand them over in person):"
        );
        for (user, password) in passwords.iter().filter(|(u, _)| done.new_staff.contains(u)) {
            println!("  {user:<16} {password}");
        }
    }
    Ok(())
}
