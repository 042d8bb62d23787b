//! Word lists: the keywords that name facts, the words that mark non-identifiers, months, units.
//!
//! Words are compared in normalised form (lowercase, «ё» as «е»). Stems are prefixes; a few long
//! stems also accept one missing interior letter, the typo sellers make most («пставка»,
//! «артиклу»), which stays safe because the dropped letter is never the first or the last.

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
    let chars: Vec<char> = stem.chars().collect();
    if chars.len() < 7 {
        return false;
    }
    let mut w = word.chars();
    let mut skipped = false;
    let mut k = 0;
    while k < chars.len() {
        match w.next() {
            None => return false,
            Some(c) if c == chars[k] => k += 1,
            Some(c) => {
                // The typed letter must match the stem's next letter after skipping one.
                if skipped || k == 0 || k + 1 >= chars.len() || c != chars[k + 1] {
                    return false;
                }
                skipped = true;
                k += 2;
            }
        }
    }
    true
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

/// The keyword starting at token `i`: its role and the index of its last token.
pub(crate) fn keyword_at(t: &Text, i: usize) -> Option<(Role, usize)> {
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
    let role = if w.starts_with("отчет") || w == "report" || w.starts_with("финотчет")
    {
        Role::Id(Fact::Report)
    } else if fuzzy_prefix(w, "поставк")
        || w == "поставок"
        || w == "пставок"
        || w == "supply"
        || w == "supplies"
        || w == "supplyid"
    {
        Role::Id(Fact::Supply)
    } else if one_of(w, ORDER_FORMS) || w.starts_with("задани") {
        Role::Id(Fact::Order)
    } else if w.starts_with("баркод")
        || fuzzy_prefix(w, "штрихкод")
        || one_of(
            w,
            &["шк", "ean", "ean13", "sku", "skus", "barcode", "barcodes"],
        )
    {
        Role::Id(Fact::Barcode)
    } else if one_of(w, &["vendorcode", "supplierarticle", "sa_name"]) {
        Role::Id(Fact::VendorCode)
    } else if fuzzy_prefix(w, "артикул") || w == "арт" || w == "article" {
        Role::Article
    } else if one_of(w, &["nmid", "nmids", "nm_id"]) || fuzzy_prefix(w, "номенклатур") {
        Role::Id(Fact::Article)
    } else if w.starts_with("карточк") || w == "card" {
        Role::Card
    } else if one_of(w, MONEY_FORMS) || starts_any(w, MONEY_STEMS) {
        Role::Money
    } else if one_of(w, BLOCK_FORMS) || starts_any(w, BLOCK_STEMS) {
        Role::Block
    } else {
        return None;
    };
    Some((role, i))
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
    let p = if w == "тыс" || w.starts_with("тысяч") {
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
