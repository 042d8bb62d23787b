//! Calendar dates (labelled when day, month and year are all written), ranges, times.

use super::entities::Acc;
use super::lexicon::month;
use super::scan::{Gap, Text};

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

fn small(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 2 {
        return None;
    }
    s.parse().ok()
}

fn year(s: &str) -> Option<u32> {
    match s.len() {
        2 => s.parse::<u32>().ok().map(|y| 2000 + y),
        4 => s.parse::<u32>().ok().filter(|y| (1900..=2099).contains(y)),
        _ => None,
    }
}

fn valid(y: u32, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

fn iso(y: u32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// Numeric date at token `i`: (y, m, d, last token). Parts must be glued by one separator kind.
fn numeric_at(t: &Text, i: usize) -> Option<(u32, u32, u32, usize)> {
    let a = t.num(i)?;
    let sep = t.sym(i + 1)?;
    if !matches!(sep, '.' | '/' | '-') || !t.glued(i + 1) || !t.glued(i + 2) {
        return None;
    }
    let b = t.num(i + 2)?;
    if !t.is_sym(i + 3, sep) || !t.glued(i + 3) || !t.glued(i + 4) {
        return None;
    }
    let c = t.num(i + 4)?;
    // Not part of a longer dotted or dashed number (versions, IPs, phone numbers); a dash next
    // to a dotted date is a range («15.04.2024–21.04.2024»), not part of the number.
    let joins = |c: Option<char>| c == Some(sep) || c == Some('.') || c == Some('/');
    if i >= 2 && t.glued(i) && joins(t.sym(i - 1)) && t.num(i - 2).is_some() && t.glued(i - 1) {
        return None;
    }
    if t.glued(i + 5) && joins(t.sym(i + 5)) && t.num(i + 6).is_some() && t.glued(i + 6) {
        return None;
    }
    if t.glued(i + 5) && t.num(i + 5).is_some() {
        return None;
    }
    let (y, m, d) = if a.len() == 4 {
        (year(a)?, small(b)?, small(c)?)
    } else {
        // Day first; a dashed day-first date needs a four-digit year (phones look like 12-34-56).
        if sep == '-' && c.len() != 4 {
            return None;
        }
        (year(c)?, small(b)?, small(a)?)
    };
    valid(y, m, d).then_some((y, m, d, i + 4))
}

/// «25 апреля 2024» at token `i`: (y, m, d, last token, has_year).
fn worded_at(t: &Text, i: usize) -> Option<(Option<u32>, u32, u32, usize)> {
    let d = small(t.num(i)?)?;
    if t.glued(i) && matches!(t.sym(i - 1), Some('.' | ',' | '/')) {
        return None;
    }
    let m = month(t.word(i + 1)?)?;
    if t.gap(i + 1) == Gap::Line {
        return None;
    }
    // «25 апр. 2024»: an abbreviation's dot sits between month and year.
    let yi = if t.is_sym(i + 2, '.') && t.glued(i + 2) {
        i + 3
    } else {
        i + 2
    };
    let y = t.num(yi).filter(|s| s.len() == 4).and_then(year);
    let y = y.filter(|_| t.gap(yi) != Gap::Line && !(t.glued(yi + 1) && t.num(yi + 1).is_some()));
    let last = if y.is_some() { yi } else { i + 1 };
    if !valid(y.unwrap_or(2024), m, d) {
        return None;
    }
    Some((y, m, d, last))
}

/// «dd.mm» without a year at token `i` (a range's first end).
fn day_month_at(t: &Text, i: usize) -> Option<(u32, u32, usize)> {
    let d = small(t.num(i)?)?;
    if !t.is_sym(i + 1, '.') || !t.glued(i + 1) || !t.glued(i + 2) {
        return None;
    }
    let ms = t.num(i + 2)?;
    if ms.len() != 2 {
        return None;
    }
    let m = small(ms)?;
    if t.glued(i + 3)
        && matches!(t.sym(i + 3), Some('.'))
        && t.num(i + 4).is_some()
        && t.glued(i + 4)
    {
        return None;
    }
    valid(2024, m, d).then_some((d, m, i + 2))
}

/// A range joiner between tokens: «-», «по», «до» (with optional spaces). Returns the token index
/// of the joiner or None.
fn joiner(t: &Text, i: usize) -> bool {
    t.is_sym(i, '-') || t.is_word(i, "по") || t.is_word(i, "до") || t.is_word(i, "to")
}

pub(crate) fn scan(t: &Text, acc: &mut Acc) {
    let mut i = 0;
    while i < t.len() {
        if acc.used(i) || t.num(i).is_none() {
            i += 1;
            continue;
        }
        if let Some((y, m, d, last)) = numeric_at(t, i) {
            // «01-07.04.2024»: the first day inherits month and year.
            if i >= 2
                && t.is_sym(i - 1, '-')
                && let Some(ds) = t.num(i - 2)
                && let Some(d0) = small(ds)
                && d0 < d
                && !acc.used(i - 2)
                && !(t.glued(i - 2) && matches!(t.sym(i.wrapping_sub(3)), Some('.' | '/')))
                && valid(y, m, d0)
            {
                acc.add_date(i - 2, iso(y, m, d0));
                acc.mark_date(i - 2..i);
            }
            // «с 01.04 по 07.04.2024», «01.04–07.04.2024».
            range_start_numeric(t, acc, i, y, m, d);
            acc.add_date(i, iso(y, m, d));
            acc.mark_date(i..last + 1);
            i = last + 1;
            continue;
        }
        if let Some((y, m, d, last)) = worded_at(t, i) {
            match y {
                Some(y) => {
                    range_start_worded(t, acc, i, y, m, d);
                    acc.add_date(i, iso(y, m, d));
                    acc.mark_date(i..last + 1);
                    // «г.», «года» after the year belong to the date.
                }
                None => acc.partial_date = true,
            }
            i = last + 1;
            continue;
        }
        if day_month_at(t, i).is_some() {
            acc.partial_date = true;
        }
        // Times «10:00», «17:48:05» are not identifiers.
        if t.is_sym(i + 1, ':')
            && t.glued(i + 1)
            && t.glued(i + 2)
            && let (Some(h), Some(mm)) = (t.num(i), t.num(i + 2))
            && h.len() <= 2
            && mm.len() == 2
        {
            let mut last = i + 2;
            if t.is_sym(last + 1, ':')
                && t.glued(last + 1)
                && t.num(last + 2).is_some_and(|s| s.len() == 2)
                && t.glued(last + 2)
            {
                last += 2;
            }
            acc.mark(i..last + 1);
            i = last + 1;
            continue;
        }
        i += 1;
    }
}

/// Before a full numeric date at `i`: «dd.mm -|по» or «с dd.mm по» gives the range's first end.
fn range_start_numeric(t: &Text, acc: &mut Acc, i: usize, y: u32, m: u32, d: u32) {
    if i < 4 || !joiner(t, i - 1) {
        return;
    }
    let j = i - 2; // last token of the first end
    if j < 2 {
        return;
    }
    if let Some((d0, m0, last)) = day_month_at(t, j - 2)
        && last == j
        && !acc.used(j - 2)
        && (m0, d0) < (m, d)
    {
        acc.add_date(j - 2, iso(y, m0, d0));
        acc.mark_date(j - 2..j + 1);
    }
}

/// Before a worded date with a year at `i`: «с 1 по 7 апреля 2024», «1–7 апреля 2024»,
/// «с 1 апреля по 7 мая 2024».
fn range_start_worded(t: &Text, acc: &mut Acc, i: usize, y: u32, m: u32, d: u32) {
    if i < 2 || !joiner(t, i - 1) {
        return;
    }
    let j = i - 2;
    let dash = t.is_sym(i - 1, '-');
    // «1 - 7 апреля»
    if let Some(ds) = t.num(j)
        && let Some(d0) = small(ds)
        && !acc.used(j)
        && d0 < d
        && (dash
            || (j >= 1
                && (t.is_word(j - 1, "с") || t.is_word(j - 1, "со") || t.is_word(j - 1, "from"))))
        && !(t.glued(j) && matches!(t.sym(j.wrapping_sub(1)), Some('.' | '/' | '-')))
        && valid(y, m, d0)
    {
        acc.add_date(j, iso(y, m, d0));
        acc.mark_date(j..j + 1);
        return;
    }
    // «1 апреля - 7 мая»
    if j >= 1
        && let Some(m0) = t.word(j).and_then(month)
        && let Some(ds) = t.num(j - 1)
        && let Some(d0) = small(ds)
        && !acc.used(j - 1)
        && (m0, d0) < (m, d)
        && valid(y, m0, d0)
    {
        acc.add_date(j - 1, iso(y, m0, d0));
        acc.mark_date(j - 1..j + 1);
    }
}
