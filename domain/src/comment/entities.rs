//! Entity extraction: runs the scanners in a fixed order over one tokenised text.
//!
//! Order matters: patterns that are certain (dates, times, phones, card numbers, ruble amounts,
//! credentials, `WB-GI-…` ids, product links) claim their tokens first, so a keyword later in
//! the text cannot take a date's digits or a phone's groups as an identifier.

use super::scan::Text;
use super::{amounts, dates, ids, warnings};
use crate::catalog::Fact;

/// What the scanners found, keyed by token position.
pub(crate) struct Acc {
    used: Vec<bool>,
    /// Tokens that belong to a labelled date.
    date: Vec<bool>,
    found: Vec<(usize, Fact, String)>,
    /// A date without a year («25 апреля», «01.04») was seen.
    pub partial_date: bool,
    pub card: Option<usize>,
    pub secret: Option<usize>,
}

impl Acc {
    pub fn new(n: usize) -> Acc {
        Acc {
            used: vec![false; n],
            date: vec![false; n],
            found: Vec::new(),
            partial_date: false,
            card: None,
            secret: None,
        }
    }

    /// Token `i` already belongs to something.
    pub fn used(&self, i: usize) -> bool {
        self.used.get(i).copied().unwrap_or(true)
    }

    pub fn mark(&mut self, r: std::ops::Range<usize>) {
        let end = r.end.min(self.used.len());
        for k in r.start.min(end)..end {
            self.used[k] = true;
        }
    }

    /// Marks the tokens of a date.
    pub fn mark_date(&mut self, r: std::ops::Range<usize>) {
        self.mark(r.clone());
        let end = r.end.min(self.date.len());
        for k in r.start.min(end)..end {
            self.date[k] = true;
        }
    }

    /// Token `i` belongs to a labelled date.
    pub fn is_date(&self, i: usize) -> bool {
        self.date.get(i).copied().unwrap_or(false)
    }

    pub fn add(&mut self, pos: usize, kind: Fact, value: String) {
        self.found.push((pos, kind, value));
    }

    pub fn add_date(&mut self, pos: usize, value: String) {
        self.add(pos, Fact::Date, value);
    }
}

/// Everything the scanners report for one text.
pub(crate) struct Extraction {
    /// Unique (kind, value) pairs in order of first appearance.
    pub entities: Vec<(Fact, String)>,
    pub partial_date: bool,
    pub card_at: Option<usize>,
    pub secret_at: Option<usize>,
}

pub(crate) fn extract(t: &Text) -> Extraction {
    let mut acc = Acc::new(t.len());
    ids::links(t, &mut acc);
    ids::fbs_supplies(t, &mut acc);
    dates::scan(t, &mut acc);
    ids::phones(t, &mut acc);
    warnings::cards(t, &mut acc);
    ids::percents(t, &mut acc);
    warnings::secrets(t, &mut acc);
    amounts::scan(t, &mut acc);
    ids::keywords(t, &mut acc);
    ids::bare_barcodes(t, &mut acc);

    let mut found = std::mem::take(&mut acc.found);
    found.sort_by_key(|(pos, _, _)| *pos);
    let mut entities: Vec<(Fact, String)> = Vec::with_capacity(found.len());
    for (_, kind, value) in found {
        if !entities.iter().any(|(k, v)| *k == kind && *v == value) {
            entities.push((kind, value));
        }
    }
    Extraction {
        entities,
        partial_date: acc.partial_date,
        card_at: acc.card,
        secret_at: acc.secret,
    }
}
