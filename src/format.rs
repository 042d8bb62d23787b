//! Locale-aware formatting of dates, counts and plurals. Pure functions, tested natively; the only
//! browser call is reading the local time-zone offset.

use crate::i18n::Locale;

/// Russian plural category for `n`: 1 день, 2 дня, 5 дней, 11 дней, 21 день, 22 дня.
pub fn plural_ru<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    let (d10, d100) = (n % 10, n % 100);
    if d10 == 1 && d100 != 11 {
        one
    } else if (2..=4).contains(&d10) && !(12..=14).contains(&d100) {
        few
    } else {
        many
    }
}

/// Plural for the locale: English uses `one` for 1 and `many` otherwise.
pub fn plural<'a>(locale: Locale, n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    match locale {
        Locale::Ru => plural_ru(n, one, few, many),
        Locale::En => {
            if n == 1 {
                one
            } else {
                many
            }
        }
    }
}

/// Calendar date (year, month 1–12, day 1–31) of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Howard Hinnant's days-to-civil algorithm, shifted so March starts the year.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The local calendar date of a unix-milliseconds instant, given the offset east of UTC in minutes.
pub fn local_date(unix_ms: i64, offset_east_min: i64) -> (i64, u32, u32) {
    let local_ms = unix_ms + offset_east_min * 60_000;
    civil_from_days(local_ms.div_euclid(86_400_000))
}

/// `07.04.2023` in Russian (the cabinet's format); `7 Apr 2023` in English, which readers on both
/// sides of the Atlantic read the same way.
pub fn date(locale: Locale, unix_ms: i64, offset_east_min: i64) -> String {
    let (y, m, d) = local_date(unix_ms, offset_east_min);
    match locale {
        Locale::Ru => format!("{d:02}.{m:02}.{y}"),
        Locale::En => {
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let name = MONTHS.get(m as usize - 1).copied().unwrap_or("");
            format!("{d} {name} {y}")
        }
    }
}

/// Date and time `07.04.2023, 14:05` / `7 Apr 2023, 14:05`.
pub fn date_time(locale: Locale, unix_ms: i64, offset_east_min: i64) -> String {
    let local_ms = unix_ms + offset_east_min * 60_000;
    let mins = local_ms.div_euclid(60_000).rem_euclid(1440);
    format!(
        "{}, {:02}:{:02}",
        date(locale, unix_ms, offset_east_min),
        mins / 60,
        mins % 60
    )
}

/// Offset of the browser's time zone east of UTC, in minutes (0 outside a browser).
pub fn local_offset_min(at_unix_ms: i64) -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at_unix_ms as f64));
        // JS reports minutes *west* of UTC.
        -(d.get_timezone_offset() as i64)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = at_unix_ms;
        0
    }
}

/// Current time in unix milliseconds (`SystemTime::now` panics on wasm32).
pub fn now_ms() -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}

/// A file size in the locale's words: «512 Б», «1,5 КБ», «10 МБ»; "1.5 MB" (binary units, one
/// decimal, a trailing zero dropped, as the cabinet writes them).
pub fn size(locale: Locale, bytes: u64) -> String {
    let (decimal_sep, units) = match locale {
        Locale::Ru => (',', ["Б", "КБ", "МБ", "ГБ"]),
        Locale::En => ('.', ["B", "KB", "MB", "GB"]),
    };
    const KIB: u64 = 1024;
    if bytes < KIB {
        return format!("{bytes} {}", units[0]);
    }
    let (unit, name) = if bytes < KIB * KIB {
        (KIB, units[1])
    } else if bytes < KIB * KIB * KIB {
        (KIB * KIB, units[2])
    } else {
        (KIB * KIB * KIB, units[3])
    };
    // Integer tenths keep float formatting out of the wasm binary.
    let tenths = (u128::from(bytes) * 10 + u128::from(unit) / 2) / u128::from(unit);
    let (whole, frac) = (tenths / 10, tenths % 10);
    if frac == 0 {
        format!("{whole} {name}")
    } else {
        format!("{whole}{decimal_sep}{frac} {name}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_like_the_cabinet() {
        use super::size;
        use crate::i18n::Locale::{En, Ru};
        assert_eq!(size(Ru, 0), "0 Б");
        assert_eq!(size(Ru, 1023), "1023 Б");
        assert_eq!(size(Ru, 1024), "1 КБ");
        assert_eq!(size(Ru, 1536), "1,5 КБ");
        assert_eq!(size(Ru, 1_572_864), "1,5 МБ");
        assert_eq!(size(Ru, domain::attachments::MAX_FILE_BYTES), "10 МБ");
        assert_eq!(size(Ru, domain::attachments::MAX_TOTAL_BYTES), "50 МБ");
        assert_eq!(size(En, 1_572_864), "1.5 MB");
        assert_eq!(size(En, 512), "512 B");
        assert_eq!(size(En, 3 << 30), "3 GB");
        assert_eq!(size(En, u64::MAX), "17179869184 GB");
    }

    use super::*;

    #[test]
    fn russian_plurals() {
        let f = |n| plural_ru(n, "день", "дня", "дней");
        assert_eq!(f(1), "день");
        assert_eq!(f(2), "дня");
        assert_eq!(f(4), "дня");
        assert_eq!(f(5), "дней");
        assert_eq!(f(11), "дней");
        assert_eq!(f(12), "дней");
        assert_eq!(f(14), "дней");
        assert_eq!(f(21), "день");
        assert_eq!(f(22), "дня");
        assert_eq!(f(111), "дней");
        assert_eq!(f(0), "дней");
    }

    #[test]
    fn dates_in_both_locales() {
        // 2023-04-07T10:00:00Z
        let ms = 1_680_861_600_000;
        assert_eq!(date(Locale::Ru, ms, 0), "07.04.2023");
        assert_eq!(date(Locale::En, ms, 0), "7 Apr 2023");
        // Late evening UTC is already the next day in Moscow (UTC+3).
        let late = 1_680_911_000_000; // 2023-04-07T23:43:20Z
        assert_eq!(date(Locale::Ru, late, 180), "08.04.2023");
        assert_eq!(date_time(Locale::Ru, late, 180), "08.04.2023, 02:43");
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn sizes_follow_the_attachment_policy_wording() {
        assert_eq!(size(Locale::Ru, 1536), "1,5 КБ");
        assert_eq!(size(Locale::En, 1_572_864), "1.5 MB");
    }
}
