//! Issue 19: the limits shared by the app and the server — file count, form parts, one way to
//! count text, linear duplicate detection, clean file names.

use domain::api::{
    CommentError, MAX_COMMENT_CHARS, MAX_FORM_PARTS, MAX_TEXT_FIELD_BYTES, codes, count_text_chars,
    normalize_text, validate_comment,
};
use domain::attachments::{
    Batch, Candidate, Fingerprint, MAX_FILE_NAME_CHARS, MAX_FILES, Rejection, check_file_count,
    clean_file_name,
};

const PDF: &[u8] = b"%PDF-1.7\n";

fn pdf(name: &str) -> Candidate<'_> {
    Candidate {
        name,
        size: 100,
        head: PDF,
        fingerprint: Fingerprint::of_bytes(name.as_bytes()),
    }
}

/// The comment from the issue: 10 lines, 4 995 characters as the seller typed them.
fn ten_line_comment(line_break: &str) -> String {
    // Nine lines of 499, one of 495 and nine breaks.
    let mut lines: Vec<String> = (0..9).map(|i| format!("{i}").repeat(499)).collect();
    lines.push("я".repeat(495));
    lines.join(line_break)
}

#[test]
fn line_breaks_count_once_whatever_their_form() {
    let lf = ten_line_comment("\n");
    assert_eq!(lf.chars().count(), 4_995, "the fixture itself");
    assert_eq!(count_text_chars(&lf), 4_995);
    let crlf = ten_line_comment("\r\n");
    assert_eq!(crlf.chars().count(), 5_004, "what the server used to count");
    assert_eq!(count_text_chars(&crlf), 4_995);
    assert_eq!(count_text_chars(&ten_line_comment("\r")), 4_995);
    assert_eq!(validate_comment(&crlf), Ok(()));
    assert_eq!(normalize_text(&crlf), lf);
    assert_eq!(normalize_text(&ten_line_comment("\r")), lf);
}

#[test]
fn counting_agrees_with_the_normalized_text() {
    for text in [
        "",
        "  ",
        "\r\n",
        "a\r\nb",
        "a\rb",
        "a\n\rb",
        "a\r\r\nb",
        " \r\n x \r\n ",
        "ёж\r\nи\rкот\n",
    ] {
        assert_eq!(
            count_text_chars(text),
            normalize_text(text).chars().count(),
            "{text:?}"
        );
    }
    assert_eq!(normalize_text("  a\r\n\r\nb \t"), "a\n\nb");
}

#[test]
fn the_limit_is_on_the_normalized_count() {
    let exact = format!("{}\r\n{}", "a".repeat(2_499), "b".repeat(2_500));
    assert_eq!(validate_comment(&exact), Ok(()));
    let over = format!("{}\r\n{}", "a".repeat(2_500), "b".repeat(2_500));
    assert_eq!(
        validate_comment(&over),
        Err(CommentError::TooLong {
            chars: MAX_COMMENT_CHARS + 1
        })
    );
    assert_eq!(validate_comment("\r\n\r\n"), Err(CommentError::Empty));
}

#[test]
fn a_full_comment_fits_the_text_field_in_any_encoding() {
    // 5 000 four-byte characters, each line break sent as CRLF (one extra byte), still fit.
    const { assert!(MAX_COMMENT_CHARS * 4 + MAX_COMMENT_CHARS <= MAX_TEXT_FIELD_BYTES) };
    // Every file plus category, theme and comment.
    const { assert!(MAX_FORM_PARTS > MAX_FILES + 3) };
}

#[test]
fn twenty_files_are_accepted_and_the_twenty_first_is_not() {
    let names: Vec<String> = (0..=MAX_FILES).map(|i| format!("scan-{i}.pdf")).collect();
    let mut batch = Batch::new();
    for name in &names[..MAX_FILES] {
        assert!(batch.offer(&pdf(name)).is_ok(), "{name}");
    }
    assert_eq!(batch.remaining_files(), 0);
    assert_eq!(
        batch.offer(&pdf(&names[MAX_FILES])),
        Err(Rejection::TooManyFiles)
    );
    // A duplicate is still named as such, even in a full batch.
    assert_eq!(batch.offer(&pdf(&names[0])), Err(Rejection::Duplicate));
    // Removing one frees a place.
    let first = batch.accepted()[0].identity.clone();
    assert!(batch.remove(&first));
    assert!(!batch.remove(&first));
    assert_eq!(batch.remaining_files(), 1);
    assert!(batch.offer(&pdf(&names[MAX_FILES])).is_ok());
    // The removed file is no longer a duplicate either.
    let mut other = Batch::new();
    let a = other.offer(&pdf("a.pdf")).expect("accepted");
    assert!(other.remove(&a.identity));
    assert!(other.offer(&pdf("a.pdf")).is_ok());
}

#[test]
fn the_count_rule_checks_a_whole_drop_at_once() {
    assert_eq!(check_file_count(0, MAX_FILES), Ok(()));
    assert_eq!(check_file_count(19, 1), Ok(()));
    assert_eq!(check_file_count(19, 2), Err(Rejection::TooManyFiles));
    assert_eq!(check_file_count(0, 40_000), Err(Rejection::TooManyFiles));
    assert_eq!(
        check_file_count(usize::MAX, 1),
        Err(Rejection::TooManyFiles)
    );
    assert_eq!(Rejection::TooManyFiles.http_status(), 422);
    assert_eq!(
        Rejection::from_code("too_many_files"),
        Some(Rejection::TooManyFiles)
    );
}

#[test]
fn forty_thousand_offers_stop_at_the_cap() {
    // The issue's request had 40 000 files; the batch takes 20 and names every other one.
    let names: Vec<String> = (0..40_000).map(|i| format!("f{i}.pdf")).collect();
    let mut batch = Batch::new();
    let mut too_many = 0;
    for name in &names {
        if batch.offer(&pdf(name)) == Err(Rejection::TooManyFiles) {
            too_many += 1;
        }
    }
    assert_eq!(batch.accepted().len(), MAX_FILES);
    assert_eq!(too_many, 40_000 - MAX_FILES);
}

#[test]
fn file_names_lose_paths_controls_and_format_characters() {
    assert_eq!(clean_file_name("C:\\Users\\me\\отчёт.pdf"), "отчёт.pdf");
    assert_eq!(clean_file_name("../../etc/passwd.png"), "passwd.png");
    assert_eq!(clean_file_name(" a\u{0}b.png "), "ab.png");
    assert_eq!(clean_file_name("dir/"), "");
    // With U+202E, «invoice<RLO>gpj.pdf» is shown as «invoicefdp.jpg».
    assert_eq!(clean_file_name("invoice\u{202E}gpj.pdf"), "invoicegpj.pdf");
    for c in [
        '\u{200B}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202D}', '\u{2066}', '\u{2069}',
        '\u{FEFF}', '\u{00AD}', '\u{061C}',
    ] {
        assert_eq!(clean_file_name(&format!("a{c}b.pdf")), "ab.pdf", "{c:?}");
    }
    assert_eq!(clean_file_name("\u{202E} \u{200B}"), "");
    let long = format!("{}.pdf", "я".repeat(400));
    assert_eq!(clean_file_name(&long).chars().count(), MAX_FILE_NAME_CHARS);
    // Visible non-Latin names are kept as they are.
    assert_eq!(clean_file_name("تقرير.pdf"), "تقرير.pdf");
}

#[test]
fn new_codes_are_listed_for_clients() {
    for code in [
        codes::RATE_LIMITED,
        codes::TOO_MANY_PARTS,
        codes::INSUFFICIENT_STORAGE,
        codes::REQUEST_TIMEOUT,
        codes::OVERLOADED,
    ] {
        assert!(codes::ALL.contains(&code), "{code}");
    }
    let mut all = codes::ALL.to_vec();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), codes::ALL.len());
}
