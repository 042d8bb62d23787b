//! Ruble amounts: a number with a ruble marker («2 000 р.», «1 250,50 ₽», «15 тыс. руб.»,
//! «1000 копеек»), normalised to a decimal string without separators.

use super::entities::Acc;
use super::lexicon::{kopeck_at, multiplier_at, ruble_at};
use super::scan::{Gap, Text};

/// A number written with optional thousands groups and a decimal part.
pub(crate) struct Number {
    pub first: usize,
    pub last: usize,
    pub int: String,
    pub frac: Option<String>,
}

/// The number that ends at token `end` (a number token), reading groups backwards:
/// «48 312,40» is one number. Groups are separated by single spaces; inner groups have 3 digits.
pub(crate) fn number_ending_at(t: &Text, acc: &Acc, end: usize) -> Option<Number> {
    let last_digits = t.num(end)?;
    if acc.used(end) {
        return None;
    }
    let mut frac = None;
    let mut int_end = end;
    if end >= 2
        && matches!(t.sym(end - 1), Some(',' | '.'))
        && t.glued(end - 1)
        && t.glued(end)
        && t.num(end - 2).is_some()
        && !acc.used(end - 2)
        && last_digits.len() <= 2
    {
        frac = Some(last_digits.to_string());
        int_end = end - 2;
    }
    let mut first = int_end;
    loop {
        let group = t.num(first)?;
        if first < 1 || group.len() != 3 || t.gap(first) != Gap::Space {
            break;
        }
        match t.num(first - 1) {
            Some(prev) if prev.len() <= 3 && !acc.used(first - 1) => first -= 1,
            _ => break,
        }
    }
    // The number must stand alone: not glued to letters, dots or other digits before it.
    if t.glued(first)
        && matches!(
            t.toks[first - 1].kind,
            super::scan::Kind::Word | super::scan::Kind::Num
        )
    {
        return None;
    }
    if t.glued(first)
        && matches!(t.sym(first - 1), Some('.' | ',' | '/' | ':'))
        && first >= 2
        && t.num(first - 2).is_some()
    {
        return None;
    }
    let mut int = String::new();
    for k in first..=int_end {
        if let Some(d) = t.num(k) {
            int.push_str(d);
        }
    }
    Some(Number {
        first,
        last: end,
        int,
        frac,
    })
}

/// The number that starts at token `start`, reading groups forwards («3 000», «1 499,50»).
pub(crate) fn number_starting_at(t: &Text, acc: &Acc, start: usize) -> Option<Number> {
    let head = t.num(start)?;
    if acc.used(start) {
        return None;
    }
    let mut int_end = start;
    if head.len() <= 3 {
        while let Some(g) = t.num(int_end + 1) {
            if g.len() == 3 && t.gap(int_end + 1) == Gap::Space && !acc.used(int_end + 1) {
                int_end += 1;
            } else {
                break;
            }
        }
    }
    let mut int = String::new();
    for k in start..=int_end {
        if let Some(d) = t.num(k) {
            int.push_str(d);
        }
    }
    let mut last = int_end;
    let mut frac = None;
    if matches!(t.sym(int_end + 1), Some(',' | '.'))
        && t.glued(int_end + 1)
        && t.glued(int_end + 2)
        && let Some(f) = t.num(int_end + 2)
        && f.len() <= 2
    {
        frac = Some(f.to_string());
        last = int_end + 2;
    }
    Some(Number {
        first: start,
        last,
        int,
        frac,
    })
}

fn trim_zeros(s: &str) -> &str {
    let t = s.trim_start_matches('0');
    if t.is_empty() { "0" } else { t }
}

/// The decimal string for `int[,frac] × 10^pow`, or None when it cannot be written exactly.
pub(crate) fn scaled(int: &str, frac: Option<&str>, pow: u32) -> Option<String> {
    let frac = frac.unwrap_or("");
    let pow = pow as usize;
    if pow == 0 {
        let int = trim_zeros(int);
        return Some(if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        });
    }
    if frac.len() > pow {
        return None;
    }
    let mut s = String::with_capacity(int.len() + pow);
    s.push_str(int);
    s.push_str(frac);
    for _ in frac.len()..pow {
        s.push('0');
    }
    Some(trim_zeros(&s).to_string())
}

/// Kopecks as rubles: «1000 копеек» → "10", «150 копеек» → "1.50".
fn kopecks(int: &str) -> String {
    let int = trim_zeros(int);
    if int.len() <= 2 {
        return format!("0.{int:0>2}");
    }
    let (r, k) = int.split_at(int.len() - 2);
    if k == "00" {
        r.to_string()
    } else {
        format!("{r}.{k}")
    }
}

/// «с 50 до 120 рублей», «1 000–1 500 ₽»: the range's first number is a ruble sum too.
fn range_start(t: &Text, acc: &mut Acc, first: usize, digits: usize, pow: u32) {
    if first < 2 || t.gap(first) == Gap::Line {
        return;
    }
    let joined =
        t.is_sym(first - 1, '-') || t.is_word(first - 1, "до") || t.is_word(first - 1, "по");
    if !joined || t.gap(first - 1) == Gap::Line {
        return;
    }
    let Some(n) = number_ending_at(t, acc, first - 2) else {
        return;
    };
    // Both ends of a price range have a similar size; «ШК 4607001234562 — 300 руб.» is no range.
    if n.int.len() > digits + 1 {
        return;
    }
    // A word range needs its opening word («с», «от»).
    let dash = t.is_sym(first - 1, '-');
    let opened = n.first >= 1 && matches!(t.word(n.first - 1), Some("с" | "от" | "со"));
    if !dash && !opened {
        return;
    }
    if let Some(v) = scaled(&n.int, n.frac.as_deref(), pow) {
        acc.add(n.first, crate::catalog::Fact::Amount, v);
        acc.mark(n.first..n.last + 1);
    }
}

pub(crate) fn scan(t: &Text, acc: &mut Acc) {
    let mut i = 0;
    while i < t.len() {
        // A marker follows a number, directly or after a multiplier: skip everything else fast.
        let after_number = i >= 1 && t.num(i - 1).is_some();
        if acc.used(i) || !after_number {
            i += 1;
            continue;
        }
        // Marker position after an optional multiplier.
        let (pow, marker_from) = match multiplier_at(t, i) {
            Some((p, last)) => (p, last + 1),
            None => (0, i),
        };
        let (is_kop, marker_last) = match ruble_at(t, marker_from) {
            Some(l) => (false, l),
            None => match kopeck_at(t, marker_from) {
                Some(l) if pow == 0 => (true, l),
                _ => {
                    i += 1;
                    continue;
                }
            },
        };
        if i == 0 || t.gap(i) == Gap::Line {
            i = marker_last + 1;
            continue;
        }
        let Some(n) = number_ending_at(t, acc, i - 1) else {
            i = marker_last + 1;
            continue;
        };
        let value = if is_kop {
            if n.frac.is_some() {
                None
            } else {
                Some(kopecks(&n.int))
            }
        } else {
            scaled(&n.int, n.frac.as_deref(), pow)
        };
        let mut last = marker_last;
        let value = value.map(|v| {
            // «1 250 руб. 50 коп.»
            if !is_kop
                && pow == 0
                && n.frac.is_none()
                && let Some(k) = t.num(last + 1)
                && k.len() <= 2
                && let Some(kl) = kopeck_at(t, last + 2)
            {
                last = kl;
                format!("{v}.{k:0>2}")
            } else {
                v
            }
        });
        if let Some(v) = value {
            acc.add(n.first, crate::catalog::Fact::Amount, v);
        }
        acc.mark(n.first..last + 1);
        if !is_kop {
            range_start(t, acc, n.first, n.int.len(), pow);
        }
        i = last + 1;
    }
}
