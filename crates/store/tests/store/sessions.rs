//! Sign-in sessions and device tokens.

use crate::fixture::*;
use servicehall_domain::DeviceKind;
use servicehall_store::*;

on_both!(sessions_and_device_tokens,);

pub async fn sessions_and_device_tokens(s: SqlStore) {
    let f = fixture(&s).await;
    let st = &f.clerks[0];
    s.create_session("hash1", st.id, "csrf1", T0 + MIN)
        .await
        .unwrap();
    assert_eq!(
        s.session("hash1", T0)
            .await
            .unwrap()
            .map(|(s, c)| (s.id, c)),
        Some((st.id, "csrf1".into()))
    );
    assert!(
        s.session("hash1", T0 + 2 * MIN).await.unwrap().is_none(),
        "expired"
    );
    let e = s
        .create_device(f.hall.id, None, DeviceKind::Evaluator, "pad", "th", T0)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(m) if m.contains("counter")));
    let d = s
        .create_device(
            f.hall.id,
            Some(f.counters[0].id),
            DeviceKind::Evaluator,
            "pad",
            "th",
            T0,
        )
        .await
        .unwrap();
    assert_eq!(
        s.device_by_token("th").await.unwrap().map(|d| d.id),
        Some(d.id)
    );
    s.revoke_device(d.id).await.unwrap();
    assert!(s.device_by_token("th").await.unwrap().is_none());
    let (who, hash) = s.staff_login("clerk0").await.unwrap().unwrap();
    assert_eq!((who.id, hash.as_str()), (st.id, "x"));
    let mut off = staff_input(f.hall.id, "clerk0", "DL000");
    off.active = false;
    s.update_staff(st.id, &off).await.unwrap();
    assert!(
        s.staff_login("clerk0").await.unwrap().is_none(),
        "inactive staff cannot sign in"
    );
}
