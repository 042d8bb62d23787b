//! The comment helper: a live coaching panel beside «Комментарий».
//!
//! Every judgement (facts, vagueness, warnings, needs, score, hints, theme candidates) comes from
//! [`domain::comment::analyze`]; this file only schedules the analysis ([`use_comment_analysis`])
//! and shows its report ([`CommentHelper`]). The panel coaches and never gatekeeps: it has no
//! power over sending. The form asks for a confirmation when [`needs_secret_confirmation`] says so.
//!
//! ```ignore
//! let report = use_comment_analysis(text.into(), catalog.into(), category.into(), theme_id.into(), files_count);
//! view! {
//!     <CommentHelper report has_text theme on_apply_suggestion on_insert_template/>
//! }
//! ```

use std::cell::Cell;
use std::time::Duration;

use domain::catalog::{Catalog, Fact, Need, Theme};
use domain::comment::{Candidate, CommentReport, Context, Entity, Hint, Warning, analyze};
use leptos::prelude::*;

use crate::components::aria_bool;
use crate::format::plural;
use crate::i18n::comment_helper::{
    CommentHelperStrings, fact_label, hint_text, need_example, need_label, reason_text, strings,
    template, warning_text,
};
use crate::i18n::{Locale, catalog_name, use_i18n};

/// Quiet time after the last change before the analysis runs again: long enough to skip most
/// keystrokes of a word, short enough to feel live.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// Candidates below this confidence are left out of «Похоже на»: a lone word among several
/// themes is no hint worth a click.
const MIN_SHOWN_CONFIDENCE: f32 = 0.2;

/// True when the comment holds a card number or a credential: the form then asks the seller to
/// confirm before sending (the panel itself never blocks).
pub fn needs_secret_confirmation(report: &CommentReport) -> bool {
    !report.warnings.is_empty()
}

/// Runs the analysis for the form's raw values ("" = nothing chosen).
pub fn analyze_choice(
    text: &str,
    catalog: &Catalog,
    category: &str,
    theme: &str,
    attachments: usize,
) -> CommentReport {
    let mut ctx = Context::new(catalog).with_attachments(attachments);
    if !category.is_empty() {
        ctx = ctx.with_category(category);
    }
    if !theme.is_empty() {
        ctx.theme = Some(theme);
    }
    analyze(text, &ctx)
}

/// Debounced analysis: re-runs [`domain::comment::analyze`] [`DEBOUNCE`] after the last change of
/// any input (each change cancels the pending run), so typing is never blocked by it. The first
/// report is computed at once, so a restored draft shows its tips without waiting.
pub fn use_comment_analysis(
    text: Signal<String>,
    catalog: Signal<Catalog>,
    category: Signal<String>,
    theme: Signal<String>,
    attachments: Signal<usize>,
) -> Signal<CommentReport> {
    // `try_*` reads: the timer may fire after the form is gone; then there is nothing to update.
    let compute = move || -> Option<CommentReport> {
        let n = attachments.try_get_untracked()?;
        text.try_with_untracked(|t| {
            catalog.try_with_untracked(|c| {
                category.try_with_untracked(|cat| {
                    theme.try_with_untracked(|th| analyze_choice(t, c, cat, th, n))
                })
            })
        })
        .flatten()
        .flatten()
        .flatten()
    };
    let report = RwSignal::new(compute().unwrap_or_else(|| {
        analyze_choice(
            "",
            &Catalog {
                categories: Vec::new(),
            },
            "",
            "",
            0,
        )
    }));
    let publish = move || {
        if let Some(next) = compute()
            && report.try_with_untracked(|old| *old != next) == Some(true)
        {
            report.try_set(next);
        }
    };
    let pending: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);

    Effect::new(move |prev: Option<()>| {
        text.track();
        catalog.track();
        category.track();
        theme.track();
        attachments.track();
        if prev.is_none() {
            // Effects first run a tick after creation; catch any change made in between.
            publish();
            return;
        }
        if let Some(Some(old)) = pending.try_get_value() {
            old.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                pending.try_set_value(None);
                publish();
            },
            DEBOUNCE,
        )
        .ok();
        pending.try_set_value(handle);
    });
    on_cleanup(move || {
        if let Some(Some(h)) = pending.try_get_value() {
            h.clear();
        }
    });
    report.into()
}

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

fn next_id() -> u32 {
    NEXT_ID.with(|n| {
        let id = n.get().wrapping_add(1);
        n.set(id);
        id
    })
}

/// `2023-04-25` → `25.04.2023` (the cabinet's format, and how sellers wrote it); anything else as is.
fn show_date(value: &str) -> String {
    let mut parts = value.split('-');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d), None) if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            format!("{d}.{m}.{y}")
        }
        _ => value.to_string(),
    }
}

/// `2000` → `2 000 ₽`, `1250.50` → `1 250,50 ₽` (ru) / `1,250.50 ₽` (en).
fn show_amount(locale: Locale, value: &str) -> String {
    let (int, frac) = match value.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (value, None),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return format!("{value} ₽");
    }
    let (group, decimal) = match locale {
        Locale::Ru => ('\u{a0}', ','),
        Locale::En => (',', '.'),
    };
    let mut out = String::new();
    let len = int.len();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            out.push(group);
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push(decimal);
        out.push_str(f);
    }
    out.push_str("\u{a0}₽");
    out
}

/// How a found value is shown on its chip.
pub fn show_value(locale: Locale, entity: &Entity) -> String {
    match entity.kind {
        Fact::Date => show_date(&entity.value),
        Fact::Amount => show_amount(locale, &entity.value),
        _ => entity.value.clone(),
    }
}

/// The theme's needs in catalog order, each with whether the comment meets it.
fn checklist(theme: &Theme, report: &CommentReport) -> Vec<(Need, bool)> {
    let kinds = report.fact_kinds();
    theme
        .needs
        .iter()
        .map(|n| (*n, n.is_met_by(&kinds)))
        .collect()
}

/// A label as it reads inside a sentence: «Номер отчёта» → «номер отчёта», but «API» and «WB» stay.
fn mid_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}

/// The one line screen readers hear (politely) when the tips change.
fn summary(
    locale: Locale,
    s: &CommentHelperStrings,
    report: &CommentReport,
    theme: Option<&Theme>,
    compact: bool,
) -> String {
    let mut sentences: Vec<String> = Vec::new();
    if !report.warnings.is_empty() {
        sentences.push(s.summary_warning.to_string());
    }
    let mut clauses: Vec<String> = Vec::new();
    let n = report.entities.len();
    if n == 0 {
        clauses.push(s.summary_no_facts.to_string());
    } else {
        let form = plural(
            locale,
            n as u64,
            s.summary_facts_one,
            s.summary_facts_few,
            s.summary_facts_many,
        );
        clauses.push(form.replace("{n}", &n.to_string()));
    }
    if !compact {
        if let Some(theme) = theme.filter(|t| !t.needs.is_empty()) {
            let missing: Vec<String> = checklist(theme, report)
                .into_iter()
                .filter(|(_, met)| !met)
                .map(|(need, _)| mid_sentence(need_label(locale, need)))
                .collect();
            if missing.is_empty() {
                clauses.push(s.summary_all_present.to_string());
            } else {
                clauses.push(s.summary_missing.replace("{list}", &missing.join(", ")));
            }
        }
        clauses.push(s.summary_score.replace("{n}", &report.score.to_string()));
        if report.suggested.is_some() {
            clauses.push(s.summary_suggestion.to_string());
        }
    }
    if report.vague && !compact {
        sentences.push(s.summary_vague.to_string());
    }
    sentences.push(clauses.join(", "));
    let mut line = sentences.join(". ");
    line.push('.');
    line
}

/// The coaching panel. See the module docs; it reads `report` only and never disables sending.
#[component]
pub fn CommentHelper(
    /// The latest analysis (from [`use_comment_analysis`]).
    #[prop(into)]
    report: Signal<CommentReport>,
    /// Whether anything has been typed yet (the panel shows a short intro instead of an empty report).
    #[prop(into)]
    has_text: Signal<bool>,
    /// The chosen theme (for the checklist and template); None when not chosen.
    #[prop(into)]
    theme: Signal<Option<Theme>>,
    /// Apply a suggested (category_id, theme_id).
    #[prop(into)]
    on_apply_suggestion: Callback<(String, String)>,
    /// Insert a template text into the comment.
    #[prop(into)]
    on_insert_template: Callback<String>,
    /// Compact form for the reply box of the dialog page (fewer sections: found facts, warnings, hints).
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = move || strings(i18n.locale());
    let heading_id = format!("ss-helper-heading-{}", next_id());

    let summary_line = Memo::new(move |_| {
        let locale = i18n.locale();
        if !has_text.get() {
            return strings(locale).summary_empty.to_string();
        }
        theme.with(|t| report.with(|r| summary(locale, strings(locale), r, t.as_ref(), compact)))
    });

    let warnings = move || {
        let list = report.with(|r| r.warnings.clone());
        (has_text.get() && !list.is_empty()).then(|| {
            let locale = i18n.locale();
            view! {
                <div class="ss-warning ss-helper-warnings">
                    <strong class="ss-helper-warnings-title">{s().warnings_heading}</strong>
                    <ul>
                        {list
                            .into_iter()
                            .map(|w: Warning| view! { <li>{warning_text(locale, w)}</li> })
                            .collect_view()}
                    </ul>
                    <p class="ss-helper-warnings-footer">{s().warning_footer}</p>
                </div>
            }
        })
    };

    // With no theme chosen: the ranked candidates as one-click choices. With one chosen: a note
    // only when the text strongly conflicts with it; the seller's choice changes only on a click.
    let suggestion = move || {
        if !has_text.get() || compact {
            return None;
        }
        let locale = i18n.locale();
        if theme.with(Option::is_some) {
            let sug = report.with(|r| r.suggested.clone())?;
            let pick = (sug.category.clone(), sug.theme.clone());
            return Some(
                view! {
                    <div class="ss-helper-suggestion ss-helper-conflict" role="note">
                        <p>
                            {s().suggestion_other_text} " "
                            <strong>{format!(
                                "{} → {}",
                                catalog_name(locale, &sug.category, &sug.category_name),
                                catalog_name(locale, &sug.theme, &sug.theme_name),
                            )}</strong>
                        </p>
                        <button
                            type="button"
                            class="ss-button"
                            on:click=move |_| on_apply_suggestion.run(pick.clone())
                        >
                            {s().apply_suggestion}
                        </button>
                    </div>
                }
                .into_any(),
            );
        }
        let (candidates, best) = report.with(|r| {
            let shown: Vec<Candidate> = r
                .suggestions
                .iter()
                .filter(|c| c.confidence >= MIN_SHOWN_CONFIDENCE)
                .cloned()
                .collect();
            (shown, r.suggested.as_ref().map(|s| s.theme.clone()))
        });
        if candidates.is_empty() {
            return None;
        }
        let label_id = format!("ss-candidates-{}", next_id());
        Some(
            view! {
                <div class="ss-helper-suggestion ss-helper-candidates">
                    <p id=label_id.clone()>{s().suggestion_text}</p>
                    <ul class="ss-candidates" aria-labelledby=label_id>
                        {candidates
                            .into_iter()
                            .map(|c| {
                                let theme_name = catalog_name(locale, &c.theme, &c.theme_name).to_string();
                                let category_name =
                                    catalog_name(locale, &c.category, &c.category_name).to_string();
                                let aria = s()
                                    .choose_candidate
                                    .replace("{theme}", &theme_name)
                                    .replace("{category}", &category_name);
                                let likeliest = best.as_deref() == Some(c.theme.as_str());
                                let class = if likeliest {
                                    "ss-candidate ss-candidate-best"
                                } else {
                                    "ss-candidate"
                                };
                                let pick = (c.category.clone(), c.theme.clone());
                                view! {
                                    <li>
                                        <button
                                            type="button"
                                            class=class
                                            aria-label=aria
                                            data-theme=c.theme.clone()
                                            on:click=move |_| on_apply_suggestion.run(pick.clone())
                                        >
                                            {theme_name}
                                            <span class="ss-secondary">{category_name}</span>
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
            .into_any(),
        )
    };

    let vague = move || {
        (has_text.get() && report.with(|r| r.vague)).then(|| {
            view! {
                <div class="ss-advice ss-helper-vague">
                    <strong>{s().vague_title}</strong>
                    <p>{s().vague_text}</p>
                    <p class="ss-helper-example-label">{s().good_example_label}</p>
                    <blockquote class="ss-helper-example">{s().good_example}</blockquote>
                </div>
            }
        })
    };

    let facts = move || {
        has_text.get().then(|| {
            let locale = i18n.locale();
            let entities = report.with(|r| r.entities.clone());
            let body = if entities.is_empty() {
                view! { <p class="ss-muted">{s().facts_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="ss-chips">
                        {entities
                            .iter()
                            .map(|e| {
                                view! {
                                    <li class="ss-chip" data-kind=e.kind.as_str()>
                                        <span class="ss-chip-kind">{fact_label(locale, e.kind)}</span>
                                        " "
                                        <span class="ss-chip-value">{show_value(locale, e)}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            };
            view! {
                <div class="ss-helper-facts">
                    <h3>{s().facts_heading}</h3>
                    {body}
                </div>
            }
        })
    };

    let checklist_view = move || {
        let chosen = theme.get().filter(|t| !t.needs.is_empty())?;
        let locale = i18n.locale();
        let rows = report.with(|r| checklist(&chosen, r));
        let typed = has_text.get();
        Some(view! {
            <div class="ss-helper-checklist">
                <h3>
                    {if typed { s().checklist_heading } else { s().intro_theme }}
                </h3>
                <ul class="ss-checklist">
                    {rows
                        .into_iter()
                        .map(|(need, met)| {
                            let class = if met { "ss-check ss-check-ok" } else { "ss-check ss-check-missing" };
                            let mark = if met { "✓" } else { "○" };
                            let status = if met { s().need_present } else { s().need_missing };
                            view! {
                                <li class=class data-need=need.as_str()>
                                    <span class="ss-check-mark" aria-hidden="true">{mark}</span>
                                    <span class="ss-check-body">
                                        <span class="ss-check-label">{need_label(locale, need)}</span>
                                        " — "
                                        <span class="ss-check-status">{status}</span>
                                        {(!met).then(|| view! {
                                            <span class="ss-check-example">
                                                " " {s().need_example} " «" {need_example(locale, need)} "»"
                                            </span>
                                        })}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        })
    };

    let score = move || {
        has_text.get().then(|| {
            let locale = i18n.locale();
            let (value, reasons) = report.with(|r| (r.score, r.reasons.clone()));
            let mut reasons = reasons;
            reasons.sort_by_key(|r| std::cmp::Reverse(r.points.unsigned_abs()));
            let line = reasons
                .iter()
                .filter(|r| r.points != 0)
                .take(3)
                .map(|r| {
                    let sign = if r.points > 0 { "+" } else { "−" };
                    format!("{sign} {}", reason_text(locale, r.code))
                })
                .collect::<Vec<_>>()
                .join(" · ");
            view! {
                <div class="ss-helper-score">
                    <p>
                        <span class="ss-score">
                            {format!("{} {} {}", s().score_label, value, s().score_of)}
                        </span>
                        " "
                        <meter
                            class="ss-helper-meter"
                            min="0"
                            max="100"
                            low="50"
                            high="80"
                            optimum="100"
                            value=value.to_string()
                            aria-hidden="true"
                        ></meter>
                    </p>
                    {(!line.is_empty()).then(|| view! { <p class="ss-helper-reasons ss-muted">{line}</p> })}
                </div>
            }
        })
    };

    let hints = move || {
        let list = report.with(|r| r.hints.clone());
        (has_text.get() && !list.is_empty()).then(|| {
            let locale = i18n.locale();
            view! {
                <div class="ss-helper-hints">
                    <h3>{s().hints_heading}</h3>
                    <ul>
                        {list
                            .into_iter()
                            .map(|h: Hint| {
                                view! { <li class="ss-helper-hint" data-hint=hint_code(h)>{hint_text(locale, h)}</li> }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    };

    let template_button = move || {
        let chosen = theme.get()?;
        Some(view! {
            <div class="ss-helper-template">
                <button
                    type="button"
                    class="ss-button"
                    on:click=move |_| on_insert_template.run(template(i18n.locale(), &chosen))
                >
                    {s().insert_template}
                </button>
                <span class="ss-muted">{s().insert_template_hint}</span>
            </div>
        })
    };

    let intro =
        move || (!has_text.get()).then(|| view! { <p class="ss-helper-intro">{s().intro}</p> });

    // One reactive region for all parts instead of one each: a part that stays is rebuilt in place
    // (its elements, and the focus on a button in it, remain), and the wasm carries the renderer's
    // code for one closure instead of nine. The compact form skips its parts without reading them.
    let full = !compact;
    // On a narrow screen the panel sits below the comment and shows its summary, warnings and
    // theme candidates only, until the seller opens the rest: a long panel there would push the form far down. The
    // button and the hiding are CSS's (`.ss-helper-toggle`), so a wide screen keeps it all open.
    let open = RwSignal::new(false);
    let body = move || {
        (
            full.then(intro).flatten(),
            full.then(vague).flatten(),
            facts(),
            full.then(checklist_view).flatten(),
            full.then(score).flatten(),
            hints(),
            full.then(template_button).flatten(),
        )
    };

    let labelled_by = heading_id.clone();
    view! {
        <section
            class="ss-helper"
            class:ss-helper-compact=compact
            aria-labelledby=labelled_by
        >
            <h2 id=heading_id>{i18n.tr_in(strings, |s| s.heading)}</h2>
            <p class="ss-helper-summary" aria-live="polite" aria-atomic="true">
                {Signal::<String>::from(summary_line)}
            </p>
            {warnings}
            {move || full.then(suggestion).flatten()}
            <button
                type="button"
                class="ss-link-button ss-helper-toggle"
                aria-expanded=aria_bool(open.into())
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {i18n.tr_in(strings, |s| s.show_all)}
            </button>
            <div class="ss-helper-more" class:ss-helper-open=open>{body}</div>
        </section>
    }
}

/// Stable code of a hint for `data-hint` (tests and styling), matching the wire name.
fn hint_code(h: Hint) -> &'static str {
    match h {
        Hint::PoliteOnly => "polite_only",
        Hint::Caps => "caps",
        Hint::TooShort => "too_short",
        Hint::RelativeDate => "relative_date",
        Hint::AttachmentMissing => "attachment_missing",
        Hint::BarcodeChecksum => "barcode_checksum",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_shown_as_the_cabinet_writes_them() {
        assert_eq!(show_date("2023-04-25"), "25.04.2023");
        assert_eq!(show_date("25.04.2023"), "25.04.2023");
        assert_eq!(show_date("2023-4-25"), "2023-4-25");
    }

    #[test]
    fn amounts_are_grouped_per_locale() {
        assert_eq!(show_amount(Locale::Ru, "2000"), "2\u{a0}000\u{a0}₽");
        assert_eq!(show_amount(Locale::Ru, "1250.50"), "1\u{a0}250,50\u{a0}₽");
        assert_eq!(show_amount(Locale::En, "1250000"), "1,250,000\u{a0}₽");
        assert_eq!(show_amount(Locale::Ru, "999"), "999\u{a0}₽");
    }

    #[test]
    fn labels_read_mid_sentence() {
        assert_eq!(mid_sentence("Номер отчёта"), "номер отчёта");
        assert_eq!(mid_sentence("API"), "API");
        assert_eq!(mid_sentence("WB article"), "WB article");
        assert_eq!(mid_sentence(""), "");
    }

    #[test]
    fn secret_confirmation_follows_warnings() {
        let catalog = Catalog::builtin();
        let clean = analyze_choice("Поставка 21573344 не принята", &catalog, "", "", 0);
        assert!(!needs_secret_confirmation(&clean));
        let card = analyze_choice(
            "Списали деньги с карты 4111 1111 1111 1111, верните",
            &catalog,
            "",
            "",
            0,
        );
        assert!(needs_secret_confirmation(&card), "{card:?}");
    }

    #[test]
    fn summary_names_missing_needs_and_score() {
        let catalog = Catalog::builtin();
        let (_, theme) = catalog
            .find_theme("supply.creation-errors")
            .expect("built-in theme");
        let report = analyze_choice(
            "Не создаётся поставка, ошибка при сохранении",
            &catalog,
            "supply",
            &theme.id,
            0,
        );
        let line = summary(Locale::Ru, strings(Locale::Ru), &report, Some(theme), false);
        assert!(line.contains("не хватает: номер поставки"), "{line}");
        assert!(
            line.contains(&format!("готовность {} из 100", report.score)),
            "{line}"
        );
    }
}
