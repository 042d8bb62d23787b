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

#[test]
fn the_old_list_and_detail_types_still_read_the_new_json() {
    use domain::api::{DialogDetail, DialogList};
    let row = serde_json::json!({
        "id": 13718172, "status": "answered", "category_id": "c", "theme_id": "t",
        "category_name": "C", "theme_name": "T", "created_at": 1, "updated_at": 2,
        "closes_at": 3, "awaiting_rating": true, "unread": 2, "last_activity_at": 2
    });
    let page = serde_json::json!({"items": [row.clone()], "total": 1, "unread_dialogs": 1});
    let old: DialogList = serde_json::from_value(page.clone()).expect("DialogList");
    assert_eq!(old.items[0].id, 13718172);
    let new: domain::api::DialogPage = serde_json::from_value(page).expect("DialogPage");
    assert_eq!(new.items[0].unread, 2);
    assert_eq!(new.items[0].summary.id, 13718172);
    let mut view = row;
    view["messages"] = serde_json::json!([]);
    view["follows"] = serde_json::json!(10000001);
    view["followed_by"] = serde_json::json!([10000002]);
    let old: DialogDetail = serde_json::from_value(view.clone()).expect("DialogDetail");
    assert_eq!(old.summary.id, 13718172);
    let new: domain::api::DialogView = serde_json::from_value(view).expect("DialogView");
    assert_eq!(new.follows, Some(10000001));
    assert_eq!(new.followed_by, vec![10000002]);
    assert_eq!(new.unread, 2);
}

#[test]
fn a_list_row_reads_back_what_it_writes_and_defaults_what_an_older_server_leaves_out() {
    use domain::api::{DialogListItem, DialogSummary};
    use domain::status::DialogStatus;
    let item = DialogListItem {
        summary: DialogSummary {
            id: 13718172,
            status: DialogStatus::Answered,
            category_id: "c".into(),
            theme_id: "t".into(),
            category_name: "C".into(),
            theme_name: "T".into(),
            created_at: 1,
            updated_at: 2,
            closes_at: Some(3),
            awaiting_rating: true,
        },
        unread: 2,
        last_activity_at: 2,
    };
    let json = serde_json::to_value(&item).expect("writes");
    assert_eq!(json["id"], 13718172);
    assert_eq!(json["unread"], 2);
    let back: DialogListItem = serde_json::from_value(json).expect("reads");
    assert_eq!(back, item);
    let older = serde_json::json!({
        "id": 13718172, "status": "waiting", "category_id": "c", "theme_id": "t",
        "category_name": "C", "theme_name": "T", "created_at": 1, "updated_at": 2,
        "awaiting_rating": false, "something_new": [1]
    });
    let row: DialogListItem = serde_json::from_value(older).expect("reads an older row");
    assert_eq!(
        (row.unread, row.last_activity_at, row.summary.closes_at),
        (0, 0, None)
    );
}
