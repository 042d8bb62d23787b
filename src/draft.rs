//! Drafts that survive a reload, a crash and a failed submit.
//!
//! The text fields go to localStorage (synchronous, tiny); the attachments go to IndexedDB, which
//! stores `File` objects as they are (structured clone), so a reload gets the same files back
//! without the seller picking them again. Every storage failure (private mode, quota, a browser
//! without IndexedDB) is swallowed: the draft is a convenience, never a reason to break the form.

use js_sys::{Array, Promise};
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, IdbDatabase, IdbRequest, IdbTransactionMode};

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Reads a JSON value saved under `key`; anything unreadable counts as no draft.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let raw = local_storage()?.get_item(key).ok()??;
    serde_json::from_str(&raw).ok()
}

pub fn save<T: Serialize>(key: &str, value: &T) {
    if let (Some(storage), Ok(json)) = (local_storage(), serde_json::to_string(value)) {
        let _ = storage.set_item(key, &json);
    }
}

pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// A random id for idempotency keys: 128 bits from the browser's CSPRNG.
pub fn random_id() -> String {
    let from_crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid());
    from_crypto.unwrap_or_else(|| {
        // Browsers without crypto.randomUUID (very old ones): time plus Math.random is still
        // unique enough for one seller's drafts.
        format!(
            "{:x}-{:x}",
            js_sys::Date::now() as u64,
            (js_sys::Math::random() * 1e15) as u64
        )
    })
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

/// Saves the files of draft `key`, replacing what was saved before.
pub async fn save_files(key: &str, files: &[File]) {
    let _ = save_files_inner(key, files).await;
}

async fn save_files_inner(key: &str, files: &[File]) -> Result<(), JsValue> {
    let db = open_db().await?;
    let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?;
    let store = tx.object_store(STORE)?;
    let list: Array = files.iter().collect();
    let req = store.put_with_key(&list, &JsValue::from_str(key))?;
    request_done(&req).await?;
    db.close();
    Ok(())
}

/// The files saved for draft `key` (empty when there are none or storage fails).
pub async fn load_files(key: &str) -> Vec<File> {
    load_files_inner(key).await.unwrap_or_default()
}

async fn load_files_inner(key: &str) -> Result<Vec<File>, JsValue> {
    let db = open_db().await?;
    let tx = db.transaction_with_str(STORE)?;
    let store = tx.object_store(STORE)?;
    let req = store.get(&JsValue::from_str(key))?;
    let value = request_done(&req).await?;
    db.close();
    if !Array::is_array(&value) {
        return Ok(Vec::new());
    }
    Ok(Array::from(&value)
        .iter()
        .filter_map(|v| v.dyn_into::<File>().ok())
        .collect())
}

/// Forgets the files of draft `key`.
pub async fn clear_files(key: &str) {
    let _ = async {
        let db = open_db().await?;
        let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?;
        let req = tx.object_store(STORE)?.delete(&JsValue::from_str(key))?;
        request_done(&req).await?;
        db.close();
        Ok::<(), JsValue>(())
    }
    .await;
}
