//! Writing hints: politeness only, capitals, very short text, relative dates, a mentioned but
//! missing attachment, a barcode with a wrong check digit.

use super::ids::ean13_ok;
use super::scan::Text;
use super::vague::Signals;
use super::{Entity, Hint};
use crate::catalog::Fact;

pub(crate) fn hints(
    _t: &Text,
    s: &Signals,
    entities: &[Entity],
    has_date: bool,
    attachments: usize,
) -> Vec<Hint> {
    let mut out = Vec::new();
    let content = s.words.saturating_sub(s.polite + s.generic);
    if entities.is_empty() && s.polite >= 2 && content <= 2 && !s.detail {
        out.push(Hint::PoliteOnly);
    }
    if s.caps_words >= 3 || (s.letters >= 12 && s.upper * 10 >= s.letters * 6) {
        out.push(Hint::Caps);
    }
    if s.words < 5 && entities.len() < 2 {
        out.push(Hint::TooShort);
    }
    if s.relative_date && !has_date {
        out.push(Hint::RelativeDate);
    }
    if s.attach_mention && attachments == 0 {
        out.push(Hint::AttachmentMissing);
    }
    if entities
        .iter()
        .any(|e| e.kind == Fact::Barcode && e.value.len() == 13 && !ean13_ok(&e.value))
    {
        out.push(Hint::BarcodeChecksum);
    }
    out
}
