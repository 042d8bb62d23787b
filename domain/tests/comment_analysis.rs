//! Vagueness, warnings, hints, needs, score and suggestions, with texts written for these tests.

use domain::catalog::{Catalog, Fact, Need};
use domain::comment::{CommentReport, Context, Hint, ReasonCode, Warning, analyze};

fn run(text: &str) -> CommentReport {
    let catalog = Catalog::builtin();
    analyze(text, &Context::new(&catalog))
}

fn vague(text: &str) -> bool {
    run(text).vague
}

#[test]
fn greetings_emotion_and_generic_complaints_are_vague() {
    for text in [
        "Здравствуйте!",
        "Помогите!!!",
        "Срочно исправьте",
        "у нас всё не работает",
        "Добрый вечер, спасибо",
    ] {
        assert!(vague(text), "{text}");
    }
}

#[test]
fn incidents_without_anything_to_locate_them_are_vague() {
    for text in [
        "за что опять штраф??",
        "поставку до сих пор не приняли",
        "верните деньги за возврат",
        "реклама крутится, а показов нет, бюджет уходит",
        "Добрый день. Подскажите, пожалуйста, почему удержали деньги? Заранее спасибо. С уважением.",
    ] {
        assert!(vague(text), "{text}");
    }
}

#[test]
fn facts_dates_exact_errors_sections_and_how_to_questions_are_not_vague() {
    for text in [
        "штраф по отчёту 251000001",
        "поставку не приняли 25.05.2024",
        "поставку не приняли 25 мая",
        "При сохранении карточки ошибка «Недопустимое значение поля»",
        "В разделе Аналитика пустая воронка",
        "Как подключить ЭДО через Диадок?",
        "Можно ли изменить название бренда?",
        "Нужна справка об оборотах за прошлый год",
        "Не приходит письмо для подтверждения почты",
        "Метод /api/v1/supplier/stocks отдаёт пустой массив",
    ] {
        assert!(!vague(text), "{text}");
    }
}

#[test]
fn vague_comments_have_no_entities() {
    let r = run("где деньги за заказ?");
    assert!(r.vague);
    assert!(r.entities.is_empty());
}

#[test]
fn luhn_valid_card_numbers_warn_and_others_do_not() {
    assert_eq!(
        run("переведите на 4111 1111 1111 1111").warnings,
        [Warning::CardNumber]
    );
    assert_eq!(
        run("карта 4111-1111-1111-1111").warnings,
        [Warning::CardNumber]
    );
    assert_eq!(
        run("карта 4111111111111111").warnings,
        [Warning::CardNumber]
    );
    assert!(run("номер транзакции 4111111111111112").warnings.is_empty());
    assert!(run("счёт 4070 2810 9380 0001 2345").warnings.is_empty());
    assert!(run("счёт 40702810938000012345").warnings.is_empty());
}

#[test]
fn credential_values_warn_and_mentions_do_not() {
    for text in [
        "пароль: letmein",
        "пароль Zima#2025",
        "Текущий пароль Oleg1977",
        "логин shop@example.com пароль: Qw12345!",
        "password: hunter22",
        "код из смс 5931",
        "код подтверждения 448120",
        "SMS-код: 7731",
        "токен: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2Zha2U",
        "API-ключ: 1a2b3c4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d",
    ] {
        assert_eq!(run(text).warnings, [Warning::Secret], "{text}");
    }
    for text in [
        "пароль вводится верно",
        "Пароль вводим правильный",
        "код из СМС не приходит на номер +7 999 000-11-22",
        "сбросьте пароль, пожалуйста",
        "токен создан сегодня",
        "ошибка с кодом 500",
    ] {
        assert!(run(text).warnings.is_empty(), "{text}");
    }
}

#[test]
fn both_warnings_in_order_of_appearance() {
    let r = run("пароль: abc12345, карта 4111 1111 1111 1111");
    assert_eq!(r.warnings, [Warning::Secret, Warning::CardNumber]);
}

#[test]
fn hints_for_writing_problems() {
    assert!(
        run("Добрый день! Заранее спасибо, с уважением")
            .hints
            .contains(&Hint::PoliteOnly)
    );
    assert!(
        run("ГДЕ МОИ ДЕНЬГИ ЗА ПРОШЛУЮ НЕДЕЛЮ")
            .hints
            .contains(&Hint::Caps)
    );
    assert!(run("штраф?").hints.contains(&Hint::TooShort));
    assert!(
        run("вчера удержали штраф по отчёту 251000002")
            .hints
            .contains(&Hint::RelativeDate)
    );
    assert!(
        !run("вчера, 05.06.2024, удержали штраф")
            .hints
            .contains(&Hint::RelativeDate)
    );
    assert!(
        run("прикладываю скриншот ошибки")
            .hints
            .contains(&Hint::AttachmentMissing)
    );
    assert!(
        run("баркод 2008500000231")
            .hints
            .contains(&Hint::BarcodeChecksum)
    );
    assert!(
        !run("баркод 2008500000238")
            .hints
            .contains(&Hint::BarcodeChecksum)
    );
    let good = run("По поставке 21573301 от 02.04.2024 не приняли 3 короба, акт приёмки приложен.");
    assert!(!good.hints.contains(&Hint::TooShort) && !good.hints.contains(&Hint::Caps));
}

#[test]
fn attachment_hint_disappears_once_a_file_is_attached() {
    let catalog = Catalog::builtin();
    let text = "скриншот ошибки прилагаю";
    let none = analyze(text, &Context::new(&catalog));
    let one = analyze(text, &Context::new(&catalog).with_attachments(1));
    assert!(none.hints.contains(&Hint::AttachmentMissing));
    assert!(!one.hints.contains(&Hint::AttachmentMissing));
}

#[test]
fn needs_of_the_chosen_theme_are_checked_with_alternatives() {
    let catalog = Catalog::builtin();
    let ctx = Context::new(&catalog).with_theme("finance", "finance.penalties");
    let r = analyze(
        "Штраф 2 000 руб. по отчёту 151501 за баркод 4607001234562",
        &ctx,
    );
    assert_eq!(
        r.needs_present,
        [Need::Report, Need::Amount, Need::ArticleOrBarcode]
    );
    assert!(r.missing.is_empty());
    let r = analyze("Штраф по отчёту 151501 непонятный", &ctx);
    assert_eq!(r.missing, [Need::Amount, Need::ArticleOrBarcode]);
    // No theme: nothing is "missing".
    assert!(run("Штраф по отчёту 151501").missing.is_empty());
}

#[test]
fn a_theme_from_another_category_is_not_the_chosen_theme() {
    let catalog = Catalog::builtin();
    let ctx = Context::new(&catalog).with_theme("supply", "finance.penalties");
    assert!(ctx.chosen_theme().is_none());
    assert!(analyze("штраф", &ctx).missing.is_empty());
}

#[test]
fn score_rises_with_facts_and_falls_with_problems() {
    let catalog = Catalog::builtin();
    let ctx = Context::new(&catalog).with_theme("finance", "finance.penalties");
    let good = analyze(
        "Добрый день, в отчёте № 151564 получили штраф 2 000 р. за баркод 4607001234562 (артикул 13334921) от 25.04.2024, габариты верны, просим вернуть.",
        &ctx,
    );
    let bad = analyze(
        "Добрый день, уважаемые коллеги. Подскажите, пожалуйста, за что штрафы? Заранее спасибо.",
        &ctx,
    );
    assert!(good.score >= 80, "{}", good.score);
    assert!(bad.score <= 20, "{}", bad.score);
    assert!(
        bad.reasons
            .iter()
            .any(|r| r.code == ReasonCode::Vague && r.points < 0)
    );
    assert!(
        good.reasons
            .iter()
            .any(|r| r.code == ReasonCode::NeedsMet && r.points > 0)
    );
    let secret = analyze("отчёт 151564, пароль: abc12345", &ctx);
    assert!(secret.reasons.iter().any(|r| r.code == ReasonCode::Secret));
}

#[test]
fn suggests_a_theme_when_none_is_chosen() {
    let r = run("По поставке 21573302 расхождение при приёмке: недостача 4 коробов");
    let s = r.suggested.expect("a suggestion");
    assert_eq!(s.category, "supply");
    assert_eq!(s.theme, "supply.acceptance");
    assert_eq!(s.category_name, "Поставка товара");
}

#[test]
fn suggests_another_theme_only_when_the_chosen_one_looks_wrong() {
    let catalog = Catalog::builtin();
    let text = "Не загружается логотип бренда, пишет «Неверный формат»";
    let right =
        Context::new(&catalog).with_theme("product-card", "product-card.logo-upload-errors");
    assert!(analyze(text, &right).suggested.is_none());
    let wrong = Context::new(&catalog).with_theme("finance", "finance.payouts");
    let r = analyze(text, &wrong);
    assert_eq!(
        r.suggested.map(|s| s.theme).as_deref(),
        Some("product-card.logo-upload-errors")
    );
    assert!(
        r.reasons
            .iter()
            .any(|x| x.code == ReasonCode::ThemeMismatch)
    );
}

#[test]
fn with_only_a_category_chosen_the_suggestion_stays_in_it_when_it_fits() {
    let catalog = Catalog::builtin();
    let ctx = Context::new(&catalog).with_category("product-card");
    let r = analyze("фото не загружаются в карточку 201340003", &ctx);
    assert_eq!(
        r.suggested.map(|s| s.theme).as_deref(),
        Some("product-card.photo-upload-errors")
    );
}

#[test]
fn nothing_to_go_on_means_no_suggestion() {
    assert!(run("Добрый день!").suggested.is_none());
}

#[test]
fn report_serializes_with_snake_case_codes() {
    let v = serde_json::to_value(run("вчера ШТРАФ ЗА ГАБАРИТЫ БЕЗ ПРИЧИНЫ, пароль: abc12345"))
        .expect("json");
    assert_eq!(v["warnings"], serde_json::json!(["secret"]));
    let hints: Vec<&str> = v["hints"]
        .as_array()
        .expect("hints")
        .iter()
        .filter_map(|h| h.as_str())
        .collect();
    assert!(
        hints.contains(&"caps") && hints.contains(&"relative_date"),
        "{hints:?}"
    );
    assert!(v["score"].is_u64());
    assert!(v["reasons"][0]["code"].is_string());
    assert_eq!(Fact::VendorCode.as_str(), "vendor_code");
}
