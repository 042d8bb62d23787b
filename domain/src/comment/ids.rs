//! Identifiers: keyword-introduced values (report, supply, order, barcode, article, vendor code,
//! money nouns), FBS supply ids, product links, bare EAN-13 barcodes, and the non-identifiers
//! (phones, percentages, named numbers) that must not be taken for them.

use super::amounts::{number_starting_at, scaled};
use super::entities::Acc;
use super::lexicon::{Role, is_filler_sym, is_filler_word, is_seller_word, is_unit, keyword_at};
use super::scan::{Gap, Kind, Text};
use crate::catalog::Fact;

/// EAN-13 check digit.
pub(crate) fn ean13_ok(d: &str) -> bool {
    let b = d.as_bytes();
    if b.len() != 13 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..12]
        .iter()
        .enumerate()
        .map(|(k, c)| u32::from(c - b'0') * if k % 2 == 0 { 1 } else { 3 })
        .sum();
    (10 - sum % 10) % 10 == u32::from(b[12] - b'0')
}

/// Product links: `wildberries.ru/catalog/201345699/detail.aspx` names a WB article.
pub(crate) fn links(t: &Text, acc: &mut Acc) {
    for i in 1..t.len() {
        if !t.is_word(i, "catalog") || !t.is_sym(i - 1, '/') || !t.glued(i) {
            continue;
        }
        if !t.is_sym(i + 1, '/') || !t.glued(i + 1) || !t.glued(i + 2) {
            continue;
        }
        let Some(d) = t.num(i + 2) else { continue };
        if !(5..=10).contains(&d.len()) || acc.used(i + 2) {
            continue;
        }
        // Walk back over the glued URL to find a marketplace host.
        let mut k = i - 1;
        let mut wb = false;
        while k > 0 && t.glued(k) {
            k -= 1;
            if matches!(t.word(k), Some("wildberries" | "wb" | "wbbasket")) {
                wb = true;
            }
        }
        if wb {
            acc.add(i + 2, Fact::Article, d.to_string());
            acc.mark(i + 2..i + 3);
        }
    }
}

/// FBS supply ids: `WB-GI-41066137`; digits split by a space are joined («WB-GI-27768 9956»).
pub(crate) fn fbs_supplies(t: &Text, acc: &mut Acc) {
    for i in 0..t.len() {
        if !t.is_word(i, "wb") || acc.used(i) {
            continue;
        }
        let mut j = i + 1;
        let mut out = String::from(t.orig_of(i));
        let sep = |t: &Text, j: usize| -> Option<char> {
            match t.sym(j) {
                Some('-') => Some('-'),
                Some('_') => Some('_'),
                _ => None,
            }
        };
        if let Some(c) = sep(t, j) {
            out.push(c);
            j += 1;
        } else if t.gap(j) == Gap::Space {
            out.push('-');
        } else if t.gap(j) != Gap::None {
            continue;
        }
        if !t.is_word(j, "gi") || t.gap(j) == Gap::Line {
            continue;
        }
        out.push_str(t.orig_of(j));
        j += 1;
        if let Some(c) = sep(t, j) {
            out.push(c);
            j += 1;
        } else if t.gap(j) == Gap::Space {
            out.push('-');
        } else if t.gap(j) != Gap::None {
            continue;
        }
        let Some(first) = t.num(j) else { continue };
        if t.gap(j) == Gap::Line || acc.used(j) {
            continue;
        }
        let mut digits = first.to_string();
        let mut last = j;
        while digits.len() < 8
            && t.gap(last + 1) == Gap::Space
            && let Some(more) = t.num(last + 1)
            && !acc.used(last + 1)
            && !t.word(last + 2).is_some_and(is_unit)
        {
            digits.push_str(more);
            last += 1;
        }
        out.push_str(&digits);
        acc.add(i, Fact::Supply, out);
        acc.mark(i..last + 1);
    }
}

/// Phone numbers: `+7 916 123-45-67`, `8 (912) 345-67-89`, `555-12-34`.
pub(crate) fn phones(t: &Text, acc: &mut Acc) {
    let mut i = 0;
    while i < t.len() {
        let start_plus = t.is_sym(i, '+') && t.num(i + 1).is_some() && t.glued(i + 1);
        let start_eight = matches!(t.num(i), Some("8" | "7"))
            && (t.is_sym(i + 1, '(') || t.num(i + 1).is_some_and(|s| s.len() == 3));
        if !(start_plus || start_eight) || acc.used(i) {
            i += 1;
            continue;
        }
        let mut k = if start_plus { i + 1 } else { i };
        let mut digits = 0;
        let mut last = k;
        while k < t.len() && t.gap(k) != Gap::Line && !acc.used(k) {
            match t.toks[k].kind {
                Kind::Num => {
                    digits += t.num(k).map_or(0, str::len);
                    last = k;
                }
                Kind::Sym('(' | ')' | '-') => {}
                _ => break,
            }
            if digits >= 11 {
                break;
            }
            k += 1;
        }
        if (10..=13).contains(&digits) && (start_plus || digits == 11) {
            acc.mark(i..last + 1);
            i = last + 1;
            continue;
        }
        i += 1;
    }
    // Local part «555-12-34» with an optional «(903)» before it.
    for i in 0..t.len() {
        let local = t.num(i).is_some_and(|s| s.len() == 3)
            && t.is_sym(i + 1, '-')
            && t.num(i + 2).is_some_and(|s| s.len() == 2)
            && t.is_sym(i + 3, '-')
            && t.num(i + 4).is_some_and(|s| s.len() == 2)
            && (i + 1..=i + 4).all(|k| t.glued(k));
        if local && !acc.used(i) {
            acc.mark(i..i + 5);
            if i >= 2 && t.is_sym(i - 1, ')') && t.num(i - 2).is_some() {
                acc.mark(i - 2..i);
            }
        }
    }
}

/// Percentages and coefficients («25%», «2–3%», «x5») are never identifiers.
pub(crate) fn percents(t: &Text, acc: &mut Acc) {
    for i in 0..t.len() {
        if t.num(i).is_none() {
            continue;
        }
        if t.is_sym(i + 1, '%') && t.gap(i + 1) != Gap::Line {
            acc.mark(i..i + 1);
            if i >= 2 && matches!(t.sym(i - 1), Some(',' | '.' | '-')) && t.num(i - 2).is_some() {
                acc.mark(i - 2..i);
            }
        }
        if t.glued(i) && matches!(t.word(i - 1), Some("x" | "х")) {
            acc.mark(i..i + 1);
        }
    }
}

/// A value found after a keyword.
struct Found {
    kind: Fact,
    value: String,
    first: usize,
    last: usize,
    digits: usize,
}

/// Allowed digit counts for a kind: (directly after the keyword, after free words).
fn digit_range(kind: Fact, near: bool) -> (usize, usize) {
    match (kind, near) {
        (Fact::Report, false) => (5, 12),
        (Fact::Report, true) => (6, 12),
        (Fact::Supply, false) => (5, 12),
        (Fact::Supply, true) => (7, 12),
        (Fact::Order, false) => (5, 14),
        (Fact::Order, true) => (9, 14),
        (Fact::Barcode, false) => (8, 14),
        (Fact::Barcode, true) => (12, 14),
        (Fact::Article, false) => (5, 10),
        (Fact::Article, true) => (6, 10),
        (Fact::VendorCode, _) => (1, 40),
        _ => (1, 0),
    }
}

/// The end of a code glued together from letters, digits and `-_./` starting at `j`, and
/// whether it has a digit and a letter. Trailing punctuation is not part of it.
fn code_end(t: &Text, j: usize) -> (usize, bool, bool) {
    let mut k = j;
    let mut last = j;
    let (mut digit, mut letter) = (false, false);
    loop {
        match t.toks.get(k).map(|x| x.kind) {
            Some(Kind::Num) => {
                digit = true;
                last = k;
            }
            Some(Kind::Word) => {
                letter = true;
                last = k;
            }
            Some(Kind::Sym('-' | '_' | '.' | '/')) => {}
            _ => break,
        }
        if !t.glued(k + 1) {
            break;
        }
        k += 1;
    }
    (last, digit, letter)
}

fn is_glued_code_tail(t: &Text, last: usize) -> bool {
    t.glued(last + 1)
        && match t.toks.get(last + 1).map(|x| x.kind) {
            Some(Kind::Word) => true,
            Some(Kind::Sym('-' | '_' | '/')) => {
                t.glued(last + 2)
                    && matches!(
                        t.toks.get(last + 2).map(|x| x.kind),
                        Some(Kind::Num | Kind::Word)
                    )
            }
            Some(Kind::Sym('.')) => t.glued(last + 2) && t.num(last + 2).is_some(),
            _ => false,
        }
}

/// The value at token `j` for a keyword of this role; `near` when free words came between.
fn value_at(t: &Text, acc: &Acc, role: Role, j: usize, near: bool) -> Option<Found> {
    if acc.used(j) {
        return None;
    }
    let kind = match role {
        Role::Id(k) => k,
        Role::Article | Role::Card => Fact::Article,
        _ => return None,
    };
    let seller_code_ok = matches!(role, Role::Article | Role::Id(Fact::VendorCode)) && !near;
    if let Some(d) = t.num(j) {
        if is_glued_code_tail(t, j) {
            if !seller_code_ok {
                return None;
            }
            let (last, _, _) = code_end(t, j);
            return code_value(t, acc, j, last);
        }
        if t.word(j + 1).is_some_and(is_unit) || t.is_sym(j + 1, '%') {
            return None;
        }
        let (lo, hi) = digit_range(kind, near);
        if !(lo..=hi).contains(&d.len()) {
            return None;
        }
        return Some(Found {
            kind,
            value: d.to_string(),
            first: j,
            last: j,
            digits: d.len(),
        });
    }
    if t.word(j).is_some() && seller_code_ok {
        let (last, digit, letter) = code_end(t, j);
        let explicit = role == Role::Id(Fact::VendorCode);
        let latin = (j..=last).all(|k| t.word(k).is_none_or(|w| w.is_ascii()));
        if digit && letter
            || (explicit && latin && t.norm[t.toks[j].n.start..t.toks[last].n.end].len() >= 3)
        {
            return code_value(t, acc, j, last);
        }
    }
    None
}

fn code_value(t: &Text, acc: &Acc, j: usize, last: usize) -> Option<Found> {
    if (j..=last).any(|k| acc.used(k)) {
        return None;
    }
    // As written, minus invisible characters a copy-paste may carry.
    let value: String = t
        .orig
        .get(t.toks[j].o.start..t.toks[last].o.end)?
        .chars()
        .filter(|&c| !super::scan::is_invisible(c))
        .collect();
    Some(Found {
        kind: Fact::VendorCode,
        value,
        first: j,
        last,
        digits: 0,
    })
}

/// After a value: the next list item («, », «; », « и », «and», a new line), if any.
fn next_in_list(t: &Text, acc: &Acc, prev: &Found) -> Option<Found> {
    let mut k = prev.last + 1;
    let mut sep = t.gap(k) == Gap::Line;
    let mut conj = false;
    while k < t.len() {
        match (t.sym(k), t.word(k)) {
            (Some(',' | ';' | '&' | '/' | '+'), _) => sep = true,
            (_, Some("и" | "and" | "а" | "также" | "or" | "или")) => {
                sep = true;
                conj = true;
            }
            _ => break,
        }
        k += 1;
        if t.gap(k) == Gap::Line {
            sep = true;
        }
    }
    if !sep {
        return None;
    }
    while t.sym(k).is_some_and(|c| matches!(c, '№' | '#')) {
        k += 1;
    }
    // «и соседнее 1672938477»: one describing word after a conjunction.
    if conj
        && t.word(k).is_some_and(|w| !is_unit(w))
        && keyword_at(t, k).is_none()
        && t.num(k + 1).is_some()
    {
        k += 1;
    }
    let f = value_at(t, acc, Role::Id(prev.kind), k, false)?;
    if prev.kind != Fact::VendorCode && f.digits.abs_diff(prev.digits) > 1 {
        return None;
    }
    if prev.kind == Fact::VendorCode && !f.value.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(f)
}

/// Finds the value a keyword at `kw..=kw_last` introduces.
fn find_value(t: &Text, acc: &Acc, mut role: Role, kw_last: usize) -> Option<(Role, Found)> {
    let mut j = kw_last + 1;
    let mut words = 0;
    let mut after_colon = false;
    let mut skipped_date = false;
    let mut limit = kw_last + 10;
    while j < t.len() && j <= limit {
        // «отчёт от 25.04.2024 № 251004870»: dates (or a range) may sit between keyword and
        // value; together they count as one free word.
        if acc.is_date(j) {
            while acc.is_date(j) {
                j += 1;
                limit += 1;
            }
            if !skipped_date {
                skipped_date = true;
                words += 1;
            }
            continue;
        }
        if acc.used(j) {
            return None;
        }
        if j > kw_last + 1 && t.gap(j) == Gap::Line && !after_colon {
            return None;
        }
        match t.toks[j].kind {
            Kind::Sym('.') if j == kw_last + 1 && t.glued(j) => {}
            Kind::Sym(c) if is_filler_sym(c) => after_colon |= c == ':',
            Kind::Sym(',') if role != Role::Card => {
                // «Задания, на которых падает: 1901234567»: only with a colon ahead.
                return colon_value(t, acc, role, j);
            }
            Kind::Sym(_) => return None,
            Kind::Num => {
                return value_at(t, acc, role, j, words > 0 && !after_colon).map(|f| (role, f));
            }
            Kind::Word => {
                let w = t.word(j).unwrap_or("");
                if role == Role::Article && is_seller_word(w) {
                    role = Role::Id(Fact::VendorCode);
                } else if is_filler_word(w) {
                } else if let Some(f) = (words == 0)
                    .then(|| value_at(t, acc, role, j, false))
                    .flatten()
                {
                    return Some((role, f));
                } else if keyword_at(t, j).is_some() || role == Role::Card || is_unit(w) {
                    return None;
                } else {
                    words += 1;
                    if words > 2 {
                        return colon_value(t, acc, role, j);
                    }
                }
            }
        }
        j += 1;
    }
    None
}

/// «задания, на которых падает: N» — a colon later in the same sentence introduces the value.
fn colon_value(t: &Text, acc: &Acc, role: Role, from: usize) -> Option<(Role, Found)> {
    let mut k = from;
    while k < t.len() && k <= from + 10 {
        if acc.used(k)
            || t.is_stop(k)
            || (k > from && t.gap(k) == Gap::Line)
            || (k > from && keyword_at(t, k).is_some())
        {
            return None;
        }
        if t.is_sym(k, ':') {
            let mut j = k + 1;
            while t.sym(j).is_some_and(is_filler_sym) {
                j += 1;
            }
            return value_at(t, acc, role, j, true).map(|f| (role, f));
        }
        k += 1;
    }
    None
}

/// The keyword pass, left to right.
pub(crate) fn keywords(t: &Text, acc: &mut Acc) {
    let mut i = 0;
    while i < t.len() {
        if acc.used(i) {
            i += 1;
            continue;
        }
        let Some((role, kw_last)) = keyword_at(t, i) else {
            i += 1;
            continue;
        };
        match role {
            Role::Money => money(t, acc, kw_last),
            Role::Block => block(t, acc, kw_last),
            _ => {
                if let Some((_, mut f)) = find_value(t, acc, role, kw_last) {
                    loop {
                        acc.add(f.first, f.kind, f.value.clone());
                        acc.mark(f.first..f.last + 1);
                        match next_in_list(t, acc, &f) {
                            Some(n) => f = n,
                            None => break,
                        }
                    }
                }
            }
        }
        i = kw_last + 1;
    }
}

/// «дневной бюджет был 3000»: the direct number of a money noun is an amount.
fn money(t: &Text, acc: &mut Acc, kw_last: usize) {
    let mut j = kw_last + 1;
    while j < t.len() && j <= kw_last + 4 {
        if t.gap(j) == Gap::Line {
            return;
        }
        match (t.sym(j), t.word(j)) {
            (Some(':' | '-' | '='), _) => {}
            (
                _,
                Some(
                    "был"
                    | "была"
                    | "было"
                    | "были"
                    | "составил"
                    | "составила"
                    | "составило"
                    | "составляет"
                    | "составлял"
                    | "составит"
                    | "равен"
                    | "равна"
                    | "равно"
                    | "всего"
                    | "is"
                    | "was",
                ),
            ) => {}
            _ => break,
        }
        j += 1;
    }
    let Some(n) = number_starting_at(t, acc, j) else {
        return;
    };
    if n.int.len() < 2 && n.frac.is_none() {
        return;
    }
    let next = n.last + 1;
    let ok = t.gap(next) == Gap::Line
        || match t.toks.get(next).map(|x| x.kind) {
            None => true,
            Some(Kind::Sym(c)) => {
                !matches!(c, '%' | '×' | '*' | '-' | '/' | '.' | ',') || {
                    // Sentence end, not a decimal or a range.
                    matches!(c, '.' | ',') && !t.glued(next + 1)
                }
            }
            Some(Kind::Word) => t
                .word(next)
                .is_some_and(|w| !is_unit(w) && keyword_at(t, next).is_none()),
            Some(Kind::Num) => false,
        };
    if !ok {
        return;
    }
    if let Some(v) = scaled(&n.int, n.frac.as_deref(), 0) {
        acc.add(n.first, Fact::Amount, v);
        acc.mark(n.first..n.last + 1);
    }
}

/// Numbers named as something else (ИНН, стикер, заявка, ID платежа…) are claimed unlabelled.
fn block(t: &Text, acc: &mut Acc, kw_last: usize) {
    let mut j = kw_last + 1;
    while j < t.len() && j <= kw_last + 6 {
        if acc.used(j) || t.gap(j) == Gap::Line {
            return;
        }
        match t.toks[j].kind {
            Kind::Sym(c) if is_filler_sym(c) || c == '.' => {}
            Kind::Word if t.word(j).is_some_and(is_filler_word) => {}
            Kind::Word if keyword_at(t, j).is_some() => return,
            Kind::Word => {
                // A code such as «А-123»: claim it when it carries digits.
                let (last, digit, _) = code_end(t, j);
                if digit {
                    acc.mark(j..last + 1);
                }
                return;
            }
            Kind::Num => break,
            Kind::Sym(_) => return,
        }
        j += 1;
    }
    // The number and any digit groups or list items that follow it.
    let mut k = j;
    while t.num(k).is_some() && !acc.used(k) {
        let (last, _, _) = code_end(t, k);
        acc.mark(k..last + 1);
        k = last + 1;
        if t.num(k).is_some() && t.gap(k) == Gap::Space {
            continue;
        }
        if matches!(t.sym(k), Some(',')) && t.num(k + 1).is_some() && t.gap(k + 1) != Gap::Line {
            k += 1;
            continue;
        }
        break;
    }
}

/// A 13-digit number with a valid EAN-13 check digit, standing alone and named as nothing else,
/// is a product's barcode.
pub(crate) fn bare_barcodes(t: &Text, acc: &mut Acc) {
    for i in 0..t.len() {
        let Some(d) = t.num(i) else { continue };
        if d.len() != 13 || acc.used(i) || !ean13_ok(d) {
            continue;
        }
        let before_ok =
            !t.glued(i) || matches!(t.sym(i - 1), Some('(' | '"' | '\'' | '[' | ':' | ',' | '№'));
        let after_ok = !t.glued(i + 1)
            || match t.sym(i + 1) {
                Some(')' | '"' | '\'' | ']' | ',' | ';' | '!' | '?') => true,
                Some('.') => !(t.glued(i + 2) && t.num(i + 2).is_some()),
                _ => false,
            };
        if before_ok && after_ok {
            acc.add(i, Fact::Barcode, d.to_string());
            acc.mark(i..i + 1);
        }
    }
}
