//! The concrete request each operation of the role matrix sends: its path with the
//! target hall's objects filled in, and a body that passes validation, so only the role
//! decides the answer.

use super::world::*;
use super::*;
use crate::common::PASSWORD;
use serde_json::json;

/// The concrete request for `method path` against target `t`.
pub(super) fn request(method: &str, path: &str, t: &Target, w: &World) -> Req {
    let id = if path.starts_with("/api/v1/cases/") && path.ends_with("/handover/accept") {
        t.handover_case
    } else if path.starts_with("/api/v1/cases/") {
        t.case
    } else if path.starts_with("/api/v1/tickets/") {
        t.ticket
    } else if path.starts_with("/api/v1/observations/") {
        t.observation
    } else if path.starts_with("/api/v1/inspection-templates/") {
        t.inspection_template
    } else if path.starts_with("/api/v1/inspections/") {
        t.inspection
    } else if path.starts_with("/api/v1/layouts/") {
        t.layout
    } else if path.starts_with("/api/v1/layout-walks/") {
        t.layout_walk
    } else if path.starts_with("/api/v1/rectifications/") {
        t.rectification
    } else if path.starts_with("/api/v1/inspection-photos/") {
        t.photo
    } else if path.starts_with("/api/v1/incidents/") {
        t.incident
    } else if path.starts_with("/api/v1/manual-entries/") {
        t.manual_entry
    } else if path.starts_with("/api/v1/risks/") {
        t.risk
    } else if path.starts_with("/api/v1/customers/") {
        t.customer
    } else if path.starts_with("/api/v1/standards/") {
        t.standard
    } else if path.starts_with("/api/v1/standard-versions/") {
        t.version
    } else if path.starts_with("/api/v1/feedback/flags/") {
        t.flag
    } else if path.starts_with("/api/v1/halls/") {
        t.hall_id
    } else if path.starts_with("/api/v1/regions/") {
        w.spare_region
    } else if path.starts_with("/api/v1/staff/") {
        w.region_supervisor
    } else if path.starts_with("/api/v1/surveys/") {
        w.survey
    } else {
        -1
    };
    let action = if path.starts_with("/api/v1/counters/") {
        "pause"
    } else if path.starts_with("/api/v1/tickets/") {
        "recall"
    } else {
        "pause" // a case clock
    };
    let code = if path.starts_with("/api/v1/public/tickets/") {
        t.ticket_code.clone()
    } else {
        "contact".into() // a case step
    };
    let mut url = path
        .replace("{hall}", &t.code)
        .replace("{counter}", &t.counter.to_string())
        .replace("{staff}", &t.worker.to_string())
        .replace("{doc}", &t.document.to_string())
        .replace("{year}", "2099")
        .replace("{token}", &t.survey_token)
        .replace("{number}", &t.case_number)
        .replace("{clock}", "contact.contact")
        .replace("{action}", action)
        .replace("{code}", &code)
        .replace("{item}", "door")
        .replace("{case}", &id.to_string())
        .replace("{step}", "triage")
        .replace("{purpose}", "outage_notice")
        .replace("{region}", &t.region.to_string())
        .replace("{id}", &id.to_string());
    url.push_str(&match path {
        "/api/v1/insight/satisfaction"
        | "/api/v1/insight/curve"
        | "/api/v1/insight/observations" => {
            format!("?halls={}", t.code)
        }
        "/api/v1/calendar/is-workday" => "?date=2026-02-14".into(),
        "/api/v1/reports/monthly" => format!("?hall={}&month=2026-01", t.code),
        "/api/v1/calendar/add" => "?from=2026-02-14T09:00:00%2B08:00&working_days=3".into(),
        "/api/v1/calendar/between" => {
            "?from=2026-02-14T09:00:00%2B08:00&to=2026-02-24T09:00:00%2B08:00".into()
        }
        "/api/v1/halls/{hall}/search" => "?q=交接".into(),
        "/api/v1/halls/{hall}/cases" if method == "get" => "?view=open".into(),
        "/api/v1/public/cases/{number}" => "?phone4=1111".into(),
        "/api/v1/feedback/imports" if method == "post" => "?source=survey&file_name=m.csv".into(),
        _ => String::new(),
    });
    let j = |v: Value| Body::Json(v);
    let body = match (method, path) {
        ("post", "/api/v1/session") => j(json!({"username": "guide", "password": PASSWORD})),
        ("post", "/api/v1/halls/{hall}/tickets") => j(json!({"business_type": "payment"})),
        ("post", "/api/v1/counters/{counter}/{action}") => j(json!({"reason": "午休"})),
        ("post", "/api/v1/tickets/{id}/rating") => j(json!({"level": 5})),
        ("post", "/api/v1/halls/{hall}/cases") => j(complaint("王五")),
        ("post", "/api/v1/cases/{id}/clocks/{clock}/{action}") => {
            j(json!({"reason": "等待客户补充资料"}))
        }
        ("post", "/api/v1/cases/{id}/documents") => j(json!({"name": "身份证"})),
        ("post", "/api/v1/cases/{id}/documents/upload") => {
            let (ct, b) = crate::http::cases::documents::multipart("id.pdf", PDF, "正面");
            Body::Raw(ct, b)
        }
        ("post", "/api/v1/cases/{id}/documents/{doc}/supersede") => {
            j(json!({"reason": "重新上传"}))
        }
        ("post", "/api/v1/cases/{id}/handover") => {
            j(json!({"to_badge": "DL002", "reason": "轮休交接"}))
        }
        ("post", "/api/v1/cases/{id}/callback") => j(json!({"reached": true, "satisfied": true})),
        ("post", "/api/v1/cases/{id}/callback/schedule") => {
            j(json!({"at": "2030-01-02 10:00", "note": "客户上午方便"}))
        }
        ("post", "/api/v1/halls/{hall}/catalogue/versions") => j(t.catalogue_entry.clone()),
        ("post", "/api/v1/halls/{hall}/catalogue/import") => {
            Body::Raw("application/yaml".into(), b"business_types: [".to_vec())
        }
        ("post", "/api/v1/halls/{hall}/notices") => {
            j(json!({"business_type": "payment", "class": "resident", "contact": "13900003333"}))
        }
        ("post", "/api/v1/halls/{hall}/visits") => j(
            json!({"business_type": "payment", "class": "resident", "contact": "13900003333", "outcome": "completed"}),
        ),
        ("post", "/api/v1/public/tickets/{code}/rating") => j(json!({"level": 5})),
        ("post", "/api/v1/feedback/imports") => Body::Raw(
            "text/csv".into(),
            "来源编号,营业厅编码,评价时间,评价等级,业务类型,触点,不满意原因,客户意见,联系电话\n"
                .as_bytes()
                .to_vec(),
        ),
        ("put", "/api/v1/halls/{hall}/feedback/settings") => j(t.feedback_settings.clone()),
        ("post", "/api/v1/feedback/flags/{id}/finding") => {
            j(json!({"finding": "dismissed", "note": "矩阵核查"}))
        }
        ("put", "/api/v1/insight/settings") => j(w.insight_settings.clone()),
        ("post", "/api/v1/halls/{hall}/observations") => {
            j(crate::http::insight::observation(t.counter, None))
        }
        ("post", "/api/v1/halls/{hall}/inspection-templates") => j(inspection_template_body()),
        ("post", "/api/v1/halls/{hall}/risks")
        | ("put", "/api/v1/risks/{id}")
        | ("post", "/api/v1/regions/{region}/risks") => j(risk_body(t.worker)),
        ("post", "/api/v1/halls/{hall}/customers") | ("put", "/api/v1/customers/{id}") => {
            j(customer_body())
        }
        ("post", "/api/v1/customers/{id}/reveal") => j(json!({"reason": "矩阵核查原因"})),
        ("post", "/api/v1/customers/{id}/consents") => {
            j(json!({"purpose": "outage_notice", "channel": "sms"}))
        }
        ("post", "/api/v1/customers/{id}/consents/{purpose}/withdraw") => j(json!({})),
        ("post", "/api/v1/halls/{hall}/customers/recognise") => j(json!({"account": "0102345678"})),
        ("put", "/api/v1/halls/{hall}/risk-matrix")
        | ("put", "/api/v1/regions/{region}/risk-matrix") => j(json!({"bands": [
            {"key": "low", "name_zh": "低", "name_en": "Low", "min_score": 1, "colour": "#d7ecd9", "review_days": 365},
            {"key": "high", "name_zh": "高", "name_en": "High", "min_score": 10, "colour": "#ffd3a8", "review_days": 90}
        ]})),
        ("post", "/api/v1/halls/{hall}/kris") => {
            j(json!({"risk": t.risk, "measure": "complaints", "amber": 1, "red": 2}))
        }
        ("post", "/api/v1/halls/{hall}/inspections") => {
            j(json!({"template": t.inspection_template, "subject": "hall"}))
        }
        ("post", "/api/v1/inspections/{id}/items/{item}") => j(json!({"result": "pass"})),
        ("put", "/api/v1/halls/{hall}/inspection-schedule") => j(json!({"pre_shift_mode": "warn",
            "pre_shift": ["08:00", "08:30"], "opening": ["08:00", "08:30"], "midday": ["12:00", "13:30"],
            "closing": ["17:30", "18:30"], "grace_min": 30})),
        ("put", "/api/v1/halls/{hall}/layout") => j(layout_body()),
        ("put", "/api/v1/layout-walks/{id}/findings/{item}") => j(json!({"finding": "in_place"})),
        ("put", "/api/v1/halls/{hall}/layout/items/{item}/photo") => j(json!({"photo": TINY_PNG})),
        ("post", "/api/v1/inspections/{id}/items/{item}/photos")
        | ("post", "/api/v1/rectifications/{case}/photos") => {
            let (ct, b) =
                crate::http::rectification::photo_form(&crate::http::rectification::png());
            Body::Raw(ct, b)
        }
        ("post", "/api/v1/rectifications/{case}/fix") => j(json!({"note": "已整改"})),
        ("post", "/api/v1/rectifications/{case}/verify") => {
            j(json!({"verdict": "reopen", "note": "矩阵核查"}))
        }
        ("post", "/api/v1/halls/{hall}/incidents") => j(json!({"kind": "medical"})),
        ("post", "/api/v1/incidents/{id}/review") => j(json!({
            "cause": "矩阵核查",
            "actions": [{"text": "复核", "owner_id": t.worker,
                "due_at": chrono::Utc::now().timestamp_millis() + 7 * 86_400_000}]
        })),
        ("post", "/api/v1/manual-entries/{id}/back-enter") => j(json!({"back_ref": "YX0001"})),
        ("post", "/api/v1/halls/{hall}/manual-entries") => j(t.manual_body.clone()),
        ("post", "/api/v1/halls/{hall}/standards") => j(
            json!({"category": "hall_rules", "title": "矩阵制度", "body": "一、", "audience": ["clerk"]}),
        ),
        ("put", "/api/v1/standards/{id}/draft") => {
            j(json!({"title": "交接班制度（修订）", "body": "二、", "audience": ["clerk"]}))
        }
        ("post", "/api/v1/standards/{id}/publish") => j(json!({"effective_from": "2099-01-01"})),
        ("post", "/api/v1/calendar/years") => j(json!({"text": "not a calendar"})),
        ("post", "/api/v1/regions") => j(json!({"code": "LN-NEW", "name_zh": "新区"})),
        ("put", "/api/v1/regions/{id}") => j(json!({"code": "LN-SP", "name_zh": "备用"})),
        ("put", "/api/v1/halls/{id}/region") => j(json!({"region_id": t.region})),
        ("put", "/api/v1/staff/{id}/region") => j(json!({"region_id": w.dl_region})),
        ("post", "/api/v1/surveys") => {
            let mut b = survey_body();
            b["title"] = json!("办电体验");
            b["business_type_ids"] = json!(w.survey_business_types);
            j(b)
        }
        ("post", "/api/v1/surveys/{id}/active") => j(json!({"active": true})),
        ("post", "/api/v1/public/surveys/{token}") => j(json!({"values": {"wait": 4, "nps": 9}})),
        ("put", "/api/v1/halls/{hall}/staff/{staff}/photo") => j(json!({"photo": TINY_PNG})),
        ("put", "/api/v1/halls/{hall}/case-config/settings") => j(t.case_settings.clone()),
        ("put", "/api/v1/halls/{hall}/case-config/process") => {
            j(json!({"kind": "complaint", "process": t.complaint_process}))
        }
        ("put", "/api/v1/regions/{id}/scorecard-schemes/{level}") => {
            j(json!({"lines": [], "deduction_per_violation": 2, "deduction_cap": 10}))
        }
        ("post", "/api/v1/halls/{hall}/appeals") => {
            j(json!({"month": "2026-01", "reason": "矩阵"}))
        }
        ("post", "/api/v1/appeals/{id}/decide") => j(json!({"accept": false, "reason": "矩阵"})),
        ("post", "/api/v1/halls/{hall}/appeals/{id}/evidence") => {
            let (ct, b) = crate::http::cases::documents::multipart("e.pdf", PDF, "");
            Body::Raw(ct, b)
        }
        ("post", "/api/v1/halls/{hall}/appointments") => j(
            json!({"business_type": "payment", "date": "2099-01-05", "time": "10:00", "phone": "13900005555"}),
        ),
        ("put", "/api/v1/halls/{hall}/appointment-settings") => j(json!({"enabled": true,
            "bookable_share_pct": 30, "manual_capacity": null, "grace_min": 10, "no_show_limit": 3,
            "days_ahead": 7})),
        ("post", "/api/v1/public/halls/{hall}/verify-phone") => j(json!({"phone": "13900005555"})),
        ("post", "/api/v1/public/halls/{hall}/appointments") => {
            j(json!({"business_type": "payment",
            "date": "2099-01-05", "time": "10:00", "phone": "13900005555", "phone_code": "000000"}))
        }
        ("put", "/api/v1/public/appointments/{code}") => {
            j(json!({"date": "2099-01-05", "time": "10:00"}))
        }
        _ => Body::None,
    };
    Req { url, body }
}
