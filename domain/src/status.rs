//! The dialog status machine: one place that says which action is allowed in which status.
//!
//! ```text
//!            seller reply (stays)         agent answer (stays)
//!              ┌─────┐                      ┌─────┐
//!              ▼     │   agent answer       ▼     │
//!  create ─► Waiting ┴──────────────────► Answered┴──┐
//!              ▲                              │      │ resolve (rating 1–5) → Resolved
//!              └──────── seller reply ────────┘      │ auto-close (period elapsed) → Auto
//!                                                    ▼
//!                                                  Closed  (accepts nothing)
//! ```
//!
//! *(product rule)* Resolving is allowed only on an `Answered` dialog: the rating rates the support
//! answer, and a dialog nobody has answered yet has nothing to rate. The app offers «Вопрос решён»
//! only on answered dialogs; the server returns [`TransitionError::NotAnswered`] (HTTP 409)
//! otherwise.
//!
//! The auto-close clock starts when the dialog becomes `Answered` (the last support answer): a
//! seller action on an answered dialog is either a reply (back to `Waiting`, so the clock stops) or
//! a resolve (closed). See [`auto_close_at`].

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a dialog is in its life, as the seller sees it. Serialized as `waiting`, `answered`,
/// `closed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DialogStatus {
    /// The seller wrote last; support has to answer.
    Waiting,
    /// Support answered; the seller should read it and rate it, or continue the dialog.
    Answered,
    /// Resolved by the seller or closed automatically; the dialog accepts nothing any more.
    Closed,
}

impl DialogStatus {
    /// Every status, in the order the list filter shows them.
    pub const ALL: [DialogStatus; 3] = [
        DialogStatus::Waiting,
        DialogStatus::Answered,
        DialogStatus::Closed,
    ];

    /// The wire name (`waiting`, `answered`, `closed`), also used in query strings.
    pub fn as_str(self) -> &'static str {
        match self {
            DialogStatus::Waiting => "waiting",
            DialogStatus::Answered => "answered",
            DialogStatus::Closed => "closed",
        }
    }

    /// Parses the wire name; `None` for anything else (case-sensitive, like serde).
    pub fn parse(s: &str) -> Option<DialogStatus> {
        DialogStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The seller cabinet's words for the status.
    pub fn label_ru(self) -> &'static str {
        match self {
            DialogStatus::Waiting => "Ожидает ответа",
            DialogStatus::Answered => "Поступил ответ. Ждёт оценки",
            DialogStatus::Closed => "Завершён",
        }
    }

    /// True when the seller is expected to rate the answer (the only status that offers
    /// «Вопрос решён»).
    pub fn awaiting_rating(self) -> bool {
        self == DialogStatus::Answered
    }

    /// True when the seller may still write into the dialog.
    pub fn accepts_messages(self) -> bool {
        self != DialogStatus::Closed
    }

    /// Applies one event and returns the next status, or says why the event is not allowed.
    ///
    /// This never panics; every (status, event) pair has an answer.
    pub fn apply(self, event: &DialogEvent) -> Result<Transition, TransitionError> {
        use DialogStatus::*;
        match (self, event) {
            (Closed, _) => Err(TransitionError::Closed),
            (Waiting | Answered, DialogEvent::SellerReply) => Ok(Transition::to(Waiting)),
            (Waiting | Answered, DialogEvent::SupportAnswer) => Ok(Transition::to(Answered)),
            (Waiting, DialogEvent::Resolve(_)) => Err(TransitionError::NotAnswered),
            (Answered, DialogEvent::Resolve(r)) => {
                r.validate()?;
                Ok(Transition {
                    status: Closed,
                    close_reason: Some(CloseReason::Resolved),
                })
            }
            (Waiting, DialogEvent::AutoClose { .. }) => Err(TransitionError::NotAnswered),
            (
                Answered,
                DialogEvent::AutoClose {
                    answered_at,
                    now,
                    after_ms,
                },
            ) => {
                if *now >= auto_close_at(*answered_at, *after_ms) {
                    Ok(Transition {
                        status: Closed,
                        close_reason: Some(CloseReason::Auto),
                    })
                } else {
                    Err(TransitionError::TooEarly)
                }
            }
        }
    }
}

impl fmt::Display for DialogStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something that happens to a dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogEvent {
    /// The seller writes a message (with or without files).
    SellerReply,
    /// Support writes an answer.
    SupportAnswer,
    /// The seller presses «Вопрос решён» and rates the answer.
    Resolve(Resolve),
    /// The periodic or on-read check: closes an answered dialog once the period has passed.
    /// All times in unix milliseconds.
    AutoClose {
        /// When the dialog became answered (the last support answer).
        answered_at: i64,
        /// The current time.
        now: i64,
        /// The configured auto-close period.
        after_ms: i64,
    },
}

/// The seller's rating of a support answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolve {
    /// 1 (bad) to 5 (excellent).
    pub rating: u8,
    /// Why the answer was not good enough; usually given with a low rating, never required.
    pub reasons: Vec<ResolveReason>,
}

impl Resolve {
    /// Checks the rating range and that no reason is repeated.
    pub fn validate(&self) -> Result<(), TransitionError> {
        if !(MIN_RATING..=MAX_RATING).contains(&self.rating) {
            return Err(TransitionError::InvalidRating(self.rating));
        }
        for (i, r) in self.reasons.iter().enumerate() {
            if self.reasons[..i].contains(r) {
                return Err(TransitionError::DuplicateReason(*r));
            }
        }
        Ok(())
    }
}

/// The lowest rating a seller can give.
pub const MIN_RATING: u8 = 1;
/// The highest rating a seller can give.
pub const MAX_RATING: u8 = 5;

/// The result of an allowed event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The status after the event.
    pub status: DialogStatus,
    /// Set when the event closed the dialog.
    pub close_reason: Option<CloseReason>,
}

impl Transition {
    fn to(status: DialogStatus) -> Transition {
        Transition {
            status,
            close_reason: None,
        }
    }
}

/// Why a dialog was closed. Serialized as `resolved` or `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// The seller pressed «Вопрос решён» and rated the answer.
    Resolved,
    /// Nobody acted on the answer within the auto-close period.
    Auto,
}

impl CloseReason {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CloseReason::Resolved => "resolved",
            CloseReason::Auto => "auto",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<CloseReason> {
        match s {
            "resolved" => Some(CloseReason::Resolved),
            "auto" => Some(CloseReason::Auto),
            _ => None,
        }
    }

    /// Words for the dialog page.
    pub fn label_ru(self) -> &'static str {
        match self {
            CloseReason::Resolved => "Вопрос решён",
            CloseReason::Auto => "Закрыт автоматически",
        }
    }
}

/// What was wrong with a support answer, from a fixed set the rating form offers. Serialized as
/// `templated_answer`, `off_topic`, `not_solved`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResolveReason {
    /// A canned answer that ignores the details the seller gave.
    TemplatedAnswer,
    /// The answer is about something else.
    OffTopic,
    /// The problem is still there.
    NotSolved,
}

impl ResolveReason {
    /// Every reason, in the order the rating form shows them.
    pub const ALL: [ResolveReason; 3] = [
        ResolveReason::TemplatedAnswer,
        ResolveReason::OffTopic,
        ResolveReason::NotSolved,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ResolveReason::TemplatedAnswer => "templated_answer",
            ResolveReason::OffTopic => "off_topic",
            ResolveReason::NotSolved => "not_solved",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<ResolveReason> {
        ResolveReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Words for the rating form.
    pub fn label_ru(self) -> &'static str {
        match self {
            ResolveReason::TemplatedAnswer => "Шаблонный ответ",
            ResolveReason::OffTopic => "Ответ не по теме",
            ResolveReason::NotSolved => "Проблема не решена",
        }
    }
}

/// Why an event was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionError {
    /// The dialog is closed and accepts nothing.
    Closed,
    /// Resolve or auto-close on a dialog support has not answered.
    NotAnswered,
    /// Auto-close before the period has passed.
    TooEarly,
    /// A rating outside 1–5.
    InvalidRating(u8),
    /// The same reason given twice.
    DuplicateReason(ResolveReason),
}

impl TransitionError {
    /// A stable machine-readable code, used as `ApiError::code`.
    pub fn code(self) -> &'static str {
        match self {
            TransitionError::Closed => "dialog_closed",
            TransitionError::NotAnswered => "not_answered",
            TransitionError::TooEarly => "too_early",
            TransitionError::InvalidRating(_) => "invalid_rating",
            TransitionError::DuplicateReason(_) => "duplicate_reason",
        }
    }

    /// A message for the seller.
    pub fn message_ru(self) -> String {
        match self {
            TransitionError::Closed => {
                "Диалог завершён: в него нельзя писать. Создайте новый диалог.".to_string()
            }
            TransitionError::NotAnswered => {
                "Поддержка ещё не ответила: оценить ответ можно после него.".to_string()
            }
            TransitionError::TooEarly => {
                "Срок автоматического закрытия ещё не наступил.".to_string()
            }
            TransitionError::InvalidRating(r) => {
                format!("Оценка должна быть от {MIN_RATING} до {MAX_RATING}, получено {r}.")
            }
            TransitionError::DuplicateReason(r) => {
                format!("Причина «{}» указана дважды.", r.label_ru())
            }
        }
    }
}

impl TransitionError {
    /// The same message in English.
    pub fn message_en(self) -> String {
        match self {
            TransitionError::Closed => {
                "This dialog is closed and takes no more messages. Create a new dialog.".to_string()
            }
            TransitionError::NotAnswered => {
                "Support has not answered yet: you can rate the answer once it arrives.".to_string()
            }
            TransitionError::TooEarly => {
                "It is too early to close this dialog by itself.".to_string()
            }
            TransitionError::InvalidRating(r) => {
                format!("The rating must be from {MIN_RATING} to {MAX_RATING}, got {r}.")
            }
            TransitionError::DuplicateReason(_) => "The same reason is given twice.".to_string(),
        }
    }

    /// The error for a code as the server sends it, where the code alone says enough: the
    /// variants that carry a value come back with a neutral one.
    pub fn from_code(code: &str) -> Option<TransitionError> {
        Some(match code {
            "dialog_closed" => TransitionError::Closed,
            "not_answered" => TransitionError::NotAnswered,
            "too_early" => TransitionError::TooEarly,
            _ => return None,
        })
    }
}

impl TransitionError {
    /// The English message for a code as the server sends it, when the code is a transition
    /// error's. The code does not carry the value of `InvalidRating` and `DuplicateReason`, so
    /// their messages leave it out.
    pub fn message_en_for_code(code: &str) -> Option<String> {
        if let Some(e) = TransitionError::from_code(code) {
            return Some(e.message_en());
        }
        if code == TransitionError::InvalidRating(0).code() {
            Some(format!(
                "The rating must be from {MIN_RATING} to {MAX_RATING}."
            ))
        } else if code == TransitionError::DuplicateReason(ResolveReason::NotSolved).code() {
            // That message names no reason, so the variant's own words serve.
            Some(TransitionError::DuplicateReason(ResolveReason::NotSolved).message_en())
        } else {
            None
        }
    }
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_ru())
    }
}

impl std::error::Error for TransitionError {}

/// When an answered dialog closes by itself: `answered_at + after_ms` (unix milliseconds),
/// saturating instead of overflowing on absurd inputs.
pub fn auto_close_at(answered_at: i64, after_ms: i64) -> i64 {
    answered_at.saturating_add(after_ms.max(0))
}

/// Three days in milliseconds: the default auto-close period *(product rule)*.
pub const DEFAULT_AUTO_CLOSE_MS: i64 = 3 * 24 * 60 * 60 * 1000;
