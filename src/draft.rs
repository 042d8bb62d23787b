//! Drafts that survive a reload, a crash and a failed submit, and belong to one seller.
//!
//! The text fields go to localStorage (synchronous, tiny); the attachments go to IndexedDB, which
//! stores `File` objects as they are (structured clone), so a reload gets the same files back
//! without the seller picking them again. Every storage failure (private mode, quota, a browser
//! without IndexedDB) is swallowed: the draft is a convenience, never a reason to break the form.
//!
//! A shared computer or a switch of cabinet accounts must not show one seller's unsent words (a
//! card number, perhaps) to the next one, nor send them under the next one's name. So nothing is
//! read or written before the server named the session's seller ([`Drafts::for_session`]); every
//! key carries that seller, and when the browser meets a seller other than the last one, all
//! drafts it holds (texts, idempotency keys, files) are deleted first.

use crate::api::Api;
use js_sys::{Array, Promise};
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, IdbDatabase, IdbRequest, IdbTransactionMode};

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Every draft key starts with this; [`forget_all`] deletes whatever does.
const PREFIX: &str = "seller-support.draft.";
/// The seller whose drafts this browser holds.
const OWNER: &str = "seller-support.draft-owner";
/// Keys of the app before drafts had an owner: they may be anyone's.
const UNOWNED: [&str; 3] = [
    "seller-support.new-dialog",
    "seller-support.reply-draft.",
    "seller-support.reply-key.",
];

/// The draft name under which the dialog page hands a reply that could not go out (its dialog
/// closed) to «Новый диалог», which adds it to its comment and forgets it.
pub const CARRIED: &str = "new-dialog.carried";

/// The drafts of the seller the server confirmed for this session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drafts {
    seller: String,
}

impl Drafts {
    /// Asks the server whose session this is and claims the browser's drafts for that seller;
    /// `None` (no drafts read or written) when the server cannot say.
    pub async fn for_session(api: &Api) -> Option<Drafts> {
        let seller = api.session().await.ok()?.seller;
        Some(Drafts::claim(&seller).await)
    }

    /// The drafts of `seller`; every draft of another seller is deleted from this browser first.
    pub async fn claim(seller: &str) -> Drafts {
        let storage = local_storage();
        let owner = storage
            .as_ref()
            .and_then(|s| s.get_item(OWNER).ok().flatten());
        if owner.as_deref() != Some(seller) {
            forget_all().await;
            if let Some(s) = &storage {
                let _ = s.set_item(OWNER, seller);
            }
        }
        Drafts {
            seller: seller.to_string(),
        }
    }

    /// The storage key of draft `name`. The seller's length comes first, so no two
    /// (seller, name) pairs share a key.
    pub fn key(&self, name: &str) -> String {
        format!("{PREFIX}{}:{}.{name}", self.seller.len(), self.seller)
    }

    /// Reads a JSON value saved as `name`; anything unreadable counts as no draft.
    pub fn load<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        let raw = local_storage()?.get_item(&self.key(name)).ok()??;
        serde_json::from_str(&raw).ok()
    }

    pub fn save<T: Serialize>(&self, name: &str, value: &T) {
        if let Ok(json) = serde_json::to_string(value) {
            self.save_text(name, &json);
        }
    }

    pub fn load_text(&self, name: &str) -> Option<String> {
        local_storage()?.get_item(&self.key(name)).ok()?
    }

    pub fn save_text(&self, name: &str, text: &str) {
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(&self.key(name), text);
        }
    }

    pub fn remove(&self, name: &str) {
        if let Some(storage) = local_storage() {
            let _ = storage.remove_item(&self.key(name));
        }
    }

    /// Saves the files of draft `name`, replacing what was saved before.
    pub async fn save_files(&self, name: &str, files: &[File]) {
        let _ = save_files_inner(&self.key(name), files).await;
    }

    /// The files saved for draft `name` (empty when there are none or storage fails).
    pub async fn load_files(&self, name: &str) -> Vec<File> {
        load_files_inner(&self.key(name)).await.unwrap_or_default()
    }

    /// Forgets the files of draft `name`.
    pub async fn clear_files(&self, name: &str) {
        let _ = with_store(IdbTransactionMode::Readwrite, |store| {
            store.delete(&JsValue::from_str(&self.key(name)))
        })
        .await;
    }
}

/// Deletes every draft this browser holds, of any seller: texts and keys, then files.
pub async fn forget_all() {
    if let Some(storage) = local_storage() {
        let keys: Vec<String> = (0..storage.length().unwrap_or(0))
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|k| k.starts_with(PREFIX) || UNOWNED.iter().any(|u| k.starts_with(u)))
            .collect();
        for k in keys {
            let _ = storage.remove_item(&k);
        }
    }
    let _ = with_store(IdbTransactionMode::Readwrite, |store| store.clear()).await;
}

/// A random id for idempotency keys: 128 bits from the browser's CSPRNG.
pub fn random_id() -> String {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    // `crypto.randomUUID` exists only in secure contexts: an app served over plain HTTP (a test
    // stand, an intranet cabinet) has `getRandomValues` alone, which is just as random.
    let has_uuid = crypto.as_ref().is_some_and(|c| {
        js_sys::Reflect::get(c, &JsValue::from_str("randomUUID")).is_ok_and(|f| f.is_function())
    });
    if let Some(c) = crypto.as_ref().filter(|_| has_uuid) {
        return c.random_uuid();
    }
    let mut bytes = [0u8; 16];
    if let Some(c) = &crypto
        && c.get_random_values_with_u8_array(&mut bytes).is_ok()
    {
        return uuid_v4(bytes);
    }
    // No Web Crypto at all (very old browsers): time plus Math.random is still unique enough
    // for one seller's drafts.
    format!(
        "{:x}-{:x}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 1e15) as u64
    )
}

/// 16 random bytes as a version-4 UUID, the form `randomUUID` gives.
pub fn uuid_v4(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

const DB_NAME: &str = "seller-support-drafts";
const STORE: &str = "files";

/// Turns an IDBRequest into a future of its result.
async fn request_done(req: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = Promise::new(&mut |resolve, reject| {
        let req2 = req.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &req2.result().unwrap_or(JsValue::UNDEFINED));
        });
        let fail = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(fail.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

async fn open_db() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or(JsValue::NULL)?
        .indexed_db()?
        .ok_or(JsValue::NULL)?;
    let open = factory.open_with_u32(DB_NAME, 1)?;
    let upgrade = Closure::once_into_js({
        let open = open.clone();
        move || {
            if let Ok(db) = open.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    open.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = request_done(&open).await?;
    db.dyn_into::<IdbDatabase>()
}

async fn with_store(
    mode: IdbTransactionMode,
    op: impl FnOnce(&web_sys::IdbObjectStore) -> Result<IdbRequest, JsValue>,
) -> Result<JsValue, JsValue> {
    let db = open_db().await?;
    let tx = db.transaction_with_str_and_mode(STORE, mode)?;
    let req = op(&tx.object_store(STORE)?)?;
    let value = request_done(&req).await;
    db.close();
    value
}

async fn save_files_inner(key: &str, files: &[File]) -> Result<(), JsValue> {
    let list: Array = files.iter().collect();
    with_store(IdbTransactionMode::Readwrite, |store| {
        store.put_with_key(&list, &JsValue::from_str(key))
    })
    .await
    .map(|_| ())
}

async fn load_files_inner(key: &str) -> Result<Vec<File>, JsValue> {
    let value = with_store(IdbTransactionMode::Readonly, |store| {
        store.get(&JsValue::from_str(key))
    })
    .await?;
    if !Array::is_array(&value) {
        return Ok(Vec::new());
    }
    Ok(Array::from(&value)
        .iter()
        .filter_map(|v| v.dyn_into::<File>().ok())
        .collect())
}
