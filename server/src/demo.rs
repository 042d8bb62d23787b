//! Demo data (`--demo`): seller `demo` with ~30 dialogs in every status over many themes, and
//! seller `other` with a few of its own (to show isolation). Seeding runs once per data
//! directory: a `meta` row remembers it, so starting twice does not duplicate anything.
//!
//! Dialogs are written through the same functions as live requests, so every status change
//! goes through the domain state machine; only the timestamps are chosen here (spread over
//! months before "now").

use crate::error::AppResult;
use crate::store::{NewDialog, NewMessage, Resolve, Store};
use crate::upload::StagedFile;
use crate::{AppState, anyhow_error};
use domain::api::Author;
use domain::catalog::{Category, Fact, Theme};
use domain::status::ResolveReason;

const SEEDED_KEY: &str = "demo_seeded_v1";
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// How a demo dialog ends up.
#[derive(Clone, Copy)]
enum Plan {
    /// Only the seller's comment.
    Waiting,
    /// Answered, then the seller asked again.
    Reopened,
    /// Answered within the auto-close period.
    Answered,
    /// Rated by the seller.
    Resolved(u8, &'static [ResolveReason]),
    /// Answered long ago and closed automatically.
    Auto,
}

/// A fact as a seller would write it, varied by `n`.
fn fact_text(f: Fact, n: usize) -> String {
    let k = n as u64;
    match f {
        Fact::Report => format!("в отчёте № {}", 151_564 + k * 7_919),
        Fact::Supply => format!("по поставке № {}", 21_573_344 + k * 104_729),
        Fact::Order => format!("по сборочному заданию № {}", 1_187_345_621 + k * 9_973),
        Fact::Barcode => format!("баркод {}", 2_008_500_000_237u64 + k * 1_013),
        Fact::Article => format!("артикул {}", 13_334_921 + k * 31_337),
        Fact::VendorCode => format!("артикул продавца KR-{}-BL", 2_231 + k * 17),
        Fact::Date => format!("от {:02}.{:02}.2024", 1 + (n * 7) % 28, 1 + (n * 5) % 12),
        Fact::Amount => format!("на сумму {} р.", 1_500 + (n % 9) * 250),
    }
}

const OPENERS: &[&str] = &[
    "Добрый день!",
    "Здравствуйте.",
    "Добрый день, коллеги.",
    "Здравствуйте!",
];

/// What a theme is about, judged by the facts it needs; picks fitting asks and answers.
#[derive(Clone, Copy)]
enum Topic {
    Money,
    Supply,
    Product,
    Order,
    Other,
}

fn topic(theme: &Theme) -> Topic {
    let facts: Vec<Fact> = theme
        .needs
        .iter()
        .flat_map(|n| n.alternatives().iter().copied())
        .collect();
    if facts
        .iter()
        .any(|f| matches!(f, Fact::Report | Fact::Amount))
    {
        Topic::Money
    } else if facts.contains(&Fact::Supply) {
        Topic::Supply
    } else if facts.contains(&Fact::Order) {
        Topic::Order
    } else if facts
        .iter()
        .any(|f| matches!(f, Fact::Article | Fact::Barcode | Fact::VendorCode))
    {
        Topic::Product
    } else {
        Topic::Other
    }
}

const GENERIC_ASKS: &[&str] = &[
    "Просьба проверить и исправить.",
    "Прошу разобраться и сообщить, что нужно сделать с нашей стороны.",
    "Подскажите, пожалуйста, как решить вопрос.",
    "Скриншот ошибки прикладываю.",
    "Ошибка повторяется уже третий день, работа по товару стоит.",
];

fn ask_for(topic: Topic, n: usize) -> &'static str {
    match topic {
        Topic::Money if n.is_multiple_of(2) => {
            "Считаем удержание ошибочным, просим проверить и вернуть сумму."
        }
        Topic::Supply if n.is_multiple_of(2) => {
            "Просим проверить приёмку и скорректировать количество."
        }
        _ => GENERIC_ASKS[n % GENERIC_ASKS.len()],
    }
}

/// A realistic comment for a theme: the facts its `needs` ask for, in the seller's words.
fn comment_for(cat: &Category, theme: &Theme, n: usize) -> String {
    let facts: Vec<String> = theme
        .needs
        .iter()
        .filter_map(|need| need.alternatives().first())
        .map(|f| fact_text(*f, n))
        .collect();
    let detail = if facts.is_empty() {
        String::new()
    } else {
        // «р.» already ends with a dot.
        let list = facts.join(", ");
        let dot = if list.ends_with('.') { "" } else { "." };
        format!(" Данные: {list}{dot}")
    };
    format!(
        "{} Обращаемся по вопросу «{}» (раздел «{}»).{} {}",
        OPENERS[n % OPENERS.len()],
        theme.name,
        cat.name,
        detail,
        ask_for(topic(theme), n)
    )
}

/// Support's first answer, fitting the theme.
fn answer_for(topic: Topic, n: usize) -> &'static str {
    match topic {
        Topic::Money if n.is_multiple_of(2) => {
            "Добрый день! Удержание проверено и признано ошибочным, сумма будет возвращена в \
             следующем еженедельном отчёте."
        }
        Topic::Money => {
            "Здравствуйте! Штраф начислен верно: по данным склада габариты товара превышают \
             указанные в карточке. Обновите габариты в карточке, чтобы избежать повторных \
             начислений."
        }
        Topic::Supply => {
            "Здравствуйте! Передали информацию профильному отделу, после проверки поставка \
             будет принята повторно. Срок — до 5 рабочих дней."
        }
        Topic::Product if n.is_multiple_of(2) => {
            "Здравствуйте! Для решения вопроса пришлите, пожалуйста, фото товара с этикеткой и \
             штрихкодом крупным планом."
        }
        Topic::Product => {
            "Добрый день! По указанному артикулу расхождений не найдено: данные карточки \
             совпадают с данными склада."
        }
        Topic::Order => {
            "Добрый день! Сборочное задание восстановлено, его можно добавить в поставку \
             повторно."
        }
        Topic::Other if n.is_multiple_of(2) => {
            "Добрый день! Ошибка на стороне сервиса устранена, попробуйте повторить действие. \
             Если ошибка повторится, приложите скриншот с датой и временем."
        }
        Topic::Other => {
            "Здравствуйте! Проверили информацию по вашему обращению: данные обновлены, \
             изменения отобразятся в кабинете в течение 24 часов."
        }
    }
}

const FOLLOW_UPS: &[&str] = &[
    "Спасибо, но изменения так и не появились. Проверьте, пожалуйста, ещё раз.",
    "Фото прикладываю. Этикетка и штрихкод видны полностью.",
    "Ошибка повторилась сегодня в 10:42, скриншот во вложении.",
];

/// The second answer after a seller's follow-up.
const SECOND_ANSWER: &str = "Спасибо за уточнение! Повторно проверили данные и передали \
     задачу специалистам; изменения уже применены, проверьте, пожалуйста, кабинет.";

/// A resolve comment fitting the rating (none for some).
fn resolve_comment(rating: u8, n: usize) -> Option<&'static str> {
    if n % 3 == 1 {
        return None;
    }
    Some(match rating {
        5 => "Спасибо, всё исправили быстро.",
        4 => "Решили, но ответа пришлось ждать долго.",
        3 => "Ответ частично помог, остальное выяснили сами.",
        _ => "Ответ шаблонный, проблема осталась.",
    })
}

/// A tiny valid PNG: `w`×`h` RGB gradient, stored (uncompressed) deflate blocks.
pub fn demo_png(w: u32, h: u32) -> Vec<u8> {
    let mut raw = Vec::new();
    for y in 0..h {
        raw.push(0); // filter: none
        for x in 0..w {
            raw.extend_from_slice(&[(x * 255 / w.max(1)) as u8, (y * 255 / h.max(1)) as u8, 0xA0]);
        }
    }
    let mut z = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, c) in chunks.iter().enumerate() {
        z.push(u8::from(i + 1 == chunks.len()));
        let len = c.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(c);
    }
    z.extend_from_slice(&adler32(&raw).to_be_bytes());
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    for (kind, data) in [(b"IHDR", &ihdr), (b"IDAT", &z), (b"IEND", &Vec::new())] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(data);
        png.extend_from_slice(&crc_input);
        png.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    }
    png
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &x in data {
        c ^= u32::from(x);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// A one-page valid PDF with an ASCII line of text and a correct xref table.
pub fn demo_pdf(line: &str) -> Vec<u8> {
    let text: String = line
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .filter(|c| !matches!(c, '(' | ')' | '\\'))
        .collect();
    let stream = format!("BT /F1 14 Tf 40 780 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{stream}\nendstream",
            stream.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// The plan of the `n`-th dialog of the demo seller, oldest first: old dialogs are closed
/// (rated or auto-closed), recent ones answered or still waiting, as in a real cabinet.
fn plan_for(n: usize) -> Plan {
    const LOW: &[ResolveReason] = &[ResolveReason::TemplatedAnswer, ResolveReason::NotSolved];
    const OFF: &[ResolveReason] = &[ResolveReason::OffTopic];
    const RATINGS: [u8; 8] = [5, 4, 5, 2, 3, 5, 1, 4];
    match n {
        27.. => Plan::Waiting,
        25 | 26 => Plan::Reopened,
        20..=24 => Plan::Answered,
        _ if n % 5 == 3 => Plan::Auto,
        _ => {
            let rating = RATINGS[n % RATINGS.len()];
            let reasons = match rating {
                1 | 2 => LOW,
                3 => OFF,
                _ => &[],
            };
            Plan::Resolved(rating, reasons)
        }
    }
}

/// The other seller's few dialogs, one of each kind.
const OTHER_PLANS: [Plan; 6] = [
    Plan::Auto,
    Plan::Resolved(5, &[]),
    Plan::Reopened,
    Plan::Answered,
    Plan::Waiting,
    Plan::Waiting,
];

/// Seeds once; returns whether it did anything.
///
/// The flag is claimed before anything is written, so instances that start together on one
/// database seed once. Each dialog is written in transactions of its own; a seed that fails
/// gives the flag back, and the next start seeds again (demo data only).
pub async fn seed(state: &AppState) -> anyhow::Result<bool> {
    let now = state.now();
    let themes: Vec<(&Category, &Theme)> = state
        .catalog
        .categories
        .iter()
        .flat_map(|c| c.themes.iter().map(move |t| (c, t)))
        .collect();
    if themes.is_empty() {
        return Ok(false);
    }
    let store = &state.store;
    if !store
        .meta_claim(SEEDED_KEY, &now.to_string())
        .await
        .map_err(anyhow_error)?
    {
        return Ok(false);
    }
    match seed_dialogs(state, &themes, now).await {
        Ok(()) => Ok(true),
        Err(e) => {
            let _ = store.meta_delete(SEEDED_KEY).await;
            Err(anyhow::anyhow!("demo seed failed: {}", e.body.message))
        }
    }
}

async fn seed_dialogs(state: &AppState, themes: &[(&Category, &Theme)], now: i64) -> AppResult<()> {
    let store = &state.store;
    let after = state.config.auto_close_ms();
    let tmp = state.tmp_dir();
    let demo = store.upsert_seller("demo", now - 200 * DAY).await?;
    let other = store.upsert_seller("other", now - 200 * DAY).await?;
    let png = demo_png(48, 32);
    for n in 0..30usize {
        // Spread themes over categories: step through the flat list with a stride.
        let (cat, theme) = themes[(n * 7) % themes.len()];
        // From ~6 months ago to half a day ago, newest last; the newest still has room for an
        // answer and a rating before "now" (at most 11 hours after creation).
        let created = now - (29 - n as i64) * 6 * DAY - 12 * HOUR - (n as i64 % 5) * HOUR;
        let mut files = Vec::new();
        if n % 4 == 1 {
            files.push(StagedFile::from_bytes(
                &tmp,
                &format!("скриншот-{}.png", n + 1),
                &png,
            )?);
        }
        if n % 6 == 2 {
            let pdf = demo_pdf(&format!("Akt raskhozhdeniy No {}", 1_000 + n));
            files.push(StagedFile::from_bytes(&tmp, "акт-расхождений.pdf", &pdf)?);
        }
        let id = store
            .create_dialog(NewDialog {
                seller_id: demo,
                category_id: cat.id.clone(),
                theme_id: theme.id.clone(),
                comment: comment_for(cat, theme, n),
                follows: None,
                files,
                key: None,
                now: created,
            })
            .await?
            .id;
        play(
            store,
            demo,
            id,
            plan_for(n),
            topic(theme),
            created,
            now,
            after,
            n,
        )
        .await?;
    }
    for (n, plan) in OTHER_PLANS.into_iter().enumerate() {
        let (cat, theme) = themes[(n * 11 + 3) % themes.len()];
        let created = now - (6 - n as i64) * 9 * DAY;
        let id = store
            .create_dialog(NewDialog {
                seller_id: other,
                category_id: cat.id.clone(),
                theme_id: theme.id.clone(),
                comment: comment_for(cat, theme, 100 + n),
                follows: None,
                files: Vec::new(),
                key: None,
                now: created,
            })
            .await?
            .id;
        play(store, other, id, plan, topic(theme), created, now, after, n).await?;
    }
    // Dialogs answered long ago close now, at the time their period ended.
    store.auto_close_due(now).await?;
    Ok(())
}

/// Moves one dialog through its plan with timestamps after `created` (and before `now`).
#[allow(clippy::too_many_arguments)]
async fn play(
    store: &Store,
    seller: i64,
    id: u64,
    plan: Plan,
    topic: Topic,
    created: i64,
    now: i64,
    after: i64,
    n: usize,
) -> AppResult<()> {
    let answer = answer_for(topic, n);
    let follow = FOLLOW_UPS[n % FOLLOW_UPS.len()];
    // Through the same path as live messages, so every status change asks the state machine.
    let say = |author: Author, text: &str, at: i64| {
        store.post_message(NewMessage {
            dialog_id: id,
            seller: (author == Author::Seller).then_some(seller),
            author,
            text: text.to_string(),
            files: Vec::new(),
            key: None,
            now: at,
        })
    };
    let t1 = created + 3 * HOUR + (n as i64 % 7) * HOUR;
    match plan {
        Plan::Waiting => {}
        Plan::Reopened => {
            say(Author::Support, answer, t1).await?;
            let t2 = (t1 + 20 * HOUR).min(now - HOUR);
            say(Author::Seller, follow, t2).await?;
        }
        Plan::Answered => {
            // Answered recently enough that the auto-close is still ahead; an older dialog
            // first had an exchange that did not settle it.
            let last = (now - after / (3 + (n as i64 % 4))).max(created + HOUR);
            if last - created > 2 * DAY {
                say(Author::Support, answer, t1).await?;
                say(Author::Seller, follow, t1 + 20 * HOUR).await?;
                say(Author::Support, SECOND_ANSWER, last).await?;
            } else {
                say(Author::Support, answer, last).await?;
            }
        }
        Plan::Resolved(rating, reasons) => {
            say(Author::Support, answer, t1).await?;
            store
                .resolve(Resolve {
                    dialog_id: id,
                    seller_id: seller,
                    rating,
                    comment: resolve_comment(rating, n).map(str::to_string),
                    reasons: reasons.to_vec(),
                    now: t1 + 2 * HOUR,
                })
                .await?;
        }
        Plan::Auto => {
            say(Author::Support, answer, t1).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_files_pass_the_attachment_policy() {
        let png = demo_png(48, 32);
        assert!(domain::attachments::check_file("a.png", png.len() as u64, &png[..8]).is_ok());
        let pdf = demo_pdf("Akt 1");
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(domain::attachments::check_file("a.pdf", pdf.len() as u64, &pdf[..8]).is_ok());
        // The xref offset points at the xref keyword.
        let s = String::from_utf8_lossy(&pdf);
        let start: usize = s
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|l| l.parse().ok())
            .unwrap_or(0);
        assert!(s[start..].starts_with("xref"));
    }

    #[test]
    fn crc_and_adler_match_known_values() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }
}
