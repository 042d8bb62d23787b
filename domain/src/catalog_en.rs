//! English names of the catalog's categories and themes, for the app's English locale.
//!
//! The catalog itself ([`crate::catalog`]) stays Russian on the wire: the cabinet is Russian, the
//! server stores and serves the Russian names, and `GET /api/catalog` is the same in both locales.
//! The app translates on display by id and keeps the API's name for an id missing here.
//! The catalog is sorted by its Russian names, so an English picker should re-sort by these.

/// `(id, English name)` for every category and theme of [`Catalog::builtin`], in its source order.
/// Theme ids are full (`category.theme`), as the catalog builds them.
///
/// [`Catalog::builtin`]: crate::catalog::Catalog::builtin
const NAMES: &[(&str, &str)] = &[
    ("api", "API"),
    ("api.tokens", "API authorization and tokens"),
    ("api.content", "Content methods: cards, media, prices"),
    (
        "api.marketplace",
        "Marketplace methods: assembly tasks and FBS supplies",
    ),
    (
        "api.statistics",
        "Statistics, analytics and financial report methods",
    ),
    ("api.feedbacks", "Questions and reviews methods"),
    ("api.limits", "Rate limits and server errors"),
    ("analytics", "Analytics"),
    ("analytics.funnel", "Sales funnel"),
    ("analytics.sales-reports", "Sales and stock reports"),
    ("analytics.search", "Search queries and product rankings"),
    ("feedback", "Customer questions and reviews"),
    ("feedback.answers", "Replying to questions and reviews"),
    ("feedback.complaint", "Complaint about a review"),
    ("feedback.rating", "Product and seller rating"),
    ("returns", "Product returns"),
    (
        "returns.existing-requests",
        "Questions about return requests already submitted",
    ),
    (
        "returns.new-request",
        "Requesting a return from the warehouse",
    ),
    (
        "returns.buyer-returns",
        "Customer returns, defective and swapped items",
    ),
    ("documents", "Documents"),
    ("documents.reconciliation", "Reconciliation statement"),
    (
        "documents.closing",
        "Transfer documents (UPD) and closing documents",
    ),
    ("documents.edo", "Electronic document exchange (EDI)"),
    ("documents.contract", "Offer agreement and company details"),
    ("orders", "FBS/DBS orders"),
    ("orders.assembly", "Assembly tasks"),
    ("orders.cancellations", "Order cancellations"),
    (
        "orders.fbs-supply",
        "FBS supplies and handover for delivery",
    ),
    ("orders.dbs-delivery", "Delivery by seller (DBS)"),
    ("product-card", "Product card"),
    (
        "product-card.certificates",
        "Providing certificates at WB's request",
    ),
    ("product-card.edit-errors", "Errors creating/editing a card"),
    ("product-card.logo-upload-errors", "Errors uploading logos"),
    (
        "product-card.photo-upload-errors",
        "Errors uploading photos/videos",
    ),
    (
        "product-card.how-to-upload-photo",
        "How to upload photos/videos",
    ),
    (
        "product-card.dimensions",
        "Product dimensions and re-measurement",
    ),
    ("product-card.blocked", "Card blocked or hidden"),
    ("account", "Seller account"),
    ("account.login", "Login and authorization"),
    ("account.users", "Account users and access rights"),
    ("account.profile", "Seller profile and company details"),
    ("promotion", "Marketing and promotion"),
    ("promotion.campaigns", "Ad campaigns"),
    ("promotion.ad-spend", "Ad charges and balance top-ups"),
    ("promotion.promotions", "Taking part in promotions"),
    ("supply", "Supplies"),
    ("supply.creation-errors", "Errors creating an order/supply"),
    ("supply.acceptance", "Acceptance and supply discrepancies"),
    ("supply.paid-acceptance", "Paid acceptance and coefficients"),
    ("supply.warehouse-access", "Warehouse pass and slot booking"),
    ("supply.lost-goods", "Goods lost at the warehouse"),
    ("finance", "Finance"),
    ("finance.penalties", "Penalties and deductions"),
    ("finance.payouts", "Payouts"),
    ("finance.reports", "Financial reports and breakdowns"),
    ("finance.storage-logistics", "Storage and logistics"),
    ("prices", "Prices and discounts"),
    ("prices.set-prices", "Setting prices and discounts"),
    ("prices.price-upload-errors", "Errors uploading prices"),
    ("prices.quarantine", "Price quarantine"),
];

/// The English name of a catalog category (`"supply"`) or theme (`"supply.creation-errors"`);
/// `None` for an id this build does not know.
///
/// Keyed by id, not by the Russian name, because the id is what stays put: names get reworded,
/// ids never change, so a rewording in the catalog does not silently lose its translation. Every
/// place the app shows a name also has its id (the pickers, a dialog's stored category and theme,
/// a suggested theme), and the ids are the same in the built-in catalog and the served one. A
/// cabinet's catalog may hold ids this table has never seen: on `None` show the API's own name.
pub fn english_name(id: &str) -> Option<&'static str> {
    NAMES.iter().find(|(k, _)| *k == id).map(|&(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::{NAMES, english_name};
    use crate::catalog::Catalog;
    use std::collections::HashSet;

    fn is_cyrillic(c: char) -> bool {
        // Cyrillic and Cyrillic Supplement: everything a Russian name can be written in.
        ('\u{0400}'..='\u{052F}').contains(&c)
    }

    #[test]
    fn every_builtin_category_and_theme_has_an_english_name() {
        let catalog = Catalog::builtin();
        let mut missing = Vec::new();
        for c in &catalog.categories {
            if english_name(&c.id).is_none() {
                missing.push(c.id.clone());
            }
            for t in &c.themes {
                if english_name(&t.id).is_none() {
                    missing.push(t.id.clone());
                }
            }
        }
        assert!(missing.is_empty(), "no English name for {missing:?}");
    }

    #[test]
    fn table_has_no_ids_the_catalog_lacks() {
        let catalog = Catalog::builtin();
        let known: HashSet<&str> = catalog
            .categories
            .iter()
            .flat_map(|c| {
                std::iter::once(c.id.as_str()).chain(c.themes.iter().map(|t| t.id.as_str()))
            })
            .collect();
        let stale: Vec<&str> = NAMES
            .iter()
            .map(|&(id, _)| id)
            .filter(|id| !known.contains(id))
            .collect();
        assert!(stale.is_empty(), "English names for unknown ids {stale:?}");
    }

    #[test]
    fn table_lists_each_id_once() {
        // A second row for an id would never be read: the lookup returns the first.
        let mut seen = HashSet::new();
        for (id, _) in NAMES {
            assert!(seen.insert(id), "{id} is listed twice");
        }
    }

    #[test]
    fn english_names_are_non_empty_trimmed_and_free_of_cyrillic() {
        for (id, name) in NAMES {
            assert!(!name.is_empty(), "{id}: empty name");
            assert_eq!(name.trim(), *name, "{id}: surrounding whitespace");
            assert!(!name.chars().any(is_cyrillic), "{id}: Cyrillic in {name:?}");
        }
    }

    #[test]
    fn english_names_are_unique_among_categories_and_within_each_category() {
        // Two equal names in one picker would be indistinguishable; case differences do not help.
        let catalog = Catalog::builtin();
        let mut categories = HashSet::new();
        for c in &catalog.categories {
            if let Some(name) = english_name(&c.id) {
                assert!(
                    categories.insert(name.to_lowercase()),
                    "category {}: {name:?} again",
                    c.id
                );
            }
            let mut themes = HashSet::new();
            for t in &c.themes {
                if let Some(name) = english_name(&t.id) {
                    assert!(
                        themes.insert(name.to_lowercase()),
                        "theme {}: {name:?} again in {}",
                        t.id,
                        c.id
                    );
                }
            }
        }
    }

    #[test]
    fn lookup_takes_full_ids_only() {
        assert_eq!(english_name("supply"), Some("Supplies"));
        assert_eq!(
            english_name("supply.creation-errors"),
            Some("Errors creating an order/supply")
        );
        // A theme id without its category, a name instead of an id, or an id from a larger
        // cabinet catalog: the app falls back to the API's name.
        assert_eq!(english_name("creation-errors"), None);
        assert_eq!(english_name("Поставка товара"), None);
        assert_eq!(english_name("supply.some-future-theme"), None);
        assert_eq!(english_name(""), None);
    }
}
