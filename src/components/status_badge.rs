//! The status of a dialog in the cabinet's words, and for an answered dialog when it will close by
//! itself («закроется через 2 дня»), so the seller knows how long there is to read and rate.
//!
//! The status rules (which status awaits a rating, when the auto-close happens) live in
//! [`domain::status`]; the server sends the moment in `closes_at`. This file only words it.

use crate::format::{date_time, local_offset_min, now_ms, plural};
use crate::i18n::{Locale, Strings, use_i18n};
use domain::status::DialogStatus;
use leptos::prelude::*;

const HOUR_MS: i64 = 60 * 60 * 1000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// The cabinet's words for a status in `locale`.
pub fn status_label(locale: Locale, status: DialogStatus) -> &'static str {
    let t = locale.strings();
    match status {
        DialogStatus::Waiting => t.status_waiting,
        DialogStatus::Answered => t.status_answered,
        DialogStatus::Closed => t.status_closed,
    }
}

/// «закроется через 2 дня» for a dialog that closes `remaining_ms` from now.
///
/// Under a day the text counts hours (rounded up, so «через 1 час» still holds half an hour
/// later); from a day on it counts whole days, rounded to the nearest, so a dialog answered a
/// moment ago with the default three-day period reads «через 3 дня». A moment already past reads
/// «закроется сегодня»: the server closes such dialogs on its next sweep.
pub fn closes_in_text(locale: Locale, remaining_ms: i64) -> String {
    let t: &Strings = locale.strings();
    if remaining_ms <= 0 {
        return t.closes_today.to_string();
    }
    // Positive here, so this is the rounded-up hour count.
    let hours = (remaining_ms - 1) / HOUR_MS + 1;
    if remaining_ms < DAY_MS && hours < 24 {
        let n = hours as u64;
        let unit = plural(locale, n, t.hour_one, t.hour_few, t.hour_many);
        return format!("{} {n} {unit}", t.closes_in);
    }
    let days = (remaining_ms.saturating_add(DAY_MS / 2) / DAY_MS).max(1) as u64;
    let unit = plural(locale, days, t.day_one, t.day_few, t.day_many);
    format!("{} {days} {unit}", t.closes_in)
}

/// The CSS modifier of a status, e.g. `ss-badge-answered`.
pub fn badge_class(status: DialogStatus) -> &'static str {
    match status {
        DialogStatus::Waiting => "ss-badge ss-badge-waiting",
        DialogStatus::Answered => "ss-badge ss-badge-answered",
        DialogStatus::Closed => "ss-badge ss-badge-closed",
    }
}

/// The badge's markup for one locale, appended to `out`: the status, and for a dialog awaiting a
/// rating when it closes. Tables render their rows as one string with it, and [`StatusBadge`]
/// uses it too, so there is one badge and no view code per shape of it.
pub fn badge_html(
    out: &mut String,
    locale: Locale,
    status: DialogStatus,
    closes_at: Option<i64>,
    now: i64,
) {
    out.push_str("<span class=\"");
    out.push_str(badge_class(status));
    out.push_str("\">");
    push_escaped(out, status_label(locale, status));
    out.push_str("</span>");
    if let Some(at) = closes_at.filter(|_| status.awaiting_rating()) {
        out.push_str("<span class=\"ss-closes\" title=\"");
        push_escaped(out, &closes_title(locale, at));
        out.push_str("\">");
        push_escaped(out, &closes_in_text(locale, at.saturating_sub(now)));
        out.push_str("</span>");
    }
}

fn closes_title(locale: Locale, at: i64) -> String {
    format!(
        "{}: {}",
        crate::i18n::list::strings(locale).closes_at_title,
        date_time(locale, clamp_ms(at), local_offset_min(clamp_ms(at)))
    )
}

/// Appends `text` with the five HTML-significant characters escaped, so server-sent names can go
/// into markup and attribute values.
pub fn push_escaped(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// Keeps absurd timestamps from a malformed answer inside years 0001–9999, so date arithmetic
/// cannot overflow.
pub fn clamp_ms(ms: i64) -> i64 {
    ms.clamp(-62_135_596_800_000, 253_402_300_799_000)
}

/// The status badge, following the interface language and, given signals, the dialog.
///
/// `now` is for tests and for pages that keep their own clock; it defaults to the current time
/// whenever the badge is worded.
#[component]
pub fn StatusBadge(
    #[prop(into)] status: Signal<DialogStatus>,
    /// When an answered dialog closes by itself (unix ms), from the API's `closes_at`.
    #[prop(optional, into)]
    closes_at: MaybeProp<i64>,
    #[prop(optional)] now: Option<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let html = Signal::derive(move || {
        let mut out = String::new();
        let now = now.unwrap_or_else(now_ms);
        badge_html(&mut out, i18n.locale(), status.get(), closes_at.get(), now);
        out
    });
    view! { <span class="ss-status" inner_html=html></span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_use_russian_plurals() {
        let ru = |d: i64| closes_in_text(Locale::Ru, d * DAY_MS);
        assert_eq!(ru(1), "закроется через 1 день");
        assert_eq!(ru(2), "закроется через 2 дня");
        assert_eq!(ru(3), "закроется через 3 дня");
        assert_eq!(ru(5), "закроется через 5 дней");
        assert_eq!(ru(11), "закроется через 11 дней");
        assert_eq!(ru(21), "закроется через 21 день");
        assert_eq!(ru(22), "закроется через 22 дня");
        assert_eq!(closes_in_text(Locale::En, DAY_MS), "closes in 1 day");
        assert_eq!(closes_in_text(Locale::En, 2 * DAY_MS), "closes in 2 days");
    }

    #[test]
    fn a_fresh_answer_reads_three_days_and_rounds_to_the_nearest_day() {
        // Answered a few seconds ago with the default period.
        let fresh = domain::status::DEFAULT_AUTO_CLOSE_MS - 5_000;
        assert_eq!(closes_in_text(Locale::Ru, fresh), "закроется через 3 дня");
        assert_eq!(
            closes_in_text(Locale::Ru, DAY_MS + 11 * HOUR_MS),
            "закроется через 1 день"
        );
        assert_eq!(
            closes_in_text(Locale::Ru, DAY_MS + 13 * HOUR_MS),
            "закроется через 2 дня"
        );
    }

    #[test]
    fn under_a_day_counts_hours_rounded_up() {
        assert_eq!(closes_in_text(Locale::Ru, 1), "закроется через 1 час");
        assert_eq!(
            closes_in_text(Locale::Ru, 2 * HOUR_MS),
            "закроется через 2 часа"
        );
        assert_eq!(
            closes_in_text(Locale::Ru, 4 * HOUR_MS + 1),
            "закроется через 5 часов"
        );
        assert_eq!(
            closes_in_text(Locale::Ru, 21 * HOUR_MS),
            "закроется через 21 час"
        );
        assert_eq!(
            closes_in_text(Locale::En, 23 * HOUR_MS + 1),
            "closes in 1 day"
        );
        assert_eq!(closes_in_text(Locale::En, HOUR_MS), "closes in 1 hour");
    }

    #[test]
    fn html_badge_matches_the_words_and_escapes() {
        let mut out = String::new();
        badge_html(
            &mut out,
            Locale::Ru,
            DialogStatus::Answered,
            Some(2 * DAY_MS),
            0,
        );
        assert!(out.starts_with(
            "<span class=\"ss-badge ss-badge-answered\">Поступил ответ. Ждёт оценки</span>"
        ));
        assert!(out.ends_with(">закроется через 2 дня</span>"), "{out}");
        let mut closed = String::new();
        badge_html(
            &mut closed,
            Locale::En,
            DialogStatus::Closed,
            Some(DAY_MS),
            0,
        );
        assert_eq!(
            closed,
            "<span class=\"ss-badge ss-badge-closed\">Closed</span>"
        );
        let mut esc = String::new();
        push_escaped(&mut esc, "a<b>&\"c'd «ё»");
        assert_eq!(esc, "a&lt;b&gt;&amp;&quot;c&#39;d «ё»");
    }

    #[test]
    fn past_moments_and_extremes_do_not_panic() {
        assert_eq!(closes_in_text(Locale::Ru, 0), "закроется сегодня");
        assert_eq!(closes_in_text(Locale::Ru, -DAY_MS), "закроется сегодня");
        assert_eq!(closes_in_text(Locale::Ru, i64::MIN), "закроется сегодня");
        assert!(closes_in_text(Locale::Ru, i64::MAX).starts_with("закроется через"));
        assert_eq!(clamp_ms(i64::MAX), 253_402_300_799_000);
        assert_eq!(clamp_ms(i64::MIN), -62_135_596_800_000);
    }
}
