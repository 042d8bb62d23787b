//! The thread: the seller's and support's messages, oldest first, with their files.
//!
//! Message text is put into the page as text nodes only, never as HTML: whatever a seller or an
//! agent typed (tags, scripts, entities) shows exactly as typed. Line breaks are kept by CSS
//! (`white-space: pre-wrap` on `.ss-message-text`).

use crate::context::use_api;
use crate::format::{civil_from_days, date_time, local_offset_min, size};
use crate::i18n::{dialog::strings, use_i18n};
use domain::api::{AttachmentInfo, Author, Message};
use leptos::prelude::*;

/// The messages of one dialog. Keyed by message id, so a refresh that brings a new answer only
/// appends it and leaves the rest of the list (and the reader's place in it) alone.
#[component]
pub fn Thread(#[prop(into)] messages: Signal<Vec<Message>>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = Memo::new(move |_| messages.with(Vec::is_empty));
    view! {
        <section class="ss-thread-section" aria-labelledby="ss-thread-title">
            <h2 id="ss-thread-title">{i18n.tr_in(strings, |s| s.thread_label)}</h2>
            <Show
                when=move || !empty.get()
                fallback=move || view! { <p class="ss-muted">{i18n.tr_in(strings, |s| s.no_messages)}</p> }
            >
                <ol class="ss-thread">
                    <For each=move || messages.get() key=|m| m.id let:message>
                        <MessageItem message=message/>
                    </For>
                </ol>
            </Show>
        </section>
    }
}

#[component]
fn MessageItem(message: Message) -> impl IntoView {
    let i18n = use_i18n();
    let s = move || strings(i18n.locale());
    let (class, author) = match message.author {
        Author::Seller => ("ss-message ss-message-seller", true),
        Author::Support => ("ss-message ss-message-support", false),
    };
    let at = message.created_at;
    let attachments = (!message.attachments.is_empty()).then(|| {
        let files = message.attachments.clone();
        view! {
            <ul class="ss-attachments" aria-label=i18n.tr_in(strings, |s| s.attachments_label)>
                {files.into_iter().map(|att| view! { <li><AttachmentLink att=att/></li> }).collect_view()}
            </ul>
        }
    });
    view! {
        <li class=class>
            <div class="ss-message-head">
                <span class="ss-message-author">
                    {Signal::derive(move || if author { s().author_seller } else { s().author_support })}
                </span>
                <time datetime=iso_utc(at)>
                    {Signal::derive(move || date_time(i18n.locale(), at, local_offset_min(at)))}
                </time>
            </div>
            <div class="ss-message-text">{message.text}</div>
            {attachments}
        </li>
    }
}

/// A download link: the file name and its size. The name is the uploader's and is shown as text;
/// the link goes to the API's download endpoint by the attachment's opaque id.
#[component]
fn AttachmentLink(att: AttachmentInfo) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let href = api.url(&att.download_path());
    let bytes = att.size;
    let name = att.name.clone();
    let file_name = att.name;
    view! {
        <a class="ss-attachment" href=href download=file_name>
            <span class="ss-attachment-name">{name}</span>
            <span class="ss-muted">{Signal::derive(move || size(i18n.locale(), bytes))}</span>
        </a>
    }
}

/// `2023-04-07T10:00Z` for `<time datetime>`, without asking the browser.
fn iso_utc(unix_ms: i64) -> String {
    let (y, m, d) = civil_from_days(unix_ms.div_euclid(86_400_000));
    let mins = unix_ms.div_euclid(60_000).rem_euclid(1440);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}Z", mins / 60, mins % 60)
}

#[cfg(test)]
mod tests {
    use super::iso_utc;

    #[test]
    fn machine_readable_times_are_utc() {
        assert_eq!(iso_utc(1_680_861_600_000), "2023-04-07T10:00Z");
        assert_eq!(iso_utc(1_680_911_000_000), "2023-04-07T23:43Z");
        assert_eq!(iso_utc(0), "1970-01-01T00:00Z");
    }
}
