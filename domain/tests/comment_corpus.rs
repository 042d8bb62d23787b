//! The comment analysis against the labelled development set (`shared/corpus/comments-dev.jsonl`,
//! beside the repository). Prints entity micro-precision/recall/F1, vague accuracy, warnings
//! exact-match rate and classifier accuracy; fails below the bars.
//!
//! The corpus lives outside the repository (`<repo>/../shared`); a missing file fails the test.

use std::collections::HashSet;

use domain::catalog::Catalog;
use domain::comment::{Context, Warning, analyze, rank_themes};
use serde_json::Value;

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/corpus/comments-dev.jsonl"
);

struct Item {
    id: String,
    text: String,
    category: Option<String>,
    theme: Option<String>,
    entities: Vec<(String, String)>,
    vague: bool,
    warnings: Vec<String>,
}

fn load() -> Vec<Item> {
    let raw = std::fs::read_to_string(CORPUS).unwrap_or_else(|e| {
        panic!("the development corpus must exist at {CORPUS} (shared/ beside the repo): {e}")
    });
    let mut items = Vec::new();
    for (n, line) in raw
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("corpus line {}: invalid JSON: {e}", n + 1));
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let exp = &v["expected"];
        let entities = exp["entities"]
            .as_array()
            .expect("expected.entities")
            .iter()
            .map(|e| {
                (
                    e["kind"].as_str().expect("kind").to_string(),
                    e["value"].as_str().expect("value").to_string(),
                )
            })
            .collect();
        let warnings = exp["warnings"]
            .as_array()
            .expect("expected.warnings")
            .iter()
            .map(|w| w.as_str().expect("warning").to_string())
            .collect();
        items.push(Item {
            id: s("id").expect("id"),
            text: s("text").expect("text"),
            category: s("category"),
            theme: s("theme"),
            entities,
            vague: exp["vague"].as_bool().expect("expected.vague"),
            warnings,
        });
    }
    assert!(
        items.len() >= 50,
        "corpus looks truncated: {} items",
        items.len()
    );
    items
}

fn warning_name(w: Warning) -> String {
    serde_json::to_value(w)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[test]
fn development_set_meets_the_bars() {
    let items = load();
    let catalog = Catalog::builtin();
    let ctx = Context::new(&catalog);
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let (mut vague_ok, mut warn_ok, mut order_ok) = (0usize, 0usize, 0usize);
    let (mut cat_n, mut cat_ok, mut theme_n, mut theme_ok) = (0usize, 0usize, 0usize, 0usize);
    for it in &items {
        let r = analyze(&it.text, &ctx);
        let got: Vec<(String, String)> = r
            .entities
            .iter()
            .map(|e| (e.kind.as_str().to_string(), e.value.clone()))
            .collect();
        let g: HashSet<_> = got.iter().cloned().collect();
        let e: HashSet<_> = it.entities.iter().cloned().collect();
        tp += g.intersection(&e).count();
        fp += g.difference(&e).count();
        fn_ += e.difference(&g).count();
        if got == it.entities {
            order_ok += 1;
        } else {
            println!("{}: expected {:?}\n      got {:?}", it.id, it.entities, got);
        }
        if r.vague == it.vague {
            vague_ok += 1;
        } else {
            println!("{}: vague expected {} got {}", it.id, it.vague, r.vague);
        }
        let warnings: Vec<String> = r.warnings.iter().map(|w| warning_name(*w)).collect();
        if warnings == it.warnings {
            warn_ok += 1;
        } else {
            println!(
                "{}: warnings expected {:?} got {:?}",
                it.id, it.warnings, warnings
            );
        }
        let ranking = rank_themes(&it.text, &catalog);
        let top = ranking.first().filter(|s| s.score > 0);
        if let Some(c) = &it.category {
            cat_n += 1;
            if top.is_some_and(|s| &s.category.name == c) {
                cat_ok += 1;
            } else {
                println!(
                    "{}: category expected {c}, classifier says {:?}",
                    it.id,
                    top.map(|s| (&s.category.name, &s.theme.name))
                );
            }
        }
        if let Some(t) = &it.theme {
            theme_n += 1;
            if top.is_some_and(|s| &s.theme.name == t) {
                theme_ok += 1;
            } else {
                println!(
                    "{}: theme expected {t}, classifier says {:?}",
                    it.id,
                    top.map(|s| &s.theme.name)
                );
            }
        }
    }
    let n = items.len() as f64;
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    let vague = vague_ok as f64 / n;
    let warn = warn_ok as f64 / n;
    let cat_acc = cat_ok as f64 / cat_n.max(1) as f64;
    let theme_acc = theme_ok as f64 / theme_n.max(1) as f64;
    println!("items: {}", items.len());
    println!(
        "entities: precision {p:.3} recall {r:.3} micro-F1 {f1:.3} (tp {tp}, fp {fp}, fn {fn_})"
    );
    println!(
        "entity lists exactly right, in order: {order_ok}/{}",
        items.len()
    );
    println!("vague accuracy: {vague:.3} ({vague_ok}/{})", items.len());
    println!(
        "warnings exact match: {warn:.3} ({warn_ok}/{})",
        items.len()
    );
    println!("classifier category accuracy: {cat_acc:.3} ({cat_ok}/{cat_n})");
    println!(
        "classifier theme accuracy (top-1 over all themes): {theme_acc:.3} ({theme_ok}/{theme_n})"
    );
    assert!(f1 >= 0.97, "entity micro-F1 {f1:.3} < 0.97");
    assert!(vague >= 0.97, "vague accuracy {vague:.3} < 0.97");
    assert_eq!(warn_ok, items.len(), "warnings must all be exactly right");
    // A floor that catches regressions of the classifier, well under its measured accuracy.
    assert!(
        cat_acc >= 0.7,
        "classifier category accuracy {cat_acc:.3} < 0.7"
    );
}
