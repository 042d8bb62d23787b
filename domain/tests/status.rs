//! The dialog status machine and the wire rules that go with it.

use domain::api::{
    self, CommentError, DialogDetail, DialogSummary, ListQuery, MAX_COMMENT_CHARS, SortOrder,
    validate_comment,
};
use domain::status::{
    CloseReason, DEFAULT_AUTO_CLOSE_MS, DialogEvent, DialogStatus, Resolve, ResolveReason,
    TransitionError, auto_close_at,
};

fn resolve(rating: u8) -> DialogEvent {
    DialogEvent::Resolve(Resolve {
        rating,
        reasons: vec![],
    })
}

#[test]
fn seller_reply_keeps_waiting_and_reopens_answered() {
    let t = DialogStatus::Waiting
        .apply(&DialogEvent::SellerReply)
        .unwrap();
    assert_eq!(t.status, DialogStatus::Waiting);
    assert_eq!(t.close_reason, None);
    let t = DialogStatus::Answered
        .apply(&DialogEvent::SellerReply)
        .unwrap();
    assert_eq!(t.status, DialogStatus::Waiting);
}

#[test]
fn support_answer_moves_to_answered() {
    for from in [DialogStatus::Waiting, DialogStatus::Answered] {
        let t = from.apply(&DialogEvent::SupportAnswer).unwrap();
        assert_eq!(t.status, DialogStatus::Answered, "from {from}");
        assert!(t.status.awaiting_rating());
    }
}

#[test]
fn resolve_closes_only_answered_dialogs() {
    let t = DialogStatus::Answered.apply(&resolve(5)).unwrap();
    assert_eq!(t.status, DialogStatus::Closed);
    assert_eq!(t.close_reason, Some(CloseReason::Resolved));
    assert_eq!(
        DialogStatus::Waiting.apply(&resolve(5)),
        Err(TransitionError::NotAnswered)
    );
}

#[test]
fn rating_must_be_one_to_five() {
    for r in 1..=5 {
        assert!(
            DialogStatus::Answered.apply(&resolve(r)).is_ok(),
            "rating {r}"
        );
    }
    for r in [0, 6, 255] {
        assert_eq!(
            DialogStatus::Answered.apply(&resolve(r)),
            Err(TransitionError::InvalidRating(r))
        );
    }
}

#[test]
fn repeated_reason_is_refused() {
    let ev = DialogEvent::Resolve(Resolve {
        rating: 2,
        reasons: vec![ResolveReason::OffTopic, ResolveReason::OffTopic],
    });
    assert_eq!(
        DialogStatus::Answered.apply(&ev),
        Err(TransitionError::DuplicateReason(ResolveReason::OffTopic))
    );
    let ev = DialogEvent::Resolve(Resolve {
        rating: 2,
        reasons: ResolveReason::ALL.to_vec(),
    });
    assert!(DialogStatus::Answered.apply(&ev).is_ok());
}

#[test]
fn closed_accepts_nothing() {
    let events = [
        DialogEvent::SellerReply,
        DialogEvent::SupportAnswer,
        resolve(5),
        DialogEvent::AutoClose {
            answered_at: 0,
            now: i64::MAX,
            after_ms: 1,
        },
    ];
    for ev in &events {
        assert_eq!(
            DialogStatus::Closed.apply(ev),
            Err(TransitionError::Closed),
            "{ev:?}"
        );
    }
    assert!(!DialogStatus::Closed.accepts_messages());
}

#[test]
fn auto_close_waits_for_the_period_exactly() {
    let answered_at = 1_700_000_000_000;
    let after = DEFAULT_AUTO_CLOSE_MS;
    let ev = |now| DialogEvent::AutoClose {
        answered_at,
        now,
        after_ms: after,
    };
    assert_eq!(
        DialogStatus::Answered.apply(&ev(answered_at + after - 1)),
        Err(TransitionError::TooEarly)
    );
    let t = DialogStatus::Answered
        .apply(&ev(answered_at + after))
        .unwrap();
    assert_eq!(t.status, DialogStatus::Closed);
    assert_eq!(t.close_reason, Some(CloseReason::Auto));
    // A waiting dialog is the seller's turn done, support's turn pending: never auto-closed.
    assert_eq!(
        DialogStatus::Waiting.apply(&ev(i64::MAX)),
        Err(TransitionError::NotAnswered)
    );
}

#[test]
fn auto_close_at_saturates_and_ignores_negative_periods() {
    assert_eq!(auto_close_at(i64::MAX - 1, 10), i64::MAX);
    assert_eq!(auto_close_at(100, -5), 100);
    assert_eq!(DEFAULT_AUTO_CLOSE_MS, 259_200_000);
}

#[test]
fn wire_names_round_trip() {
    for s in DialogStatus::ALL {
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, format!("\"{}\"", s.as_str()));
        assert_eq!(DialogStatus::parse(s.as_str()), Some(s));
        assert_eq!(serde_json::from_str::<DialogStatus>(&json).unwrap(), s);
    }
    assert_eq!(
        serde_json::to_string(&ResolveReason::TemplatedAnswer).unwrap(),
        "\"templated_answer\""
    );
    assert_eq!(
        serde_json::to_string(&CloseReason::Auto).unwrap(),
        "\"auto\""
    );
    assert_eq!(DialogStatus::parse("Closed"), None);
    assert_eq!(
        DialogStatus::Answered.label_ru(),
        "Поступил ответ. Ждёт оценки"
    );
    assert_eq!(DialogStatus::Closed.label_ru(), "Завершён");
}

#[test]
fn every_error_has_a_code_and_a_russian_message() {
    let errs = [
        TransitionError::Closed,
        TransitionError::NotAnswered,
        TransitionError::TooEarly,
        TransitionError::InvalidRating(9),
        TransitionError::DuplicateReason(ResolveReason::NotSolved),
    ];
    let mut codes: Vec<&str> = errs.iter().map(|e| e.code()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), errs.len(), "codes are distinct");
    for e in errs {
        assert!(
            e.message_ru().chars().any(|c| ('а'..='я').contains(&c)),
            "{e:?}"
        );
    }
}

#[test]
fn comment_rule_trims_and_counts_characters() {
    assert_eq!(validate_comment("   \n\t "), Err(CommentError::Empty));
    assert_eq!(validate_comment(""), Err(CommentError::Empty));
    assert!(validate_comment(" Добрый день ").is_ok());
    // Cyrillic letters are two bytes each: the limit is in characters, not bytes.
    let max = "ж".repeat(MAX_COMMENT_CHARS);
    assert!(validate_comment(&format!("  {max}  ")).is_ok());
    let over = "ж".repeat(MAX_COMMENT_CHARS + 1);
    assert_eq!(
        validate_comment(&over),
        Err(CommentError::TooLong {
            chars: MAX_COMMENT_CHARS + 1
        })
    );
    let e = CommentError::Empty.to_api_error("comment");
    assert_eq!(e.code, "empty_comment");
    assert_eq!(e.field.as_deref(), Some("comment"));
}

#[test]
fn list_query_defaults_and_short_query_string() {
    let q = ListQuery::default();
    assert_eq!(q.page, 1);
    assert_eq!(q.per_page, api::DEFAULT_PER_PAGE);
    assert_eq!(q.sort, SortOrder::CreatedDesc);
    assert_eq!(q.to_query_string(), "");
    let q = ListQuery {
        status: Some(DialogStatus::Answered),
        q: Some("штраф 2 000&x=1".into()),
        sort: SortOrder::CreatedAsc,
        by_activity: false,
        page: 3,
        per_page: 50,
    };
    let s = q.to_query_string();
    assert!(s.starts_with("status=answered&q=%D1%88"), "{s}");
    assert!(s.ends_with("&sort=created_asc&page=3&per_page=50"), "{s}");
    assert!(!s.contains(' ') && !s.contains("&x=1"), "{s}");
    assert_eq!(ListQuery::parse_query_string(&s), q);
    assert_eq!(ListQuery::parse_query_string(&format!("?{s}")), q);
}

#[test]
fn a_query_parameter_is_found_decoded_and_the_last_wins() {
    let qs = "?category=%D0%A2%D0%BE%D0%B2%D0%B0%D1%80%D1%8B&theme=first&theme=a+b&flag";
    assert_eq!(api::query_param(qs, "category").as_deref(), Some("Товары"));
    assert_eq!(api::query_param(qs, "theme").as_deref(), Some("a b"));
    assert_eq!(api::query_param(qs, "flag").as_deref(), Some(""));
    assert_eq!(api::query_param(qs, "missing"), None);
    assert_eq!(api::query_param("", "theme"), None);
}

#[test]
fn list_query_parsing_is_forgiving_and_clamped() {
    let q = ListQuery::parse_query_string("status=&q=+&sort=bogus&page=0&per_page=100000&zzz=1");
    assert_eq!(
        q,
        ListQuery {
            per_page: api::MAX_PER_PAGE,
            ..ListQuery::default()
        }
    );
    let q =
        ListQuery::parse_query_string("q=%D0%B2%D0%BE%D0%B7%D0%B2%D1%80%D0%B0%D1%82+FBS&page=x");
    assert_eq!(q.q.as_deref(), Some("возврат FBS"));
    assert_eq!(q.page, 1);
    // Broken escapes are kept as text instead of failing.
    let q = ListQuery::parse_query_string("q=100%25%zz%");
    assert_eq!(q.q.as_deref(), Some("100%%zz%"));
    assert_eq!(
        ListQuery::parse_query_string("page=3&per_page=10").offset(),
        20
    );
}

#[test]
fn detail_flattens_the_summary_fields() {
    let summary = DialogSummary {
        id: 13718172,
        status: DialogStatus::Answered,
        category_id: "returns".into(),
        theme_id: "returns.requests".into(),
        category_name: "Возвраты".into(),
        theme_name: "Вопросы по уже оформленным заявкам на возврат".into(),
        created_at: 1,
        updated_at: 2,
        closes_at: Some(3),
        awaiting_rating: true,
    };
    let detail = DialogDetail {
        summary,
        messages: vec![],
        resolution: None,
    };
    let v = serde_json::to_value(&detail).unwrap();
    assert_eq!(v["id"], 13718172);
    assert_eq!(v["status"], "answered");
    assert_eq!(v["closes_at"], 3);
    assert!(v.get("summary").is_none());
    let back: DialogDetail = serde_json::from_value(v).unwrap();
    assert_eq!(back, detail);
}

#[test]
fn api_error_omits_absent_field() {
    let e = api::ApiError::new("not_found", "Диалог не найден.");
    assert_eq!(
        serde_json::to_string(&e).unwrap(),
        r#"{"code":"not_found","message":"Диалог не найден."}"#
    );
}

#[test]
fn strict_list_query_names_the_bad_parameter() {
    let field = |s: &str| {
        ListQuery::try_parse_query_string(s)
            .err()
            .and_then(|e| e.field)
    };
    assert_eq!(field("status=AAA").as_deref(), Some("status"));
    assert_eq!(field("sort=newest").as_deref(), Some("sort"));
    assert_eq!(field("page=-1").as_deref(), Some("page"));
    assert_eq!(field("per_page=1e3").as_deref(), Some("per_page"));
    assert_eq!(field("page=0").as_deref(), Some("page"));
    assert_eq!(field("page=2147483648").as_deref(), Some("page"));
    assert_eq!(field("per_page=0").as_deref(), Some("per_page"));
    assert_eq!(field("per_page=101").as_deref(), Some("per_page"));
    assert_eq!(field("status=").as_deref(), Some("status"));
    assert_eq!(field("per_page=").as_deref(), Some("per_page"));
    // A blank search and unknown keys are not errors; the bounds themselves are fine.
    let q = ListQuery::try_parse_query_string("q=&zzz=1&page=2147483647&per_page=100").unwrap();
    assert_eq!(
        q,
        ListQuery {
            page: api::MAX_PAGE,
            per_page: api::MAX_PER_PAGE,
            ..ListQuery::default()
        }
    );
    // The forgiving parse clamps the same values instead.
    let q = ListQuery::parse_query_string("page=0&per_page=99999999999");
    assert_eq!((q.page, q.per_page), (1, api::MAX_PER_PAGE));
    let q = ListQuery::try_parse_query_string("status=closed&sort=created_asc&page=2").unwrap();
    assert_eq!(q.status, Some(DialogStatus::Closed));
    assert_eq!(q.sort, SortOrder::CreatedAsc);
    assert_eq!(q.page, 2);
}

#[test]
fn control_characters_are_removed_from_the_search() {
    let q = ListQuery::parse_query_string("q=%00%D0%B0%07b%0A");
    assert_eq!(q.q.as_deref(), Some("аb"));
    assert_eq!(ListQuery::parse_query_string("q=%00%01").q, None);
}

#[test]
fn every_transition_error_code_has_english_words_and_other_codes_have_none() {
    let all = [
        TransitionError::Closed,
        TransitionError::NotAnswered,
        TransitionError::TooEarly,
        TransitionError::InvalidRating(9),
        TransitionError::DuplicateReason(ResolveReason::OffTopic),
    ];
    for e in all {
        let text = TransitionError::message_en_for_code(e.code())
            .unwrap_or_else(|| panic!("no English words for {}", e.code()));
        assert!(text.is_ascii(), "{text}");
    }
    // The code does not carry the rating or the reason, so the words name neither.
    assert_eq!(
        TransitionError::message_en_for_code("invalid_rating").as_deref(),
        Some("The rating must be from 1 to 5.")
    );
    assert_eq!(
        TransitionError::message_en_for_code("duplicate_reason").as_deref(),
        Some("The same reason is given twice.")
    );
    assert_eq!(
        TransitionError::message_en_for_code("dialog_closed"),
        Some(TransitionError::Closed.message_en())
    );
    assert_eq!(TransitionError::message_en_for_code("comment_empty"), None);
    assert_eq!(TransitionError::message_en_for_code(""), None);
}
