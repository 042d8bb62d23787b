//! Strings of the comment helper panel («Подсказки к комментарию»).
//!
//! The analysis reports machine codes ([`Fact`], [`Need`], [`Hint`], [`ReasonCode`], [`Warning`]);
//! this file gives each a text per locale. Russian need labels and examples come from the domain
//! catalog itself ([`Need::label_ru`], [`Need::example_ru`]) so the checklist and the template use
//! the same words.

use domain::catalog::{Fact, Need, Theme};
use domain::comment::{Hint, ReasonCode, Warning};

use super::Locale;

pub struct CommentHelperStrings {
    pub heading: &'static str,
    pub intro: &'static str,
    pub intro_theme: &'static str,
    pub facts_heading: &'static str,
    pub facts_none: &'static str,
    pub checklist_heading: &'static str,
    pub need_present: &'static str,
    pub need_missing: &'static str,
    pub need_example: &'static str,
    pub score_label: &'static str,
    pub score_of: &'static str,
    pub vague_title: &'static str,
    pub vague_text: &'static str,
    pub good_example_label: &'static str,
    pub good_example: &'static str,
    pub warnings_heading: &'static str,
    pub warning_card: &'static str,
    pub warning_secret: &'static str,
    pub warning_footer: &'static str,
    pub hints_heading: &'static str,
    /// The phone's toggle that opens the whole panel (a narrow screen shows its summary only).
    pub show_all: &'static str,
    pub suggestion_text: &'static str,
    pub suggestion_other_text: &'static str,
    pub apply_suggestion: &'static str,
    /// Accessible name of a candidate button; `{theme}` and `{category}` are replaced.
    pub choose_candidate: &'static str,
    pub insert_template: &'static str,
    pub insert_template_hint: &'static str,
    pub template_what_happened: &'static str,
    // The polite summary line, read by screen readers when it changes.
    pub summary_empty: &'static str,
    pub summary_facts_one: &'static str,
    pub summary_facts_few: &'static str,
    pub summary_facts_many: &'static str,
    pub summary_no_facts: &'static str,
    pub summary_missing: &'static str,
    pub summary_all_present: &'static str,
    pub summary_vague: &'static str,
    pub summary_warning: &'static str,
    pub summary_score: &'static str,
    pub summary_suggestion: &'static str,
}

pub static RU: CommentHelperStrings = CommentHelperStrings {
    heading: "Подсказки к комментарию",
    intro: "Пишите комментарий — здесь появятся найденные номера, даты и суммы и то, чего не хватает поддержке для ответа.",
    intro_theme: "Для этой темы поддержке нужно:",
    facts_heading: "Найдено в комментарии",
    facts_none: "Номеров, дат и сумм пока не найдено.",
    checklist_heading: "Что нужно для темы",
    need_present: "указано",
    need_missing: "не указано",
    need_example: "Например:",
    score_label: "Готовность",
    score_of: "из 100",
    vague_title: "Из комментария непонятно, что случилось",
    vague_text: "Поддержке не за что зацепиться: назовите номер отчёта, поставки или заказа, артикул или баркод, дату и сумму и опишите, что именно не так.",
    good_example_label: "Так пишут хороший комментарий:",
    good_example: "«Добрый день, в отчёте № 151564 получили штраф в размере 2 000 р. за заказанный баркод 2008500000237 (артикул 13334921) от 25.04.2023, назначение штрафа: «Повышенная логистика согласно коэффициенту по обмерам», габариты указаны верно, просьба перемерить товар и вернуть удержанный штраф.»",
    warnings_heading: "Уберите из комментария",
    warning_card: "Похоже на номер банковской карты. Поддержке он не нужен — удалите его: переписку читают люди, а номер карты могут использовать мошенники.",
    warning_secret: "Похоже на пароль, код из СМС или токен. Поддержка никогда их не спрашивает — удалите, а если уже отправляли кому-то, смените.",
    warning_footer: "Отправить с такими данными можно будет только после подтверждения.",
    hints_heading: "Советы",
    show_all: "Все подсказки",
    suggestion_text: "Похоже на:",
    suggestion_other_text: "Судя по тексту, точнее может подойти тема:",
    apply_suggestion: "Выбрать эту тему",
    choose_candidate: "Выбрать тему «{theme}» ({category})",
    insert_template: "Вставить шаблон",
    insert_template_hint: "Шаблон добавит в комментарий строки для нужных номеров и дат.",
    template_what_happened: "Что произошло: ",
    summary_empty: "Подсказки появятся, когда вы начнёте писать.",
    summary_facts_one: "Найден {n} факт",
    summary_facts_few: "Найдено {n} факта",
    summary_facts_many: "Найдено {n} фактов",
    summary_no_facts: "Номеров, дат и сумм не найдено",
    summary_missing: "не хватает: {list}",
    summary_all_present: "всё нужное для темы указано",
    summary_vague: "Комментарий слишком общий — добавьте номера, даты и суть проблемы",
    summary_warning: "Уберите из комментария номер карты или пароль",
    summary_score: "готовность {n} из 100",
    summary_suggestion: "есть подсказка по теме",
};

pub static EN: CommentHelperStrings = CommentHelperStrings {
    heading: "Comment tips",
    intro: "Start writing — the numbers, dates and amounts we find will appear here, with anything support still needs.",
    intro_theme: "For this theme support needs:",
    facts_heading: "Found in the comment",
    facts_none: "No numbers, dates or amounts found yet.",
    checklist_heading: "What this theme needs",
    need_present: "given",
    need_missing: "missing",
    need_example: "For example:",
    score_label: "Readiness",
    score_of: "of 100",
    vague_title: "It is not clear what happened",
    vague_text: "Support has nothing to act on: give the report, supply or order number, the article or barcode, the date and the amount, and say what exactly is wrong.",
    good_example_label: "A good comment reads like this:",
    good_example: "“Hello, report No. 151564 charged us a 2,000 ₽ penalty for the ordered barcode 2008500000237 (article 13334921) dated 25.04.2023, reason: “Increased logistics by the measured dimensions coefficient”. The dimensions are correct; please re-measure the item and refund the penalty.”",
    warnings_heading: "Remove from the comment",
    warning_card: "This looks like a bank card number. Support does not need it — delete it: people read this conversation, and fraudsters can use a card number.",
    warning_secret: "This looks like a password, an SMS code or a token. Support never asks for them — delete it, and change it if you have already shared it.",
    warning_footer: "Sending with this data will need a confirmation.",
    hints_heading: "Tips",
    show_all: "All tips",
    suggestion_text: "Looks like:",
    suggestion_other_text: "Judging by the text, a better fitting theme may be:",
    apply_suggestion: "Choose this theme",
    choose_candidate: "Choose the theme “{theme}” ({category})",
    insert_template: "Insert template",
    insert_template_hint: "The template adds lines for the numbers and dates support needs.",
    template_what_happened: "What happened: ",
    summary_empty: "Tips appear once you start writing.",
    summary_facts_one: "{n} fact found",
    summary_facts_few: "{n} facts found",
    summary_facts_many: "{n} facts found",
    summary_no_facts: "No numbers, dates or amounts found",
    summary_missing: "missing: {list}",
    summary_all_present: "everything the theme needs is given",
    summary_vague: "The comment is too general — add numbers, dates and what is wrong",
    summary_warning: "Remove the card number or password from the comment",
    summary_score: "readiness {n} of 100",
    summary_suggestion: "a theme is suggested",
};

pub fn strings(l: Locale) -> &'static CommentHelperStrings {
    match l {
        Locale::Ru => &RU,
        Locale::En => &EN,
    }
}

/// Chip label of a found fact («Поставка 21573344»).
pub fn fact_label(l: Locale, fact: Fact) -> &'static str {
    match l {
        Locale::Ru => match fact {
            Fact::Report => "Отчёт",
            Fact::Supply => "Поставка",
            Fact::Order => "Заказ",
            Fact::Barcode => "Баркод",
            Fact::Article => "Артикул",
            Fact::VendorCode => "Артикул продавца",
            Fact::Date => "Дата",
            Fact::Amount => "Сумма",
        },
        Locale::En => match fact {
            Fact::Report => "Report",
            Fact::Supply => "Supply",
            Fact::Order => "Order",
            Fact::Barcode => "Barcode",
            Fact::Article => "Article",
            Fact::VendorCode => "Vendor code",
            Fact::Date => "Date",
            Fact::Amount => "Amount",
        },
    }
}

/// Checklist label of a theme's need.
pub fn need_label(l: Locale, need: Need) -> &'static str {
    match l {
        Locale::Ru => need.label_ru(),
        Locale::En => match need {
            Need::Report => "Report number",
            Need::Supply => "Supply number",
            Need::Order => "Assembly task / order number",
            Need::Barcode => "Barcode",
            Need::Article => "WB article",
            Need::VendorCode => "Vendor code",
            Need::Date => "Date",
            Need::Amount => "Amount",
            Need::ArticleOrBarcode => "WB article or barcode",
            Need::Product => "WB article, vendor code or barcode",
            Need::SupplyOrOrder => "FBS supply or assembly task number",
        },
    }
}

/// How to write a missing need so that support and the helper recognise it.
pub fn need_example(l: Locale, need: Need) -> &'static str {
    match l {
        Locale::Ru => need.example_ru(),
        Locale::En => match need {
            Need::Report => "report No. 151564",
            Need::Supply => "supply No. 21573344",
            Need::Order => "assembly task 1843275560",
            Need::Barcode => "barcode 2000000786667",
            Need::Article => "article 13334921",
            Need::VendorCode => "vendor code ABC-123-black",
            Need::Date => "on 25.04.2024",
            Need::Amount => "amount 2 000 ₽",
            Need::ArticleOrBarcode => "article 13334921 or barcode 2000000786667",
            Need::Product => "article 13334921 (vendor code ABC-123-black)",
            Need::SupplyOrOrder => "supply WB-GI-12345678 or assembly task 1843275560",
        },
    }
}

/// Advice text of a hint.
pub fn hint_text(l: Locale, hint: Hint) -> &'static str {
    match l {
        Locale::Ru => match hint {
            Hint::PoliteOnly => {
                "Вежливость — это хорошо, но по одному приветствию поддержка не поймёт, что случилось. Опишите проблему и назовите номера."
            }
            Hint::Caps => {
                "Текст написан заглавными буквами — его трудно читать. Напишите обычными."
            }
            Hint::TooShort => {
                "Слишком коротко: в нескольких словах не поместить номера, даты и суть проблемы."
            }
            Hint::RelativeDate => {
                "Вместо «вчера» или «сегодня» напишите дату, например 25.04.2024: диалог могут прочитать через несколько дней."
            }
            Hint::AttachmentMissing => {
                "В тексте сказано, что файл приложен, но вложений нет. Прикрепите скриншот или файл ниже."
            }
            Hint::BarcodeChecksum => {
                "У баркода из 13 цифр не сходится контрольная цифра — проверьте, нет ли опечатки. Отправить можно и так."
            }
        },
        Locale::En => match hint {
            Hint::PoliteOnly => {
                "Politeness is good, but a greeting alone does not tell support what happened. Describe the problem and give the numbers."
            }
            Hint::Caps => {
                "The text is in capitals, which is hard to read. Please write in normal case."
            }
            Hint::TooShort => {
                "Too short: a few words cannot carry the numbers, dates and the problem."
            }
            Hint::RelativeDate => {
                "Instead of “yesterday” or “today”, write the date, e.g. 25.04.2024: the dialog may be read days later."
            }
            Hint::AttachmentMissing => {
                "The text says a file is attached, but nothing is. Attach the screenshot or file below."
            }
            Hint::BarcodeChecksum => {
                "A 13-digit barcode fails its check digit — check it for a typo. You can still send it as it is."
            }
        },
    }
}

/// Short text of a score reason, for the line under the readiness score.
pub fn reason_text(l: Locale, code: ReasonCode) -> &'static str {
    match l {
        Locale::Ru => match code {
            ReasonCode::FactsFound => "есть номера, даты или суммы",
            ReasonCode::NeedsMet => "есть нужное для темы",
            ReasonCode::NeedsMissing => "не хватает нужного для темы",
            ReasonCode::Detail => "есть подробности",
            ReasonCode::Vague => "непонятно, что случилось",
            ReasonCode::TooShort => "слишком коротко",
            ReasonCode::PoliteOnly => "одни вежливые слова",
            ReasonCode::Caps => "заглавные буквы",
            ReasonCode::RelativeDate => "«вчера» вместо даты",
            ReasonCode::AttachmentMissing => "нет обещанного вложения",
            ReasonCode::Secret => "пароль или код в тексте",
            ReasonCode::CardNumber => "номер карты в тексте",
            ReasonCode::ThemeMismatch => "тема, похоже, другая",
        },
        Locale::En => match code {
            ReasonCode::FactsFound => "numbers, dates or amounts given",
            ReasonCode::NeedsMet => "the theme's needs given",
            ReasonCode::NeedsMissing => "some of the theme's needs missing",
            ReasonCode::Detail => "details given",
            ReasonCode::Vague => "unclear what happened",
            ReasonCode::TooShort => "too short",
            ReasonCode::PoliteOnly => "only polite words",
            ReasonCode::Caps => "written in capitals",
            ReasonCode::RelativeDate => "“yesterday” instead of a date",
            ReasonCode::AttachmentMissing => "the promised file is not attached",
            ReasonCode::Secret => "a password or code in the text",
            ReasonCode::CardNumber => "a card number in the text",
            ReasonCode::ThemeMismatch => "the theme may be wrong",
        },
    }
}

/// Text of a warning.
pub fn warning_text(l: Locale, warning: Warning) -> &'static str {
    let s = strings(l);
    match warning {
        Warning::CardNumber => s.warning_card,
        Warning::Secret => s.warning_secret,
    }
}

/// The «Вставить шаблон» text for a theme: the catalog's Russian template, or the same shape in
/// English (one line per needed fact, then the description line).
pub fn template(l: Locale, theme: &Theme) -> String {
    match l {
        Locale::Ru => theme.template_ru(),
        Locale::En => {
            let mut out = String::new();
            for need in &theme.needs {
                out.push_str(need_label(l, *need));
                out.push_str(": \n");
            }
            out.push_str(EN.template_what_happened);
            out
        }
    }
}
