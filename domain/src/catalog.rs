//! The support catalog: categories → themes, and the facts support needs for each theme.
//!
//! Wire shape (served by `GET /api/catalog`, also the app's built-in fallback):
//!
//! ```json
//! {"categories": [{"id": "supply", "name": "Поставка товара",
//!   "themes": [{"id": "supply.creation-errors", "name": "Ошибки при создании заказа/поставки",
//!               "needs": ["supply", "date"]}]}]}
//! ```
//!
//! `needs` is a list of snake_case strings, each a [`Need`]: either one [`Fact`] (`"report"`,
//! `"supply"`, `"order"`, `"barcode"`, `"article"`, `"vendor_code"`, `"date"`, `"amount"`) or a
//! named "one of" alternative (`"article_or_barcode"`, `"product"`, `"supply_or_order"`). A need is
//! met when the comment contains any of [`Need::alternatives`].
//!
//! A theme may also carry `keywords` and `negative_keywords` (lists of strings): the words that
//! point a comment to it and away from it. The theme suggestion of the comment analysis is
//! computed from them only, so a catalog served by a host with its own words gets suggestions
//! without a rebuild. The built-in catalog takes them from [`crate::catalog_words`].
//!
//! Ids are short ASCII slugs (`category`, `category.theme`) that never change when names do; the
//! dialog form sends ids, and the server checks them with [`Catalog::theme`]. Names here are
//! Russian; the English ones are looked up by id in [`crate::catalog_en`].
//!
//! Ordering: categories by name and themes by name within a category, compared by lowercased
//! characters in code-point order with «ё» folded to «е». For Cyrillic this is the alphabet's order;
//! Latin names («API») come before Cyrillic ones, as in the real cabinet.

use serde::{Deserialize, Serialize};

/// The whole catalog a seller picks a category and a theme from.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Catalog {
    /// Categories in alphabetical order.
    pub categories: Vec<Category>,
}

/// A category of the support form («Категория *»).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    /// Stable ASCII slug, e.g. `product-card`.
    pub id: String,
    /// Name shown to the seller, e.g. «Карточка товара».
    pub name: String,
    /// Themes in alphabetical order.
    pub themes: Vec<Theme>,
    /// Words that name the *channel* the whole category is about rather than a subject (for the
    /// API category: `api`, `апи`, `метод`, `эндпоинт`, `токен`). When one of them occurs in a
    /// comment (outside «не про …»), each theme of this category that lists [`Theme::twins`]
    /// also takes the evidence of its twins' keywords, so «через API не приходят отзывы» picks
    /// the API theme for reviews among the API themes. Same matching as `keywords`. Optional on
    /// the wire: without them twins are never consulted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context_words: Vec<String>,
}

/// A theme within a category («Тема *»).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Theme {
    /// Stable ASCII slug prefixed by its category id, e.g. `product-card.photo-upload-errors`.
    pub id: String,
    /// Name shown to the seller.
    pub name: String,
    /// Facts support needs to act on a dialog with this theme.
    pub needs: Vec<Need>,
    /// Words and short phrases a seller writes when this theme is the right one; the comment
    /// analysis ranks themes from these alone (see [`crate::comment`]). Each word matches as a
    /// prefix (write stems: `штраф` matches «штрафы», «штрафом»; a stem of five letters or more
    /// also with one typo after its third letter), words of up to three letters match whole
    /// (Cyrillic ones of three also with a one-letter ending: `акт` → «акта»); a phrase matches
    /// consecutive words and weighs more than a single word. Case and «ё» do not matter.
    /// Optional on the wire: a theme without them is never suggested.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Words and phrases that point away from this theme even when its keywords match (a penalty
    /// *for* a late supply is a finance question, not a supply one). Same matching as `keywords`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub negative_keywords: Vec<String>,
    /// Ids of themes in other categories whose *subject* this theme serves through its category's
    /// channel (`api.feedbacks` lists `feedback.answers`, `feedback.complaint`). When the comment
    /// carries one of the category's [`Category::context_words`], the best of the twins' keyword
    /// evidence also counts for this theme: an integrator names the subject («отзывы»,
    /// «этикетки», «продажи») in the cabinet's words. Ids the catalog does not know are ignored.
    /// Optional on the wire.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub twins: Vec<String>,
}

/// A kind of fact a seller writes in a comment; shared with the comment analysis as the entity kind.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// Number of a WB report (weekly / financial / realisation report).
    Report,
    /// FBW supply number (digits) or FBS supply id `WB-GI-…`.
    Supply,
    /// Assembly task or order number.
    Order,
    /// Product barcode (usually EAN-13).
    Barcode,
    /// The marketplace's item number (nmID), 6–10 digits.
    Article,
    /// The seller's own article («артикул продавца»).
    VendorCode,
    /// A calendar date with day, month and year.
    Date,
    /// A sum in rubles.
    Amount,
}

impl Fact {
    /// Every fact kind, in a fixed order.
    pub const ALL: [Fact; 8] = [
        Fact::Report,
        Fact::Supply,
        Fact::Order,
        Fact::Barcode,
        Fact::Article,
        Fact::VendorCode,
        Fact::Date,
        Fact::Amount,
    ];

    /// The snake_case wire name (`"vendor_code"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Fact::Report => "report",
            Fact::Supply => "supply",
            Fact::Order => "order",
            Fact::Barcode => "barcode",
            Fact::Article => "article",
            Fact::VendorCode => "vendor_code",
            Fact::Date => "date",
            Fact::Amount => "amount",
        }
    }

    /// Parses a wire name; `None` for anything else.
    pub fn parse(s: &str) -> Option<Fact> {
        Fact::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// One fact a theme needs, or a "one of" alternative. Serialized as a snake_case string.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// The report number.
    Report,
    /// The supply number.
    Supply,
    /// The assembly task / order number.
    Order,
    /// The barcode.
    Barcode,
    /// The WB article (nmID).
    Article,
    /// The seller's article.
    VendorCode,
    /// A date.
    Date,
    /// An amount in rubles.
    Amount,
    /// The product, identified by WB article or barcode.
    ArticleOrBarcode,
    /// The product, identified by WB article, seller's article or barcode.
    Product,
    /// An FBS supply id or an assembly task number.
    SupplyOrOrder,
}

impl Need {
    /// The facts any one of which satisfies this need.
    pub fn alternatives(self) -> &'static [Fact] {
        match self {
            Need::Report => &[Fact::Report],
            Need::Supply => &[Fact::Supply],
            Need::Order => &[Fact::Order],
            Need::Barcode => &[Fact::Barcode],
            Need::Article => &[Fact::Article],
            Need::VendorCode => &[Fact::VendorCode],
            Need::Date => &[Fact::Date],
            Need::Amount => &[Fact::Amount],
            Need::ArticleOrBarcode => &[Fact::Article, Fact::Barcode],
            Need::Product => &[Fact::Article, Fact::VendorCode, Fact::Barcode],
            Need::SupplyOrOrder => &[Fact::Supply, Fact::Order],
        }
    }

    /// True when a comment with these facts satisfies the need.
    pub fn is_met_by(self, facts: &[Fact]) -> bool {
        self.alternatives().iter().any(|f| facts.contains(f))
    }

    /// The snake_case wire name (`"article_or_barcode"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Need::Report => "report",
            Need::Supply => "supply",
            Need::Order => "order",
            Need::Barcode => "barcode",
            Need::Article => "article",
            Need::VendorCode => "vendor_code",
            Need::Date => "date",
            Need::Amount => "amount",
            Need::ArticleOrBarcode => "article_or_barcode",
            Need::Product => "product",
            Need::SupplyOrOrder => "supply_or_order",
        }
    }

    /// Short Russian label of the fact, used as a field name in [`Theme::template_ru`].
    pub fn label_ru(self) -> &'static str {
        match self {
            Need::Report => "Номер отчёта",
            Need::Supply => "Номер поставки",
            Need::Order => "Номер сборочного задания / заказа",
            Need::Barcode => "Баркод",
            Need::Article => "Артикул WB",
            Need::VendorCode => "Артикул продавца",
            Need::Date => "Дата",
            Need::Amount => "Сумма",
            Need::ArticleOrBarcode => "Артикул WB или баркод",
            Need::Product => "Артикул WB, артикул продавца или баркод",
            Need::SupplyOrOrder => "Номер поставки FBS или сборочного задания",
        }
    }

    /// How a seller writes this fact so that support (and the helper) recognise it.
    pub fn example_ru(self) -> &'static str {
        match self {
            Need::Report => "в отчёте № 151564",
            Need::Supply => "поставка № 21573344",
            Need::Order => "сборочное задание 1843275560",
            Need::Barcode => "баркод 2000000786667",
            Need::Article => "артикул 13334921",
            Need::VendorCode => "артикул продавца ABC-123-black",
            Need::Date => "от 25.04.2024",
            Need::Amount => "сумма 2 000 руб.",
            Need::ArticleOrBarcode => "артикул 13334921 или баркод 2000000786667",
            Need::Product => "артикул 13334921 (артикул продавца ABC-123-black)",
            Need::SupplyOrOrder => "поставка WB-GI-12345678 или сборочное задание 1843275560",
        }
    }
}

impl Theme {
    /// A fill-in template for the comment box («Вставить шаблон»): one line per needed fact, then
    /// a line for the description. Themes without needs get the description line only.
    pub fn template_ru(&self) -> String {
        let mut out = String::new();
        for need in &self.needs {
            out.push_str(need.label_ru());
            out.push_str(": \n");
        }
        out.push_str("Что произошло: ");
        out
    }
}

impl Catalog {
    /// The built-in catalog (the server serves it; the app falls back to it).
    pub fn builtin() -> Catalog {
        let mut categories: Vec<Category> = BUILTIN
            .iter()
            .map(|(id, name, themes)| {
                let mut themes: Vec<Theme> = themes
                    .iter()
                    .map(|(tid, tname, needs)| {
                        let id = format!("{id}.{tid}");
                        let (keywords, negative_keywords) = crate::catalog_words::words(&id);
                        let twins = crate::catalog_words::twins(&id);
                        Theme {
                            twins: twins.iter().map(|w| (*w).to_string()).collect(),
                            name: (*tname).to_string(),
                            needs: needs.to_vec(),
                            keywords: keywords.iter().map(|w| (*w).to_string()).collect(),
                            negative_keywords: negative_keywords
                                .iter()
                                .map(|w| (*w).to_string())
                                .collect(),
                            id,
                        }
                    })
                    .collect();
                themes.sort_by_cached_key(|t| sort_key(&t.name));
                Category {
                    context_words: crate::catalog_words::context_words(id)
                        .iter()
                        .map(|w| (*w).to_string())
                        .collect(),
                    id: (*id).to_string(),
                    name: (*name).to_string(),
                    themes,
                }
            })
            .collect();
        categories.sort_by_cached_key(|c| sort_key(&c.name));
        Catalog { categories }
    }

    /// The category with this id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The theme with this id, only if it belongs to the given category.
    pub fn theme(&self, category_id: &str, theme_id: &str) -> Option<&Theme> {
        self.category(category_id)?
            .themes
            .iter()
            .find(|t| t.id == theme_id)
    }

    /// The theme with this id in any category, with its category.
    pub fn find_theme(&self, theme_id: &str) -> Option<(&Category, &Theme)> {
        self.categories
            .iter()
            .find_map(|c| c.themes.iter().find(|t| t.id == theme_id).map(|t| (c, t)))
    }

    /// The category whose id or name (case-insensitive) is `key`; lets tools accept either.
    pub fn category_by_id_or_name(&self, key: &str) -> Option<&Category> {
        let key = key.trim();
        self.category(key).or_else(|| {
            let k = sort_key(key);
            self.categories.iter().find(|c| sort_key(&c.name) == k)
        })
    }

    /// The theme whose id or name (case-insensitive) is `key`, searched in `category` when given,
    /// else in every category.
    pub fn theme_by_id_or_name(
        &self,
        category: Option<&Category>,
        key: &str,
    ) -> Option<(&Category, &Theme)> {
        let key = key.trim();
        let k = sort_key(key);
        let matches = |t: &Theme| t.id == key || sort_key(&t.name) == k;
        match category {
            Some(c) => {
                let c = self.category(&c.id)?;
                c.themes.iter().find(|t| matches(t)).map(|t| (c, t))
            }
            None => self
                .categories
                .iter()
                .find_map(|c| c.themes.iter().find(|t| matches(t)).map(|t| (c, t))),
        }
    }
}

/// Collation key: lowercase, «ё» as «е». Code-point order of the result is alphabetical for Russian.
pub fn sort_key(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

type ThemeRow = (&'static str, &'static str, &'static [Need]);
type CategoryRow = (&'static str, &'static str, &'static [ThemeRow]);

use Need::{
    Amount, Article, ArticleOrBarcode, Barcode, Date, Order, Product, Report, Supply, SupplyOrOrder,
};

/// Names marked (real) are the portal's own; the rest are designed from the areas a seller deals
/// with. Theme ids are written without the category prefix here and prefixed when built.
const BUILTIN: &[CategoryRow] = &[
    (
        "api",
        "API", // (real)
        &[
            ("tokens", "Авторизация и токены API", &[]),
            (
                "content",
                "Методы контента: карточки, медиа, цены",
                &[Product],
            ),
            (
                "marketplace",
                "Методы маркетплейса: сборочные задания и поставки FBS",
                &[SupplyOrOrder],
            ),
            (
                "statistics",
                "Методы статистики, аналитики и финансовых отчётов",
                &[Date],
            ),
            ("feedbacks", "Методы вопросов и отзывов", &[]),
            ("limits", "Лимиты запросов и ошибки сервера", &[Date]),
        ],
    ),
    (
        "analytics",
        "Аналитика",
        &[
            ("funnel", "Воронка продаж", &[Article, Date]),
            ("sales-reports", "Отчёты о продажах и остатках", &[Date]),
            ("search", "Поисковые запросы и позиции товара", &[Article]),
        ],
    ),
    (
        "feedback",
        "Вопросы и отзывы покупателей",
        &[
            ("answers", "Ответы на вопросы и отзывы", &[Article]),
            ("complaint", "Жалоба на отзыв", &[Article, Date]),
            ("rating", "Рейтинг товара и продавца", &[Article]),
        ],
    ),
    (
        "returns",
        "Возврат товара",
        &[
            (
                "existing-requests",
                "Вопросы по уже оформленным заявкам на возврат",
                &[ArticleOrBarcode, Date],
            ), // (real)
            (
                "new-request",
                "Оформление заявки на возврат со склада",
                &[ArticleOrBarcode],
            ),
            (
                "buyer-returns",
                "Возвраты от покупателей, брак и подмена",
                &[Order, ArticleOrBarcode],
            ),
        ],
    ),
    (
        "documents",
        "Документы",
        &[
            ("reconciliation", "Акт сверки", &[Date]),
            ("closing", "УПД и закрывающие документы", &[Date]),
            ("edo", "Электронный документооборот (ЭДО)", &[]),
            ("contract", "Договор оферты и реквизиты", &[]),
        ],
    ),
    (
        "orders",
        "Заказы FBS/DBS",
        &[
            ("assembly", "Сборочные задания", &[Order]),
            ("cancellations", "Отмена заказов", &[Order, Date]),
            (
                "fbs-supply",
                "Поставки FBS и передача в доставку",
                &[Supply, Order],
            ),
            (
                "dbs-delivery",
                "Доставка силами продавца (DBS)",
                &[Order, Date],
            ),
        ],
    ),
    (
        "product-card",
        "Карточка товара", // (real, with its five real themes)
        &[
            (
                "certificates",
                "Предоставление сертификатов по запросу WB",
                &[Article],
            ),
            (
                "edit-errors",
                "Ошибки при создании/редактировании карточки",
                &[Product],
            ),
            ("logo-upload-errors", "Ошибки при загрузке логотипов", &[]),
            (
                "photo-upload-errors",
                "Ошибки при загрузке фото/видео",
                &[Article],
            ),
            ("how-to-upload-photo", "Как загрузить фото/видео", &[]),
            (
                "dimensions",
                "Габариты и перемер товара",
                &[ArticleOrBarcode, Date],
            ),
            ("blocked", "Блокировка и скрытие карточки", &[Article]),
        ],
    ),
    (
        "account",
        "Личный кабинет",
        &[
            ("login", "Вход и авторизация", &[]),
            ("users", "Пользователи кабинета и права доступа", &[]),
            ("profile", "Профиль продавца и реквизиты", &[]),
        ],
    ),
    (
        "promotion",
        "Маркетинг и продвижение",
        &[
            ("campaigns", "Рекламные кампании", &[Date]),
            (
                "ad-spend",
                "Списания за рекламу и пополнение баланса",
                &[Amount, Date],
            ),
            ("promotions", "Участие в акциях", &[Article]),
        ],
    ),
    (
        "supply",
        "Поставка товара", // (real)
        &[
            (
                "creation-errors",
                "Ошибки при создании заказа/поставки",
                &[Supply, Date],
            ), // (real)
            (
                "acceptance",
                "Приёмка и расхождения по поставке",
                &[Supply, Date, Barcode],
            ),
            (
                "paid-acceptance",
                "Платная приёмка и коэффициенты",
                &[Supply, Amount],
            ),
            (
                "warehouse-access",
                "Пропуск и запись на склад",
                &[Supply, Date],
            ),
            (
                "lost-goods",
                "Утеря товара на складе",
                &[Supply, ArticleOrBarcode],
            ),
        ],
    ),
    (
        "finance",
        "Финансы",
        &[
            (
                "penalties",
                "Штрафы и удержания",
                &[Report, Amount, ArticleOrBarcode],
            ),
            ("payouts", "Выплаты", &[Report, Amount]),
            (
                "reports",
                "Финансовые отчёты и детализация",
                &[Report, Date],
            ),
            ("storage-logistics", "Хранение и логистика", &[Amount, Date]),
        ],
    ),
    (
        "prices",
        "Цены и скидки",
        &[
            ("set-prices", "Установка цен и скидок", &[Article, Amount]),
            ("price-upload-errors", "Ошибки при загрузке цен", &[Article]),
            ("quarantine", "Карантин цен", &[Article, Amount]),
        ],
    ),
];
