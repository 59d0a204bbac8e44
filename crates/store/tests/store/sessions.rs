//! Sign-in sessions and device tokens.

use crate::fixture::*;
use servicehall_domain::DeviceKind;
use servicehall_store::*;

on_both!(
    sessions_and_device_tokens,
    credentials_still_valid_are_checked_in_batches,
);

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

/// The live streams' sweep: which of many sessions and device tokens still hold, read in
/// chunks (more hashes than one chunk), with expired sessions, deactivated staff and
/// revoked devices left out and unknown hashes ignored.
pub async fn credentials_still_valid_are_checked_in_batches(s: SqlStore) {
    let f = fixture(&s).await;
    let (a, b) = (&f.clerks[0], &f.clerks[1]);
    s.create_session("open", a.id, "c", T0 + MIN).await.unwrap();
    s.create_session("expired", a.id, "c", T0 - 1)
        .await
        .unwrap();
    s.create_session("b-open", b.id, "c", T0 + MIN)
        .await
        .unwrap();
    // Padding beyond one chunk, with the known hashes placed in different chunks.
    let mut hashes: Vec<String> = (0..STILL_VALID_CHUNK * 2 + 7)
        .map(|i| format!("unknown{i}"))
        .collect();
    hashes[3] = "open".into();
    hashes[STILL_VALID_CHUNK + 1] = "expired".into();
    hashes[STILL_VALID_CHUNK * 2 + 2] = "b-open".into();
    let mut valid = s.sessions_still_valid(&hashes, T0).await.unwrap();
    valid.sort();
    assert_eq!(valid, ["b-open", "open"]);
    // Deactivating a person ends their sessions; expiry is by the given time.
    let mut off = staff_input(f.hall.id, "clerk1", "DL001");
    off.active = false;
    s.update_staff(b.id, &off).await.unwrap();
    assert_eq!(s.sessions_still_valid(&hashes, T0).await.unwrap(), ["open"]);
    assert!(
        s.sessions_still_valid(&hashes, T0 + MIN)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(s.sessions_still_valid(&[], T0).await.unwrap().is_empty());

    let mut tokens = Vec::new();
    for i in 0..3 {
        let th = format!("dev{i}");
        let d = s
            .create_device(f.hall.id, None, DeviceKind::Display, "lobby", &th, T0)
            .await
            .unwrap();
        tokens.push((d.id, th));
    }
    let mut hashes: Vec<String> = (0..STILL_VALID_CHUNK + 3)
        .map(|i| format!("nodev{i}"))
        .collect();
    hashes[0] = "dev0".into();
    hashes[STILL_VALID_CHUNK] = "dev1".into();
    hashes.push("dev2".into());
    s.revoke_device(tokens[1].0).await.unwrap();
    let mut valid = s.devices_still_valid(&hashes).await.unwrap();
    valid.sort();
    assert_eq!(valid, ["dev0", "dev2"]);
    assert!(s.devices_still_valid(&[]).await.unwrap().is_empty());
}
