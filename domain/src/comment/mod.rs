//! Comment analysis: what facts a seller's comment gives support, what it lacks, and what to fix.
//!
//! [`analyze`] is the entry point; it is pure, allocation-light and never panics, so the app runs
//! it on every (debounced) keystroke and the server can run it too.
//!
//! ```
//! use domain::catalog::{Catalog, Fact};
//! use domain::comment::{analyze, Context};
//!
//! let catalog = Catalog::builtin();
//! let ctx = Context::new(&catalog).with_theme("supply", "supply.creation-errors");
//! let report = analyze("Поставка № 21573344 от 25.04.2024 не создаётся", &ctx);
//! assert_eq!(report.entities[0].kind, Fact::Supply);
//! assert_eq!(report.entities[1].value, "2024-04-25");
//! assert!(report.missing.is_empty());
//! ```
//!
//! The rules (what counts as each fact and how values are normalised, when a comment is vague,
//! which warnings fire) follow the labelling rules of `shared/corpus/README.md`.

mod amounts;
mod classify;
mod dates;
mod entities;
mod fast_hash;
mod hints;
mod ids;
mod lexicon;
mod scan;
mod score;
mod vague;
mod warnings;

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Category, Fact, Need, Theme};

pub use classify::{ThemeScore, rank_themes};

/// What the analysis knows besides the text: the seller's choices in the form.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The catalog the ids refer to (the served one, or [`Catalog::builtin`]).
    pub catalog: &'a Catalog,
    /// Chosen category id, if any.
    pub category: Option<&'a str>,
    /// Chosen theme id, if any.
    pub theme: Option<&'a str>,
    /// Number of files attached so far.
    pub attachments: usize,
}

impl<'a> Context<'a> {
    /// Nothing chosen, nothing attached.
    pub fn new(catalog: &'a Catalog) -> Context<'a> {
        Context {
            catalog,
            category: None,
            theme: None,
            attachments: 0,
        }
    }

    /// With a chosen category and theme (ids).
    pub fn with_theme(mut self, category: &'a str, theme: &'a str) -> Context<'a> {
        self.category = Some(category);
        self.theme = Some(theme);
        self
    }

    /// With a chosen category only.
    pub fn with_category(mut self, category: &'a str) -> Context<'a> {
        self.category = Some(category);
        self
    }

    /// With this many attached files.
    pub fn with_attachments(mut self, n: usize) -> Context<'a> {
        self.attachments = n;
        self
    }

    /// The chosen theme, when it exists (and belongs to the chosen category, if one is given).
    pub fn chosen_theme(&self) -> Option<(&'a Category, &'a Theme)> {
        let theme = self.theme?;
        match self.category {
            Some(c) => {
                let cat = self.catalog.category(c)?;
                cat.themes.iter().find(|t| t.id == theme).map(|t| (cat, t))
            }
            None => self.catalog.find_theme(theme),
        }
    }
}

/// A fact found in the comment, with its normalised value.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    /// What kind of fact it is.
    pub kind: Fact,
    /// Digits for ids, the code as written for vendor codes, `YYYY-MM-DD` for dates, a decimal
    /// string without separators for amounts.
    pub value: String,
}

/// Something the seller should remove before sending.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    /// A 16-digit bank card number (passes the Luhn check).
    CardNumber,
    /// A password, SMS/confirmation code, or API token/key value.
    Secret,
}

/// Advice on how the comment is written. The app shows localised text for each code.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Hint {
    /// Greetings and politeness only: say what happened.
    PoliteOnly,
    /// Written in capitals.
    Caps,
    /// Very short: a few words cannot carry the facts.
    TooShort,
    /// «вчера», «сегодня»… without a calendar date: write the date.
    RelativeDate,
    /// The text says a file is attached, but nothing is.
    AttachmentMissing,
    /// A 13-digit barcode fails the EAN-13 check digit: maybe a typo (it is still kept).
    BarcodeChecksum,
}

/// Why the score is what it is: a code and the points it added or took away.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reason {
    /// What was judged.
    pub code: ReasonCode,
    /// Points added (positive) or taken away (negative).
    pub points: i8,
}

/// Machine codes of score reasons.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// Facts found (no theme with needs chosen).
    FactsFound,
    /// Needed facts of the chosen theme that are present.
    NeedsMet,
    /// Needed facts of the chosen theme that are missing.
    NeedsMissing,
    /// An exact error text, section, method or a concrete question.
    Detail,
    /// Nothing support can act on.
    Vague,
    /// See [`Hint::TooShort`].
    TooShort,
    /// See [`Hint::PoliteOnly`].
    PoliteOnly,
    /// See [`Hint::Caps`].
    Caps,
    /// See [`Hint::RelativeDate`].
    RelativeDate,
    /// See [`Hint::AttachmentMissing`].
    AttachmentMissing,
    /// A credential in the text.
    Secret,
    /// A card number in the text.
    CardNumber,
    /// The chosen theme does not fit the text.
    ThemeMismatch,
}

/// A category and theme that fit the text better (ids, with names for display).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// Category id.
    pub category: String,
    /// Theme id.
    pub theme: String,
    /// Category name.
    pub category_name: String,
    /// Theme name.
    pub theme_name: String,
}

/// A theme the text may be about, with how sure the analysis is.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Candidate {
    /// Category id.
    pub category: String,
    /// Theme id.
    pub theme: String,
    /// Category name.
    pub category_name: String,
    /// Theme name.
    pub theme_name: String,
    /// 0–1: the share of the text's evidence that points to this theme (two decimals). The
    /// candidates' confidences sum to less than 1: some doubt is always left for thin texts.
    pub confidence: f32,
}

/// The result of [`analyze`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CommentReport {
    /// Facts found: unique (kind, value) pairs in order of first appearance.
    pub entities: Vec<Entity>,
    /// True when the comment gives support nothing to act on.
    pub vague: bool,
    /// Card numbers and credentials to remove, in order of appearance, each once.
    pub warnings: Vec<Warning>,
    /// 0–100: how ready the comment is to be sent.
    pub score: u8,
    /// What raised or lowered the score.
    pub reasons: Vec<Reason>,
    /// Needs of the chosen theme that the text meets (empty without a theme).
    pub needs_present: Vec<Need>,
    /// Needs of the chosen theme that the text lacks (empty without a theme).
    pub missing: Vec<Need>,
    /// Advice on the writing.
    pub hints: Vec<Hint>,
    /// A category/theme to offer: with none chosen, the best candidate when it is clearly ahead
    /// of the next; with one chosen, the likelier one when the text strongly conflicts with it.
    pub suggested: Option<Suggestion>,
    /// Up to three themes the text may be about, best first, from the catalog's keywords
    /// (whatever the seller chose); empty when no theme's words occur.
    pub suggestions: Vec<Candidate>,
}

impl CommentReport {
    /// The kinds of facts found, each once.
    pub fn fact_kinds(&self) -> Vec<Fact> {
        let mut kinds: Vec<Fact> = Vec::new();
        for e in &self.entities {
            if !kinds.contains(&e.kind) {
                kinds.push(e.kind);
            }
        }
        kinds
    }
}

/// Analyses a comment in the context of the seller's choices.
pub fn analyze(text: &str, ctx: &Context) -> CommentReport {
    let t = scan::Text::new(text);
    let ex = entities::extract(&t);
    let entities: Vec<Entity> = ex
        .entities
        .iter()
        .map(|(kind, value)| Entity {
            kind: *kind,
            value: value.clone(),
        })
        .collect();
    let kinds: Vec<Fact> = {
        let mut k: Vec<Fact> = Vec::new();
        for e in &entities {
            if !k.contains(&e.kind) {
                k.push(e.kind);
            }
        }
        k
    };
    let signals = vague::signals(&t);
    let is_vague = vague::is_vague(&signals, !entities.is_empty() || ex.partial_date);

    let mut warnings = Vec::new();
    match (ex.card_at, ex.secret_at) {
        (Some(c), Some(s)) if s < c => warnings.extend([Warning::Secret, Warning::CardNumber]),
        (Some(_), Some(_)) => warnings.extend([Warning::CardNumber, Warning::Secret]),
        (Some(_), None) => warnings.push(Warning::CardNumber),
        (None, Some(_)) => warnings.push(Warning::Secret),
        (None, None) => {}
    }

    let has_date = kinds.contains(&Fact::Date);
    let hints = hints::hints(&t, &signals, &entities, has_date, ctx.attachments);

    let chosen = ctx.chosen_theme();
    let (needs_present, missing) = match chosen {
        Some((_, theme)) => theme.needs.iter().partition(|n| n.is_met_by(&kinds)),
        None => (Vec::new(), Vec::new()),
    };
    let ranking = classify::rank(&t, ctx.catalog, &kinds);
    let suggested = classify::suggest(ctx, &ranking);
    let suggestions = classify::candidates(&ranking);
    let mismatch = chosen.is_some() && suggested.is_some();

    let (score, reasons) = score::score(&score::Inputs {
        kinds: &kinds,
        chosen_needs: chosen.map(|(_, t)| t.needs.as_slice()),
        needs_met: needs_present.len(),
        detail: signals.detail || signals.general_question,
        vague: is_vague,
        hints: &hints,
        warnings: &warnings,
        mismatch,
    });

    CommentReport {
        entities,
        vague: is_vague,
        warnings,
        score,
        reasons,
        needs_present,
        missing,
        hints,
        suggested,
        suggestions,
    }
}
