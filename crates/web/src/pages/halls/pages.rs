//! The administrator's pages: what they show, and a rejected form put back in its place.

use super::above_halls;
use super::forms::*;
use super::people_forms::*;
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::Chrome;
use askama::Template;
use servicehall_domain::Role;
use servicehall_domain::time::{local, parse_tz};
use servicehall_store::{BusinessType, Counter, CounterStatus, Device, Hall, Staff};

const TITLE: &str = "管理 Admin";

/// A form the store or the checks rejected, with what was typed and why.
pub enum Failed {
    None,
    Hall(HallForm, String),
    NewBt(BtForm, String),
    Bt(i64, BtForm, String),
    NewCounter(CounterForm, String),
    Counter(i64, CounterForm, String),
    NewStaff(StaffForm, String),
    Staff(i64, StaffForm, String),
    Password(i64, String),
    NewDevice(DeviceForm, String),
}

pub struct HallLine {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub address: String,
    pub phone: String,
    pub hours: String,
    pub timezone: String,
    /// When an edge runs the hall: online or offline, last shipment.
    pub edge: Option<crate::edge::view::EdgeHallView>,
}

pub struct BtRow {
    pub bt: BusinessType,
    pub wait: String,
    pub handling: String,
    pub form: BtForm,
    pub error: String,
}

pub struct CounterRow {
    pub c: Counter,
    pub primary: String,
    pub secondary: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub clerk: String,
    pub form: CounterForm,
    pub error: String,
}

pub struct StaffRow {
    pub s: Staff,
    pub role_label: &'static str,
    pub form: StaffForm,
    pub roles: Vec<Opt>,
    pub editable: bool,
    pub error: String,
    pub pw_error: String,
    /// The photo's thumbnail URL, or empty when no photo is set.
    pub thumb: String,
}

pub struct DeviceRow {
    pub d: Device,
    pub kind_label: &'static str,
    pub counter: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "halls/admin.html")]
pub struct OverviewPage {
    pub chrome: Chrome,
    pub ok: String,
    pub halls: Vec<HallLine>,
    pub can_create: bool,
    pub hall_form: HallForm,
    pub hall_error: String,
    /// Staff above halls (administrators and supervisors), for administrators.
    pub show_staff: bool,
    pub staff_action: String,
    pub staff_rows: Vec<StaffRow>,
    pub staff_new: StaffForm,
    pub staff_roles: Vec<Opt>,
    pub staff_error: String,
    /// A year whose holiday schedule should be imported now (see `calendar_admin`).
    pub calendar_due: Option<i32>,
}

#[derive(Template)]
#[template(path = "halls/hall.html")]
pub struct HallPage {
    pub chrome: Chrome,
    pub ok: String,
    pub hall: Hall,
    pub hall_form: HallForm,
    pub hall_error: String,
    pub bt_rows: Vec<BtRow>,
    pub bt_new: BtForm,
    pub bt_error: String,
    pub counter_rows: Vec<CounterRow>,
    pub counter_new: CounterForm,
    pub counter_error: String,
    pub has_bts: bool,
    pub staff_action: String,
    pub staff_rows: Vec<StaffRow>,
    pub staff_new: StaffForm,
    pub staff_roles: Vec<Opt>,
    pub staff_error: String,
    pub device_rows: Vec<DeviceRow>,
    pub device_new: DeviceForm,
    pub device_kinds: Vec<Opt>,
    pub device_error: String,
    pub counter_numbers: Vec<i64>,
}

#[derive(Template)]
#[template(path = "halls/device_token.html")]
pub struct DeviceTokenPage {
    pub chrome: Chrome,
    pub hall: Hall,
    pub device: Device,
    pub kind_label: &'static str,
    pub counter: String,
    pub token: String,
    pub pair_url: String,
}

impl DeviceTokenPage {
    pub fn new(
        caller: &Caller,
        hall: Hall,
        device: Device,
        counter: Option<i64>,
        token: String,
    ) -> Self {
        Self {
            chrome: Chrome::staff(TITLE, "/admin", Some(caller)),
            kind_label: device.kind.label_zh(),
            counter: counter.map(|n| format!("{n} 号柜台")).unwrap_or_default(),
            pair_url: format!("/device/pair?token={token}"),
            hall,
            device,
            token,
        }
    }
}

/// Staff sections: the roles this caller may give, in a hall or above halls.
fn assignable(caller: &Caller, in_hall: bool) -> Vec<Role> {
    match (in_hall, above_halls(caller)) {
        (false, _) => vec![Role::Admin, Role::Supervisor],
        (true, true) => Role::ALL.to_vec(),
        (true, false) => vec![Role::HallManager, Role::Clerk, Role::Guide],
    }
}

/// Staff rows and the create form, with a rejected staff form put back.
fn staff_section(
    caller: &Caller,
    staff: Vec<Staff>,
    in_hall: bool,
    failed: &mut Failed,
) -> (Vec<StaffRow>, StaffForm, Vec<Opt>, String) {
    let roles = assignable(caller, in_hall);
    let mut new_form = StaffForm::blank();
    if !in_hall {
        new_form.role = Role::Supervisor.as_str().into();
    }
    let mut new_error = String::new();
    match std::mem::replace(failed, Failed::None) {
        Failed::NewStaff(f, e) => (new_form, new_error) = (f, e),
        other => *failed = other,
    }
    let rows = staff
        .into_iter()
        .map(|s| {
            let mut form = StaffForm::of(&s);
            let (mut error, mut pw_error) = (String::new(), String::new());
            match failed {
                Failed::Staff(id, f, e) if *id == s.id => {
                    form = f.clone();
                    error = e.clone();
                }
                Failed::Password(id, e) if *id == s.id => pw_error = e.clone(),
                _ => {}
            }
            let editable = above_halls(caller) || !matches!(s.role, Role::Admin | Role::Supervisor);
            // Someone's own current role stays choosable even when outside the usual list.
            let mut row_roles = roles.clone();
            if !row_roles.contains(&s.role) {
                row_roles.push(s.role);
            }
            // A photo set here has a thumbnail beside it (`api::halls::photos`).
            let thumb = if s.photo.starts_with("/api/v1/staff/") {
                format!("{}&size=thumb", s.photo)
            } else {
                s.photo.clone()
            };
            StaffRow {
                thumb,
                role_label: s.role.label_zh(),
                roles: form.role_options(&row_roles),
                form,
                editable,
                error,
                pw_error,
                s,
            }
        })
        .collect();
    let options = new_form.role_options(&roles);
    (rows, new_form, options, new_error)
}

fn hall_line(h: &Hall) -> HallLine {
    HallLine {
        id: h.id,
        code: h.code.clone(),
        name: h.name.clone(),
        name_en: h.name_en.clone(),
        address: h.address.clone(),
        phone: h.phone.clone(),
        hours: format!("{}–{}", h.opens, h.closes),
        timezone: h.timezone.clone(),
        edge: None,
    }
}

pub async fn overview_page(
    s: &AppState,
    caller: &Caller,
    ok: String,
    mut failed: Failed,
) -> Result<OverviewPage, PageError> {
    let halls = crate::scope::visible_halls(s, &caller.actor).await?;
    let top = above_halls(caller);
    let (mut hall_form, mut hall_error) = (HallForm::blank(), String::new());
    match std::mem::replace(&mut failed, Failed::None) {
        Failed::Hall(f, e) => (hall_form, hall_error) = (f, e),
        other => failed = other,
    }
    let staff = if top {
        s.store
            .staff_list(None)
            .await?
            .into_iter()
            .filter(|p| p.hall_id.is_none())
            .collect()
    } else {
        Vec::new()
    };
    let (staff_rows, staff_new, staff_roles, staff_error) =
        staff_section(caller, staff, false, &mut failed);
    Ok(OverviewPage {
        chrome: Chrome::staff(TITLE, "/admin", Some(caller)),
        ok,
        halls: with_edges(s, halls.iter().map(hall_line).collect()).await?,
        can_create: top,
        hall_form,
        hall_error,
        show_staff: top,
        staff_action: "/admin/staff".into(),
        staff_rows,
        staff_new,
        staff_roles,
        staff_error,
        calendar_due: if top {
            crate::pages::calendar::schedule_due(s).await?
        } else {
            None
        },
    })
}

/// The hall list's lines with the state of the halls an edge runs (在线 / 离线).
async fn with_edges(s: &AppState, mut lines: Vec<HallLine>) -> Result<Vec<HallLine>, PageError> {
    let now = s.now();
    for e in s.store.edge_halls().await? {
        if let Some(l) = lines.iter_mut().find(|l| l.id == e.hall_id) {
            l.edge = Some(crate::edge::view::EdgeHallView::new(&e, now));
        }
    }
    Ok(lines)
}

fn names(ids: &[i64], bts: &[BusinessType]) -> String {
    let list: Vec<String> = ids
        .iter()
        .map(|id| {
            bts.iter()
                .find(|b| b.id == *id)
                .map(|b| format!("{} {}", b.prefix, b.name_zh))
                .unwrap_or_else(|| format!("#{id}"))
        })
        .collect();
    if list.is_empty() {
        "—".into()
    } else {
        list.join("、")
    }
}

fn status_class(st: CounterStatus) -> &'static str {
    match st {
        CounterStatus::Open => "green",
        CounterStatus::Paused => "paused",
        CounterStatus::Closed => "closed",
    }
}

pub async fn hall_page(
    s: &AppState,
    caller: &Caller,
    hall: Hall,
    ok: String,
    mut failed: Failed,
) -> Result<HallPage, PageError> {
    let id = hall.id;
    let bts = s.store.business_types(id).await?;
    let counters = s.store.counters(id).await?;
    let staff = s.store.staff_list(Some(id)).await?;
    let devices = s.store.devices(id).await?;

    let mut hall_form = HallForm::of(&hall);
    let mut hall_error = String::new();
    let next_sort = bts.iter().map(|b| b.sort_order).max().unwrap_or(0) + 10;
    let mut bt_new = BtForm::blank(next_sort);
    let mut bt_error = String::new();
    let next_number = counters.iter().map(|c| c.number).max().unwrap_or(0) + 1;
    let mut counter_new = CounterForm::blank(&bts, next_number);
    let mut counter_error = String::new();
    let mut device_new = DeviceForm::blank();
    let mut device_error = String::new();
    match std::mem::replace(&mut failed, Failed::None) {
        Failed::Hall(f, e) => (hall_form, hall_error) = (f, e),
        Failed::NewBt(f, e) => (bt_new, bt_error) = (f, e),
        Failed::NewCounter(f, e) => (counter_new, counter_error) = (f, e),
        Failed::NewDevice(f, e) => (device_new, device_error) = (f, e),
        other => failed = other,
    }

    let bt_rows = bts
        .iter()
        .map(|b| {
            let (form, error) = match &failed {
                Failed::Bt(bid, f, e) if *bid == b.id => (f.clone(), e.clone()),
                _ => (BtForm::of(b), String::new()),
            };
            BtRow {
                bt: b.clone(),
                wait: seconds_to_minutes(b.target_wait_s),
                handling: seconds_to_minutes(b.target_handling_s),
                form,
                error,
            }
        })
        .collect();
    let counter_rows = counters
        .iter()
        .map(|c| {
            let (form, error) = match &failed {
                Failed::Counter(cid, f, e) if *cid == c.id => (f.clone(), e.clone()),
                _ => (CounterForm::of(c, &bts), String::new()),
            };
            CounterRow {
                c: c.clone(),
                primary: names(&c.primary, &bts),
                secondary: names(&c.secondary, &bts),
                status: c.status.label_zh(),
                status_class: status_class(c.status),
                clerk: c
                    .clerk
                    .as_ref()
                    .map(|o| format!("{} · {}", o.name, o.badge_no))
                    .unwrap_or_else(|| "—".into()),
                form,
                error,
            }
        })
        .collect();
    let (staff_rows, staff_new, staff_roles, staff_error) =
        staff_section(caller, staff, true, &mut failed);
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let device_rows = devices
        .into_iter()
        .map(|d| DeviceRow {
            kind_label: d.kind.label_zh(),
            counter: d
                .counter_id
                .and_then(|cid| counters.iter().find(|c| c.id == cid))
                .map(|c| format!("{} 号", c.number))
                .unwrap_or_else(|| "—".into()),
            created: local(d.created_at, tz).format("%Y-%m-%d %H:%M").to_string(),
            d,
        })
        .collect();
    Ok(HallPage {
        chrome: Chrome::staff(TITLE, "/admin", Some(caller)),
        ok,
        has_bts: !bts.is_empty(),
        counter_numbers: counters.iter().map(|c| c.number).collect(),
        device_kinds: device_new.kind_options(),
        staff_action: format!("/admin/halls/{id}/staff"),
        hall,
        hall_form,
        hall_error,
        bt_rows,
        bt_new,
        bt_error,
        counter_rows,
        counter_new,
        counter_error,
        staff_rows,
        staff_new,
        staff_roles,
        staff_error,
        device_rows,
        device_new,
        device_error,
    })
}
