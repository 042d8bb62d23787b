//! Property tests with a deterministic generator (no extra dependency): arbitrary Unicode and
//! fragment soups never panic, and every value found can be recovered from the text.

use domain::catalog::{Catalog, Fact};
use domain::comment::{Context, analyze};

/// xorshift64*: deterministic, so a failure reproduces from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const FRAGMENTS: &[&str] = &[
    "поставка",
    "пставка",
    "№",
    "отчёт",
    "заказ",
    "задание",
    "артикул",
    "продавца",
    "арт.",
    "nmID",
    "баркод",
    "ШК",
    "штрих-код",
    "vendorCode",
    "WB-GI-",
    "WB",
    "GI",
    "руб.",
    "₽",
    "р.",
    "тыс.",
    "копеек",
    "штраф",
    "бюджет",
    "пароль:",
    "код из смс",
    "eyJ",
    "токен:",
    "карта",
    "ИНН",
    "стикер",
    "заявка",
    "с",
    "по",
    "апреля",
    "2024",
    "24",
    ".",
    ",",
    "-",
    "–",
    "—",
    ":",
    "/",
    "%",
    "x",
    "(",
    ")",
    "«",
    "»",
    "\"",
    " ",
    " ",
    " ",
    "\u{A0}",
    "\u{202F}",
    "\u{2009}",
    "\n",
    "\u{200B}",
    "\u{301}",
    "😡",
    "wildberries.ru/catalog/",
    "http://",
    "ё",
    "Ё",
    "İ",
    "ß",
    "ǅ",
    "\u{10FFFF}",
    "й",
    "и\u{306}",
];

fn soup(rng: &mut Rng) -> String {
    let mut s = String::new();
    let n = rng.below(40);
    for _ in 0..n {
        match rng.below(4) {
            0 => s.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]),
            1 => {
                for _ in 0..1 + rng.below(14) {
                    s.push(char::from(b'0' + rng.below(10) as u8));
                }
            }
            2 => {
                // Any Unicode scalar value.
                let c = loop {
                    if let Some(c) = char::from_u32((rng.next() % 0x11_0000) as u32) {
                        break c;
                    }
                };
                s.push(c);
            }
            _ => s.push(' '),
        }
    }
    s
}

/// Debug builds are far slower: run a tenth there (`cargo test --release` runs them all).
fn iterations(release: usize) -> usize {
    if cfg!(debug_assertions) {
        release / 10
    } else {
        release
    }
}

fn alnum_lower(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn check(catalog: &Catalog, text: &str) {
    let ctx = Context::new(catalog)
        .with_theme("finance", "finance.penalties")
        .with_attachments(0);
    let r = analyze(text, &ctx);
    assert!(r.score <= 100);
    assert!(
        !r.vague || r.entities.is_empty(),
        "vague with entities: {text:?}"
    );
    let again = analyze(text, &ctx);
    assert_eq!(r, again, "not deterministic: {text:?}");
    // Invisible characters (zero-width space, soft hyphen…) are dropped by the analysis.
    let visible: String = text
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}'
            )
        })
        .collect();
    let text = visible.as_str();
    let text_alnum = alnum_lower(text);
    let text_digits = digits(text);
    for e in &r.entities {
        let ok = match e.kind {
            Fact::VendorCode => text.contains(&e.value),
            Fact::Report | Fact::Order | Fact::Barcode | Fact::Article => {
                !e.value.is_empty()
                    && e.value.chars().all(|c| c.is_ascii_digit())
                    && text.contains(&e.value)
            }
            Fact::Supply => text_alnum.contains(&alnum_lower(&e.value)),
            Fact::Date => {
                let parts: Vec<&str> = e.value.split('-').collect();
                parts.len() == 3
                    && parts.iter().all(|p| {
                        let p = p.trim_start_matches('0');
                        text_digits.contains(p) || p.len() == 4 && text_digits.contains(&p[2..])
                    })
                    || !text.chars().any(|c| c.is_ascii_digit())
            }
            Fact::Amount => {
                let v = e.value.replace('.', "");
                let v = v.trim_start_matches('0').trim_end_matches('0');
                text_digits.contains(v)
            }
        };
        assert!(
            ok,
            "{:?} {:?} not recoverable from {text:?}",
            e.kind, e.value
        );
    }
}

#[test]
fn fragment_soups_never_panic_and_values_come_from_the_text() {
    let catalog = Catalog::builtin();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..iterations(50_000) {
        let s = soup(&mut rng);
        check(&catalog, &s);
    }
}

#[test]
fn arbitrary_unicode_never_panics() {
    let catalog = Catalog::builtin();
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for _ in 0..iterations(10_000) {
        let len = rng.below(200);
        let s: String = (0..len)
            .map(|_| {
                loop {
                    if let Some(c) = char::from_u32((rng.next() % 0x11_0000) as u32) {
                        break c;
                    }
                }
            })
            .collect();
        check(&catalog, &s);
    }
}

#[test]
fn edge_inputs_never_panic() {
    let catalog = Catalog::builtin();
    for s in [
        "",
        " ",
        "\n\n",
        "№",
        "WB-GI-",
        "пароль:",
        "₽",
        "1",
        "01-",
        "31.12.",
        "eyJ",
        "0 руб",
        "артикул продавца",
        "...",
    ] {
        check(&catalog, s);
    }
    check(&catalog, &"9".repeat(100_000));
    check(&catalog, &"поставка ".repeat(5_000));
    check(&catalog, &"1 ".repeat(20_000));
}
