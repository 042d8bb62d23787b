//! The drop zone in a real browser: files made in the test are picked, dropped or pasted, and the
//! assertions read what the seller sees.
//!
//! `cargo test --target wasm32-unknown-unknown --test drop_zone` (chromedriver on PATH).

#![cfg(target_arch = "wasm32")]

use domain::attachments::{ACCEPT_ATTRIBUTE, HEAD_BYTES, MAX_FILE_BYTES, Rejection};
use js_sys::{Array, Object, Reflect, Uint8Array};
use leptos::prelude::*;
use seller_support::components::drop_zone::{DropZone, PickedFiles, picked_files, read_head};
use seller_support::upload::Progress;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{DataTransfer, Element, Event, File, HtmlElement, HtmlInputElement};

mod common;

/// The drop zone's Russian message for a refused file.
fn reason_ru(reason: Rejection, name: &str) -> String {
    seller_support::i18n::drop_zone::rejection(seller_support::i18n::Locale::Ru, reason, name)
}

wasm_bindgen_test_configure!(run_in_browser);

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";
const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];
const ZIP_EMPTY: &[u8] = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00";

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

fn file(name: &str, bytes: &[u8]) -> File {
    let parts = Array::of1(&Uint8Array::from(bytes));
    File::new_with_u8_array_sequence(&parts, name).expect("File")
}

/// A file of `size` bytes that starts with `head`; the rest is one zero-filled JS buffer, so big
/// files cost no wasm memory.
fn sized_file(name: &str, head: &[u8], size: u32) -> File {
    let rest = Uint8Array::new_with_length(size - head.len() as u32);
    let parts = Array::of2(&Uint8Array::from(head), &rest);
    File::new_with_u8_array_sequence(&parts, name).expect("File")
}

fn data_transfer(files: &[File]) -> DataTransfer {
    let dt = DataTransfer::new().expect("DataTransfer");
    let items = Reflect::get(&dt, &"items".into()).expect("items");
    let add: js_sys::Function = Reflect::get(&items, &"add".into())
        .expect("items.add")
        .unchecked_into();
    for f in files {
        add.call1(&items, f).expect("add file");
    }
    dt
}

fn event_with(constructor: &str, kind: &str, key: &str, value: &JsValue) -> Event {
    let init = Object::new();
    Reflect::set(&init, &"bubbles".into(), &true.into()).expect("init");
    Reflect::set(&init, &"cancelable".into(), &true.into()).expect("init");
    Reflect::set(&init, &key.into(), value).expect("init");
    let ctor: js_sys::Function = Reflect::get(&js_sys::global(), &constructor.into())
        .expect("constructor")
        .unchecked_into();
    let args = Array::of2(&kind.into(), &init);
    Reflect::construct(&ctor, &args)
        .expect("construct event")
        .unchecked_into()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    let _ = JsFuture::from(promise).await;
}

/// Waits (up to 3 s) until `ready` holds; the heads are read asynchronously.
async fn until(what: &str, ready: impl Fn() -> bool) {
    for _ in 0..150 {
        if ready() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for: {what}");
}

/// A mounted drop zone in its own container, unmounted on drop.
struct Zone {
    root: HtmlElement,
    files: PickedFiles,
    progress: RwSignal<Option<Progress>>,
    disabled: RwSignal<bool>,
    _handle: Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
}

impl Zone {
    fn mount() -> Zone {
        let root: HtmlElement = document()
            .create_element("div")
            .expect("div")
            .unchecked_into();
        document()
            .body()
            .expect("body")
            .append_child(&root)
            .expect("append");
        let files = picked_files();
        let progress = RwSignal::new(None);
        let disabled = RwSignal::new(false);
        let handle = common::mount_to(root.clone(), move || {
            view! { <DropZone files=files progress=progress disabled=disabled/> }.into_any()
        });
        Zone {
            root,
            files,
            progress,
            disabled,
            _handle: Some(handle),
        }
    }

    fn unmount(&mut self) {
        self._handle = None;
    }

    fn input(&self) -> HtmlInputElement {
        self.one("input[type=file]").unchecked_into()
    }

    fn one(&self, selector: &str) -> Element {
        self.root
            .query_selector(selector)
            .expect("selector")
            .unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        // web-sys' NodeList feature is not enabled for the app; Array.from takes any NodeList.
        let query: js_sys::Function = Reflect::get(&self.root, &"querySelectorAll".into())
            .expect("querySelectorAll")
            .unchecked_into();
        let list = query.call1(&self.root, &selector.into()).expect("selector");
        Array::from(&list)
            .iter()
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .collect()
    }

    fn texts(&self, selector: &str) -> Vec<String> {
        self.all(selector)
            .iter()
            .map(|e| e.text_content().unwrap_or_default())
            .collect()
    }

    fn accepted_names(&self) -> Vec<String> {
        self.texts("[data-state=accepted] .ss-dz-name")
    }

    fn reasons(&self) -> Vec<String> {
        self.texts("[data-state=rejected] .ss-dz-reason")
    }

    fn rows(&self) -> usize {
        self.all(".ss-dz-list > li").len()
    }

    fn budget(&self) -> String {
        self.one(".ss-dz-budget-text")
            .text_content()
            .unwrap_or_default()
    }

    /// Picks files through the real input, as the file dialog would.
    fn pick(&self, files: &[File]) {
        let input = self.input();
        input.set_files(data_transfer(files).files().as_ref());
        let change = Event::new("change").expect("event");
        input.dispatch_event(&change).expect("dispatch");
    }

    fn drop_files(&self, files: &[File]) -> Event {
        let dt = data_transfer(files);
        let zone = self.one(".ss-dz");
        for kind in ["dragenter", "dragover"] {
            zone.dispatch_event(&event_with("DragEvent", kind, "dataTransfer", &dt))
                .expect("dispatch");
        }
        let drop = event_with("DragEvent", "drop", "dataTransfer", &dt);
        zone.dispatch_event(&drop).expect("dispatch");
        drop
    }

    fn button(&self, label: &str) -> HtmlElement {
        self.all("button")
            .into_iter()
            .find(|b| b.get_attribute("aria-label").as_deref() == Some(label))
            .unwrap_or_else(|| panic!("no button labelled {label}"))
            .unchecked_into()
    }
}

impl Drop for Zone {
    fn drop(&mut self) {
        self.unmount();
        self.root.remove();
    }
}

#[wasm_bindgen_test]
async fn shows_the_click_target_and_the_limits_in_the_cabinets_words() {
    let zone = Zone::mount();
    let input = zone.input();
    assert!(input.multiple());
    assert_eq!(input.accept(), ACCEPT_ATTRIBUTE);
    let label = zone.one("label");
    assert_eq!(
        label.get_attribute("for").as_deref(),
        Some(input.id().as_str())
    );
    assert_eq!(
        label
            .text_content()
            .unwrap_or_default()
            .trim_start_matches('+'),
        "Выберите файл или перетащите его сюда"
    );
    let limits = zone.texts(".ss-dz-limits li");
    assert_eq!(
        limits,
        [
            "Форматы: .DOCX, .XLS, .XLSX, .PDF, .JPG, .PNG, .ZIP",
            "Файл не больше 10мб",
            "Не больше 20 файлов",
            "Общий размер вложений не более 50мб",
        ]
    );
    assert_eq!(zone.budget(), "Использовано 0 Б из 50 МБ");
    let list = zone.one(".ss-dz-list");
    assert_eq!(list.get_attribute("aria-live").as_deref(), Some("polite"));
    // The meter is named by the budget text.
    let meter = zone.one("meter");
    let named_by = meter.get_attribute("aria-labelledby").expect("labelled");
    assert_eq!(
        document()
            .get_element_by_id(&named_by)
            .and_then(|e| e.text_content()),
        Some(zone.budget())
    );
}

#[wasm_bindgen_test]
async fn picked_files_are_accepted_or_listed_with_their_reason() {
    let zone = Zone::mount();
    zone.pick(&[
        file("invoice.pdf", PDF),
        file("fake.pdf", EXE),
        file("setup.exe", EXE),
        file("empty.docx", b""),
        sized_file("big.zip", ZIP_EMPTY, MAX_FILE_BYTES as u32 + 1),
        file("photos.ZIP", ZIP_EMPTY),
    ]);
    until("six rows", || zone.rows() == 6).await;
    assert_eq!(zone.accepted_names(), ["invoice.pdf", "photos.ZIP"]);
    assert_eq!(
        zone.reasons(),
        [
            reason_ru(Rejection::ContentMismatch, "fake.pdf"),
            reason_ru(Rejection::UnsupportedFormat, "setup.exe"),
            reason_ru(Rejection::Empty, "empty.docx"),
            reason_ru(Rejection::TooLarge, "big.zip"),
        ]
    );
    assert_eq!(
        zone.reasons()[0],
        "Файл «fake.pdf» не похож на PDF: содержимое не совпадает с расширением"
    );
    let codes: Vec<String> = zone
        .all("[data-state=rejected]")
        .iter()
        .filter_map(|e| e.get_attribute("data-code"))
        .collect();
    assert_eq!(
        codes,
        [
            "content_mismatch",
            "unsupported_format",
            "empty",
            "too_large"
        ]
    );
    let used = (PDF.len() + ZIP_EMPTY.len()) as u64;
    assert_eq!(zone.budget(), format!("Использовано {used} Б из 50 МБ"));
    assert_eq!(
        zone.one("meter").get_attribute("value"),
        Some(used.to_string())
    );
    let meta = zone.texts("[data-state=accepted] .ss-dz-meta");
    assert_eq!(
        meta,
        [format!("{} Б · PDF", PDF.len()), "22 Б · ZIP".to_owned()]
    );
    // The form's signal holds exactly the accepted files, in order.
    let names: Vec<String> = zone
        .files
        .with_untracked(|f| f.iter().map(|p| p.name().to_owned()).collect());
    assert_eq!(names, ["invoice.pdf", "photos.ZIP"]);
}

#[wasm_bindgen_test]
async fn the_21st_file_is_refused_before_anything_is_sent() {
    let zone = Zone::mount();
    let nineteen: Vec<File> = (1..=19)
        .map(|i| file(&format!("act-{i}.pdf"), format!("%PDF-1.4 {i}").as_bytes()))
        .collect();
    zone.pick(&nineteen);
    until("19 accepted", || zone.accepted_names().len() == 19).await;
    zone.drop_files(&[
        file("act-20.pdf", b"%PDF-1.4 20"),
        file("act-21.pdf", b"%PDF-1.4 21"),
        file("act-22.pdf", b"%PDF-1.4 22"),
    ]);
    until("two refused", || zone.reasons().len() == 2).await;
    assert_eq!(zone.accepted_names().len(), 20);
    assert_eq!(zone.files.with_untracked(Vec::len), 20, "the form sends 20");
    assert_eq!(
        zone.reasons(),
        [
            reason_ru(Rejection::TooManyFiles, "act-21.pdf"),
            reason_ru(Rejection::TooManyFiles, "act-22.pdf"),
        ]
    );
    assert!(zone.reasons()[0].contains("не больше 20 файлов"));
    // Removing one makes room again.
    zone.button("Удалить файл act-1.pdf").click();
    zone.pick(&[file("act-21.pdf", b"%PDF-1.4 21")]);
    until("room again", || {
        zone.accepted_names().contains(&"act-21.pdf".to_owned())
    })
    .await;
    assert_eq!(zone.accepted_names().len(), 20);
    assert!(!zone.accepted_names().contains(&"act-1.pdf".to_owned()));
}

#[wasm_bindgen_test]
async fn a_file_name_loses_its_direction_overrides() {
    let zone = Zone::mount();
    zone.pick(&[file("invoice\u{202E}fdp.pdf", PDF)]);
    until("accepted", || zone.accepted_names().len() == 1).await;
    assert_eq!(zone.accepted_names(), ["invoicefdp.pdf"]);
}

#[wasm_bindgen_test]
async fn the_same_file_picked_twice_is_a_duplicate() {
    let zone = Zone::mount();
    let f = file("act.pdf", PDF);
    zone.pick(std::slice::from_ref(&f));
    until("first", || zone.accepted_names().len() == 1).await;
    zone.pick(&[f]);
    until("duplicate listed", || zone.reasons().len() == 1).await;
    assert_eq!(zone.reasons(), [reason_ru(Rejection::Duplicate, "act.pdf")]);
    assert_eq!(zone.accepted_names(), ["act.pdf"]);
}

#[wasm_bindgen_test]
async fn the_budget_fills_to_exactly_50_mib_and_later_smaller_files_still_fit() {
    let zone = Zone::mount();
    let ten = MAX_FILE_BYTES as u32;
    let mut batch: Vec<File> = (0..4)
        .map(|i| sized_file(&format!("part{i}.pdf"), PDF, ten))
        .collect();
    batch.push(sized_file("six.zip", ZIP_EMPTY, 6 << 20));
    batch.push(sized_file("five.zip", ZIP_EMPTY, 5 << 20)); // 4 MiB left: does not fit
    batch.push(sized_file("four.zip", ZIP_EMPTY, 4 << 20)); // fits exactly
    zone.pick(&batch);
    until("seven rows", || zone.rows() == 7).await;
    assert_eq!(
        zone.accepted_names(),
        [
            "part0.pdf",
            "part1.pdf",
            "part2.pdf",
            "part3.pdf",
            "six.zip",
            "four.zip"
        ]
    );
    assert_eq!(
        zone.reasons(),
        [reason_ru(Rejection::TotalTooLarge, "five.zip")]
    );
    assert_eq!(zone.budget(), "Использовано 50 МБ из 50 МБ");

    // One more byte does not fit; removing a file gives its bytes back.
    zone.pick(&[file("one.pdf", b"%PDF-")]);
    until("one more rejected", || zone.reasons().len() == 2).await;
    assert_eq!(
        zone.reasons()[1],
        reason_ru(Rejection::TotalTooLarge, "one.pdf")
    );
    zone.button("Удалить файл four.zip").click();
    until("removed", || zone.accepted_names().len() == 5).await;
    assert_eq!(zone.budget(), "Использовано 46 МБ из 50 МБ");
    zone.pick(&[file("one.pdf", b"%PDF-")]);
    until("now it fits", || zone.accepted_names().len() == 6).await;
}

#[wasm_bindgen_test]
async fn rejected_rows_stay_until_dismissed() {
    let zone = Zone::mount();
    zone.pick(&[file("virus.exe", EXE), file("ok.pdf", PDF)]);
    until("two rows", || zone.rows() == 2).await;
    // Another pick does not clear the old reasons.
    zone.pick(&[file("note.txt", b"hello")]);
    until("three rows", || zone.rows() == 3).await;
    assert_eq!(zone.reasons().len(), 2);
    zone.button("Скрыть сообщение о файле virus.exe").click();
    until("dismissed", || zone.reasons().len() == 1).await;
    // The focus does not fall back to the page with the removed button.
    let active = document().active_element().expect("focus");
    assert_eq!(active.id(), zone.input().id());
    assert_eq!(
        zone.reasons(),
        [reason_ru(Rejection::UnsupportedFormat, "note.txt")]
    );
    assert_eq!(zone.accepted_names(), ["ok.pdf"]);
}

#[wasm_bindgen_test]
async fn dropped_files_are_taken_and_the_zone_highlights_while_dragging() {
    let zone = Zone::mount();
    let dt = data_transfer(&[file("scan.png", PNG_1X1)]);
    let target = zone.one(".ss-dz");
    target
        .dispatch_event(&event_with("DragEvent", "dragenter", "dataTransfer", &dt))
        .expect("dispatch");
    leptos::task::tick().await;
    assert!(target.class_list().contains("ss-dz-over"));
    let over = event_with("DragEvent", "dragover", "dataTransfer", &dt);
    target.dispatch_event(&over).expect("dispatch");
    assert!(
        over.default_prevented(),
        "dragover must be cancelled to allow the drop"
    );
    let drop = event_with("DragEvent", "drop", "dataTransfer", &dt);
    target.dispatch_event(&drop).expect("dispatch");
    assert!(
        drop.default_prevented(),
        "the browser must not open the file"
    );
    until("dropped", || zone.accepted_names() == ["scan.png"]).await;
    assert!(!target.class_list().contains("ss-dz-over"));
    // Dropping a second batch adds to the list.
    let drop = zone.drop_files(&[file("more.pdf", PDF)]);
    assert!(drop.default_prevented());
    until("second drop", || zone.accepted_names().len() == 2).await;
}

#[wasm_bindgen_test]
async fn a_drop_beside_the_zone_is_refused_not_opened() {
    let zone = Zone::mount();
    let dt = data_transfer(&[file("scan.pdf", PDF)]);
    let body = document().body().expect("body");
    let drop = event_with("DragEvent", "drop", "dataTransfer", &dt);
    body.dispatch_event(&drop).expect("dispatch");
    assert!(drop.default_prevented());
    sleep(50).await;
    assert_eq!(zone.rows(), 0);
}

#[wasm_bindgen_test]
async fn pasted_files_are_taken_and_text_pastes_left_alone() {
    let zone = Zone::mount();
    let dt = data_transfer(&[file("screenshot.png", PNG_1X1)]);
    let paste = event_with("ClipboardEvent", "paste", "clipboardData", &dt);
    document()
        .body()
        .expect("body")
        .dispatch_event(&paste)
        .expect("dispatch");
    assert!(paste.default_prevented());
    until("pasted", || zone.accepted_names() == ["screenshot.png"]).await;

    let text = DataTransfer::new().expect("dt");
    text.set_data("text/plain", "поставка 21573344")
        .expect("set");
    let paste = event_with("ClipboardEvent", "paste", "clipboardData", &text);
    document()
        .body()
        .expect("body")
        .dispatch_event(&paste)
        .expect("dispatch");
    assert!(!paste.default_prevented());
}

#[wasm_bindgen_test]
async fn images_get_a_thumbnail_whose_object_url_is_revoked_on_removal_and_unmount() {
    let mut zone = Zone::mount();
    zone.pick(&[
        file("a.png", PNG_1X1),
        file("b.png", PNG_1X1),
        file("c.pdf", PDF),
    ]);
    until("three accepted", || zone.accepted_names().len() == 3).await;
    let urls: Vec<String> = zone
        .all("img.ss-dz-thumb")
        .iter()
        .filter_map(|i| i.get_attribute("src"))
        .collect();
    assert_eq!(urls.len(), 2, "only images get thumbnails");
    assert!(urls.iter().all(|u| u.starts_with("blob:")));
    assert!(fetches(&urls[0]).await && fetches(&urls[1]).await);

    zone.button("Удалить файл a.png").click();
    until("removed", || zone.accepted_names() == ["b.png", "c.pdf"]).await;
    let active = document().active_element().expect("focus");
    assert_eq!(
        active.id(),
        zone.input().id(),
        "focus moves to the click target"
    );
    assert!(!fetches(&urls[0]).await, "revoked on removal");
    assert!(fetches(&urls[1]).await);

    zone.unmount();
    assert!(!fetches(&urls[1]).await, "revoked on unmount");
}

async fn fetches(url: &str) -> bool {
    let window = web_sys::window().expect("window");
    JsFuture::from(window.fetch_with_str(url)).await.is_ok()
}

#[wasm_bindgen_test]
async fn the_form_can_clear_the_list_and_the_zone_follows() {
    let zone = Zone::mount();
    zone.pick(&[file("a.pdf", PDF)]);
    until("accepted", || zone.accepted_names().len() == 1).await;
    zone.files.set(Vec::new());
    leptos::task::tick().await;
    assert_eq!(zone.rows(), 0);
    assert_eq!(zone.budget(), "Использовано 0 Б из 50 МБ");
    // The same file again is not a duplicate of a file the form removed.
    zone.pick(&[file("a.pdf", PDF)]);
    until("accepted again", || zone.accepted_names().len() == 1).await;
    assert!(zone.reasons().is_empty());
}

#[wasm_bindgen_test]
async fn while_disabled_nothing_is_added_or_removed() {
    let zone = Zone::mount();
    zone.pick(&[file("a.pdf", PDF)]);
    until("accepted", || zone.accepted_names().len() == 1).await;
    zone.disabled.set(true);
    leptos::task::tick().await;
    assert!(zone.input().disabled());
    zone.pick(&[file("b.pdf", PDF)]);
    zone.drop_files(&[file("c.pdf", PDF)]);
    zone.button("Удалить файл a.pdf").click();
    sleep(50).await;
    assert_eq!(zone.accepted_names(), ["a.pdf"]);
    assert_eq!(zone.rows(), 1);
}

#[wasm_bindgen_test]
async fn upload_progress_shows_per_file_and_overall_bars() {
    let zone = Zone::mount();
    zone.pick(&[
        sized_file("a.pdf", PDF, 1000),
        sized_file("b.pdf", PDF, 3000),
    ]);
    until("accepted", || zone.accepted_names().len() == 2).await;
    assert!(zone.all("progress").is_empty(), "no bars before an upload");
    zone.progress.set(Some(Progress {
        loaded: 2000,
        total: Some(4000),
    }));
    leptos::task::tick().await;
    let bars: Vec<(Option<String>, Option<String>)> = zone
        .all("[data-state=accepted] progress")
        .iter()
        .map(|p| (p.get_attribute("value"), p.get_attribute("max")))
        .collect();
    assert_eq!(
        bars,
        [
            (Some("1000".into()), Some("1000".into())),
            (Some("1000".into()), Some("3000".into())),
        ]
    );
    let overall = zone.one(".ss-dz-overall progress");
    assert_eq!(overall.get_attribute("value").as_deref(), Some("2000"));
    assert_eq!(
        overall.get_attribute("aria-label").as_deref(),
        Some("Отправлено")
    );
    zone.progress.set(None);
    leptos::task::tick().await;
    assert!(zone.all("progress").is_empty());
}

#[wasm_bindgen_test]
async fn sniffing_reads_only_the_head_of_a_big_file() {
    let big = sized_file("big.pdf", PDF, MAX_FILE_BYTES as u32);
    let head = read_head(&big).await.expect("read");
    assert_eq!(head.len(), HEAD_BYTES);
    assert_eq!(head, &PDF[..HEAD_BYTES]);
    let tiny = file("t.pdf", b"%PD");
    assert_eq!(read_head(&tiny).await.expect("read"), b"%PD");
}

#[wasm_bindgen_test]
async fn an_english_seller_reads_english() {
    let root: HtmlElement = document()
        .create_element("div")
        .expect("div")
        .unchecked_into();
    document()
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    let files = picked_files();
    let _handle = common::mount_to(root.clone(), move || {
        let i18n = seller_support::i18n::I18n::new(seller_support::i18n::Locale::En);
        provide_context(i18n);
        view! { <DropZone files=files id="en-zone"/> }
    });
    let label = root
        .query_selector("label")
        .ok()
        .flatten()
        .and_then(|l| l.text_content())
        .unwrap_or_default();
    assert!(label.ends_with("Choose a file or drag it here"), "{label}");
    let budget = root
        .query_selector(".ss-dz-budget-text")
        .ok()
        .flatten()
        .and_then(|l| l.text_content())
        .unwrap_or_default();
    assert_eq!(budget, "0 B of 50 MB used");
    let limits = root
        .query_selector(".ss-dz-limits")
        .ok()
        .flatten()
        .and_then(|l| l.text_content())
        .unwrap_or_default();
    assert!(limits.contains("Up to 20 files"), "{limits}");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_form_can_share_the_rejected_list_and_feed_files_itself() {
    use seller_support::components::drop_zone::{RejectedFile, intake};
    let root: HtmlElement = document()
        .create_element("div")
        .expect("div")
        .unchecked_into();
    document()
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    let files = picked_files();
    let rejections: RwSignal<Vec<RejectedFile>> = RwSignal::new(Vec::new());
    let _handle = common::mount_to(root.clone(), move || {
        view! { <DropZone files=files rejections=rejections id="shared-zone"/> }
    });
    // As a form restoring a draft would: straight into the policy, no input involved.
    intake(
        files,
        rejections,
        vec![file("kept.pdf", PDF), file("broken.pdf", EXE)],
    );
    until("both listed", || {
        rejections.with_untracked(|r| r.len()) == 1 && files.with_untracked(|f| f.len()) == 1
    })
    .await;
    leptos::task::tick().await;
    let reason = root
        .query_selector("[data-state=rejected] .ss-dz-reason")
        .ok()
        .flatten()
        .and_then(|e| e.text_content());
    assert_eq!(
        reason,
        Some(reason_ru(Rejection::ContentMismatch, "broken.pdf"))
    );
    root.remove();
}
