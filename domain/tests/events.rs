//! The event stream's replay rule, kinds and the list's new query and create fields.

use domain::api::{ListQuery, SortOrder, codes, parse_follows};
use domain::events::{EventKind, ResyncReason, StreamStart, stream_start};

#[test]
fn no_id_is_live_and_an_own_kept_id_replays() {
    assert_eq!(stream_start(None, 0, |_| false), StreamStart::Live);
    assert_eq!(stream_start(Some("  "), 5, |_| false), StreamStart::Live);
    assert_eq!(
        stream_start(Some("42"), 10, |id| id == 42),
        StreamStart::Replay { after: 42 }
    );
    // The floor itself was seen by the client: everything after it is kept.
    assert_eq!(
        stream_start(Some("10"), 10, |_| false),
        StreamStart::Replay { after: 10 }
    );
    // Nothing pruned yet: 0 means "before all of mine".
    assert_eq!(
        stream_start(Some("0"), 0, |_| false),
        StreamStart::Replay { after: 0 }
    );
}

#[test]
fn pruned_foreign_and_garbage_ids_resync() {
    assert_eq!(
        stream_start(Some("3"), 10, |_| true),
        StreamStart::Resync(ResyncReason::TooOld)
    );
    assert_eq!(
        stream_start(Some("42"), 10, |_| false),
        StreamStart::Resync(ResyncReason::Unknown)
    );
    for bad in ["-1", "abc", "1e3", "99999999999999999999999", "4 2"] {
        assert_eq!(
            stream_start(Some(bad), 0, |_| true),
            StreamStart::Resync(ResyncReason::Unknown),
            "{bad}"
        );
    }
}

#[test]
fn stored_kinds_round_trip_and_connection_kinds_are_not_stored() {
    for k in EventKind::STORED {
        assert_eq!(EventKind::parse(k.as_str()), Some(k));
    }
    assert_eq!(EventKind::parse("ready"), None);
    assert_eq!(EventKind::parse("resync"), None);
}

#[test]
fn activity_sort_parses_prints_and_is_not_the_default() {
    let q = ListQuery::try_parse_query_string("sort=activity_desc").expect("valid");
    assert!(q.by_activity);
    assert_eq!(q.to_query_string(), "sort=activity_desc");
    // The last `sort` wins, as for every parameter.
    let q =
        ListQuery::try_parse_query_string("sort=activity_desc&sort=created_asc").expect("valid");
    assert!(!q.by_activity);
    assert_eq!(q.sort, SortOrder::CreatedAsc);
    assert!(!ListQuery::default().by_activity);
    assert_eq!(ListQuery::default().to_query_string(), "");
    assert!(ListQuery::try_parse_query_string("sort=activity_asc").is_err());
}

#[test]
fn follows_is_an_optional_dialog_number() {
    assert_eq!(parse_follows(None), Ok(None));
    assert_eq!(parse_follows(Some(" ")), Ok(None));
    assert_eq!(parse_follows(Some(" 13718172 ")), Ok(Some(13718172)));
    for bad in ["1", "+13718172", "137181721", "abc", "-13718172"] {
        let e = parse_follows(Some(bad)).expect_err(bad);
        assert_eq!(e.code, codes::INVALID);
        assert_eq!(e.field.as_deref(), Some("follows"));
    }
}
