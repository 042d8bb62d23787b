//! The 0–100 readiness score and its reasons.

use super::{Hint, Reason, ReasonCode, Warning};
use crate::catalog::{Fact, Need};

pub(crate) struct Inputs<'a> {
    pub kinds: &'a [Fact],
    pub chosen_needs: Option<&'a [Need]>,
    pub needs_met: usize,
    pub detail: bool,
    pub vague: bool,
    pub hints: &'a [Hint],
    pub warnings: &'a [Warning],
    pub mismatch: bool,
}

/// Base 40; facts add up to 40 (the chosen theme's needs when it has any), concrete detail 15;
/// problems take points away. The sum is clamped to 0–100.
pub(crate) fn score(x: &Inputs) -> (u8, Vec<Reason>) {
    let mut reasons = Vec::new();
    let mut add = |code: ReasonCode, points: i32| {
        if points != 0 {
            reasons.push(Reason {
                code,
                points: points.clamp(-100, 100) as i8,
            });
        }
    };
    match x.chosen_needs {
        Some(needs) if !needs.is_empty() => {
            let total = needs.len() as i32;
            let met = x.needs_met as i32;
            add(ReasonCode::NeedsMet, 40 * met / total);
            add(ReasonCode::NeedsMissing, -10 * (total - met));
        }
        _ => add(ReasonCode::FactsFound, (15 * x.kinds.len() as i32).min(40)),
    }
    if x.detail {
        add(ReasonCode::Detail, 15);
    }
    if x.vague {
        add(ReasonCode::Vague, -30);
    }
    for h in x.hints {
        match h {
            Hint::TooShort => add(ReasonCode::TooShort, -15),
            Hint::PoliteOnly => add(ReasonCode::PoliteOnly, -10),
            Hint::Caps => add(ReasonCode::Caps, -10),
            Hint::RelativeDate => add(ReasonCode::RelativeDate, -5),
            Hint::AttachmentMissing => add(ReasonCode::AttachmentMissing, -10),
            Hint::BarcodeChecksum => {}
        }
    }
    for w in x.warnings {
        match w {
            Warning::Secret => add(ReasonCode::Secret, -30),
            Warning::CardNumber => add(ReasonCode::CardNumber, -30),
        }
    }
    if x.mismatch {
        add(ReasonCode::ThemeMismatch, -10);
    }
    let total: i32 = 40 + reasons.iter().map(|r| i32::from(r.points)).sum::<i32>();
    (total.clamp(0, 100) as u8, reasons)
}
