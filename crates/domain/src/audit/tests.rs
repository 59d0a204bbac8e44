use super::*;

fn chain_of(n: i64) -> Vec<StoredRecord> {
    let mut head = Head::empty(7);
    (1..=n)
        .map(|i| {
            let e = head.next(
                1_000 + i,
                "clerk1",
                "10.0.0.9 POST /rate",
                "rating",
                &format!("ticket {i}"),
                digest("ratings", &[("level", Some(i.to_string()))]),
            );
            let hash = e.hash();
            head = Head {
                chain: 7,
                seq: e.seq,
                hash: hash.clone(),
            };
            StoredRecord {
                id: 100 + i,
                source: SourceNow::Row {
                    table: "ratings".into(),
                    id: i,
                    digest: Some(e.digest.clone()),
                },
                entry: e,
                hash,
            }
        })
        .collect()
}

fn head_of(r: &[StoredRecord]) -> Head {
    let last = r.last().unwrap();
    Head {
        chain: 7,
        seq: last.entry.seq,
        hash: last.hash.clone(),
    }
}

#[test]
fn changing_any_field_changes_the_hash() {
    let e = Head::empty(1).next(5, "a", "o", "k", "s", "d".into());
    let base = e.hash();
    assert_eq!(base.len(), 64);
    let variants: Vec<Entry> = vec![
        Entry {
            chain: 2,
            ..e.clone()
        },
        Entry {
            seq: 2,
            ..e.clone()
        },
        Entry {
            prev_hash: "1".repeat(64),
            ..e.clone()
        },
        Entry { at: 6, ..e.clone() },
        Entry {
            actor: "b".into(),
            ..e.clone()
        },
        Entry {
            origin: "p".into(),
            ..e.clone()
        },
        Entry {
            kind: "l".into(),
            ..e.clone()
        },
        Entry {
            subject: "t".into(),
            ..e.clone()
        },
        Entry {
            digest: "e".into(),
            ..e.clone()
        },
        // Moving a character from one field to the next must not collide.
        Entry {
            actor: "ao".into(),
            origin: String::new(),
            ..e.clone()
        },
    ];
    for v in variants {
        assert_ne!(v.hash(), base, "{v:?}");
    }
    assert_eq!(e.hash(), base, "hashing is deterministic");
}

#[test]
fn digests_cover_every_field_and_null() {
    let a = digest(
        "ratings",
        &[
            ("level", Some("1".into())),
            ("reasons", Some(String::new())),
        ],
    );
    assert_ne!(
        a,
        digest(
            "ratings",
            &[
                ("level", Some("2".into())),
                ("reasons", Some(String::new()))
            ]
        )
    );
    assert_ne!(
        a,
        digest("ratings", &[("level", Some("1".into())), ("reasons", None)])
    );
    assert_ne!(
        a,
        digest(
            "tickets",
            &[
                ("level", Some("1".into())),
                ("reasons", Some(String::new()))
            ]
        )
    );
    assert_eq!(
        a,
        digest(
            "ratings",
            &[
                ("level", Some("1".into())),
                ("reasons", Some(String::new()))
            ]
        )
    );
}

#[test]
fn an_intact_chain_verifies_to_its_head() {
    let r = chain_of(5);
    let s = verify_chain(7, &r, Some(&head_of(&r))).unwrap();
    assert_eq!(s.records, 5);
    assert_eq!(s.head, head_of(&r));
    assert_eq!(verify_chain(7, &[], None).unwrap().head, Head::empty(7));
}

#[test]
fn an_edited_record_is_named() {
    let mut r = chain_of(5);
    r[2].entry.actor = "someone else".into();
    let b = verify_chain(7, &r, Some(&head_of(&r))).unwrap_err();
    assert_eq!(
        (b.kind, b.table.as_str(), b.id, b.seq, b.chain),
        (BreakKind::Edited, "audit_records", 103, 3, 7)
    );
    assert!(
        b.describe()
            .starts_with("记录被改动 · record edited: audit_records #103"),
        "{}",
        b.describe()
    );
}

#[test]
fn a_deleted_record_is_named_by_its_missing_seq() {
    let mut r = chain_of(5);
    let h = head_of(&r);
    r.remove(1);
    let b = verify_chain(7, &r, Some(&h)).unwrap_err();
    assert_eq!((b.kind, b.seq, b.id), (BreakKind::Deleted, 2, 103));
}

#[test]
fn deleting_the_last_records_breaks_the_head() {
    let mut r = chain_of(5);
    let h = head_of(&r);
    r.truncate(3);
    let b = verify_chain(7, &r, Some(&h)).unwrap_err();
    assert_eq!((b.kind, b.seq), (BreakKind::HeadMismatch, 4));
}

#[test]
fn an_inserted_record_with_a_recomputed_hash_is_caught_by_its_link() {
    let mut r = chain_of(5);
    let h = head_of(&r);
    // A forger renumbers record 3 onward and puts a record in front of it whose hash is
    // right for its own fields but which points at the genesis.
    let forged = Head::empty(7).next(1_002, "x", "y", "rating", "forged", "d".into());
    let mut forged = Entry { seq: 3, ..forged };
    forged.prev_hash = "f".repeat(64);
    let hash = forged.hash();
    r.insert(
        2,
        StoredRecord {
            id: 999,
            entry: forged,
            hash,
            source: SourceNow::None,
        },
    );
    let b = verify_chain(7, &r, Some(&h)).unwrap_err();
    assert_eq!((b.kind, b.id, b.seq), (BreakKind::Inserted, 999, 3));
}

#[test]
fn a_record_appended_past_the_head_is_an_insertion() {
    let r = chain_of(4);
    let h = Head {
        chain: 7,
        seq: 3,
        hash: r[2].hash.clone(),
    };
    let b = verify_chain(7, &r, Some(&h)).unwrap_err();
    assert_eq!((b.kind, b.id, b.seq), (BreakKind::Inserted, 104, 4));
}

#[test]
fn an_edited_or_deleted_source_row_is_named() {
    let mut r = chain_of(4);
    let h = head_of(&r);
    r[1].source = SourceNow::Row {
        table: "ratings".into(),
        id: 2,
        digest: Some("0".repeat(64)),
    };
    let b = verify_chain(7, &r, Some(&h)).unwrap_err();
    assert_eq!(
        (b.kind, b.table.as_str(), b.id, b.at),
        (BreakKind::SourceEdited, "ratings", 2, Some(1_002))
    );
    r[1].source = SourceNow::Row {
        table: "ratings".into(),
        id: 2,
        digest: None,
    };
    assert_eq!(
        verify_chain(7, &r, Some(&h)).unwrap_err().kind,
        BreakKind::SourceDeleted
    );
}

#[test]
fn a_sealed_batch_names_the_row_that_changed() {
    let rows = vec![
        SealedRow {
            id: 10,
            digest: "a".into(),
        },
        SealedRow {
            id: 12,
            digest: "b".into(),
        },
        SealedRow {
            id: 15,
            digest: "c".into(),
        },
    ];
    let kept = seal_list(&rows);
    let e = Head::empty(3).next(
        50,
        "system",
        "sealer",
        "events.sealed",
        "hall_events 10–15",
        seal_digest(&kept),
    );
    let hash = e.hash();
    let rec = |now: Vec<SealedRow>| StoredRecord {
        id: 1,
        entry: e.clone(),
        hash: hash.clone(),
        source: SourceNow::Sealed {
            table: "hall_events".into(),
            kept: kept.clone(),
            now,
        },
    };
    assert!(verify_chain(3, &[rec(rows.clone())], None).is_ok());
    let mut edited = rows.clone();
    edited[1].digest = "x".into();
    let b = verify_chain(3, &[rec(edited)], None).unwrap_err();
    assert_eq!(
        (b.kind, b.table.as_str(), b.id),
        (BreakKind::SourceEdited, "hall_events", 12)
    );
    let deleted = vec![rows[0].clone(), rows[2].clone()];
    assert_eq!(
        first_seal_difference(&kept, &deleted),
        (BreakKind::SourceDeleted, 12)
    );
    let mut inserted = rows.clone();
    inserted.insert(
        1,
        SealedRow {
            id: 11,
            digest: "z".into(),
        },
    );
    assert_eq!(
        first_seal_difference(&kept, &inserted),
        (BreakKind::SourceInserted, 11)
    );
    // The kept list itself edited: that is the audit row changed.
    let mut r = rec(rows);
    r.source = SourceNow::Sealed {
        table: "hall_events".into(),
        kept: kept.replace("=b", "=q"),
        now: vec![],
    };
    assert_eq!(
        verify_chain(3, &[r], None).unwrap_err().kind,
        BreakKind::Edited
    );
}

#[test]
fn pins_round_trip_and_bad_ones_are_refused() {
    let h = Head {
        chain: 4,
        seq: 12,
        hash: "ab".repeat(32),
    };
    assert_eq!(Head::parse_pin(&h.pin()).unwrap(), h);
    assert_eq!(
        Head::parse_pin("4:12:ABABABABABAB").unwrap().hash,
        "abababababab"
    );
    for bad in [
        "",
        "4:12",
        "x:1:abababababab",
        "4:12:abc",
        "4:12:zzzzzzzzzzzzzz",
    ] {
        let e = Head::parse_pin(bad).unwrap_err();
        assert!(e.starts_with("链头格式"), "{e}");
    }
}
