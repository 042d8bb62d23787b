//! The in-browser classifier: which category and theme fit a comment.
//!
//! A keyword-stem scorer: each category and theme of the built-in catalog has stems with weights
//! (the data below); a stem counts once per comment when some word starts with it (multi-word
//! stems must match consecutive words). The facts found add small priors (a `WB-GI-…` supply
//! points to FBS orders, a report number to finance). Themes that are not in the table (a
//! catalog served with new themes) fall back to stems taken from their names.

use std::sync::OnceLock;

use super::fast_hash::FastMap;
use super::scan::Text;
use super::{Context, Suggestion};
use crate::catalog::{Catalog, Category, Fact, Theme};

/// A theme with its classifier score.
#[derive(Clone, Copy, Debug)]
pub struct ThemeScore<'a> {
    /// The theme's category.
    pub category: &'a Category,
    /// The theme.
    pub theme: &'a Theme,
    /// Category plus theme evidence; 0 when nothing matched.
    pub score: u32,
    /// The theme's own evidence (without its category's).
    pub own: u32,
}

/// Stems per target: a category id or a full theme id. Weights: 3 strong, 2 medium, 1 weak.
const KEYWORDS: &[(&str, &[(&str, u8)])] = &[
    (
        "api",
        &[
            ("api", 4),
            ("апи", 3),
            ("метод", 2),
            ("эндпоинт", 3),
            ("endpoint", 3),
            ("запрос", 1),
            ("песочниц", 3),
            ("sandbox", 3),
            ("swagger", 3),
            ("json", 2),
            ("интеграц", 2),
            ("документаци", 1),
            ("http", 2),
            ("post", 1),
            ("get", 1),
            ("ответ 200", 1),
            ("bad request", 2),
            ("request", 1),
        ],
    ),
    (
        "api.tokens",
        &[
            ("токен", 3),
            ("token", 3),
            ("401", 2),
            ("unauthorized", 3),
            ("expired", 2),
            ("ключ", 1),
            ("авторизац", 1),
        ],
    ),
    (
        "api.content",
        &[
            ("content", 3),
            ("cards", 2),
            ("карточ", 1),
            ("media", 2),
            ("vendorcode", 2),
            ("upload", 1),
            ("update", 1),
            ("характеристик", 1),
            ("subjectid", 2),
        ],
    ),
    (
        "api.marketplace",
        &[
            ("marketplace", 3),
            ("orders", 2),
            ("supplies", 2),
            ("stickers", 2),
            ("стикер", 1),
            ("сборочн", 2),
            ("wbstatus", 3),
            ("fbs", 1),
        ],
    ),
    (
        "api.statistics",
        &[
            ("statistics", 3),
            ("статистик", 2),
            ("reportdetail", 3),
            ("datefrom", 2),
            ("реализаци", 2),
            ("отчет", 1),
            ("sales", 1),
            ("analytics", 2),
            ("продаж", 1),
        ],
    ),
    (
        "api.feedbacks",
        &[
            ("feedback", 3),
            ("отзыв", 2),
            ("isanswered", 3),
            ("questions", 2),
        ],
    ),
    (
        "api.limits",
        &[
            ("лимит", 3),
            ("limit", 2),
            ("429", 3),
            ("too many", 3),
            ("таймаут", 2),
            ("timeout", 2),
            ("502", 2),
            ("503", 2),
        ],
    ),
    (
        "analytics",
        &[
            ("аналитик", 3),
            ("analytics", 2),
            ("воронк", 3),
            ("статистик", 2),
            ("выкуп", 2),
            ("конверси", 3),
            ("показател", 1),
            ("отчет по остатк", 2),
            ("остатк", 1),
            ("выгрузк", 1),
            ("excel", 1),
        ],
    ),
    (
        "analytics.funnel",
        &[
            ("воронк", 3),
            ("конверси", 2),
            ("переход", 2),
            ("в корзин", 2),
            ("funnel", 2),
        ],
    ),
    (
        "analytics.sales-reports",
        &[
            ("продаж", 2),
            ("остатк", 2),
            ("выкуп", 2),
            ("детализаци", 1),
        ],
    ),
    (
        "analytics.search",
        &[
            ("поисков", 3),
            ("позици", 2),
            ("выдач", 2),
            ("ранжир", 3),
            ("ключев", 2),
        ],
    ),
    (
        "feedback",
        &[
            ("отзыв", 3),
            ("покупател", 1),
            ("рейтинг", 2),
            ("оценк", 1),
            ("вопросы покупател", 3),
            ("вопрос покупател", 3),
        ],
    ),
    (
        "feedback.answers",
        &[
            ("ответ на отзыв", 3),
            ("ответы на отзыв", 3),
            ("ответить", 2),
            ("отзыв", 1),
        ],
    ),
    (
        "feedback.complaint",
        &[
            ("жалоб", 3),
            ("пожаловат", 3),
            ("оскорб", 3),
            ("удалить отзыв", 3),
            ("недостоверн", 2),
            ("конкурент", 2),
        ],
    ),
    (
        "feedback.rating",
        &[("рейтинг", 3), ("звезд", 2), ("оценк", 2)],
    ),
    (
        "returns",
        &[
            ("возврат", 3),
            ("вернули", 2),
            ("невыкуп", 2),
            ("пвз", 1),
            ("брак", 2),
            ("подмен", 1),
            ("забрать", 1),
        ],
    ),
    (
        "returns.existing-requests",
        &[
            ("заявк", 3),
            ("заявку на возврат", 3),
            ("оформили", 2),
            ("готов к отгрузке", 3),
        ],
    ),
    (
        "returns.new-request",
        &[
            ("оформить возврат", 3),
            ("создать заявк", 3),
            ("вывоз", 2),
            ("вывезти", 2),
            ("забрать со склад", 3),
        ],
    ),
    (
        "returns.buyer-returns",
        &[
            ("покупател", 2),
            ("брак", 2),
            ("подмен", 2),
            ("вернул", 1),
            ("пвз", 2),
            ("вместо", 1),
        ],
    ),
    (
        "documents",
        &[
            ("документ", 2),
            ("акт", 2),
            ("сверк", 3),
            ("упд", 3),
            ("эдо", 3),
            ("договор", 3),
            ("оферт", 3),
            ("счет-фактур", 3),
            ("подписа", 2),
            ("закрывающ", 3),
            ("диадок", 3),
            ("сбис", 3),
        ],
    ),
    ("documents.reconciliation", &[("сверк", 3)]),
    (
        "documents.closing",
        &[
            ("упд", 3),
            ("закрывающ", 3),
            ("счет-фактур", 3),
            ("акт оказан", 3),
        ],
    ),
    (
        "documents.edo",
        &[
            ("эдо", 3),
            ("подпис", 2),
            ("электронн", 1),
            ("диадок", 2),
            ("сбис", 2),
            ("контур", 1),
            ("инн", 1),
        ],
    ),
    ("documents.contract", &[("договор", 3), ("оферт", 3)]),
    (
        "orders",
        &[
            ("сборочн", 3),
            ("задани", 2),
            ("fbs", 3),
            ("dbs", 3),
            ("заказ", 2),
            ("orders", 2),
            ("корзин", 1),
            ("сц", 2),
            ("курьер", 1),
            ("в доставк", 2),
            ("передать в доставку", 3),
            ("отгрузк", 1),
            ("маркетплейс", 1),
        ],
    ),
    (
        "orders.assembly",
        &[
            ("сборочн", 3),
            ("задани", 2),
            ("стикер", 2),
            ("сборк", 2),
            ("на сборке", 2),
        ],
    ),
    (
        "orders.cancellations",
        &[("отмен", 3), ("отказал", 2), ("отказ", 1)],
    ),
    (
        "orders.fbs-supply",
        &[
            ("поставк", 2),
            ("передать в доставку", 3),
            ("в доставку", 2),
            ("сдан", 2),
            ("закрыть поставк", 3),
            ("не закрывается", 2),
            ("сц", 2),
        ],
    ),
    (
        "orders.dbs-delivery",
        &[
            ("dbs", 3),
            ("курьер", 2),
            ("доставил", 2),
            ("самовывоз", 2),
            ("своими силами", 3),
        ],
    ),
    (
        "product-card",
        &[
            ("карточк", 3),
            ("номенклатур", 2),
            ("фото", 2),
            ("видео", 2),
            ("логотип", 3),
            ("сертификат", 2),
            ("декларац", 2),
            ("характеристик", 2),
            ("описани", 1),
            ("объедин", 2),
            ("склеи", 2),
            ("медиа", 1),
            ("бренд", 1),
            ("nmid", 1),
            ("card", 2),
            ("photo", 2),
            ("image", 1),
            ("габарит", 1),
            ("модерац", 2),
            ("черновик", 1),
        ],
    ),
    (
        "product-card.certificates",
        &[
            ("сертификат", 3),
            ("декларац", 3),
            ("соответстви", 2),
            ("требуется документ", 3),
            ("по запросу wb", 3),
        ],
    ),
    (
        "product-card.edit-errors",
        &[
            ("редактир", 3),
            ("создани карточ", 2),
            ("создать карточк", 2),
            ("объедин", 3),
            ("склеи", 3),
            ("характеристик", 2),
            ("сохраня", 2),
            ("размер", 1),
            ("черновик", 1),
            ("изменения не", 2),
            ("разные предметы", 3),
        ],
    ),
    (
        "product-card.logo-upload-errors",
        &[("логотип", 4), ("бренд", 1)],
    ),
    (
        "product-card.photo-upload-errors",
        &[
            ("фото", 2),
            ("видео", 2),
            ("не загруж", 2),
            ("изображ", 2),
            ("photo", 2),
            ("image", 2),
            ("не обновляются", 2),
            ("upload", 1),
            ("формат", 1),
        ],
    ),
    (
        "product-card.how-to-upload-photo",
        &[
            ("как загрузить", 4),
            ("как добавить фото", 4),
            ("как добавить видео", 4),
            ("видеообложк", 3),
            ("обложк", 1),
            ("как заменить фото", 3),
        ],
    ),
    (
        "product-card.dimensions",
        &[
            ("габарит", 3),
            ("перемер", 3),
            ("замер", 2),
            ("обмер", 2),
            ("вес ", 1),
        ],
    ),
    (
        "product-card.blocked",
        &[
            ("заблокир", 3),
            ("блокировк", 3),
            ("скрыт", 2),
            ("пропал", 2),
            ("из поиска", 2),
        ],
    ),
    (
        "account",
        &[
            ("личный кабинет", 2),
            ("личном кабинете", 2),
            ("кабинет", 1),
            ("вход", 2),
            ("войти", 3),
            ("авторизова", 3),
            ("авторизац", 2),
            ("логин", 3),
            ("пароль", 3),
            ("смс", 2),
            ("sms", 2),
            ("аккаунт", 2),
            ("пользовател", 2),
            ("доступ", 2),
            ("профил", 2),
            ("сотрудник", 2),
        ],
    ),
    (
        "account.login",
        &[
            ("вход", 2),
            ("войти", 3),
            ("авторизова", 3),
            ("авторизац", 2),
            ("логин", 2),
            ("пароль", 2),
            ("код из смс", 3),
            ("смс", 1),
            ("sms", 1),
        ],
    ),
    (
        "account.users",
        &[
            ("пользовател", 3),
            ("доступ", 2),
            ("права", 2),
            ("сотрудник", 3),
            ("менеджер", 1),
            ("приглас", 2),
        ],
    ),
    (
        "account.profile",
        &[
            ("профил", 2),
            ("реквизит", 2),
            ("название магазин", 3),
            ("смен", 1),
        ],
    ),
    (
        "promotion",
        &[
            ("реклам", 3),
            ("продвижени", 3),
            ("кампани", 2),
            ("акци", 3),
            ("бюджет", 2),
            ("ставк", 2),
            ("показов", 2),
            ("клик", 2),
            ("cpm", 2),
            ("буст", 2),
            ("распродаж", 2),
            ("продвиж", 2),
            ("медиа", 1),
        ],
    ),
    (
        "promotion.campaigns",
        &[
            ("кампани", 2),
            ("ставк", 2),
            ("показ", 2),
            ("клик", 2),
            ("пауз", 1),
            ("автореклам", 3),
        ],
    ),
    (
        "promotion.ad-spend",
        &[
            ("баланс", 3),
            ("пополн", 3),
            ("списа", 2),
            ("списыва", 2),
            ("бюджет", 1),
            ("деньги", 1),
        ],
    ),
    (
        "promotion.promotions",
        &[
            ("акци", 3),
            ("распродаж", 3),
            ("плановая цена", 3),
            ("плановой", 3),
            ("участи", 2),
        ],
    ),
    (
        "supply",
        &[
            ("поставк", 3),
            ("приемк", 3),
            ("склад", 1),
            ("короб", 1),
            ("паллет", 2),
            ("монопаллет", 2),
            ("слот", 2),
            ("коэффициент", 2),
            ("пропуск", 2),
            ("водител", 2),
            ("расхожден", 2),
            ("недостач", 2),
            ("нехват", 2),
            ("отгруз", 1),
            ("fbw", 2),
            ("принят", 1),
        ],
    ),
    (
        "supply.creation-errors",
        &[
            ("создани поставк", 3),
            ("при создании", 2),
            ("создать поставк", 3),
            ("запланировать", 3),
            ("черновик", 2),
            ("не удалось", 2),
            ("добавлени товара в поставк", 3),
            ("не найден", 2),
            ("ошибк", 1),
        ],
    ),
    (
        "supply.acceptance",
        &[
            ("приемк", 2),
            ("расхожден", 3),
            ("недостач", 3),
            ("нехват", 3),
            ("принято", 2),
            ("не принят", 2),
            ("приняли", 2),
            ("нипринят", 2),
            ("отгружено", 2),
        ],
    ),
    (
        "supply.paid-acceptance",
        &[
            ("платн", 3),
            ("коэффициент", 3),
            ("бронирова", 2),
            ("слот", 2),
        ],
    ),
    (
        "supply.warehouse-access",
        &[
            ("пропуск", 3),
            ("водител", 3),
            ("въезд", 3),
            ("пустили", 2),
            ("машин", 1),
            ("авто", 1),
        ],
    ),
    (
        "supply.lost-goods",
        &[
            ("утер", 3),
            ("потер", 3),
            ("пропал", 2),
            ("компенсир", 2),
            ("на остатках", 2),
        ],
    ),
    (
        "finance",
        &[
            ("штраф", 3),
            ("удержан", 3),
            ("удержал", 3),
            ("удержи", 2),
            ("выплат", 3),
            ("финанс", 3),
            ("отчет", 2),
            ("реквизит", 2),
            ("хранени", 2),
            ("логистик", 2),
            ("перечислен", 2),
            ("сторн", 3),
            ("детализац", 2),
            ("сумм", 1),
            ("деньги", 1),
            ("платеж", 1),
            ("оплат", 1),
            ("начисл", 2),
            ("счет", 1),
            ("компенсац", 1),
            ("банк", 1),
        ],
    ),
    (
        "finance.penalties",
        &[
            ("штраф", 3),
            ("удержан", 2),
            ("удержал", 2),
            ("габарит", 2),
            ("подмен", 2),
            ("перемер", 2),
            ("занижени", 2),
        ],
    ),
    (
        "finance.payouts",
        &[
            ("выплат", 3),
            ("перечислен", 2),
            ("реквизит", 2),
            ("расчетный счет", 2),
            ("на счет", 2),
            ("банк", 2),
            ("не поступил", 2),
        ],
    ),
    (
        "finance.reports",
        &[
            ("отчет", 2),
            ("детализац", 2),
            ("сторн", 2),
            ("не сходятся", 3),
            ("сумм", 1),
        ],
    ),
    (
        "finance.storage-logistics",
        &[("хранени", 3), ("логистик", 2), ("платное хранение", 3)],
    ),
    (
        "prices",
        &[
            ("цен", 2),
            ("скидк", 3),
            ("карантин", 3),
            ("промокод", 2),
            ("стоимост", 1),
        ],
    ),
    (
        "prices.set-prices",
        &[
            ("установить цен", 3),
            ("изменить цен", 3),
            ("поменять цен", 3),
            ("скидк", 2),
        ],
    ),
    (
        "prices.price-upload-errors",
        &[
            ("загрузк цен", 3),
            ("загрузить цен", 3),
            ("шаблон", 2),
            ("excel", 1),
        ],
    ),
    ("prices.quarantine", &[("карантин", 4)]),
];

struct Stem {
    words: Vec<&'static str>,
    /// Index into [`KEYWORDS`].
    target: u16,
    weight: u8,
}

struct Index {
    stems: Vec<Stem>,
    /// First two chars of the first word → stems.
    by_head: FastMap<(char, char), Vec<u16>>,
    /// Target id → index into [`KEYWORDS`].
    targets: FastMap<&'static str, u16>,
}

fn head(w: &str) -> (char, char) {
    let mut c = w.chars();
    let a = c.next().unwrap_or(' ');
    (a, c.next().unwrap_or(' '))
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut stems = Vec::new();
        let mut by_head: FastMap<(char, char), Vec<u16>> = FastMap::default();
        let mut targets: FastMap<&'static str, u16> = FastMap::default();
        for (target, (id, list)) in KEYWORDS.iter().enumerate() {
            let target = target as u16;
            targets.insert(id, target);
            for (stem, weight) in *list {
                let words: Vec<&'static str> = stem.split_whitespace().collect();
                let Some(first) = words.first() else { continue };
                let k = stems.len() as u16;
                by_head.entry(head(first)).or_default().push(k);
                stems.push(Stem {
                    words,
                    target,
                    weight: *weight,
                });
            }
        }
        Index {
            stems,
            by_head,
            targets,
        }
    })
}

/// Scores every theme of `catalog` against the text; best first.
pub fn rank_themes<'a>(text: &str, catalog: &'a Catalog) -> Vec<ThemeScore<'a>> {
    let t = Text::new(text);
    rank(&t, catalog, &[])
}

/// Evidence per target (indexed like [`KEYWORDS`]).
fn evidence(t: &Text) -> Vec<u32> {
    let idx = index();
    let words: Vec<&str> = (0..t.len())
        .filter_map(|i| t.word(i).or_else(|| t.num(i)))
        .collect();
    let mut hit = vec![false; idx.stems.len()];
    let mut out = vec![0u32; KEYWORDS.len()];
    for (p, w) in words.iter().enumerate() {
        let Some(list) = idx.by_head.get(&head(w)) else {
            continue;
        };
        for &k in list {
            let s = &idx.stems[k as usize];
            if hit[k as usize] {
                continue;
            }
            let ok = s
                .words
                .iter()
                .enumerate()
                .all(|(o, sw)| words.get(p + o).is_some_and(|x| x.starts_with(sw)));
            if ok {
                hit[k as usize] = true;
                if let Some(v) = out.get_mut(usize::from(s.target)) {
                    *v += u32::from(s.weight);
                }
            }
        }
    }
    out
}

/// Stems from a theme's name, for themes the table does not know.
fn name_score(t: &Text, name: &str) -> u32 {
    let mut score = 0;
    for part in name.split(|c: char| !c.is_alphabetic()) {
        if part.chars().count() < 5 {
            continue;
        }
        let stem: String = part
            .chars()
            .flat_map(char::to_lowercase)
            .map(|c| if c == 'ё' { 'е' } else { c })
            .take(5)
            .collect();
        if (0..t.len()).any(|i| t.word(i).is_some_and(|w| w.starts_with(&stem))) {
            score += 1;
        }
    }
    score
}

pub(crate) fn rank<'a>(t: &Text, catalog: &'a Catalog, kinds: &[Fact]) -> Vec<ThemeScore<'a>> {
    let ev = evidence(t);
    let idx = index();
    let ev_of = |id: &str| {
        idx.targets
            .get(id)
            .and_then(|&k| ev.get(usize::from(k)).copied())
    };
    // FBS supply ids («WB-GI-…»); a substring search is cheaper than another token pass.
    let fbs = t.norm.contains("wb-gi") || t.norm.contains("wb_gi") || t.norm.contains("wb gi");
    let mut out = Vec::new();
    for c in &catalog.categories {
        let mut cat = ev_of(&c.id).unwrap_or(0);
        for k in kinds {
            cat += match (c.id.as_str(), k) {
                ("supply", Fact::Supply) if !fbs => 2,
                ("orders", Fact::Supply) if fbs => 3,
                ("orders", Fact::Order) => 2,
                ("finance", Fact::Report) => 2,
                ("finance", Fact::Amount) => 1,
                ("product-card", Fact::Article | Fact::VendorCode) => 1,
                _ => 0,
            };
        }
        for th in &c.themes {
            let own = ev_of(&th.id).unwrap_or_else(|| name_score(t, &th.name));
            let score = if cat + own == 0 { 0 } else { cat * 2 + own };
            out.push(ThemeScore {
                category: c,
                theme: th,
                score,
                own,
            });
        }
    }
    // Ties go to the theme with more evidence of its own, then to catalog order (stable sort).
    out.sort_by(|a, b| b.score.cmp(&a.score).then(b.own.cmp(&a.own)));
    out
}

/// Minimum score for a suggestion.
const MIN_SCORE: u32 = 4;

pub(crate) fn suggest(ctx: &Context, ranking: &[ThemeScore]) -> Option<Suggestion> {
    // A theme is only suggested on evidence of its own, not on its category's alone.
    let best = ranking
        .first()
        .filter(|b| b.score >= MIN_SCORE && b.own > 0)?;
    let make = |s: &ThemeScore| Suggestion {
        category: s.category.id.clone(),
        theme: s.theme.id.clone(),
        category_name: s.category.name.clone(),
        theme_name: s.theme.name.clone(),
    };
    if let Some((c, th)) = ctx.chosen_theme() {
        let chosen = ranking
            .iter()
            .find(|s| s.theme.id == th.id)
            .map_or(0, |s| s.score);
        let wrong = best.category.id != c.id && best.score >= (chosen * 2).max(chosen + 6);
        return wrong.then(|| make(best));
    }
    if let Some(cid) = ctx.category
        && ctx.catalog.category(cid).is_some()
    {
        let in_cat = ranking.iter().find(|s| s.category.id == cid);
        return match in_cat {
            Some(s) if s.score > 0 && (best.category.id == cid || s.score * 2 >= best.score) => {
                Some(make(s))
            }
            _ => Some(make(best)),
        };
    }
    Some(make(best))
}
