//! Browser tests of the comment helper panel: reports come from the real analysis of texts a seller
//! could write, and the tests read what the panel shows and which callbacks it calls.
#![cfg(target_arch = "wasm32")]

use domain::catalog::{Catalog, Need, Theme};
use domain::comment::{CommentReport, Hint};
use leptos::prelude::*;
use seller_support::components::comment_helper::{
    CommentHelper, analyze_choice, needs_secret_confirmation, use_comment_analysis,
};
use seller_support::i18n::{I18n, Locale};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;

wasm_bindgen_test_configure!(run_in_browser);

const GOOD: &str = "Добрый день, в отчёте № 151564 получили штраф в размере 2 000 р. за заказанный баркод 2008500000237 (артикул 13334921) от 25.04.2023, назначение штрафа: «Повышенная логистика согласно коэффициенту по обмерам», габариты указаны верно, просьба перемерить товар и вернуть удержанный штраф.";
/// A comment with a card number, which the panel asks to remove.
const CARD: &str = "Деньги за возврат пришли не на ту карту 4111 1111 1111 1111, поставка 21573344";
const BAD: &str = "Добрый день, уважаемые коллеги. Подскажите, пожалуйста, за что штрафы? Объясните, пожалуйста. Заранее спасибо за ответ. С уважением.";

fn host() -> web_sys::HtmlElement {
    let doc = document();
    let el = doc.create_element("div").expect("create div");
    doc.body().expect("body").append_child(&el).expect("append");
    el.unchecked_into()
}

fn theme(id: &str) -> Theme {
    Catalog::builtin()
        .find_theme(id)
        .map(|(_, t)| t.clone())
        .expect("built-in theme")
}

/// What a mounted panel reported back through its callbacks.
#[derive(Clone, Copy)]
struct Calls {
    applied: RwSignal<Vec<(String, String)>>,
    inserted: RwSignal<Vec<String>>,
}

struct Mounted {
    el: web_sys::HtmlElement,
    calls: Calls,
    _handle: Box<dyn std::any::Any>,
}

impl Mounted {
    fn text(&self) -> String {
        self.el.text_content().unwrap_or_default()
    }

    /// `querySelectorAll` through JS: the app does not enable web-sys's `NodeList` feature.
    fn all(&self, selector: &str) -> Vec<web_sys::Element> {
        let f: js_sys::Function = js_sys::Reflect::get(&self.el, &"querySelectorAll".into())
            .expect("querySelectorAll")
            .unchecked_into();
        let list = f.call1(&self.el, &selector.into()).expect("selector");
        js_sys::Array::from(&list)
            .iter()
            .map(|n| n.unchecked_into::<web_sys::Element>())
            .collect()
    }

    fn all_text(&self, selector: &str) -> Vec<String> {
        self.all(selector)
            .into_iter()
            .map(|n| n.text_content().unwrap_or_default())
            .collect()
    }

    fn button(&self, name: &str) -> Option<web_sys::HtmlElement> {
        self.all("button")
            .into_iter()
            .find(|n| n.text_content().as_deref() == Some(name))
            .map(|n| n.unchecked_into())
    }
}

async fn mount(
    report: CommentReport,
    has_text: bool,
    chosen: Option<Theme>,
    compact: bool,
    locale: Locale,
) -> Mounted {
    let el = host();
    let calls = Calls {
        applied: RwSignal::new(Vec::new()),
        inserted: RwSignal::new(Vec::new()),
    };
    let handle = common::mount_to(el.clone(), move || {
        provide_context(I18n::new(locale));
        view! {
            <CommentHelper
                report=Signal::stored(report)
                has_text=Signal::stored(has_text)
                theme=Signal::stored(chosen)
                on_apply_suggestion=Callback::new(move |pick| calls.applied.update(|v| v.push(pick)))
                on_insert_template=Callback::new(move |t| calls.inserted.update(|v| v.push(t)))
                compact=compact
            />
        }
        .into_any()
    });
    leptos::task::tick().await;
    Mounted {
        el,
        calls,
        _handle: Box::new(handle),
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer");
}

#[wasm_bindgen_test]
async fn bad_example_is_called_vague_and_shows_the_good_example() {
    let catalog = Catalog::builtin();
    let report = analyze_choice(BAD, &catalog, "", "", 0);
    assert!(
        report.vague,
        "the cabinet's bad example is vague: {report:?}"
    );
    let m = mount(report, true, None, false, Locale::Ru).await;
    let text = m.text();
    assert!(text.contains("Подсказки к комментарию"), "{text}");
    assert!(
        text.contains("Из комментария непонятно, что случилось"),
        "{text}"
    );
    assert!(
        text.contains("в отчёте № 151564 получили штраф"),
        "good example: {text}"
    );
    let summary = m.all_text("[aria-live='polite']");
    assert_eq!(
        summary.len(),
        1,
        "one polite live region, not the whole panel"
    );
    assert!(summary[0].contains("слишком общий"), "{summary:?}");
    assert!(
        m.el.query_selector("[role='alert']")
            .ok()
            .flatten()
            .is_none()
    );
    // Politeness alone is not a fact: no chips.
    assert!(m.all_text(".ss-chip").is_empty());
}

#[wasm_bindgen_test]
async fn good_example_shows_its_facts_as_chips() {
    let catalog = Catalog::builtin();
    let penalties = theme("finance.penalties");
    let report = analyze_choice(GOOD, &catalog, "finance", &penalties.id, 0);
    assert!(!report.vague);
    let m = mount(report.clone(), true, Some(penalties), false, Locale::Ru).await;
    let chips: Vec<String> = m
        .all_text(".ss-chip")
        .into_iter()
        .map(|c| c.replace('\u{a0}', " "))
        .collect();
    for expected in [
        "Отчёт 151564",
        "Сумма 2 000 ₽",
        "Баркод 2008500000237",
        "Артикул 13334921",
        "Дата 25.04.2023",
    ] {
        assert!(
            chips.iter().any(|c| c == expected),
            "{expected} in {chips:?}"
        );
    }
    let text = m.text();
    assert!(!text.contains("Из комментария непонятно"), "{text}");
    assert!(
        text.contains(&format!("Готовность {} из 100", report.score)),
        "{text}"
    );
    // The cabinet's own example carries a barcode with a wrong check digit: hinted, not rejected.
    assert!(report.hints.contains(&Hint::BarcodeChecksum), "{report:?}");
    assert!(text.contains("контрольная цифра"), "{text}");
}

#[wasm_bindgen_test]
async fn card_number_is_asked_to_be_removed_politely() {
    let catalog = Catalog::builtin();
    let report = analyze_choice(CARD, &catalog, "", "", 0);
    assert!(needs_secret_confirmation(&report), "{report:?}");
    let m = mount(report, true, None, false, Locale::Ru).await;
    let warning = m.all_text(".ss-warning");
    assert_eq!(warning.len(), 1, "{warning:?}");
    assert!(warning[0].contains("номер банковской карты"), "{warning:?}");
    assert!(warning[0].contains("удалите"), "{warning:?}");
    let summary = m.all_text(".ss-helper-summary");
    assert!(summary[0].contains("Уберите из комментария"), "{summary:?}");
    assert!(
        m.el.query_selector("[role='alert']")
            .ok()
            .flatten()
            .is_none()
    );
}

#[wasm_bindgen_test]
async fn the_phone_form_keeps_warnings_out_and_opens_the_rest_on_demand() {
    let catalog = Catalog::builtin();
    let report = analyze_choice(CARD, &catalog, "", "", 0);
    let m = mount(report, true, None, false, Locale::Ru).await;
    // Warnings stand outside the part a narrow screen folds away; the facts are inside it.
    assert_eq!(m.all(".ss-helper-more .ss-warning").len(), 0);
    assert_eq!(m.all(".ss-warning").len(), 1);
    assert!(!m.all(".ss-helper-more .ss-chip").is_empty());
    let more = m.all(".ss-helper-more").remove(0);
    let toggle = m.button("Все подсказки").expect("the toggle");
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert!(!more.class_list().contains("ss-helper-open"));
    toggle.click();
    leptos::task::tick().await;
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert!(more.class_list().contains("ss-helper-open"));
}

#[wasm_bindgen_test]
async fn secret_is_asked_to_be_removed() {
    let catalog = Catalog::builtin();
    let report = analyze_choice(
        "Не могу войти в кабинет, мой пароль: Qwerty2024! — проверьте, пожалуйста",
        &catalog,
        "",
        "",
        0,
    );
    assert!(needs_secret_confirmation(&report), "{report:?}");
    let m = mount(report, true, None, false, Locale::Ru).await;
    assert!(m.text().contains("Похоже на пароль"), "{}", m.text());
}

#[wasm_bindgen_test]
async fn candidates_are_buttons_named_after_their_theme_and_apply_it() {
    let catalog = Catalog::builtin();
    let report = analyze_choice(BAD, &catalog, "", "", 0);
    let sug = report
        .suggested
        .clone()
        .expect("a theme is suggested for penalties");
    let m = mount(report.clone(), true, None, false, Locale::Ru).await;
    assert!(m.text().contains("Похоже на:"), "{}", m.text());
    let buttons = m.all(".ss-candidates button");
    assert!(!buttons.is_empty() && buttons.len() <= 3, "{}", m.text());
    let names: Vec<String> = buttons
        .iter()
        .map(|b| b.get_attribute("aria-label").unwrap_or_default())
        .collect();
    let want = format!("Выбрать тему «{}» (Финансы)", sug.theme_name);
    assert_eq!(names.first(), Some(&want), "the likeliest first: {names:?}");
    let best = m.all(".ss-candidate-best");
    assert_eq!(best.len(), 1, "the clear leader is marked");
    // Nothing is applied until the seller clicks.
    assert!(m.calls.applied.get_untracked().is_empty());
    best[0].unchecked_ref::<web_sys::HtmlElement>().click();
    leptos::task::tick().await;
    assert_eq!(
        m.calls.applied.get_untracked(),
        vec![(sug.category.clone(), sug.theme.clone())]
    );
}

#[wasm_bindgen_test]
async fn candidates_are_shown_in_english_too() {
    let catalog = Catalog::builtin();
    let report = analyze_choice(BAD, &catalog, "", "", 0);
    let m = mount(report, true, None, false, Locale::En).await;
    assert!(m.text().contains("Looks like:"), "{}", m.text());
    let names: Vec<String> = m
        .all(".ss-candidates button")
        .iter()
        .map(|b| b.get_attribute("aria-label").unwrap_or_default())
        .collect();
    assert!(
        names
            .first()
            .is_some_and(|n| n.starts_with("Choose the theme “Penalties")),
        "{names:?}"
    );
}

#[wasm_bindgen_test]
async fn thin_text_shows_no_candidates() {
    let catalog = Catalog::builtin();
    let report = analyze_choice("Помогите, пожалуйста!", &catalog, "", "", 0);
    let m = mount(report, true, None, false, Locale::Ru).await;
    assert!(m.all(".ss-candidates").is_empty(), "{}", m.text());
    assert!(!m.text().contains("Похоже на:"), "{}", m.text());
}

#[wasm_bindgen_test]
async fn a_strong_conflict_with_the_chosen_theme_gets_a_gentle_note() {
    let catalog = Catalog::builtin();
    let chosen = theme("finance.payouts");
    let text = "Не загружается логотип бренда, пишет «Неверный формат изображения»";
    let report = analyze_choice(text, &catalog, "finance", &chosen.id, 0);
    let m = mount(report, true, Some(chosen), false, Locale::Ru).await;
    let note = m.all(".ss-helper-conflict");
    assert_eq!(note.len(), 1, "{}", m.text());
    assert!(
        m.text().contains("Ошибки при загрузке логотипов"),
        "{}",
        m.text()
    );
    // No candidate list beside a chosen theme, and the choice is left alone.
    assert!(m.all(".ss-candidates").is_empty());
    assert!(m.calls.applied.get_untracked().is_empty());
    m.button("Выбрать эту тему")
        .expect("the note offers the theme")
        .click();
    leptos::task::tick().await;
    assert_eq!(
        m.calls.applied.get_untracked(),
        vec![(
            "product-card".to_string(),
            "product-card.logo-upload-errors".to_string()
        )]
    );
}

#[wasm_bindgen_test]
async fn a_chosen_theme_that_fits_gets_no_note() {
    let catalog = Catalog::builtin();
    let chosen = theme("finance.penalties");
    let report = analyze_choice(GOOD, &catalog, "finance", &chosen.id, 0);
    let m = mount(report, true, Some(chosen), false, Locale::Ru).await;
    assert!(m.all(".ss-helper-conflict").is_empty(), "{}", m.text());
    assert!(m.all(".ss-candidates").is_empty(), "{}", m.text());
}

#[wasm_bindgen_test]
async fn missing_needs_are_listed_with_examples() {
    let catalog = Catalog::builtin();
    let chosen = theme("supply.creation-errors");
    let report = analyze_choice(
        "При создании поставки кабинет выдаёт ошибку «Не удалось сохранить»",
        &catalog,
        "supply",
        &chosen.id,
        0,
    );
    assert!(!report.missing.is_empty(), "{report:?}");
    let m = mount(
        report.clone(),
        true,
        Some(chosen.clone()),
        false,
        Locale::Ru,
    )
    .await;
    let missing = m.all_text(".ss-check-missing");
    assert_eq!(missing.len(), report.missing.len(), "{missing:?}");
    for need in &report.missing {
        let row = missing
            .iter()
            .find(|r| r.contains(need.label_ru()))
            .unwrap_or_else(|| panic!("{need:?} in {missing:?}"));
        assert!(
            row.contains(need.example_ru()),
            "example for {need:?}: {row}"
        );
        assert!(row.contains("не указано"), "{row}");
    }
    assert!(m.all_text(".ss-check-ok").len() == report.needs_present.len());
    let summary = m.all_text(".ss-helper-summary");
    assert!(summary[0].contains("не хватает"), "{summary:?}");
    // A supply number turns the supply need into a tick.
    let with_supply = analyze_choice(
        "Поставка № 21573344 от 25.04.2024 не создаётся, ошибка «Не удалось сохранить»",
        &catalog,
        "supply",
        &chosen.id,
        0,
    );
    let m2 = mount(with_supply, true, Some(chosen), false, Locale::Ru).await;
    let ok = m2.all_text(".ss-check-ok");
    assert!(
        ok.iter().any(|r| r.contains(Need::Supply.label_ru())),
        "{ok:?}"
    );
}

#[wasm_bindgen_test]
async fn template_button_inserts_the_theme_template() {
    let catalog = Catalog::builtin();
    let chosen = theme("finance.penalties");
    let report = analyze_choice("", &catalog, "finance", &chosen.id, 0);
    let m = mount(report, false, Some(chosen.clone()), false, Locale::Ru).await;
    // Nothing typed yet: the intro and what the theme needs, no empty report.
    let text = m.text();
    assert!(text.contains("Пишите комментарий"), "{text}");
    assert!(!text.contains("Готовность"), "{text}");
    m.button("Вставить шаблон")
        .expect("template button")
        .click();
    leptos::task::tick().await;
    assert_eq!(m.calls.inserted.get_untracked(), vec![chosen.template_ru()]);
}

#[wasm_bindgen_test]
async fn english_panel_uses_english_texts_and_template() {
    let catalog = Catalog::builtin();
    let chosen = theme("finance.penalties");
    let report = analyze_choice(
        "Вчера в отчёте 151564 СПИСАЛИ ШТРАФ, прикладываю скриншот",
        &catalog,
        "finance",
        &chosen.id,
        0,
    );
    let m = mount(
        report.clone(),
        true,
        Some(chosen.clone()),
        false,
        Locale::En,
    )
    .await;
    let text = m.text();
    assert!(text.contains("Comment tips"), "{text}");
    assert!(text.contains("Report 151564"), "{text}");
    if report.hints.contains(&Hint::AttachmentMissing) {
        assert!(text.contains("nothing is"), "{text}");
    }
    m.button("Insert template")
        .expect("template button")
        .click();
    leptos::task::tick().await;
    let inserted = m.calls.inserted.get_untracked();
    assert_eq!(inserted.len(), 1);
    assert!(inserted[0].ends_with("What happened: "), "{inserted:?}");
    assert_eq!(inserted[0].lines().count(), chosen.needs.len() + 1);
}

#[wasm_bindgen_test]
async fn writing_hints_are_shown() {
    let catalog = Catalog::builtin();
    let report = analyze_choice(
        "ВЧЕРА СПИСАЛИ ДЕНЬГИ ЗА ПОСТАВКУ 21573344, ПРИКЛАДЫВАЮ СКРИНШОТ",
        &catalog,
        "",
        "",
        0,
    );
    for hint in [Hint::Caps, Hint::RelativeDate, Hint::AttachmentMissing] {
        assert!(report.hints.contains(&hint), "{hint:?} in {report:?}");
    }
    let m = mount(report.clone(), true, None, false, Locale::Ru).await;
    let hints = m.all_text(".ss-helper-hint");
    assert_eq!(hints.len(), report.hints.len(), "{hints:?}");
    assert!(hints.iter().any(|h| h.contains("заглавными")), "{hints:?}");
    assert!(
        hints.iter().any(|h| h.contains("напишите дату")),
        "{hints:?}"
    );
    assert!(
        hints.iter().any(|h| h.contains("вложений нет")),
        "{hints:?}"
    );
}

#[wasm_bindgen_test]
async fn compact_panel_has_facts_warnings_and_hints_only() {
    let catalog = Catalog::builtin();
    let chosen = theme("finance.penalties");
    let report = analyze_choice(GOOD, &catalog, "finance", &chosen.id, 0);
    let m = mount(report, true, Some(chosen), true, Locale::Ru).await;
    assert!(!m.all_text(".ss-chip").is_empty());
    assert!(
        m.el.query_selector(".ss-helper-checklist")
            .ok()
            .flatten()
            .is_none()
    );
    assert!(
        m.el.query_selector(".ss-helper-score")
            .ok()
            .flatten()
            .is_none()
    );
    assert!(m.button("Вставить шаблон").is_none());
}

#[wasm_bindgen_test]
async fn analysis_is_debounced_and_follows_every_input() {
    let el = host();
    let text = RwSignal::new(String::new());
    let catalog = RwSignal::new(Catalog::builtin());
    let category = RwSignal::new(String::new());
    let theme_id = RwSignal::new(String::new());
    let files = RwSignal::new(0usize);
    let out: RwSignal<Option<Signal<CommentReport>>> = RwSignal::new(None);
    let _handle = common::mount_to(el, move || {
        let report = use_comment_analysis(
            text.into(),
            catalog.into(),
            category.into(),
            theme_id.into(),
            files.into(),
        );
        out.set(Some(report));
        view! { <p>{move || report.get().entities.len()}</p> }
    });
    leptos::task::tick().await;
    let report = out.get_untracked().expect("hook ran");
    assert!(report.get_untracked().entities.is_empty());

    text.set("Поставка № 21573344 от 25.04.2024, прикладываю скриншот".to_string());
    leptos::task::tick().await;
    // Still the old report right after typing: the analysis waits for a pause.
    assert!(report.get_untracked().entities.is_empty());
    sleep(400).await;
    let r = report.get_untracked();
    assert_eq!(r.entities.len(), 2, "{r:?}");
    assert!(r.hints.contains(&Hint::AttachmentMissing), "{r:?}");

    // Attaching a file and choosing a theme re-run it too.
    files.set(1);
    category.set("supply".to_string());
    theme_id.set("supply.creation-errors".to_string());
    sleep(400).await;
    let r = report.get_untracked();
    assert!(!r.hints.contains(&Hint::AttachmentMissing), "{r:?}");
    assert!(!r.needs_present.is_empty(), "{r:?}");
}
