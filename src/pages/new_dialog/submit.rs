//! Sending the form: validation first, the secret check on the text as it is at that moment, then
//! one multipart upload under the draft's `Idempotency-Key`, and the answer put where the seller
//! looks (the new dialog's page, a field's error, or the failure box with «Повторить»).

use super::form::{Field, FieldError, Form};
use super::saved::{DRAFT_NAME, files_name};
use crate::api::{Api, ApiError, CSRF_HEADER, CSRF_VALUE};
use crate::components::comment_helper::{analyze_choice, needs_secret_confirmation};
use crate::context::Shared;
use crate::draft::Drafts;
use crate::i18n::new_dialog::{NewDialogStrings, strings};
use crate::i18n::{I18n, Strings};
use crate::upload::{Progress, Upload, UploadCanceller, UploadError, UploadRequest, append_files};
use domain::api::{CreatedDialog, IDEMPOTENCY_KEY_HEADER, codes, fields};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where a submit stands; `Copy`, like the form.
#[derive(Clone, Copy)]
pub(super) struct Submit {
    pub sending: RwSignal<bool>,
    /// Bytes of the upload sent so far, while sending.
    pub progress: RwSignal<Option<Progress>>,
    /// The message of a failed submit, shown above the button with a retry.
    pub failure: RwSignal<Option<String>>,
    pub canceller: StoredValue<Option<UploadCanceller>, LocalStorage>,
    /// The seller confirmed sending a comment with a secret or a card number in it.
    pub secret_ack: RwSignal<bool>,
    /// A submit waits for that confirmation.
    pub secret_pending: RwSignal<bool>,
    // Read from the context when the page is built: a click runs outside any owner.
    api: StoredValue<Api>,
    i18n: I18n,
    shared: Shared,
    /// Moves to an app path (the new dialog's page once it exists).
    go: Callback<String>,
    /// The earlier dialog this one continues (`?follows=` from «Создать новый диалог»).
    follows: Option<u64>,
    /// Told `seller-support:dialog-created` (none outside the app, in component tests).
    host: Option<crate::host::Host>,
}

impl Submit {
    pub(super) fn new(
        api: Api,
        i18n: I18n,
        shared: Shared,
        go: Callback<String>,
        follows: Option<u64>,
    ) -> Submit {
        Submit {
            sending: RwSignal::new(false),
            progress: RwSignal::new(None),
            failure: RwSignal::new(None),
            canceller: StoredValue::new_local(None),
            secret_ack: RwSignal::new(false),
            secret_pending: RwSignal::new(false),
            api: StoredValue::new(api),
            i18n,
            shared,
            go,
            follows,
            host: use_context::<crate::host::Host>(),
        }
    }

    /// Cancels the upload in flight, if any.
    pub(super) fn cancel(self) {
        self.canceller.with_value(|c| {
            if let Some(c) = c {
                c.cancel()
            }
        });
    }

    /// Back to a form nobody tried to send.
    pub(super) fn reset(self) {
        self.failure.set(None);
        self.secret_ack.set(false);
        self.secret_pending.set(false);
    }

    /// Sends `form` once; a second click while sending does nothing.
    pub(super) fn send(self, form: Form, drafts: RwSignal<Option<Drafts>>) {
        let Submit {
            sending,
            progress,
            failure,
            canceller,
            i18n,
            shared,
            go,
            host,
            ..
        } = self;
        if sending.get_untracked() {
            return;
        }
        let t = move || strings(i18n.locale());
        form.tried.set(true);
        failure.set(None);
        let found = form.validate(i18n.locale());
        let first = found.first().map(|e| e.field);
        form.errors.set(found);
        if let Some(f) = first {
            form.focus(f);
            return;
        }
        // The panel's report is debounced; a submit right after typing must not slip past it.
        let fresh = form.catalog.with_untracked(|cat| {
            analyze_choice(
                &form.comment.get_untracked(),
                cat,
                &form.category.get_untracked(),
                &form.theme.get_untracked(),
                form.files.with_untracked(|f| f.len()),
            )
        });
        if needs_secret_confirmation(&fresh) && !self.secret_ack.get_untracked() {
            self.secret_pending.set(true);
            return;
        }
        self.secret_pending.set(false);
        let Ok(body) = web_sys::FormData::new() else {
            failure.set(Some(t().fail_server.into()));
            return;
        };
        let _ = body.append_with_str(fields::CATEGORY, &form.category.get_untracked());
        let _ = body.append_with_str(fields::THEME, &form.theme.get_untracked());
        let _ = body.append_with_str(fields::COMMENT, form.comment.get_untracked().trim());
        if let Some(id) = self.follows {
            let _ = body.append_with_str(fields::FOLLOWS, &id.to_string());
        }
        if form
            .files
            .with_untracked(|picked| append_files(&body, fields::FILES, picked))
            .is_err()
        {
            failure.set(Some(t().fail_server.into()));
            return;
        }
        sending.set(true);
        progress.set(Some(Progress::default()));
        let api = self.api.get_value();
        // Read now: the seller may leave the page while this is sent, and a disposed signal
        // read after an `.await` would panic.
        let idempotency_key = form.key.get_untracked();
        let mine = drafts.get_untracked();
        spawn_local(async move {
            // A session must exist before the upload: the API client logs in to a demo
            // server on 401, an XHR upload cannot.
            let _ = api.ensure_session().await;
            let mut request = UploadRequest::post(api.url("/api/dialogs"))
                .header(CSRF_HEADER, CSRF_VALUE)
                .header(IDEMPOTENCY_KEY_HEADER, idempotency_key.as_str())
                .header("Accept", "application/json")
                .with_credentials(true);
            for (name, value) in api.auth_headers() {
                request = request.header(name, value);
            }
            let outcome = match Upload::start(&request, &body, move |p| {
                progress.try_set(Some(p));
            }) {
                Ok(upload) => {
                    canceller.set_value(Some(upload.canceller()));
                    upload.finish().await
                }
                Err(e) => Err(e),
            };
            let created = outcome
                .as_ref()
                .ok()
                .filter(|r| r.is_success())
                .and_then(|r| serde_json::from_str::<CreatedDialog>(&r.body).ok());
            // The server has the dialog: its draft goes, whether the form is still here or not.
            // The seller's drafts may have been named only while this was sent.
            let mine = mine.or_else(|| drafts.try_get_untracked().flatten());
            if created.is_some()
                && let Some(mine) = &mine
            {
                mine.remove(DRAFT_NAME);
                mine.clear_files(&files_name(&idempotency_key)).await;
            }
            // The seller left while it was sent: nothing of the form is left to update (its
            // signals and nodes are disposed, and reading them would panic). A failed send
            // stays in the draft for the next visit.
            if sending.try_set(false).is_some() {
                if created.is_some() {
                    shared.touch();
                }
                return;
            }
            progress.set(None);
            canceller.set_value(None);
            let s = t();
            match outcome {
                Ok(resp) if resp.is_success() => match created {
                    Some(created) => {
                        let path = format!("/dialogs/{}", created.id);
                        shared
                            .flash
                            .set(Some((path.clone(), s.created.to_string())));
                        shared.touch();
                        if let Some(host) = host {
                            host.dialog_created(created.id);
                        }
                        go.run(path.clone());
                    }
                    None => failure.set(Some(api_error_text(s, i18n.t(), &ApiError::Malformed))),
                },
                Ok(resp) => {
                    let err = ApiError::from(&resp);
                    apply_server_error(&err, form.errors, failure, s, i18n.t());
                    if let ApiError::Http { field: Some(f), .. } = &err
                        && let Some(field) = Field::of(f)
                    {
                        form.focus(field);
                    }
                }
                Err(e) => failure.set(Some(upload_error_text(s, &e))),
            }
        });
    }
}

/// Puts a server error next to its field when it names one, and always in the failure box.
fn apply_server_error(
    err: &ApiError,
    errors: RwSignal<Vec<FieldError>>,
    failure: RwSignal<Option<String>>,
    s: &'static NewDialogStrings,
    common: &'static Strings,
) {
    let message = match err {
        ApiError::Http {
            status: 409, code, ..
        } if code == codes::IDEMPOTENCY_IN_PROGRESS => s.fail_in_progress.to_string(),
        // The first send did create the dialog and only its answer was lost; sending the edited
        // form under a new key would make a second dialog behind the seller's back.
        ApiError::Http { code, .. } if code == codes::IDEMPOTENCY_KEY_REUSED => {
            s.fail_key_reused.to_string()
        }
        ApiError::Http { status, .. } if *status >= 500 => s.fail_server.to_string(),
        other => other.message(common),
    };
    if let ApiError::Http { field: Some(f), .. } = err
        && let Some(field) = Field::of(f)
    {
        errors.update(|es| {
            es.retain(|e| e.field != field);
            es.push(FieldError {
                field,
                message: message.clone(),
            });
        });
    }
    failure.set(Some(message));
}

fn api_error_text(
    s: &'static NewDialogStrings,
    common: &'static Strings,
    err: &ApiError,
) -> String {
    match err {
        ApiError::Network => s.fail_network.into(),
        ApiError::Timeout => s.fail_timeout.into(),
        other => other.message(common),
    }
}

fn upload_error_text(s: &'static NewDialogStrings, err: &UploadError) -> String {
    match err {
        UploadError::Network | UploadError::Setup(_) => s.fail_network.into(),
        UploadError::Timeout => s.fail_timeout.into(),
        UploadError::Aborted => s.fail_cancelled.into(),
    }
}
