//! `init`: a database from nothing — the schema and the first administrator.

use crate::config::{self, DbArgs};
use crate::serve::redact;
use crate::{CliError, CliResult};
use clap::Args;
use servicehall_domain::Role;
use servicehall_store::{FirstRunStore, StaffInput, StoreError};
use std::io::Read;

#[derive(Args, Debug)]
#[command(after_help = "Example 示例:\n  \
printf '%s' \"$ADMIN_PASSWORD\" | servicehall init --data-dir /var/lib/servicehall \\\n    \
--admin admin --name 张敏 --password-stdin")]
pub struct InitArgs {
    /// Username of the first administrator. 管理员用户名
    #[arg(long)]
    pub admin: String,
    /// The administrator's name as shown on screens. 管理员姓名
    #[arg(long)]
    pub name: String,
    /// The administrator's badge number. 工号
    #[arg(long, default_value = "ADMIN")]
    pub badge: String,
    /// Read the password from standard input (one line; at least 12 characters), so it
    /// never shows in the process list or shell history. 从标准输入读取密码
    #[arg(long, required = true)]
    pub password_stdin: bool,
    #[command(flatten)]
    pub db: DbArgs,
}

/// The password as piped in: the whole input without its final line break.
pub fn password_from(input: &str) -> &str {
    let input = input.strip_suffix('\n').unwrap_or(input);
    input.strip_suffix('\r').unwrap_or(input)
}

pub async fn run(args: InitArgs) -> CliResult<()> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).map_err(|e| {
        CliError::usage(format!(
            "无法读取标准输入的密码 · cannot read the password from standard input: {e}"
        ))
    })?;
    let password = password_from(&input);
    if password.contains('\n') {
        return Err(CliError::usage(
            "密码只能是一行 · the password must be a single line",
        ));
    }
    servicehall_web::pages::halls::check_password(password).map_err(CliError::usage)?;
    let input = StaffInput {
        hall_id: None,
        username: args.admin.trim().to_string(),
        name: args.name.trim().to_string(),
        badge_no: args.badge.trim().to_string(),
        role: Role::Admin,
        photo: String::new(),
        active: true,
    };
    servicehall_domain::halls::check_staff(
        &input.username,
        &input.name,
        &input.badge_no,
        Role::Admin,
        false,
    )
    .map_err(|e| CliError::usage(e.0))?;
    let url = args.db.url();
    let (store, applied) = config::open_store(&url).await?;
    crate::demo::inspections::install_shipped(&store, servicehall_web::now_ms()).await?;
    crate::demo::incidents::install_shipped(&store, servicehall_web::now_ms()).await?;
    // Checked before the slow hash for a quick answer; the store checks again atomically.
    if store.has_admin().await? {
        return Err(refused());
    }
    let hash = servicehall_web::auth::hash_password(password).map_err(|e| {
        CliError::failed(format!(
            "无法计算密码散列 · cannot hash the password: {}",
            e.detail
        ))
    })?;
    let staff = store
        .create_first_admin(&input, &hash)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(m) if m.starts_with("已有系统管理员") => refused(),
            StoreError::Conflict(m) | StoreError::Invalid(m) => CliError::failed(m),
            other => other.into(),
        })?;
    println!(
        "数据库已就绪 · database ready: {} ({} migrations applied)",
        redact(&url),
        applied.len()
    );
    println!(
        "已创建系统管理员 · administrator created: {} ({}, 工号 badge {})",
        staff.username, staff.name, staff.badge_no
    );
    println!(
        "下一步 · next: `servicehall hall import HALL.yaml` or /admin, then `servicehall serve` and sign in at /login"
    );
    Ok(())
}

fn refused() -> CliError {
    CliError::failed(
        "已有系统管理员，未做任何更改；请用该管理员登录 /admin 添加人员 · \
an administrator exists already; nothing was changed — sign in as that administrator and add people in /admin",
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_final_line_break_is_dropped() {
        assert_eq!(super::password_from("secret pass 1\n"), "secret pass 1");
        assert_eq!(super::password_from("secret pass 1\r\n"), "secret pass 1");
        assert_eq!(super::password_from(" spaced  "), " spaced  ");
        assert_eq!(super::password_from("a\nb\n"), "a\nb");
    }
}
