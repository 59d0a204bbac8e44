//! `servicehall hall import` / `hall export`: a hall as one file, all or nothing.

use crate::{Db, TempDir, on_both, run_on};
use servicehall_domain::CallingPolicy;
use servicehall_domain::halls::file;
use servicehall_store::HallStore;

pub const HALL: &str = "code: DL-XH
name: 国网大连供电公司星海营业厅
name_en: Xinghai Hall
address: 大连市沙河口区星海广场
phone: 0411-95598
hours:
  opens: '08:30'
  closes: '17:00'
business_types:
  - code: pay
    name_zh: 缴费
    name_en: Payment
    prefix: A
    target_wait_s: 600
    target_handling_s: 300
    is_payment: true
  - code: new
    name_zh: 新装
    name_en: New connection
    prefix: B
    target_wait_s: 900
    target_handling_s: 1200
counters:
  - number: 1
    primary: [pay]
    secondary: [new]
  - number: 2
    primary: [new]
staff:
  - username: xh_clerk1
    name: 王芳
    badge_no: XH001
    role: clerk
  - username: xh_manager
    name: 赵强
    badge_no: XH900
    role: hall_manager
";

const CATALOGUE: &str = "hall: DL-XH
repeat_window_days: 15
entries:
- business_type: pay
  effective_from: 2099-01-01
  description: 缴纳电费
  who_may_apply: 任何人
  documents:
    resident:
    - name: 户号
  fees: []
  channels: [hall]
";

pub async fn a_hall_file_imports_once_exports_the_same_and_bad_files_change_nothing(db: Db) {
    let dir = TempDir::new("hallfile");
    let path = dir.0.join("hall.yaml");
    std::fs::write(&path, HALL).unwrap();
    let file = path.display().to_string();

    let first = run_on(&db, &["hall", "import"], &[&file], "");
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stdout.contains("已创建"), "{}", first.stdout);
    let password = first
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("xh_clerk1"))
        .expect(&first.stdout)
        .trim()
        .to_string();
    assert!(password.len() >= 12);
    let store = db.open().await;
    let (clerk, hash) = store.staff_login("xh_clerk1").await.unwrap().unwrap();
    assert!(servicehall_web::auth::verify_password(&password, &hash));
    let hall = store.hall_by_code("DL-XH").await.unwrap();
    assert_eq!(clerk.hall_id, Some(hall.id));

    // Again: the same hall, nothing new, no passwords.
    let again = run_on(&db, &["hall", "import"], &[&file], "");
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("已更新"), "{}", again.stdout);
    assert!(!again.stdout.contains("一次性密码"), "{}", again.stdout);
    assert_eq!(store.counters(hall.id).await.unwrap().len(), 2);
    assert_eq!(store.staff_list(Some(hall.id)).await.unwrap().len(), 2);

    // Export gives the file back.
    let out = dir.0.join("out.yaml");
    let export = run_on(
        &db,
        &["hall", "export"],
        &["DL-XH", "--to", &out.display().to_string()],
        "",
    );
    assert_eq!(export.code, 0, "{}", export.stderr);
    let back = std::fs::read_to_string(&out).unwrap();
    assert!(!back.contains("password"), "{back}");
    let mut want = file::parse(HALL).unwrap();
    // The calling policy is always written out (here the default a new hall gets).
    want.calling = Some((&CallingPolicy::default()).into());
    assert_eq!(file::parse(&back).unwrap(), want);

    // A catalogue reference is read beside the hall file and imported with it; export
    // writes the catalogue beside its output under the name it refers to.
    std::fs::write(dir.0.join("xh.catalogue.yaml"), CATALOGUE).unwrap();
    std::fs::write(&path, format!("{HALL}catalogue: xh.catalogue.yaml\n")).unwrap();
    let with = run_on(&db, &["hall", "import"], &[&file], "");
    assert_eq!(with.code, 0, "{}", with.stderr);
    assert!(
        with.stdout.contains("catalogue imported: 1 versions"),
        "{}",
        with.stdout
    );
    let out2 = dir.0.join("out2.yaml");
    let export = run_on(
        &db,
        &["hall", "export"],
        &["DL-XH", "--to", &out2.display().to_string()],
        "",
    );
    assert_eq!(export.code, 0, "{}", export.stderr);
    let back = file::parse(&std::fs::read_to_string(&out2).unwrap()).unwrap();
    assert_eq!(back.catalogue.as_deref(), Some("dl-xh.catalogue.yaml"));
    let beside = std::fs::read_to_string(dir.0.join("dl-xh.catalogue.yaml")).unwrap();
    assert!(beside.contains("\nhall: DL-XH\n"), "{beside}");
    // A missing catalogue file refuses the import before anything is written.
    std::fs::write(&path, format!("{HALL}catalogue: gone.catalogue.yaml\n")).unwrap();
    let missing = run_on(&db, &["hall", "import"], &[&file], "");
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing.stderr.contains("gone.catalogue.yaml"),
        "{}",
        missing.stderr
    );

    // A bad file names every line and field, and changes nothing (not even the name).
    let bad = HALL
        .replace("name: 国网大连供电公司星海营业厅", "name: 改名")
        .replace("    primary: [new]", "    primary: [repair]")
        .replace("role: hall_manager", "role: admin");
    std::fs::write(&path, bad).unwrap();
    let refused = run_on(&db, &["hall", "import"], &[&file], "");
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    for part in [
        "nothing was imported",
        "第 28 行 line 28, counters[1].primary[0]: 没有业务类型 repair",
        "staff[1].role",
    ] {
        assert!(refused.stderr.contains(part), "{part}: {}", refused.stderr);
    }
    assert_eq!(
        store.hall_by_code("DL-XH").await.unwrap().name,
        "国网大连供电公司星海营业厅"
    );

    // A username of another hall refuses the whole file in the store's transaction.
    let other = HALL
        .replace("code: DL-XH", "code: DL-ZS")
        .replace("badge_no: XH001", "badge_no: ZS001");
    std::fs::write(&path, other).unwrap();
    let clash = run_on(&db, &["hall", "import"], &[&file], "");
    assert_eq!(clash.code, 1, "{}", clash.stderr);
    assert!(clash.stderr.contains("xh_clerk1"), "{}", clash.stderr);
    assert!(
        store.hall_by_code("DL-ZS").await.is_err(),
        "no half-imported hall"
    );
    store.pool().close().await;
}

on_both!(a_hall_file_imports_once_exports_the_same_and_bad_files_change_nothing);
