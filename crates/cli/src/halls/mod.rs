//! `hall export` and `hall import`: a hall as one YAML file (format in
//! `servicehall_domain::halls::file`, guide in docs/operations.md).

use crate::config::{self, DbArgs};
use crate::{CliError, CliResult};
use clap::{Args, Subcommand};
use servicehall_domain::halls::file::{self, HallFile};
use servicehall_store::{CatalogueStore, HallFileStore, HallStore, SqlStore, StoreError};
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
            let mut hall = export(&store, args.code.trim()).await?;
            let write = |path: &std::path::Path, text: String| {
                std::fs::write(path, text).map_err(|e| {
                    CliError::failed(format!("无法写入 · cannot write {}: {e}", path.display()))
                })
            };
            match &args.to {
                Some(path) => {
                    // The catalogue goes beside the hall file, under the name it refers to.
                    if let Some(name) = &hall.catalogue {
                        let id = store.hall_by_code(&hall.code).await?.id;
                        let catalogue = store.export_catalogue(id).await?;
                        let beside = path.parent().unwrap_or(std::path::Path::new("")).join(name);
                        write(&beside, servicehall_domain::catalogue::to_yaml(&catalogue))?;
                        eprintln!(
                            "已导出业务公开目录 · exported the catalogue to {}",
                            beside.display()
                        );
                    }
                    write(path, file::to_yaml(&hall))?;
                    eprintln!("已导出 · exported {} to {}", args.code, path.display());
                }
                None => {
                    if hall.catalogue.take().is_some() {
                        eprintln!(
                            "业务公开目录未写出，请用 --to FILE 一并导出 · the catalogue is not written to standard output; use --to FILE to export it beside the hall file"
                        );
                    }
                    print!("{}", file::to_yaml(&hall));
                }
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
            let catalogue = match &file.catalogue {
                Some(name) => {
                    let path = args
                        .file
                        .parent()
                        .unwrap_or(std::path::Path::new(""))
                        .join(name);
                    Some(std::fs::read_to_string(&path).map_err(|e| {
                        CliError::usage(format!(
                            "{}: catalogue: 无法读取目录文件，未导入任何内容 · cannot read the catalogue file {}: {e}; nothing was imported",
                            args.file.display(),
                            path.display()
                        ))
                    })?)
                }
                None => None,
            };
            let (store, _) = config::open_store(&args.db.url()).await?;
            import(&store, &file, catalogue.as_deref()).await
        }
    }
}

/// The hall with this code as a file.
pub async fn export(store: &SqlStore, code: &str) -> CliResult<HallFile> {
    store.export_hall(code).await.map_err(|e| match e {
        StoreError::NotFound(_) => {
            CliError::usage(format!("没有营业厅 {code} · no hall with code {code}"))
        }
        other => other.into(),
    })
}

/// Imports a checked file; prints what it did and each new person's one-time password.
async fn import(store: &SqlStore, file: &HallFile, catalogue: Option<&str>) -> CliResult<()> {
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
        .import_hall(
            file,
            &hashes,
            catalogue,
            chrono::Utc::now().timestamp_millis(),
        )
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
    if let Some(n) = done.catalogue_versions {
        println!("业务公开目录已导入 · catalogue imported: {n} versions changed");
    }
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
