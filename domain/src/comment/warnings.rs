//! Things a seller must not send: card numbers (16 digits passing Luhn) and credentials
//! (a password value, an SMS/confirmation code, an API token or key).

use std::sync::OnceLock;

use super::entities::Acc;
use super::lexicon::{Match, WordTable};
use super::scan::{Gap, Kind, Text};

/// Luhn check over ASCII digits.
pub(crate) fn luhn_ok(d: &str) -> bool {
    let mut sum = 0;
    for (k, c) in d.bytes().rev().enumerate() {
        if !c.is_ascii_digit() {
            return false;
        }
        let mut v = u32::from(c - b'0');
        if k % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    !d.is_empty() && sum % 10 == 0
}

/// The next group of a grouped number: a `-` or a single space, same line. Returns its index.
fn next_group(t: &Text, k: usize) -> Option<usize> {
    if t.is_sym(k + 1, '-') && t.gap(k + 1) != Gap::Line && t.gap(k + 2) != Gap::Line {
        return t.num(k + 2).map(|_| k + 2);
    }
    (t.gap(k + 1) == Gap::Space)
        .then_some(k + 1)
        .filter(|&j| t.num(j).is_some())
}

pub(crate) fn cards(t: &Text, acc: &mut Acc) {
    let mut i = 0;
    while i < t.len() {
        let Some(d) = t.num(i) else {
            i += 1;
            continue;
        };
        if acc.used(i) || (t.glued(i) && matches!(t.toks[i - 1].kind, Kind::Num | Kind::Word)) {
            i += 1;
            continue;
        }
        let (digits, last) = if d.len() == 16 {
            (d.to_string(), i)
        } else if d.len() == 4 {
            let mut s = d.to_string();
            let mut k = i;
            let mut groups = 1;
            while let Some(j) = next_group(t, k) {
                if t.num(j).is_some_and(|g| g.len() == 4) && !acc.used(j) {
                    s.push_str(t.num(j).unwrap_or(""));
                    groups += 1;
                    k = j;
                } else {
                    break;
                }
            }
            if groups != 4 {
                // A 20-digit account in groups of four is not a card: skip all its groups.
                i = k + 1;
                continue;
            }
            (s, k)
        } else {
            i += 1;
            continue;
        };
        if t.glued(last + 1)
            && matches!(
                t.toks.get(last + 1).map(|x| x.kind),
                Some(Kind::Num | Kind::Word)
            )
        {
            i = last + 1;
            continue;
        }
        if luhn_ok(&digits) {
            acc.card.get_or_insert(i);
            acc.mark(i..last + 1);
        }
        i = last + 1;
    }
}

/// The whitespace-delimited run in the original text starting at token `j`, without trailing
/// punctuation.
fn raw_run<'a>(t: &Text<'a>, j: usize) -> &'a str {
    let Some(tok) = t.toks.get(j) else { return "" };
    let rest = t.orig.get(tok.o.start..).unwrap_or("");
    let end = rest
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(rest.len(), |(k, _)| k);
    rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '»', '"', '\'', '”'])
}

/// Marks the tokens covered by `run` starting at token `j`.
fn mark_run(t: &Text, acc: &mut Acc, j: usize, run: &str) {
    let Some(start) = t.toks.get(j).map(|x| x.o.start) else {
        return;
    };
    let end = start + run.len();
    let mut k = j;
    while k < t.len() && t.toks[k].o.start < end {
        k += 1;
    }
    acc.mark(j..k);
}

fn credential_like(run: &str, colon: bool, russian_kw: bool) -> bool {
    let n = run.chars().count();
    if !(4..=64).contains(&n) {
        return false;
    }
    let digit = run.chars().any(|c| c.is_ascii_digit());
    let latin = run.chars().any(|c| c.is_ascii_alphabetic());
    let cyr = run.chars().any(|c| {
        ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)) || c == 'ё' || c == 'Ё'
    });
    let symbol = run.chars().any(|c| !c.is_alphanumeric());
    if !digit && !latin {
        return false;
    }
    if cyr && !digit {
        return false;
    }
    if run.starts_with("http") || run.starts_with('/') {
        return false;
    }
    if run.chars().all(|c| c.is_ascii_digit()) {
        // A year after «пароль» («пароль 2024 года») is not a value.
        return n >= 4 && !(n == 4 && (run.starts_with("19") || run.starts_with("20")));
    }
    colon || digit || symbol || (russian_kw && latin)
}

const PASSWORD_GAP_WORDS: &[&str] = &[
    "от",
    "для",
    "к",
    "на",
    "в",
    "кабинета",
    "кабинет",
    "аккаунта",
    "входа",
    "лк",
    "личного",
    "сайта",
    "старый",
    "новый",
    "текущий",
    "мой",
    "наш",
    "временный",
    "is",
    "my",
    "the",
    "old",
    "new",
    "current",
    "был",
    "такой",
    "сейчас",
];

const CODE_QUALIFIERS: &[&str] = &[
    "смс",
    "sms",
    "подтвержд",
    "проверочн",
    "одноразов",
    "верификац",
    "verification",
    "confirmation",
    "otp",
    "2fa",
    "пуш",
    "push",
    "сообщени",
    "пин",
    "pin",
    "смс-код",
];

fn is_code_qualifier(w: &str) -> bool {
    CODE_QUALIFIERS.iter().any(|q| w.starts_with(q))
}

#[derive(Clone, Copy)]
enum Trigger {
    /// A password word; true for Russian ones.
    Password(bool),
    Code,
    Key,
}

fn triggers() -> &'static WordTable<Trigger> {
    static TABLE: OnceLock<WordTable<Trigger>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = WordTable::new();
        t.add(&["парол"], Match::Prefix, Trigger::Password(true));
        t.add(&["пасс"], Match::Exact, Trigger::Password(true));
        t.add(
            &["password", "passwd", "pass", "pwd"],
            Match::Exact,
            Trigger::Password(false),
        );
        t.add(
            &["код", "кода", "коду", "кодом", "code", "otp", "пинкод"],
            Match::Exact,
            Trigger::Code,
        );
        t.add(
            &[
                "токен",
                "токена",
                "токеном",
                "токену",
                "token",
                "ключ",
                "ключа",
                "ключом",
                "ключу",
                "key",
                "apikey",
                "bearer",
                "authorization",
                "secret",
            ],
            Match::Exact,
            Trigger::Key,
        );
        t
    })
}

pub(crate) fn secrets(t: &Text, acc: &mut Acc) {
    let table = triggers();
    for i in 0..t.len() {
        let Some(w) = t.word(i) else { continue };
        // JWTs: «eyJ…» with dots, long.
        if w.starts_with("eyj") && t.orig_of(i).starts_with("eyJ") && !t.glued(i) {
            let run = raw_run(t, i);
            if run.len() >= 30 && run.contains('.') {
                acc.secret.get_or_insert(i);
                mark_run(t, acc, i, run);
                continue;
            }
        }
        match table.matches(w).next() {
            Some(Trigger::Password(russian)) => password(t, acc, i, russian),
            Some(Trigger::Code) => sms_code(t, acc, i),
            Some(Trigger::Key) => api_key(t, acc, i),
            None => {}
        }
    }
}

fn password(t: &Text, acc: &mut Acc, i: usize, russian: bool) {
    let mut j = i + 1;
    let mut colon = false;
    let mut words = 0;
    while j < t.len() && j <= i + 8 {
        if t.gap(j) == Gap::Line && !colon {
            return;
        }
        match (t.sym(j), t.word(j)) {
            (Some(':' | '=' | '-' | '"' | '\'' | '('), _) => colon = true,
            (_, Some(w)) if !colon && words < 3 && PASSWORD_GAP_WORDS.contains(&w) => words += 1,
            _ => break,
        }
        j += 1;
    }
    if j >= t.len() || acc.used(j) {
        return;
    }
    let run = raw_run(t, j);
    if credential_like(run, colon, russian) {
        acc.secret.get_or_insert(j);
        mark_run(t, acc, j, run);
    }
}

fn sms_code(t: &Text, acc: &mut Acc, i: usize) {
    let lo = i.saturating_sub(2);
    let qualified = (lo..=i + 3).any(|k| k != i && t.word(k).is_some_and(is_code_qualifier))
        || t.word(i).is_some_and(|w| w == "otp" || w == "пинкод");
    if !qualified {
        return;
    }
    let mut j = i + 1;
    while j < t.len() && j <= i + 6 {
        if t.gap(j) == Gap::Line {
            return;
        }
        match (t.sym(j), t.word(j)) {
            (Some(':' | '-' | '"' | '=' | '(' | '#'), _) => {}
            (_, Some(w)) if is_code_qualifier(w) || matches!(w, "из" | "по" | "в" | "с") => {}
            _ => break,
        }
        j += 1;
    }
    let Some(d) = t.num(j) else { return };
    if !(4..=8).contains(&d.len()) || acc.used(j) {
        return;
    }
    // Not part of a grouped number (a phone number after «код … на номер»).
    let grouped = (t.num(j + 1).is_some() && t.gap(j + 1) == Gap::Space)
        || (t.is_sym(j + 1, '-') && t.num(j + 2).is_some())
        || t.glued(j + 1)
            && matches!(
                t.toks.get(j + 1).map(|x| x.kind),
                Some(Kind::Word | Kind::Num)
            );
    if grouped {
        return;
    }
    acc.secret.get_or_insert(j);
    acc.mark(j..j + 1);
}

fn api_key(t: &Text, acc: &mut Acc, i: usize) {
    let mut j = i + 1;
    while j < t.len() && j <= i + 8 {
        if t.gap(j) == Gap::Line && !t.is_sym(j.wrapping_sub(1), ':') {
            return;
        }
        if t.is_stop(j) {
            return;
        }
        if t.gap(j) != Gap::None || matches!(t.sym(j.wrapping_sub(1)), Some(':' | '=' | '"')) {
            let run = raw_run(t, j);
            let run = run.trim_start_matches(['"', '\'', '(']);
            let n = run.len();
            let ok_chars = run.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=' | '+' | '/')
            });
            let digit = run.chars().any(|c| c.is_ascii_digit());
            let letter = run.chars().any(|c| c.is_ascii_alphabetic());
            if n >= 20
                && ok_chars
                && digit
                && letter
                && !run.starts_with('/')
                && !run.contains("//")
            {
                acc.secret.get_or_insert(j);
                mark_run(t, acc, j, run);
                return;
            }
        }
        j += 1;
    }
}
