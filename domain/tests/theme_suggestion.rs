//! The theme suggestion: ranked candidates from the catalog's own words, abstention when unsure,
//! negation, a swapped catalog, and the gentle conflict with a chosen theme.

use domain::catalog::{Catalog, Category, Fact, Theme};
use domain::comment::{CommentReport, Context, analyze, rank_themes};

fn run(text: &str) -> CommentReport {
    let catalog = Catalog::builtin();
    analyze(text, &Context::new(&catalog))
}

fn suggested(text: &str) -> Option<String> {
    run(text).suggested.map(|s| s.theme)
}

fn theme(id: &str, name: &str, keywords: &[&str], negative: &[&str]) -> Theme {
    Theme {
        id: id.to_string(),
        name: name.to_string(),
        needs: Vec::new(),
        keywords: keywords.iter().map(|k| (*k).to_string()).collect(),
        negative_keywords: negative.iter().map(|k| (*k).to_string()).collect(),
        twins: Vec::new(),
    }
}

/// A host's catalog that shares no id and no word with ours.
fn host_catalog() -> Catalog {
    Catalog {
        categories: vec![Category {
            id: "garden".to_string(),
            name: "Сад".to_string(),
            context_words: Vec::new(),
            themes: vec![
                theme(
                    "garden.seeds",
                    "Семена",
                    &["семен", "всхож", "не взошл"],
                    &[],
                ),
                theme(
                    "garden.tools",
                    "Инвентарь",
                    &["лопат", "грабл", "сломал"],
                    &["семен"],
                ),
            ],
        }],
    }
}

#[test]
fn a_host_catalog_gets_suggestions_from_its_own_words() {
    let catalog = host_catalog();
    let ctx = Context::new(&catalog);
    let r = analyze("Семена не взошли, всхожесть ноль", &ctx);
    assert_eq!(
        r.suggested.as_ref().map(|s| s.theme.as_str()),
        Some("garden.seeds")
    );
    assert_eq!(r.suggestions[0].theme, "garden.seeds");
    let r = analyze("Лопата сломалась через день", &ctx);
    assert_eq!(
        r.suggested.map(|s| s.theme).as_deref(),
        Some("garden.tools")
    );
    // Our built-in words mean nothing to the host's catalog.
    let r = analyze("Штраф за габариты в отчёте 151564", &ctx);
    assert!(r.suggested.is_none() && r.suggestions.is_empty());
}

#[test]
fn changing_a_catalogs_words_changes_the_suggestion_at_once() {
    let mut catalog = host_catalog();
    let text = "Пришла ржавая тяпка";
    assert!(analyze(text, &Context::new(&catalog)).suggested.is_none());
    catalog.categories[0].themes[1]
        .keywords
        .push("тяпк".to_string());
    let r = analyze(text, &Context::new(&catalog));
    assert_eq!(
        r.suggested.map(|s| s.theme).as_deref(),
        Some("garden.tools")
    );
}

#[test]
fn negative_keywords_point_away() {
    let catalog = host_catalog();
    // «семена» and «лопата» both occur; «семен» is a negative keyword of the tools theme.
    let ranking = rank_themes("Лопата и семена: семена не взошли", &catalog);
    assert_eq!(ranking[0].theme.id, "garden.seeds");
    // Halved: «лопат» alone would give the tools theme a full word's worth.
    let alone = rank_themes("Лопата", &catalog);
    let score = |r: &[domain::comment::ThemeScore], id: &str| {
        r.iter().find(|s| s.theme.id == id).map_or(0, |s| s.score)
    };
    assert!(score(&ranking, "garden.tools") * 2 <= score(&alone, "garden.tools"));
    assert!(score(&ranking, "garden.tools") < score(&ranking, "garden.seeds"));
}

#[test]
fn a_typo_or_a_plural_in_a_long_word_still_counts() {
    let catalog = host_catalog();
    let score = |text: &str, id: &str| {
        rank_themes(text, &catalog)
            .iter()
            .find(|s| s.theme.id == id)
            .map_or(0, |s| s.own)
    };
    let exact = score("Лопата", "garden.tools");
    assert!(exact > 0);
    // Two letters swapped, one replaced, missing, or extra (also just before the stem's last one,
    // where a plural's fleeting vowel goes).
    for text in ["Лопта", "Лопбта", "Лопсата", "Лопаота", "Слоамлась"]
    {
        assert!(score(text, "garden.tools") > 0, "{text}");
    }
    // The first three letters and the stem's last letter must be right: another word, not a typo.
    for text in ["Лапата", "Лопаса", "Лпоата", "Лоапта", "Лапота"] {
        assert_eq!(score(text, "garden.tools"), 0, "{text}");
    }
    // Short stems are matched exactly only.
    let short = Catalog {
        categories: vec![Category {
            id: "c".to_string(),
            name: "C".to_string(),
            context_words: Vec::new(),
            themes: vec![theme("c.t", "T", &["сад"], &[])],
        }],
    };
    assert!(rank_themes("сед", &short)[0].own == 0);
}

#[test]
fn transliterated_reflexive_endings_and_y_after_a_vowel_are_read() {
    let catalog = Catalog {
        categories: vec![Category {
            id: "c".to_string(),
            name: "C".to_string(),
            context_words: Vec::new(),
            themes: vec![
                theme("c.create", "Создание", &["не создается"], &[]),
                theme("c.new", "Новое", &["новый заказ"], &[]),
            ],
        }],
    };
    assert_eq!(
        rank_themes("ne sozdaetsya", &catalog)[0].theme.id,
        "c.create"
    );
    assert_eq!(rank_themes("novyy zakaz", &catalog)[0].theme.id, "c.new");
    assert!(rank_themes("novyy zakaz", &catalog)[0].own > 0);
}

#[test]
fn themes_without_keywords_are_never_suggested() {
    let mut catalog = host_catalog();
    for t in &mut catalog.categories[0].themes {
        t.keywords.clear();
    }
    let r = analyze(
        "Семена не взошли, лопата сломалась",
        &Context::new(&catalog),
    );
    assert!(r.suggested.is_none() && r.suggestions.is_empty());
}

#[test]
fn candidates_are_ranked_at_most_three_with_confidence() {
    let r = run(
        "По поставке 21573302 расхождение при приёмке: недостача 4 коробов, \
         а ещё удержали штраф и не пришла выплата",
    );
    assert!(!r.suggestions.is_empty() && r.suggestions.len() <= 3);
    let conf: Vec<f32> = r.suggestions.iter().map(|c| c.confidence).collect();
    assert!(
        conf.windows(2).all(|w| w[0] >= w[1]),
        "best first: {conf:?}"
    );
    assert!(conf.iter().all(|c| *c > 0.0 && *c < 1.0), "{conf:?}");
    assert!(conf.iter().sum::<f32>() < 1.0, "some doubt is always left");
    assert_eq!(r.suggestions[0].theme, "supply.acceptance");
}

#[test]
fn a_clear_leader_is_suggested() {
    for (text, want) in [
        (
            "По поставке 21573302 расхождение при приёмке: недостача 4 коробов",
            "supply.acceptance",
        ),
        (
            "Не загружается логотип бренда, пишет «Неверный формат»",
            "product-card.logo-upload-errors",
        ),
        (
            "Водителя не пустили на склад, пропуск не оформлен",
            "supply.warehouse-access",
        ),
        ("Товар попал в карантин цен", "prices.quarantine"),
    ] {
        assert_eq!(suggested(text).as_deref(), Some(want), "{text}");
    }
}

#[test]
fn thin_texts_get_no_suggestion() {
    for text in ["Помогите", "Добрый день!", "Срочно ответьте!!!", "спасибо"]
    {
        let r = run(text);
        assert!(r.suggested.is_none(), "{text}: {:?}", r.suggested);
        assert!(r.suggestions.is_empty(), "{text}: {:?}", r.suggestions);
    }
}

/// A host's catalog with a channel category: its themes share the channel's words and mirror the
/// subjects of the cabinet's themes.
fn channel_catalog(context: &[&str], twins: bool) -> Catalog {
    let twin = |id: &str, mut t: Theme| {
        if twins {
            t.twins = vec![id.to_string(), "garden.unknown".to_string()];
        }
        t
    };
    Catalog {
        categories: vec![
            Category {
                id: "bot".to_string(),
                name: "Робот".to_string(),
                context_words: context.iter().map(|w| (*w).to_string()).collect(),
                themes: vec![
                    twin(
                        "garden.seeds",
                        theme("bot.seeds", "Семена через робота", &["робот"], &[]),
                    ),
                    twin(
                        "garden.tools",
                        theme("bot.tools", "Инвентарь через робота", &["робот"], &[]),
                    ),
                    theme("bot.errors", "Сбои робота", &["робот", "завис"], &[]),
                ],
            },
            Category {
                id: "garden".to_string(),
                name: "Сад".to_string(),
                context_words: Vec::new(),
                themes: vec![
                    theme("garden.seeds", "Семена", &["семен", "всхож"], &["робот"]),
                    theme("garden.tools", "Инвентарь", &["лопат", "грабл"], &["робот"]),
                ],
            },
        ],
    }
}

#[test]
fn a_channel_named_picks_the_theme_whose_twin_names_the_subject() {
    let text = "робот не заказывает семена";
    // The channel's themes tie on the channel's word: no suggestion.
    let plain = channel_catalog(&[], true);
    assert!(analyze(text, &Context::new(&plain)).suggested.is_none());
    let no_twins = channel_catalog(&["робот"], false);
    assert!(analyze(text, &Context::new(&no_twins)).suggested.is_none());
    // With the category's context word and the themes' twins, the subject decides.
    let catalog = channel_catalog(&["робот"], true);
    let r = analyze(text, &Context::new(&catalog));
    assert_eq!(
        r.suggested.as_ref().map(|s| s.theme.as_str()),
        Some("bot.seeds")
    );
    let r = analyze("робот: лопаты не заказываются", &Context::new(&catalog));
    assert_eq!(
        r.suggested.as_ref().map(|s| s.theme.as_str()),
        Some("bot.tools")
    );
    // A theme ahead on its own words is not overtaken by a sibling's twin.
    let r = analyze("робот завис на семенах", &Context::new(&catalog));
    assert_eq!(
        r.suggested.as_ref().map(|s| s.theme.as_str()),
        Some("bot.errors")
    );
    // The context word inside «не про …» names no channel.
    let ranking = rank_themes("не про робота, семена не взошли", &catalog);
    assert_eq!(ranking[0].theme.id, "garden.seeds");
}

#[test]
fn the_built_in_api_themes_follow_their_subject() {
    assert_eq!(
        suggested("через API не можем получить этикетки для заказов FBS, ошибка 400").as_deref(),
        Some("api.marketplace")
    );
    assert_eq!(
        suggested("через апи не получается ответить на отзыв").as_deref(),
        Some("api.feedbacks")
    );
    // A token is the token theme's whatever the subject.
    assert_eq!(
        suggested("API токен не работает после смены владельца кабинета").as_deref(),
        Some("api.tokens")
    );
}

#[test]
fn a_catalog_without_the_new_fields_reads() {
    let json = r#"{"categories":[{"id":"c","name":"C","themes":[{"id":"c.t","name":"T","needs":[],"keywords":["сад"]}]}]}"#;
    let catalog: Catalog = serde_json::from_str(json).expect("reads");
    assert!(catalog.categories[0].context_words.is_empty());
    assert!(catalog.categories[0].themes[0].twins.is_empty());
    // And the built-in one writes them only where it has them.
    let out = serde_json::to_string(&Catalog::builtin()).expect("writes");
    assert_eq!(out.matches("\"context_words\"").count(), 1);
    assert_eq!(out.matches("\"twins\"").count(), 4);
}

#[test]
fn two_equally_likely_teams_mean_no_suggestion() {
    let catalog = host_catalog();
    // Each theme its own category (its own team), without negative keywords.
    let teams = Catalog {
        categories: catalog.categories[0]
            .themes
            .iter()
            .map(|t| Category {
                id: t.id.clone(),
                name: t.name.clone(),
                themes: vec![Theme {
                    negative_keywords: Vec::new(),
                    ..t.clone()
                }],
                ..catalog.categories[0].clone()
            })
            .collect(),
    };
    let text = "Семена не взошли и лопата сломалась";
    let r = analyze(text, &Context::new(&teams));
    assert_eq!(r.suggestions.len(), 2, "both are candidates");
    assert!(r.suggested.is_none(), "but neither is clearly ahead");
    // Two themes of one team: a narrower lead is enough, the right people read it either way.
    let siblings = Catalog {
        categories: vec![Category {
            themes: teams
                .categories
                .iter()
                .flat_map(|c| c.themes.clone())
                .collect(),
            ..catalog.categories[0].clone()
        }],
    };
    let r = analyze(text, &Context::new(&siblings));
    assert_eq!(
        r.suggested.as_ref().map(|s| s.theme.as_str()),
        Some("garden.seeds")
    );
    // But not a tie.
    let r = analyze("семена и лопата", &Context::new(&siblings));
    assert_eq!(r.suggestions.len(), 2);
    assert!(r.suggested.is_none(), "{:?}", r.suggestions);
}

#[test]
fn what_the_comment_is_not_about_points_away() {
    let plain = run("штраф за приёмку поставки 23456789");
    let negated = run("вопрос не про штраф, а про приёмку поставки 23456789");
    assert_eq!(
        plain.suggested.map(|s| s.theme).as_deref(),
        Some("finance.penalties")
    );
    assert_eq!(
        negated.suggested.map(|s| s.theme).as_deref(),
        Some("supply.acceptance")
    );
    assert!(
        !negated
            .suggestions
            .iter()
            .any(|c| c.theme == "finance.penalties"),
        "{:?}",
        negated.suggestions
    );
}

#[test]
fn a_penalty_for_a_late_supply_is_a_penalty_question() {
    assert_eq!(
        suggested("Удержали штраф за опоздание на поставку 21573344, 10 000 ₽").as_deref(),
        Some("finance.penalties")
    );
}

#[test]
fn transliterated_and_english_comments_are_read() {
    assert_eq!(
        suggested("shtraf za podmenu tovara, my nichego ne menyali").as_deref(),
        Some("finance.penalties")
    );
    assert_eq!(
        suggested("ne mogu zajti v kabinet, parol ne podhodit").as_deref(),
        Some("account.login")
    );
    assert_eq!(
        suggested("photos not uploading to the card, error 'Invalid image'").as_deref(),
        Some("product-card.photo-upload-errors")
    );
}

#[test]
fn a_chosen_theme_that_fits_gets_no_note() {
    let catalog = Catalog::builtin();
    let ctx = Context::new(&catalog).with_theme("supply", "supply.acceptance");
    let r = analyze("Поставка 21573302: недостача при приёмке", &ctx);
    assert!(r.suggested.is_none());
    // The candidates are still there for whoever wants them.
    assert_eq!(r.suggestions[0].theme, "supply.acceptance");
}

#[test]
fn a_strong_conflict_offers_the_likelier_theme_a_weak_one_does_not() {
    let catalog = Catalog::builtin();
    let ctx = Context::new(&catalog).with_theme("finance", "finance.payouts");
    let strong = analyze("Не загружается логотип бренда, неверный формат", &ctx);
    assert_eq!(
        strong.suggested.map(|s| s.theme).as_deref(),
        Some("product-card.logo-upload-errors")
    );
    // A shortage at acceptance that was also fined: the chosen acceptance theme still fits.
    let ctx = Context::new(&catalog).with_theme("supply", "supply.acceptance");
    let weak = analyze(
        "Недостача при приёмке поставки, и за это удержали штраф",
        &ctx,
    );
    assert!(weak.suggested.is_none(), "{:?}", weak.suggested);
}

#[test]
fn every_identifier_in_a_list_after_a_keyword_is_that_kind() {
    let r = run("заказы 1560123456, 1560123457 и 1560123458; артикулы 123456789, 987654321");
    let of = |kind: Fact| -> Vec<&str> {
        r.entities
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.value.as_str())
            .collect()
    };
    assert_eq!(of(Fact::Order), ["1560123456", "1560123457", "1560123458"]);
    assert_eq!(of(Fact::Article), ["123456789", "987654321"]);
}

#[test]
fn a_changed_catalog_is_noticed() {
    let mut catalog = host_catalog();
    let top = |c: &Catalog| rank_themes("грабли", c)[0].own;
    assert!(top(&catalog) > 0);
    // Another catalog (new lists): noticed on the next call.
    let mut other = catalog.clone();
    other.categories[0].themes[1].keywords = vec!["лопат".to_string()];
    assert_eq!(top(&other), 0);
    assert!(top(&catalog) > 0);
    // A word edited in place (the same list, the same length): noticed within a few dozen calls.
    catalog.categories[0].themes[1].keywords[1] = "вилы".to_string();
    let noticed = (0..64).any(|_| top(&catalog) == 0);
    assert!(noticed, "the edited word no longer matches");
}
