//! The attachment drop zone: pick, drop or paste files; see at once which were accepted and why
//! the others were not.
//!
//! Every rule (formats, sizes, content, duplicates, the 50 MiB budget) comes from
//! [`domain::attachments`]; this file only gathers what the browser knows about a file (name,
//! size, `lastModified` and the first [`HEAD_BYTES`] bytes read with `Blob.slice`) and shows the
//! verdicts. The accepted files live in a signal the form owns ([`PickedFiles`]), so the form can
//! send them and keep them when sending fails; rejected files stay listed with their reason until
//! the seller dismisses them.
//!
//! ```ignore
//! let files = picked_files();
//! view! { <DropZone files=files progress=upload_progress disabled=sending/> }
//! ```

use std::cell::Cell;

use domain::attachments::{
    ACCEPT_ATTRIBUTE, Batch, Candidate, Fingerprint, HEAD_BYTES, MAX_FILES, MAX_TOTAL_BYTES,
    Rejection, check_file, check_file_count, clean_file_name,
};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DataTransfer, File, FileList};

use crate::i18n::drop_zone as texts;
use crate::i18n::{Locale, use_i18n};
// The file type lives with the upload that sends it, so the upload does not import this view.
pub use crate::upload::PickedFile;
use crate::upload::{Progress, f64_to_u64, per_file_progress};

/// The accepted files of one message. `web_sys::File` is not `Send`, hence local storage.
pub type PickedFiles = RwSignal<Vec<PickedFile>, LocalStorage>;

/// A new, empty [`PickedFiles`] owned by the calling component (the form).
pub fn picked_files() -> PickedFiles {
    RwSignal::new_local(Vec::new())
}

/// A file the policy refused, listed until dismissed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectedFile {
    /// Unique within the page.
    pub key: u64,
    /// The file name.
    pub name: String,
    /// The size in bytes.
    pub size: u64,
    /// Why it was refused.
    pub reason: Rejection,
}

/// The total of the accepted files.
pub fn used_bytes(files: &[PickedFile]) -> u64 {
    files.iter().map(PickedFile::size).sum()
}

thread_local! {
    static NEXT_KEY: Cell<u64> = const { Cell::new(1) };
}

fn next_key() -> u64 {
    NEXT_KEY.with(|k| {
        let key = k.get();
        k.set(key.wrapping_add(1));
        key
    })
}

/// Reads the first [`HEAD_BYTES`] of a file; never more, whatever its size.
pub async fn read_head(file: &File) -> Result<Vec<u8>, wasm_bindgen::JsValue> {
    let blob = file.slice_with_i32_and_i32(0, HEAD_BYTES as i32)?;
    let buffer = JsFuture::from(blob.array_buffer()).await?;
    let buffer: js_sys::ArrayBuffer = buffer.dyn_into()?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A file with everything the batch check needs.
struct Prepared {
    file: File,
    name: String,
    size: u64,
    head: Vec<u8>,
    fingerprint: Fingerprint,
}

fn rejected(name: String, size: u64, reason: Rejection) -> RejectedFile {
    RejectedFile {
        key: next_key(),
        name,
        size,
        reason,
    }
}

async fn prepare(file: File) -> Result<Prepared, RejectedFile> {
    // Shown, checked and sent under the name the server keeps (no bidi overrides or paths).
    let name = clean_file_name(&file.name());
    let size = f64_to_u64(file.size());
    // Checks that need no content (format, empty, too large) run first, as in the policy; only
    // "content does not match yet" means the head is worth reading.
    match check_file(&name, size, &[]) {
        Err(Rejection::ContentMismatch) | Ok(_) => {}
        Err(reason) => return Err(rejected(name, size, reason)),
    }
    let head = match read_head(&file).await {
        Ok(head) => head,
        Err(_) => return Err(rejected(name, size, Rejection::Unreadable)),
    };
    // The browser's identity for `duplicate`: see domain::attachments, "What duplicate means".
    let fingerprint = Fingerprint::of_head(&head, size, f64_to_u64(file.last_modified()));
    Ok(Prepared {
        file,
        name,
        size,
        head,
        fingerprint,
    })
}

/// Offers prepared files, in order, to a batch holding the files accepted so far.
fn offer_all(
    files: PickedFiles,
    rejections: RwSignal<Vec<RejectedFile>>,
    prepared: Vec<Result<Prepared, RejectedFile>>,
) {
    // The form may have removed or cleared files meanwhile: rebuild the batch from its list.
    let Some(mut batch) = files.try_with_untracked(|current| {
        let mut batch = Batch::new();
        for picked in current {
            let _ = batch.offer(&picked.candidate());
        }
        batch
    }) else {
        return;
    };
    let mut accepted = Vec::new();
    let mut refused = Vec::new();
    for item in prepared {
        match item {
            Ok(p) => {
                let candidate = Candidate {
                    name: &p.name,
                    size: p.size,
                    head: &p.head,
                    fingerprint: p.fingerprint,
                };
                match batch.offer(&candidate) {
                    Ok(verdict) => accepted.push(PickedFile {
                        key: next_key(),
                        file: p.file,
                        head: p.head,
                        accepted: verdict,
                    }),
                    Err(reason) => refused.push(rejected(p.name, p.size, reason)),
                }
            }
            Err(r) => refused.push(r),
        }
    }
    if !accepted.is_empty() {
        files.try_update(|list| list.extend(accepted));
    }
    if !refused.is_empty() {
        rejections.try_update(|list| list.extend(refused));
    }
}

/// Checks `incoming` in order and adds each file to `files` or to `rejections`. Public so a form
/// can feed files from elsewhere (e.g. its own paste target); the drop zone uses it for picks,
/// drops and pastes.
pub fn intake(files: PickedFiles, rejections: RwSignal<Vec<RejectedFile>>, incoming: Vec<File>) {
    if incoming.is_empty() {
        return;
    }
    let Some(mut fits) = files.try_with_untracked(Vec::len) else {
        return;
    };
    spawn_local(async move {
        let mut prepared = Vec::new();
        let mut refused_for_count = 0usize;
        for file in incoming {
            // Past the file limit a file is refused without being read: a drop of a whole folder
            // costs no reads. (The batch below re-checks the count on what it accepts.)
            if check_file_count(fits, 1).is_err() {
                // One row per refused file, but not thousands: the first ones say what happened.
                if refused_for_count < MAX_FILES {
                    let (name, size) = (file.name(), f64_to_u64(file.size()));
                    prepared.push(Err(rejected(name, size, Rejection::TooManyFiles)));
                }
                refused_for_count += 1;
                continue;
            }
            let p = prepare(file).await;
            fits += usize::from(p.is_ok());
            prepared.push(p);
        }
        offer_all(files, rejections, prepared);
    });
}

fn file_list(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

fn carries_files(dt: &DataTransfer) -> bool {
    dt.types()
        .iter()
        .any(|t| t.as_string().as_deref() == Some("Files"))
}

/// The seller's message for a refused file.
pub fn reason_text(locale: Locale, reason: Rejection, name: &str) -> String {
    texts::rejection(locale, reason, name)
}

/// The drop zone. `files` is the form's list of accepted files; `progress`, while an upload
/// runs, shows per-file and overall progress bars; `disabled` (e.g. while sending) blocks
/// changes to the list.
#[component]
pub fn DropZone(
    /// The accepted files, owned by the form.
    files: PickedFiles,
    /// The id of the file input (and the prefix of the other ids), unique on the page.
    #[prop(optional, into)]
    id: Option<String>,
    /// Bytes sent of the current upload, if one runs.
    #[prop(optional, into)]
    progress: MaybeProp<Progress>,
    /// Blocks picking, dropping, pasting and removing.
    #[prop(optional, into)]
    disabled: MaybeProp<bool>,
    /// The refused files, when the form wants to list its own refusals here too (e.g. files of
    /// a restored draft fed through [`intake`]); the zone keeps its own list otherwise.
    #[prop(optional)]
    rejections: Option<RwSignal<Vec<RejectedFile>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = id.unwrap_or_else(|| "ss-attachments".to_owned());
    let hint_id = format!("{id}-limits");
    let budget_id = format!("{id}-budget");
    let list_label_id = format!("{id}-list-label");

    let rejections = rejections.unwrap_or_else(|| RwSignal::new(Vec::new()));
    let over = RwSignal::new(false);
    // dragenter/dragleave fire for every child the pointer crosses; count them to know when
    // the drag really left the zone.
    let drag_depth = StoredValue::new(0i32);
    let zone_ref = NodeRef::<leptos::html::Div>::new();
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let is_disabled = move || disabled.get().unwrap_or(false);

    let take = move |incoming: Vec<File>| {
        if !is_disabled() {
            intake(files, rejections, incoming);
        }
    };

    let on_change = move |_: ev::Event| {
        let Some(input) = input_ref.get_untracked() else {
            return;
        };
        take(file_list(input.files()));
        // Reset so picking the same file again fires `change` (and is reported as a duplicate).
        input.set_value("");
    };
    let on_dragenter = move |e: ev::DragEvent| {
        if e.data_transfer().is_some_and(|dt| carries_files(&dt)) {
            e.prevent_default();
            drag_depth.update_value(|d| *d += 1);
            over.set(true);
        }
    };
    let on_dragover = move |e: ev::DragEvent| {
        if let Some(dt) = e.data_transfer().filter(carries_files) {
            // Without preventDefault the browser would not let the zone take the drop.
            e.prevent_default();
            e.stop_propagation();
            dt.set_drop_effect(if is_disabled() { "none" } else { "copy" });
        }
    };
    let on_dragleave = move |_: ev::DragEvent| {
        drag_depth.update_value(|d| *d = (*d - 1).max(0));
        if drag_depth.get_value() == 0 {
            over.set(false);
        }
    };
    let on_drop = move |e: ev::DragEvent| {
        e.prevent_default();
        e.stop_propagation();
        drag_depth.set_value(0);
        over.set(false);
        take(file_list(e.data_transfer().and_then(|dt| dt.files())));
    };

    // A file dropped beside the zone would make the browser open it and leave the page with
    // everything typed: refuse such drops (the cursor shows "not allowed") instead.
    let guard_over = window_event_listener(ev::dragover, move |e: ev::DragEvent| {
        if let Some(dt) = e.data_transfer().filter(carries_files) {
            e.prevent_default();
            dt.set_drop_effect("none");
        }
    });
    let guard_drop = window_event_listener(ev::drop, move |e: ev::DragEvent| {
        if e.data_transfer().is_some_and(|dt| carries_files(&dt)) {
            e.prevent_default();
        }
    });
    // Screenshots are pasted anywhere on the page (often into the comment): take the files, leave
    // text pastes alone.
    let paste = window_event_listener(ev::paste, move |e: ev::ClipboardEvent| {
        let pasted = file_list(e.clipboard_data().and_then(|dt| dt.files()));
        if !pasted.is_empty() {
            e.prevent_default();
            take(pasted);
        }
    });
    on_cleanup(move || {
        guard_over.remove();
        guard_drop.remove();
        paste.remove();
    });

    let t = move || texts::strings(i18n.locale());
    let used = move || files.with(|f| used_bytes(f));
    let budget_text = Signal::derive(move || {
        let locale = i18n.locale();
        let size = |bytes| crate::format::size(locale, bytes);
        texts::budget(locale, &size(used()), &size(MAX_TOTAL_BYTES))
    });
    let accepted_keys = move || files.with(|f| f.iter().map(|p| p.key).collect::<Vec<_>>());
    let rejected_keys = move || rejections.with(|r| r.iter().map(|x| x.key).collect::<Vec<_>>());

    // The pressed button disappears with its row: put the keyboard focus somewhere predictable
    // (the click target) instead of letting it fall back to the page.
    let refocus = move || {
        if let Some(input) = input_ref.get_untracked() {
            let _ = input.focus();
        }
    };
    let remove = move |key: u64| {
        if !is_disabled() {
            files.update(|list| list.retain(|p| p.key != key));
            refocus();
        }
    };
    let dismiss = move |key: u64| {
        rejections.update(|list| list.retain(|r| r.key != key));
        refocus();
    };

    let per_file = move |key: u64| -> Option<(u64, u64)> {
        let p = progress.get()?;
        files.with(|list| {
            let sizes: Vec<u64> = list.iter().map(PickedFile::size).collect();
            let index = list.iter().position(|f| f.key == key)?;
            let done = per_file_progress(&sizes, p);
            Some((done.get(index).copied().unwrap_or(0), sizes[index]))
        })
    };

    let accepted_row = move |key: u64| {
        let picked = files.with_untracked(|list| list.iter().find(|p| p.key == key).cloned());
        picked.map(|picked| {
            let name = picked.name().to_owned();
            let size = picked.size();
            let kind = picked.kind();
            let preview = kind
                .is_image()
                .then(|| web_sys::Url::create_object_url_with_blob(&picked.file).ok())
                .flatten();
            if let Some(url) = preview.clone() {
                // Runs when the row goes (removed, list cleared) or the zone unmounts.
                on_cleanup(move || {
                    let _ = web_sys::Url::revoke_object_url(&url);
                });
            }
            let remove_label = {
                let name = name.clone();
                Signal::derive(move || format!("{} {}", t().remove, name))
            };
            let progress_label = {
                let name = name.clone();
                Signal::derive(move || format!("{} {}", t().sent, name))
            };
            view! {
                <li class="ss-dz-item" data-state="accepted">
                    {match preview {
                        Some(url) => view! {
                            <img class="ss-dz-thumb" src=url alt="" width="40" height="40"/>
                        }.into_any(),
                        None => view! {
                            <span class="ss-dz-icon" aria-hidden="true">{kind.label()}</span>
                        }.into_any(),
                    }}
                    <span class="ss-dz-name">{name.clone()}</span>
                    <span class="ss-dz-meta">
                        {Signal::derive(move || crate::format::size(i18n.locale(), size))} " · " {kind.label()}
                    </span>
                    <button
                        type="button"
                        class="ss-dz-remove"
                        aria-label=remove_label
                        disabled=is_disabled
                        on:click=move |_| remove(key)
                    >
                        <span aria-hidden="true">"×"</span>
                    </button>
                    {move || per_file(key).map(|(done, of)| view! {
                        <progress
                            class="ss-dz-progress"
                            max=of.to_string()
                            value=done.to_string()
                            aria-label=progress_label
                        ></progress>
                    })}
                </li>
            }
        })
    };

    let rejected_row = move |key: u64| {
        let item = rejections.with_untracked(|list| list.iter().find(|r| r.key == key).cloned());
        item.map(|item| {
            let RejectedFile {
                name, size, reason, ..
            } = item;
            let dismiss_label = {
                let name = name.clone();
                Signal::derive(move || format!("{} {}", t().dismiss, name))
            };
            view! {
                <li class="ss-dz-item ss-dz-rejected" data-state="rejected" data-code=reason.code()>
                    <span class="ss-dz-icon" aria-hidden="true">"!"</span>
                    <span class="ss-dz-reason">
                        {Signal::derive(move || reason_text(i18n.locale(), reason, &name))}
                    </span>
                    <span class="ss-dz-meta">{Signal::derive(move || crate::format::size(i18n.locale(), size))}</span>
                    <button
                        type="button"
                        class="ss-dz-remove"
                        aria-label=dismiss_label
                        on:click=move |_| dismiss(key)
                    >
                        <span aria-hidden="true">"×"</span>
                    </button>
                </li>
            }
        })
    };

    let overall = move || {
        progress.get().and_then(|p| {
            let total = p.total?;
            Some(view! {
                <div class="ss-dz-overall">
                    <progress
                        class="ss-dz-progress"
                        max=total.to_string()
                        value=p.loaded.min(total).to_string()
                        aria-label=i18n.tr_in(texts::strings, |s| s.sent)
                    ></progress>
                    <span>
                        {Signal::derive(move || format!(
                            "{} {} / {}",
                            t().sent,
                            crate::format::size(i18n.locale(), p.loaded.min(total)),
                            crate::format::size(i18n.locale(), total),
                        ))}
                    </span>
                </div>
            })
        })
    };

    view! {
        <div
            class="ss-dz"
            class=("ss-dz-over", over)
            class=("ss-dz-disabled", is_disabled)
            node_ref=zone_ref
            on:dragenter=on_dragenter
            on:dragover=on_dragover
            on:dragleave=on_dragleave
            on:drop=on_drop
        >
            <input
                node_ref=input_ref
                id=id.clone()
                class="ss-dz-input"
                type="file"
                multiple=true
                accept=ACCEPT_ATTRIBUTE
                aria-describedby=format!("{hint_id} {budget_id}")
                disabled=is_disabled
                on:change=on_change
            />
            <label for=id.clone() class="ss-dz-target">
                <span class="ss-dz-plus" aria-hidden="true">"+"</span>
                <span class="ss-dz-pick">
                    {i18n.tr_in(texts::strings, |s| s.pick)}
                    <span class="ss-dz-drag">{i18n.tr_in(texts::strings, |s| s.drag)}</span>
                </span>
            </label>
            <ul class="ss-dz-limits" id=hint_id>
                <li>{i18n.tr_in(texts::strings, |s| s.formats)}</li>
                <li>{i18n.tr_in(texts::strings, |s| s.file_limit)}</li>
                <li>{i18n.tr_in(texts::strings, |s| s.count_limit)}</li>
                <li>{i18n.tr_in(texts::strings, |s| s.total_limit)}</li>
            </ul>
            <div class="ss-dz-budget">
                <meter
                    class="ss-dz-meter"
                    min="0"
                    max=MAX_TOTAL_BYTES.to_string()
                    value=Signal::derive(move || used().to_string())
                    aria-labelledby=budget_id.clone()
                ></meter>
                <span class="ss-dz-budget-text" id=budget_id.clone()>{budget_text}</span>
            </div>
            {overall}
            <span class="ss-dz-visually-hidden" id=list_label_id.clone()>{i18n.tr_in(texts::strings, |s| s.files_label)}</span>
            <ul class="ss-dz-list" aria-live="polite" aria-labelledby=list_label_id>
                <For each=accepted_keys key=|k| *k let:key>
                    {accepted_row(key)}
                </For>
                <For each=rejected_keys key=|k| *k let:key>
                    {rejected_row(key)}
                </For>
            </ul>
        </div>
    }
}
