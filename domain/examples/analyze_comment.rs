//! Reads JSON lines (`text`, optional `category`, `theme` as ids or names, `attachments`) from
//! stdin and prints one JSON line per input with the comment analysis:
//! `{"entities": [...], "vague": bool, "warnings": [...], "score": n, "missing": [...],
//!   "suggested": {"category", "theme"} | null,
//!   "suggestions": [{"category", "theme", "confidence"}]}` (up to three candidates, best first;
//!   `suggested` is set only when the best is clearly ahead, or when the chosen theme conflicts).
//! A line that cannot be read prints `{"error": "..."}` instead; the tool never panics on input.
//! A `category` or `theme` that is not in the built-in catalog counts as not chosen.
//!
//! `cargo run -q --release -p domain --example analyze_comment < in.jsonl`

use std::io::{BufRead, Write};

use domain::catalog::{Catalog, Need};
use domain::comment::{Context, Entity, Warning, analyze};
use serde::Serialize;
use serde_json::{Value, json};

/// One output line, fields in the documented order.
#[derive(Serialize)]
struct Line<'a> {
    entities: &'a [Entity],
    vague: bool,
    warnings: &'a [Warning],
    score: u8,
    missing: &'a [Need],
    suggested: Option<Suggested<'a>>,
    suggestions: Vec<Ranked<'a>>,
}

#[derive(Serialize)]
struct Ranked<'a> {
    category: &'a str,
    theme: &'a str,
    confidence: f32,
}

#[derive(Serialize)]
struct Suggested<'a> {
    category: &'a str,
    theme: &'a str,
}

fn main() {
    let catalog = Catalog::builtin();
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (n, line) in stdin.lock().lines().enumerate() {
        let result = match line {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => one(&catalog, &line),
            Err(e) => {
                json!({"error": format!("line {}: unreadable input: {e}", n + 1)}).to_string()
            }
        };
        if writeln!(out, "{result}").is_err() {
            return;
        }
    }
    let _ = out.flush();
}

fn one(catalog: &Catalog, line: &str) -> String {
    let v: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return json!({"error": format!("invalid JSON: {e}")}).to_string(),
    };
    let Some(text) = v.get("text").and_then(Value::as_str) else {
        return json!({"error": "missing string field \"text\""}).to_string();
    };
    let category = v
        .get("category")
        .and_then(Value::as_str)
        .and_then(|c| catalog.category_by_id_or_name(c));
    let theme = v
        .get("theme")
        .and_then(Value::as_str)
        .and_then(|t| catalog.theme_by_id_or_name(category, t));
    // A count, also accepted as a numeric string; anything else counts as none attached.
    let attachments = match v.get("attachments") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
    .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX));
    let mut ctx = Context::new(catalog).with_attachments(attachments);
    match (category, theme) {
        (_, Some((c, t))) => ctx = ctx.with_theme(&c.id, &t.id),
        (Some(c), None) => ctx = ctx.with_category(&c.id),
        (None, None) => {}
    }
    let r = analyze(text, &ctx);
    let line = Line {
        entities: &r.entities,
        vague: r.vague,
        warnings: &r.warnings,
        score: r.score,
        missing: &r.missing,
        suggested: r.suggested.as_ref().map(|s| Suggested {
            category: &s.category,
            theme: &s.theme,
        }),
        suggestions: r
            .suggestions
            .iter()
            .map(|c| Ranked {
                category: &c.category,
                theme: &c.theme,
                confidence: c.confidence,
            })
            .collect(),
    };
    // A struct keeps the documented field order (a `Value` map would sort the keys).
    serde_json::to_string(&line)
        .unwrap_or_else(|e| json!({"error": format!("cannot serialize: {e}")}).to_string())
}
