//! Word lists: the keywords that name facts, the words that mark non-identifiers, months, units.
//!
//! Words are compared in normalised form (lowercase, «ё» as «е»). Stems are prefixes; a few long
//! stems also accept one missing interior letter, the typo sellers make most («пставка»,
//! «артиклу»), which stays safe because the dropped letter is never the first or the last.

use std::sync::OnceLock;

use super::fast_hash::FastMap;
use super::scan::Text;
use crate::catalog::Fact;

/// What a keyword introduces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// An identifier of this kind.
    Id(Fact),
    /// «артикул»/«арт.»: a WB article when digits follow, the seller's article when a code
    /// follows or when «продавца» comes next.
    Article,
    /// «карточка N»: a WB article, only when the number follows directly.
    Card,
    /// A money noun (штраф, сумма, бюджет…): its direct number is an amount.
    Money,
    /// A number named as something that is none of the eight kinds (ИНН, стикер, заявка…).
    Block,
}

/// True when `word` starts with `stem`, or with `stem` missing one interior letter.
pub(crate) fn fuzzy_prefix(word: &str, stem: &str) -> bool {
    if word.starts_with(stem) {
        return true;
    }
    // Cheap rejections first: this runs for every word of the text.
    if word.chars().next() != stem.chars().next() || word.len() + 2 < stem.len() {
        return false;
    }
    let n = stem.chars().count();
    if n < 7 {
        return false;
    }
    (1..n - 1).any(|skip| {
        let mut w = word.chars();
        stem.chars()
            .enumerate()
            .filter(|&(k, _)| k != skip)
            .all(|(_, c)| w.next() == Some(c))
    })
}

fn one_of(w: &str, list: &[&str]) -> bool {
    list.contains(&w)
}

fn starts_any(w: &str, list: &[&str]) -> bool {
    list.iter().any(|s| w.starts_with(s))
}

const ORDER_FORMS: &[&str] = &[
    "заказ",
    "заказа",
    "заказу",
    "заказом",
    "заказе",
    "заказы",
    "заказов",
    "заказам",
    "заказами",
    "заказах",
    "order",
    "orders",
    "сз",
    "orderid",
];

const MONEY_STEMS: &[&str] = &[
    "штраф",
    "удержан",
    "удержал",
    "удержа",
    "бюджет",
    "стоимост",
    "выплат",
    "penalty",
    "price",
    "amount",
];
const MONEY_FORMS: &[&str] = &[
    "сумма",
    "суммы",
    "сумму",
    "суммой",
    "сумме",
    "цена",
    "цены",
    "цену",
    "ценой",
    "цене",
    "итого",
];

const BLOCK_FORMS: &[&str] = &[
    "инн",
    "огрн",
    "огрнип",
    "бик",
    "кпп",
    "окпо",
    "оквэд",
    "снилс",
    "id",
    "тел",
    "телефон",
    "телефона",
    "телефону",
    "phone",
    "упд",
    "акт",
    "акта",
    "акту",
    "актом",
    "акте",
    "счет",
    "счета",
    "счету",
    "счете",
    "счетом",
    "сч",
    "склад",
    "склада",
    "складе",
    "складу",
    "складом",
    "warehouse",
    "warehouseid",
    "subjectid",
    "subject",
    "авто",
    "машины",
    "машина",
    "госномер",
    "паспорт",
    "паспорта",
    "пропуск",
    "пропуска",
    "рейс",
    "чек",
    "чека",
    "лимит",
    "limit",
    "parta",
    "partb",
    "кампания",
    "кампании",
    "кампанию",
    "кампаний",
    "advertid",
    "campaign",
    "rid",
    "srid",
    "chrtid",
    "код",
    "кода",
    "коду",
    "кодом",
    "code",
    "pin",
    "пин",
];
const BLOCK_STEMS: &[&str] = &[
    "заявк",
    "стикер",
    "sticker",
    "платеж",
    "платежк",
    "поручени",
    "транзакц",
    "transaction",
    "сертификат",
    "декларац",
    "квитанц",
    "инвойс",
    "invoice",
    "номер телеф",
    "ордер",
];

/// The keyword starting at token `i` (cached in [`Text::kw`]): role and index of its last token.
pub(crate) fn keyword_at(t: &Text, i: usize) -> Option<(Role, usize)> {
    t.kw.get(i).copied().flatten()
}

/// Detects the keyword starting at token `i`; [`Text::new`] runs it once per token.
pub(crate) fn detect_keyword(t: &Text, i: usize) -> Option<(Role, usize)> {
    let w = t.word(i)?;
    // Multi-token keywords first.
    match w {
        // «штрих-код», «штрих код»
        "штрих" => {
            let mut j = i + 1;
            if t.is_sym(j, '-') {
                j += 1;
            }
            if t.word(j).is_some_and(|x| x.starts_with("код")) {
                return Some((Role::Id(Fact::Barcode), j));
            }
            return None;
        }
        // «nm_id», «nm id», «nm-id»
        "nm" => {
            let mut j = i + 1;
            if matches!(t.sym(j), Some('_' | '-')) {
                j += 1;
            }
            if t.is_word(j, "id") {
                return Some((Role::Id(Fact::Article), j));
            }
            return None;
        }
        // «vendor code», «vendor_code», «supplier article»
        "vendor" | "supplier" => {
            let mut j = i + 1;
            if matches!(t.sym(j), Some('_' | '-')) {
                j += 1;
            }
            if t.word(j).is_some_and(|x| x == "code" || x == "article") {
                return Some((Role::Id(Fact::VendorCode), j));
            }
            return None;
        }
        // «р/с», «к/с», «п/п» are bank accounts and payment orders.
        "р" | "к" | "п" if t.is_sym(i + 1, '/') && t.glued(i + 1) => {
            return Some((Role::Block, (i + 2).min(t.len().saturating_sub(1))));
        }
        _ => {}
    }
    single_word(w).map(|role| (role, i))
}

/// How a pattern matches a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Match {
    /// The whole word.
    Exact,
    /// A prefix (stem).
    Prefix,
    /// A prefix, also with one interior letter missing (see [`fuzzy_prefix`]).
    Fuzzy,
}

/// Patterns bucketed by their first two letters, so each word meets only a handful of them.
/// Within a bucket, patterns keep the order they were added in (their priority).
pub(crate) struct WordTable<T> {
    map: FastMap<(char, char), Vec<Pattern<T>>>,
}

type Pattern<T> = (&'static str, Match, T);

fn head2(w: &str) -> (char, char) {
    let mut c = w.chars();
    let a = c.next().unwrap_or(' ');
    (a, c.next().unwrap_or(' '))
}

impl<T: Copy> WordTable<T> {
    pub fn new() -> WordTable<T> {
        WordTable {
            map: FastMap::default(),
        }
    }

    pub fn add(&mut self, pats: &[&'static str], how: Match, tag: T) {
        for &pat in pats {
            let (a, b) = head2(pat);
            self.map.entry((a, b)).or_default().push((pat, how, tag));
            // A fuzzy stem typed without its second letter starts with its first and third.
            if how == Match::Fuzzy
                && let Some(c) = pat.chars().nth(2)
                && c != b
            {
                self.map.entry((a, c)).or_default().push((pat, how, tag));
            }
        }
    }

    /// Tags of the patterns that match `w`, in priority order.
    pub fn matches<'s>(&'s self, w: &'s str) -> impl Iterator<Item = T> + 's {
        self.map
            .get(&head2(w))
            .into_iter()
            .flatten()
            .filter(move |(pat, how, _)| match how {
                Match::Exact => w == *pat,
                Match::Prefix => w.starts_with(pat),
                Match::Fuzzy => fuzzy_prefix(w, pat),
            })
            .map(|(_, _, tag)| *tag)
    }
}

/// One-word keywords in priority order.
fn table() -> &'static WordTable<Role> {
    static TABLE: OnceLock<WordTable<Role>> = OnceLock::new();
    TABLE.get_or_init(|| {
        use Match::{Exact, Fuzzy, Prefix};
        let mut t = WordTable::new();
        let report = Role::Id(Fact::Report);
        t.add(&["отчет", "финотчет"], Prefix, report);
        t.add(&["report"], Exact, report);
        let supply = Role::Id(Fact::Supply);
        t.add(&["поставк"], Fuzzy, supply);
        t.add(
            &["поставок", "пставок", "supply", "supplies", "supplyid"],
            Exact,
            supply,
        );
        let order = Role::Id(Fact::Order);
        t.add(ORDER_FORMS, Exact, order);
        t.add(&["задани"], Prefix, order);
        let barcode = Role::Id(Fact::Barcode);
        t.add(&["баркод"], Prefix, barcode);
        t.add(&["штрихкод"], Fuzzy, barcode);
        t.add(
            &["шк", "ean", "ean13", "sku", "skus", "barcode", "barcodes"],
            Exact,
            barcode,
        );
        t.add(
            &["vendorcode", "supplierarticle", "sa_name"],
            Exact,
            Role::Id(Fact::VendorCode),
        );
        t.add(&["артикул"], Fuzzy, Role::Article);
        t.add(&["арт", "article"], Exact, Role::Article);
        let article = Role::Id(Fact::Article);
        t.add(&["nmid", "nmids", "nm_id"], Exact, article);
        t.add(&["номенклатур"], Fuzzy, article);
        t.add(&["карточк"], Prefix, Role::Card);
        t.add(&["card"], Exact, Role::Card);
        t.add(MONEY_FORMS, Exact, Role::Money);
        t.add(MONEY_STEMS, Prefix, Role::Money);
        t.add(BLOCK_FORMS, Exact, Role::Block);
        t.add(BLOCK_STEMS, Prefix, Role::Block);
        t
    })
}

/// The role of a one-word keyword.
fn single_word(w: &str) -> Option<Role> {
    table().matches(w).next()
}

/// Words allowed between a keyword and its value without weakening the match.
pub(crate) fn is_filler_word(w: &str) -> bool {
    one_of(
        w,
        &[
            "номер",
            "номером",
            "номера",
            "no",
            "n",
            "nr",
            "wb",
            "вб",
            "fbs",
            "dbs",
            "fbw",
            "fbo",
            "рфбс",
            "id",
            "реализации",
            "wildberries",
            "number",
        ],
    )
}

/// Symbols allowed between a keyword and its value.
pub(crate) fn is_filler_sym(c: char) -> bool {
    matches!(c, '№' | '#' | ':' | '=' | '"' | '\'' | '(' | '[' | '-')
}

/// Words after «артикул» that make it the seller's article.
pub(crate) fn is_seller_word(w: &str) -> bool {
    w.starts_with("продавц") || w.starts_with("поставщик") || w == "seller" || w == "supplier"
}

/// Month number for a month name in any case form or common abbreviation.
pub(crate) fn month(w: &str) -> Option<u32> {
    const MONTHS: [(&str, &str); 12] = [
        ("январ", "янв"),
        ("феврал", "фев"),
        ("март", "мар"),
        ("апрел", "апр"),
        ("ма", "мая"),
        ("июн", "июн"),
        ("июл", "июл"),
        ("август", "авг"),
        ("сентябр", "сен"),
        ("октябр", "окт"),
        ("ноябр", "ноя"),
        ("декабр", "дек"),
    ];
    if matches!(w, "май" | "мая" | "мае") {
        return Some(5);
    }
    for (k, (stem, abbr)) in MONTHS.iter().enumerate() {
        if k == 4 {
            continue;
        }
        if w.starts_with(stem) && w.chars().count() <= stem.chars().count() + 2 {
            return Some(k as u32 + 1);
        }
        if w == *abbr
            || (k == 8 && w == "сент")
            || (k == 10 && w == "нояб")
            || (k == 1 && w == "февр")
        {
            return Some(k as u32 + 1);
        }
    }
    const EN: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const EN_FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    (0..12)
        .find(|&k| w == EN[k] || w == EN_FULL[k])
        .map(|k| k as u32 + 1)
}

/// Units and counted nouns: a number followed by one of these is a quantity, size or duration.
pub(crate) fn is_unit(w: &str) -> bool {
    one_of(
        w,
        &[
            "шт",
            "штук",
            "штуки",
            "штука",
            "кг",
            "г",
            "гр",
            "грамм",
            "см",
            "мм",
            "м",
            "мл",
            "л",
            "мб",
            "кб",
            "гб",
            "mb",
            "kb",
            "gb",
            "px",
            "pcs",
            "x",
            "х",
            "раз",
            "раза",
            "дн",
            "дня",
            "дней",
            "день",
            "мин",
            "минут",
            "минуты",
            "час",
            "часа",
            "часов",
            "сек",
            "секунд",
            "лет",
            "год",
            "года",
            "году",
            "г.",
            "ед",
            "кв",
            "км",
            "т",
            "тонн",
            "sec",
            "ms",
            "мс",
        ],
    ) || starts_any(
        w,
        &[
            "коробк",
            "короб",
            "паллет",
            "палет",
            "позици",
            "единиц",
            "товар",
            "мешк",
            "упаков",
            "процент",
            "заказ",
            "артикул",
            "недел",
            "месяц",
            "запрос",
            "отзыв",
            "штук",
        ],
    )
}

/// A ruble marker at token `i`: returns its last token index. `р/с` (bank account) is not one.
pub(crate) fn ruble_at(t: &Text, i: usize) -> Option<usize> {
    if t.is_sym(i, '₽') {
        return Some(i);
    }
    let w = t.word(i)?;
    let is_marker = match w {
        "р" | "руб" | "rub" | "rur" | "₽" => true,
        _ => w.starts_with("рубл") && w.chars().count() <= 7,
    };
    if !is_marker {
        return None;
    }
    if w == "р" && t.is_sym(i + 1, '/') && t.glued(i + 1) {
        return None;
    }
    // A letter glued to a word is part of it («5р» is glued to the number, which is fine).
    if t.glued(i) && t.word(i.wrapping_sub(1)).is_some() {
        return None;
    }
    Some(if t.is_sym(i + 1, '.') && t.glued(i + 1) {
        i + 1
    } else {
        i
    })
}

/// A kopeck marker at token `i`.
pub(crate) fn kopeck_at(t: &Text, i: usize) -> Option<usize> {
    let w = t.word(i)?;
    if w == "коп" || (w.starts_with("копе") && w.chars().count() <= 7) {
        return Some(if t.is_sym(i + 1, '.') && t.glued(i + 1) {
            i + 1
        } else {
            i
        });
    }
    None
}

/// A multiplier word at token `i` («тыс.», «млн»): returns (power of ten, last token index).
pub(crate) fn multiplier_at(t: &Text, i: usize) -> Option<(u32, usize)> {
    let w = t.word(i)?;
    // «15к руб.»: a «к» glued to the number means thousands.
    let glued_k = matches!(w, "к" | "k") && t.glued(i) && i > 0 && t.num(i - 1).is_some();
    let p = if w == "тыс" || w.starts_with("тысяч") || glued_k {
        3
    } else if w == "млн" || w.starts_with("миллион") {
        6
    } else {
        return None;
    };
    Some((
        p,
        if t.is_sym(i + 1, '.') && t.glued(i + 1) {
            i + 1
        } else {
            i
        },
    ))
}
