//! Vagueness: a comment is vague when it gives support nothing to act on — no fact, no date, no
//! exact error text or section, no concrete how-to question — and either it is about an incident
//! (a penalty, a supply, an order…) it does not locate, or it has no concrete subject at all.

use std::sync::OnceLock;

use super::lexicon::{Match, WordTable};
use super::scan::{Gap, Kind, Text};

/// Word-level observations shared by the vagueness rule, the hints and the score.
#[derive(Debug, Default, Clone)]
pub(crate) struct Signals {
    /// Words and numbers.
    pub words: usize,
    /// Numbers (that are not facts: facts make a comment concrete anyway).
    pub numbers: usize,
    /// Greetings and politeness formulas.
    pub polite: usize,
    /// Words with no concrete subject («помогите», «ничего», «не работает»…).
    pub generic: usize,
    /// Mentions an incident kind (penalty, supply, order, return, card, payout, ads…).
    pub incident: bool,
    /// Quoted error text, a URL or API path, a technical identifier, an error code, a section.
    pub detail: bool,
    /// A how-to, «можно ли», or a request for a document.
    pub general_question: bool,
    /// All-capital words of four letters or more.
    pub caps_words: usize,
    pub letters: usize,
    pub upper: usize,
    pub relative_date: bool,
    pub attach_mention: bool,
}

const POLITE: &[&str] = &[
    "добрый",
    "доброе",
    "доброго",
    "добрая",
    "день",
    "утро",
    "вечер",
    "здравствуйте",
    "здраствуйте",
    "здравствуй",
    "привет",
    "приветствую",
    "уважаемые",
    "уважаемая",
    "уважаемый",
    "коллеги",
    "поддержка",
    "техподдержка",
    "подскажите",
    "пожалуйста",
    "пожалуйсто",
    "пжл",
    "плиз",
    "объясните",
    "заранее",
    "спасибо",
    "благодарю",
    "благодарим",
    "ответ",
    "уважением",
    "всего",
    "hello",
    "hi",
    "please",
    "thanks",
    "thank",
    "regards",
    "dear",
    "support",
    "good",
    "morning",
    "afternoon",
    "команда",
    "специалисты",
    "прошу",
    "просим",
];

const GENERIC: &[&str] = &[
    "у",
    "меня",
    "мне",
    "нас",
    "нам",
    "мы",
    "я",
    "вы",
    "вас",
    "вам",
    "что",
    "чо",
    "че",
    "как",
    "почему",
    "зачем",
    "где",
    "когда",
    "кто",
    "это",
    "этот",
    "эта",
    "это",
    "все",
    "всё",
    "ничего",
    "никак",
    "не",
    "ни",
    "нет",
    "да",
    "и",
    "а",
    "но",
    "или",
    "в",
    "на",
    "по",
    "с",
    "со",
    "к",
    "ко",
    "о",
    "об",
    "от",
    "до",
    "из",
    "за",
    "для",
    "то",
    "так",
    "же",
    "ли",
    "бы",
    "уже",
    "еще",
    "опять",
    "снова",
    "очень",
    "совсем",
    "вообще",
    "происходит",
    "случилось",
    "работает",
    "работают",
    "работать",
    "работало",
    "помогите",
    "помочь",
    "помощь",
    "почините",
    "исправьте",
    "сделайте",
    "разберитесь",
    "срочно",
    "проблема",
    "проблемы",
    "проблему",
    "проблемой",
    "проблем",
    "вопрос",
    "вопросы",
    "вопросом",
    "ситуация",
    "ситуацию",
    "ситуации",
    "ошибка",
    "ошибки",
    "понятно",
    "понимаю",
    "делать",
    "сделать",
    "можно",
    "нужно",
    "надо",
    "мой",
    "моя",
    "мое",
    "мои",
    "наш",
    "наша",
    "наше",
    "наши",
    "там",
    "тут",
    "здесь",
    "теперь",
    "сейчас",
    "всегда",
    "какой",
    "какие",
    "какая",
    "help",
    "problem",
    "problems",
    "nothing",
    "works",
    "working",
    "not",
    "urgent",
    "fix",
    "it",
    "is",
    "my",
    "me",
    "we",
    "the",
    "a",
    "what",
    "why",
    "есть",
    "было",
    "был",
    "была",
    "будет",
    "тоже",
    "хотя",
    "ну",
    "вот",
    "просто",
    "сколько",
    "можете",
    "может",
    "пожалуйста",
    "когда",
    "кабинет",
    "кабинете",
    "всё",
    "вс",
    "ок",
    "ответьте",
    "ответить",
    "отвечаете",
    "отвечает",
    "ответа",
    "жду",
    "ждем",
    "ждать",
    "решите",
    "решить",
    "быстрее",
    "давно",
    "долго",
    "разобраться",
    "посмотрите",
    "проверьте",
    "проверить",
    "пишу",
    "пишем",
    "писал",
    "писали",
    "обращаюсь",
    "обращение",
    "никто",
    "нибудь",
    "хелп",
    "sos",
    "ужас",
    "кошмар",
    "безобразие",
    "лк",
    "сайт",
    "перестал",
    "перестало",
    "перестали",
    "сломалось",
    "сломался",
    "глючит",
    "дня",
    "дней",
    "часа",
    "часов",
    "неделю",
    "недели",
    "раз",
    "раза",
    "так",
    "тут",
    "вообще",
    "ничего",
    "непонятно",
];

const INCIDENT: &[&str] = &[
    "штраф",
    "удерж",
    "списа",
    "списыв",
    "приемк",
    "заказ",
    "задани",
    "возврат",
    "вернули",
    "карточк",
    "выплат",
    "деньг",
    "денег",
    "реклам",
    "кампани",
    "отмен",
    "блокир",
    "заблокир",
    "хранени",
    "логистик",
    "начисл",
    "баланс",
    "оплат",
    "платеж",
    "товар",
    "отчет",
    "акци",
    "перемер",
    "габарит",
    "брак",
    "недостач",
    "fine",
    "penalt",
    "order",
    "supply",
    "return",
    "refund",
    "payout",
    "payment",
    "ads",
    "campaign",
    "деньги",
    "средств",
];

const DOC_STEMS: &[&str] = &[
    "сверк",
    "справк",
    "документ",
    "договор",
    "выписк",
    "упд",
    "счет-фактур",
    "счетфактур",
    "доверенност",
    "закрывающ",
];

const REQUEST: &[&str] = &[
    "нужен",
    "нужна",
    "нужно",
    "нужны",
    "прошу",
    "просим",
    "пришлите",
    "предоставьте",
    "вышлите",
    "направьте",
    "сформируйте",
    "дайте",
    "хотим",
    "хочу",
    "получить",
    "запросить",
    "где",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tag {
    Polite,
    Generic,
    Incident,
    Doc,
    Request,
    Attach,
    Section,
    Relative,
    ThisOrLast,
}

fn words() -> &'static WordTable<Tag> {
    static WORDS: OnceLock<WordTable<Tag>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut t = WordTable::new();
        t.add(POLITE, Match::Exact, Tag::Polite);
        t.add(GENERIC, Match::Exact, Tag::Generic);
        t.add(INCIDENT, Match::Prefix, Tag::Incident);
        t.add(&["поставк"], Match::Fuzzy, Tag::Incident);
        t.add(
            &["цена", "цену", "цены", "цене", "ценой"],
            Match::Exact,
            Tag::Incident,
        );
        t.add(DOC_STEMS, Match::Prefix, Tag::Doc);
        t.add(&["акт", "акта", "акты"], Match::Exact, Tag::Doc);
        t.add(REQUEST, Match::Exact, Tag::Request);
        t.add(ATTACH_STEMS, Match::Prefix, Tag::Attach);
        t.add(&["скан", "сканы"], Match::Exact, Tag::Attach);
        t.add(
            &["раздел", "вкладк", "страниц", "меню", "пункт", "кнопк"],
            Match::Prefix,
            Tag::Section,
        );
        t.add(
            &[
                "вчера",
                "позавчера",
                "сегодня",
                "завтра",
                "yesterday",
                "today",
            ],
            Match::Exact,
            Tag::Relative,
        );
        t.add(&["вчерашн", "сегодняшн"], Match::Prefix, Tag::Relative);
        t.add(
            &["прошлой", "прошлом", "этой", "этом", "позапрошлой"],
            Match::Exact,
            Tag::ThisOrLast,
        );
        t
    })
}

const ATTACH_STEMS: &[&str] = &[
    "приклад",
    "прилага",
    "приложил",
    "приложен",
    "приложу",
    "прикреп",
    "вложени",
    "скрин",
    "attach",
    "screenshot",
];

/// Uppercase test with fast paths for Latin and Cyrillic.
fn is_upper(c: char) -> bool {
    match c {
        'A'..='Z' | 'А'..='Я' | 'Ѐ'..='Џ' => true,
        'a'..='z' | 'а'..='я' | 'ѐ'..='џ' | '0'..='9' => false,
        c => c.is_uppercase(),
    }
}

fn is_infinitive(w: &str) -> bool {
    ["ть", "ться", "ти", "чь", "тись"]
        .iter()
        .any(|e| w.ends_with(e))
        && w.chars().count() > 3
}

pub(crate) fn signals(t: &Text) -> Signals {
    let mut s = Signals::default();
    let mut doc = false;
    let mut request = false;
    for i in 0..t.len() {
        match t.toks[i].kind {
            Kind::Num => {
                s.words += 1;
                s.numbers += 1;
                if let Some(d) = t.num(i)
                    && d.len() == 3
                    && matches!(d.as_bytes()[0], b'4' | b'5')
                    && (t.word(i + 1).is_some_and(|w| w.is_ascii())
                        || [i.wrapping_sub(1), i.wrapping_sub(2)].iter().any(|&k| {
                            t.word(k).is_some_and(|w| {
                                w.starts_with("ошибк")
                                    || w == "error"
                                    || w == "http"
                                    || w.starts_with("статус")
                                    || w == "код"
                            })
                        }))
                {
                    s.detail = true;
                }
            }
            Kind::Sym(c) => quote_or_path(t, i, c, &mut s),
            Kind::Word => {
                let w = t.word(i).unwrap_or("");
                s.words += 1;
                let orig = t.orig_of(i);
                let (mut n_letters, mut n_upper) = (0, 0);
                for c in orig.chars() {
                    n_letters += 1;
                    n_upper += usize::from(is_upper(c));
                }
                s.letters += n_letters;
                s.upper += n_upper;
                if n_letters >= 4 && n_upper == n_letters {
                    s.caps_words += 1;
                }
                // camelCase identifiers («isAnswered», «wbStatus») are technical detail.
                let b = orig.as_bytes();
                if orig.is_ascii()
                    && b.windows(2)
                        .any(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase())
                    && w != "nmid"
                {
                    s.detail = true;
                }
                if w.is_ascii()
                    && t.glued(i + 1)
                    && matches!(t.sym(i + 1), Some('=' | '_'))
                    && t.glued(i + 2)
                    && t.toks.get(i + 2).is_some_and(|x| x.kind != Kind::Sym(' '))
                {
                    s.detail = true;
                }
                if matches!(w, "http" | "https" | "www") && matches!(t.sym(i + 1), Some(':' | '.'))
                {
                    s.detail = true;
                }
                classify_word(t, i, w, &mut s, &mut doc, &mut request);
            }
        }
    }
    if doc && request {
        s.general_question = true;
    }
    s
}

fn classify_word(t: &Text, i: usize, w: &str, s: &mut Signals, doc: &mut bool, request: &mut bool) {
    // Polite and generic words are counted once each, even if a word has both tags.
    let mut counted = false;
    // Tags of this word as a bit set (no allocation per word).
    let mut tags = 0u16;
    for tag in words().matches(w) {
        tags |= 1 << tag as u16;
        match tag {
            Tag::Polite if !counted => {
                s.polite += 1;
                counted = true;
            }
            Tag::Generic if !counted => {
                s.generic += 1;
                counted = true;
            }
            Tag::Incident => s.incident = true,
            Tag::Doc => *doc = true,
            Tag::Request => *request = true,
            Tag::Attach => s.attach_mention = true,
            _ => {}
        }
    }
    // How-to questions with a concrete subject.
    let next_inf = |k: usize| t.word(k).is_some_and(is_infinitive);
    match w {
        "как" | "где" | "how"
            if next_inf(i + 1) || (next_inf(i + 2) && t.word(i + 1).is_some()) =>
        {
            s.general_question = true
        }
        "каким" if t.is_word(i + 1, "образом") => s.general_question = true,
        "можно" | "возможно" | "нельзя" if t.is_word(i + 1, "ли") => {
            s.general_question = true
        }
        "how" if matches!(t.word(i + 1), Some("to" | "can" | "do")) => s.general_question = true,
        _ => {}
    }
    // A named section or button («в разделе Аналитика»), relative dates.
    let section = tags & (1 << Tag::Section as u16) != 0
        && t.orig_of(i + 1)
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
    if section {
        s.detail = true;
    }
    let relative = tags & (1 << Tag::Relative as u16) != 0
        || (tags & (1 << Tag::ThisOrLast as u16) != 0
            && t.word(i + 1)
                .is_some_and(|n| n.starts_with("недел") || n.starts_with("месяц")))
        || (w == "назад"
            && i > 0
            && t.word(i - 1).is_some_and(|p| {
                ["недел", "дн", "день", "месяц", "час"]
                    .iter()
                    .any(|x| p.starts_with(x))
            }));
    if relative {
        s.relative_date = true;
    }
}

/// Quoted text with letters, or an API path such as `/api/v3/orders`.
fn quote_or_path(t: &Text, i: usize, c: char, s: &mut Signals) {
    match c {
        '"' | '\'' => {
            if t.glued(i) && t.word(i - 1).is_some() {
                return; // an apostrophe inside a word («can't»)
            }
            let mut letters = 0;
            for k in i + 1..t.len().min(i + 60) {
                if t.is_sym(k, c) {
                    if letters >= 3 {
                        s.detail = true;
                    }
                    return;
                }
                if t.gap(k) == Gap::Line {
                    return;
                }
                if let Some(w) = t.word(k) {
                    letters += w.chars().count();
                }
            }
        }
        '/' if (i == 0 || !t.glued(i))
            && t.glued(i + 1)
            && t.word(i + 1).is_some_and(|w| w.is_ascii()) =>
        {
            s.detail = true;
        }
        _ => {}
    }
}

/// The vagueness rule over the signals; `located` when any fact or date was found.
pub(crate) fn is_vague(s: &Signals, located: bool) -> bool {
    if located || s.detail || s.general_question {
        return false;
    }
    if s.incident {
        return true;
    }
    // No incident: vague only when nothing but greetings, generic words and bare counts
    // («уже 3 дня») remain.
    s.words.saturating_sub(s.polite + s.generic + s.numbers) == 0
}
