//! The built-in catalog: ids, order, real names, wire shape and lookups.

use std::collections::HashSet;

use domain::catalog::{Catalog, Fact, Need, sort_key};

#[test]
fn ids_are_unique_ascii_slugs_and_themes_are_prefixed_by_their_category() {
    let cat = Catalog::builtin();
    let mut seen = HashSet::new();
    for c in &cat.categories {
        assert!(seen.insert(c.id.clone()), "duplicate id {}", c.id);
        assert!(is_slug(&c.id), "bad category id {}", c.id);
        for t in &c.themes {
            assert!(seen.insert(t.id.clone()), "duplicate id {}", t.id);
            let rest = t.id.strip_prefix(&format!("{}.", c.id));
            assert!(rest.is_some_and(is_slug), "bad theme id {}", t.id);
        }
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[test]
fn categories_and_themes_are_alphabetical() {
    let cat = Catalog::builtin();
    let names: Vec<String> = cat.categories.iter().map(|c| sort_key(&c.name)).collect();
    assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
    for c in &cat.categories {
        let themes: Vec<String> = c.themes.iter().map(|t| sort_key(&t.name)).collect();
        assert!(
            themes.windows(2).all(|w| w[0] < w[1]),
            "{}: {themes:?}",
            c.name
        );
    }
}

#[test]
fn sort_key_folds_case_and_yo() {
    assert_eq!(sort_key("Ёлка"), sort_key("елка"));
    assert!(sort_key("API") < sort_key("Аналитика"));
    assert!(sort_key("Возврат") < sort_key("Вопросы"));
}

#[test]
fn about_a_dozen_categories_each_with_several_themes() {
    let cat = Catalog::builtin();
    assert!((10..=15).contains(&cat.categories.len()));
    for c in &cat.categories {
        assert!(
            c.themes.len() >= 3,
            "{} has {} themes",
            c.name,
            c.themes.len()
        );
    }
}

#[test]
fn real_names_are_present_where_the_portal_puts_them() {
    let cat = Catalog::builtin();
    let card = cat
        .categories
        .iter()
        .find(|c| c.name == "Карточка товара")
        .expect("Карточка товара");
    for name in [
        "Предоставление сертификатов по запросу WB",
        "Ошибки при создании/редактировании карточки",
        "Ошибки при загрузке логотипов",
        "Ошибки при загрузке фото/видео",
        "Как загрузить фото/видео",
    ] {
        assert!(card.themes.iter().any(|t| t.name == name), "missing {name}");
    }
    let in_category = |cname: &str, tname: &str| {
        cat.categories
            .iter()
            .any(|c| c.name == cname && c.themes.iter().any(|t| t.name == tname))
    };
    assert!(in_category(
        "Поставка товара",
        "Ошибки при создании заказа/поставки"
    ));
    assert!(in_category(
        "Возврат товара",
        "Вопросы по уже оформленным заявкам на возврат"
    ));
    assert!(cat.categories.iter().any(|c| c.name == "API"));
}

#[test]
fn json_has_the_documented_shape_and_round_trips() {
    let cat = Catalog::builtin();
    let v = serde_json::to_value(&cat).expect("serialize");
    let cats = v["categories"].as_array().expect("categories array");
    assert_eq!(cats.len(), cat.categories.len());
    for c in cats {
        let obj = c.as_object().expect("category object");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        // `context_words` is left out when empty (only the API category has them).
        keys.retain(|k| *k != "context_words");
        assert_eq!(keys, ["id", "name", "themes"]);
        for t in c["themes"].as_array().expect("themes array") {
            let mut keys: Vec<&str> = t
                .as_object()
                .expect("theme")
                .keys()
                .map(String::as_str)
                .collect();
            keys.sort_unstable();
            // `negative_keywords` and `twins` are left out when empty; the built-in catalog
            // ships keywords for every theme.
            let without_optional: Vec<&str> = keys
                .iter()
                .copied()
                .filter(|k| *k != "negative_keywords" && *k != "twins")
                .collect();
            assert_eq!(without_optional, ["id", "keywords", "name", "needs"]);
            for k in ["keywords", "negative_keywords", "twins"] {
                for w in t[k].as_array().map(Vec::as_slice).unwrap_or_default() {
                    assert!(w.is_string(), "{k} holds plain strings: {w}");
                }
            }
            for n in t["needs"].as_array().expect("needs array") {
                assert!(n.is_string(), "need is a plain string: {n}");
            }
        }
    }
    let back: Catalog = serde_json::from_value(v).expect("deserialize");
    assert_eq!(back, cat);
}

#[test]
fn needs_use_snake_case_names() {
    let text = serde_json::to_string(&[
        Need::ArticleOrBarcode,
        Need::VendorCode,
        Need::SupplyOrOrder,
    ])
    .expect("serialize");
    assert_eq!(
        text,
        r#"["article_or_barcode","vendor_code","supply_or_order"]"#
    );
    let parsed: Vec<Need> = serde_json::from_str(r#"["product","date"]"#).expect("parse");
    assert_eq!(parsed, [Need::Product, Need::Date]);
    assert!(serde_json::from_str::<Need>(r#""colour""#).is_err());
    for f in Fact::ALL {
        assert_eq!(serde_json::to_value(f).expect("fact"), f.as_str());
        assert_eq!(Fact::parse(f.as_str()), Some(f));
    }
}

#[test]
fn alternatives_decide_when_a_need_is_met() {
    assert!(Need::ArticleOrBarcode.is_met_by(&[Fact::Barcode]));
    assert!(Need::ArticleOrBarcode.is_met_by(&[Fact::Article, Fact::Date]));
    assert!(!Need::ArticleOrBarcode.is_met_by(&[Fact::VendorCode]));
    assert!(Need::Product.is_met_by(&[Fact::VendorCode]));
    assert!(Need::SupplyOrOrder.is_met_by(&[Fact::Order]));
    assert!(!Need::Supply.is_met_by(&[]));
}

#[test]
fn lookups_check_that_theme_belongs_to_category() {
    let cat = Catalog::builtin();
    let t = cat
        .theme("product-card", "product-card.photo-upload-errors")
        .expect("theme in its category");
    assert_eq!(t.name, "Ошибки при загрузке фото/видео");
    assert!(
        cat.theme("supply", "product-card.photo-upload-errors")
            .is_none()
    );
    assert!(
        cat.theme("nope", "product-card.photo-upload-errors")
            .is_none()
    );
    let (c, t) = cat.find_theme("supply.creation-errors").expect("find");
    assert_eq!(
        (c.name.as_str(), t.name.as_str()),
        ("Поставка товара", "Ошибки при создании заказа/поставки")
    );
    assert!(cat.find_theme("supply").is_none());
    assert_eq!(cat.category("api").map(|c| c.name.as_str()), Some("API"));
    assert!(cat.category("API").is_none(), "ids are exact");
}

#[test]
fn tools_may_name_categories_and_themes_by_name() {
    let cat = Catalog::builtin();
    let c = cat
        .category_by_id_or_name("возврат товара")
        .expect("by name");
    assert_eq!(c.id, "returns");
    let (_, t) = cat
        .theme_by_id_or_name(Some(c), "Вопросы по уже оформленным заявкам на возврат")
        .expect("theme by name");
    assert_eq!(t.id, "returns.existing-requests");
    assert!(
        cat.theme_by_id_or_name(Some(c), "Как загрузить фото/видео")
            .is_none()
    );
    assert!(
        cat.theme_by_id_or_name(None, "Как загрузить фото/видео")
            .is_some()
    );
}

#[test]
fn every_theme_has_a_template_with_a_line_per_need() {
    let cat = Catalog::builtin();
    for c in &cat.categories {
        for t in &c.themes {
            let tpl = t.template_ru();
            assert_eq!(tpl.lines().count(), t.needs.len() + 1, "{}", t.id);
            for n in &t.needs {
                assert!(tpl.contains(n.label_ru()));
                assert!(!n.example_ru().is_empty());
            }
        }
    }
}

#[test]
fn every_builtin_theme_carries_keywords_a_seller_writes() {
    for c in Catalog::builtin().categories {
        for t in &c.themes {
            assert!(
                t.keywords.len() >= 3,
                "{} has too few keywords to be suggested: {:?}",
                t.id,
                t.keywords
            );
            for k in t.keywords.iter().chain(&t.negative_keywords) {
                assert!(!k.trim().is_empty(), "{} has an empty keyword", t.id);
                assert_eq!(
                    k,
                    &k.to_lowercase(),
                    "{}: keywords are written lowercase",
                    t.id
                );
            }
            for n in &t.negative_keywords {
                assert!(
                    !t.keywords.contains(n),
                    "{}: «{n}» both points to and away from the theme",
                    t.id
                );
            }
        }
    }
}

#[test]
fn a_catalog_without_keywords_still_reads() {
    let json = r#"{"categories": [{"id": "c", "name": "C", "themes": [
        {"id": "c.t", "name": "T", "needs": ["date"]}]}]}"#;
    let cat: Catalog = serde_json::from_str(json).expect("the pre-keywords wire shape reads");
    let t = &cat.categories[0].themes[0];
    assert!(t.keywords.is_empty() && t.negative_keywords.is_empty());
    let back = serde_json::to_value(&cat).expect("serialize");
    assert!(back["categories"][0]["themes"][0].get("keywords").is_none());
}
