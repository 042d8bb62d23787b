//! Browser tests of the drafts' storage: they belong to one seller, files in IndexedDB included,
//! and idempotency keys are made where `crypto.randomUUID` is missing (plain-HTTP origins).
#![cfg(target_arch = "wasm32")]

use seller_support::draft::{Drafts, random_id};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
let saved;
export function hide_random_uuid() {
  saved = Object.getOwnPropertyDescriptor(Crypto.prototype, 'randomUUID');
  delete Crypto.prototype.randomUUID;
}
export function restore_random_uuid() {
  if (saved) Object.defineProperty(Crypto.prototype, 'randomUUID', saved);
}
export function has_random_uuid() { return typeof crypto.randomUUID === 'function'; }
export function a_file(name, text) { return new File([text], name, { type: 'application/pdf' }); }
"#)]
extern "C" {
    fn hide_random_uuid();
    fn restore_random_uuid();
    fn has_random_uuid() -> bool;
    fn a_file(name: &str, text: &str) -> web_sys::File;
}

fn is_uuid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && parts[2].starts_with('4')
        && matches!(parts[3].chars().next(), Some('8' | '9' | 'a' | 'b'))
}

#[wasm_bindgen_test]
fn idempotency_keys_come_from_get_random_values_without_random_uuid() {
    hide_random_uuid();
    assert!(
        !has_random_uuid(),
        "the stand-in for a plain-HTTP origin works"
    );
    let (a, b) = (random_id(), random_id());
    restore_random_uuid();
    assert!(is_uuid_v4(&a), "{a}");
    assert_ne!(a, b);
    assert!(is_uuid_v4(&random_id()));
}

#[wasm_bindgen_test]
async fn a_new_seller_gets_none_of_the_previous_sellers_texts_keys_or_files() {
    let a = Drafts::claim("seller-a").await;
    a.save_text("reply.13718172", "текст продавца А");
    a.save_text("reply-key.13718172", "ключ");
    a.save_files("new-dialog.files.k1", &[a_file("акт.pdf", "%PDF-1.4")])
        .await;
    assert_eq!(a.load_files("new-dialog.files.k1").await.len(), 1);

    // The same seller again (a reload): everything is still there.
    let again = Drafts::claim("seller-a").await;
    assert_eq!(
        again.load_text("reply.13718172").as_deref(),
        Some("текст продавца А")
    );
    assert_eq!(again.load_files("new-dialog.files.k1").await.len(), 1);

    // Another seller: nothing under their names, and seller A's drafts are gone.
    let b = Drafts::claim("seller-b").await;
    assert_ne!(b.key("reply.13718172"), a.key("reply.13718172"));
    assert_eq!(b.load_text("reply.13718172"), None);
    assert_eq!(a.load_text("reply.13718172"), None);
    assert_eq!(a.load_text("reply-key.13718172"), None);
    assert!(a.load_files("new-dialog.files.k1").await.is_empty());
    assert!(b.load_files("new-dialog.files.k1").await.is_empty());
}
