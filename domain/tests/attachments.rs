//! The attachment policy, rule by rule, with the exact boundaries from issue 4.

use domain::attachments::{
    ACCEPT_ATTRIBUTE, Batch, Candidate, ContentHasher, FORMATS_LIST, Fingerprint, HEAD_BYTES, Kind,
    MAX_FILE_BYTES, MAX_TOTAL_BYTES, Rejection, StreamCheck, check_batch, check_file,
};

const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3";
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'];
const ZIP: &[u8] = b"PK\x03\x04\x14\x00\x00\x00\x08\x00";
const EMPTY_ZIP: &[u8] = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00";

fn candidate<'a>(name: &'a str, size: u64, head: &'a [u8]) -> Candidate<'a> {
    Candidate {
        name,
        size,
        head,
        // Distinct content for distinct names/sizes unless a test says otherwise.
        fingerprint: Fingerprint::of_head(head, size, 0),
    }
}

fn codes(results: &[Result<domain::attachments::AcceptedFile, Rejection>]) -> Vec<&'static str> {
    results
        .iter()
        .map(|r| match r {
            Ok(_) => "ok",
            Err(e) => e.code(),
        })
        .collect()
}

#[test]
fn every_allowed_format_with_its_signature_is_accepted() {
    let cases: [(&str, &[u8], Kind); 8] = [
        ("act.docx", ZIP, Kind::Docx),
        ("report.xls", OLE2, Kind::Xls),
        ("report.xlsx", ZIP, Kind::Xlsx),
        ("invoice.pdf", PDF, Kind::Pdf),
        ("photo.jpg", JPEG, Kind::Jpeg),
        ("photo.jpeg", JPEG, Kind::Jpeg),
        ("screen.png", PNG, Kind::Png),
        ("photos.zip", ZIP, Kind::Zip),
    ];
    for (name, head, kind) in cases {
        assert_eq!(check_file(name, 1000, head), Ok(kind), "{name}");
    }
}

#[test]
fn empty_zip_archive_header_counts_as_zip_docx_and_xlsx() {
    for name in ["empty.zip", "empty.docx", "empty.xlsx"] {
        assert!(check_file(name, 22, EMPTY_ZIP).is_ok(), "{name}");
    }
}

#[test]
fn extensions_are_case_insensitive() {
    assert_eq!(check_file("SCAN.PDF", 10, PDF), Ok(Kind::Pdf));
    assert_eq!(check_file("Photo.JpEg", 10, JPEG), Ok(Kind::Jpeg));
    assert_eq!(check_file("TABLE.Xlsx", 10, ZIP), Ok(Kind::Xlsx));
    assert_eq!(check_file("Отчёт.XLS", 10, OLE2), Ok(Kind::Xls));
}

#[test]
fn other_extensions_and_names_without_one_are_unsupported() {
    for name in [
        "setup.exe",
        "notes.txt",
        "doc.doc",
        "image.gif",
        "archive.rar",
        "README",
        "pdf",
        "invoice.pdf.exe",
        "invoice.pdf ",
        "invoice.",
        "",
    ] {
        assert_eq!(
            check_file(name, 10, PDF),
            Err(Rejection::UnsupportedFormat),
            "{name:?}"
        );
    }
}

#[test]
fn only_the_last_extension_counts_for_names_with_several_dots() {
    assert_eq!(check_file("report.2023.04.pdf", 10, PDF), Ok(Kind::Pdf));
    assert_eq!(check_file("backup.tar.zip", 10, ZIP), Ok(Kind::Zip));
    assert_eq!(
        check_file("photo.png.zip", 10, PNG),
        Err(Rejection::ContentMismatch)
    );
}

#[test]
fn empty_file_is_rejected() {
    assert_eq!(check_file("invoice.pdf", 0, &[]), Err(Rejection::Empty));
}

#[test]
fn file_limit_boundary_is_exact() {
    assert_eq!(MAX_FILE_BYTES, 10_485_760);
    assert_eq!(check_file("big.zip", 10_485_760, ZIP), Ok(Kind::Zip));
    assert_eq!(
        check_file("big.zip", 10_485_761, ZIP),
        Err(Rejection::TooLarge)
    );
    assert_eq!(
        check_file("big.zip", u64::MAX, ZIP),
        Err(Rejection::TooLarge)
    );
}

#[test]
fn executable_renamed_to_pdf_is_a_content_mismatch() {
    assert_eq!(
        check_file("invoice.pdf", 4096, EXE),
        Err(Rejection::ContentMismatch)
    );
}

#[test]
fn docx_that_is_really_an_old_ole2_document_is_a_content_mismatch() {
    assert_eq!(
        check_file("contract.docx", 4096, OLE2),
        Err(Rejection::ContentMismatch)
    );
    // and the other way round: an .xls that is a ZIP (an .xlsx renamed)
    assert_eq!(
        check_file("table.xls", 4096, ZIP),
        Err(Rejection::ContentMismatch)
    );
}

#[test]
fn every_kind_rejects_every_other_signature_it_does_not_share() {
    let heads: [(&str, &[u8]); 6] = [
        ("pdf", PDF),
        ("png", PNG),
        ("jpeg", JPEG),
        ("zip", ZIP),
        ("ole2", OLE2),
        ("exe", EXE),
    ];
    let matches = |kind: Kind| -> &'static [&'static str] {
        match kind {
            Kind::Pdf => &["pdf"],
            Kind::Png => &["png"],
            Kind::Jpeg => &["jpeg"],
            Kind::Zip | Kind::Docx | Kind::Xlsx => &["zip"],
            Kind::Xls => &["ole2"],
        }
    };
    for kind in Kind::ALL {
        for (head_name, head) in heads {
            let expected = matches(kind).contains(&head_name);
            assert_eq!(kind.head_matches(head), expected, "{kind:?} vs {head_name}");
        }
    }
}

#[test]
fn a_head_shorter_than_the_signature_does_not_match() {
    assert_eq!(
        check_file("tiny.png", 4, &PNG[..4]),
        Err(Rejection::ContentMismatch)
    );
    assert_eq!(
        check_file("tiny.pdf", 4, b"%PDF"),
        Err(Rejection::ContentMismatch)
    );
    // A file exactly as long as its signature is fine.
    assert_eq!(check_file("tiny.pdf", 5, b"%PDF-"), Ok(Kind::Pdf));
    assert_eq!(check_file("tiny.jpg", 3, &JPEG[..3]), Ok(Kind::Jpeg));
}

#[test]
fn head_bytes_covers_the_longest_signature_and_extra_bytes_are_ignored() {
    assert_eq!(HEAD_BYTES, 8);
    assert_eq!(check_file("a.png", 100, &PNG[..HEAD_BYTES]), Ok(Kind::Png));
    assert_eq!(check_file("a.xls", 100, &OLE2[..HEAD_BYTES]), Ok(Kind::Xls));
    // One byte less than HEAD_BYTES is not enough for PNG and OLE2.
    assert!(!Kind::Png.head_matches(&PNG[..HEAD_BYTES - 1]));
    assert!(!Kind::Xls.head_matches(&OLE2[..HEAD_BYTES - 1]));
}

#[test]
fn checks_run_in_the_documented_order() {
    // unsupported_format beats everything
    assert_eq!(
        check_file("virus.exe", 0, EXE),
        Err(Rejection::UnsupportedFormat)
    );
    assert_eq!(
        check_file("virus.exe", MAX_FILE_BYTES + 1, EXE),
        Err(Rejection::UnsupportedFormat)
    );
    // empty beats content_mismatch (there are no bytes to match)
    assert_eq!(check_file("a.pdf", 0, EXE), Err(Rejection::Empty));
    // too_large beats content_mismatch
    assert_eq!(
        check_file("a.pdf", MAX_FILE_BYTES + 1, EXE),
        Err(Rejection::TooLarge)
    );
    // per-file checks beat duplicate and total: a mismatching copy of an accepted name is a mismatch
    let mut batch = Batch::new();
    assert!(batch.offer(&candidate("a.pdf", 100, PDF)).is_ok());
    let bad_copy = Candidate {
        head: EXE,
        ..candidate("a.pdf", 100, PDF)
    };
    assert_eq!(batch.offer(&bad_copy), Err(Rejection::ContentMismatch));
    // duplicate beats total_too_large
    let mut batch = Batch::new();
    let big = candidate("big.zip", MAX_FILE_BYTES, ZIP);
    for i in 0..5 {
        let name = format!("part{i}.zip");
        assert!(batch.offer(&candidate(&name, MAX_FILE_BYTES, ZIP)).is_ok());
    }
    assert_eq!(batch.remaining_bytes(), 0);
    assert_eq!(batch.offer(&big), Err(Rejection::TotalTooLarge));
    let dup_of_first = candidate("part0.zip", MAX_FILE_BYTES, ZIP);
    assert_eq!(batch.offer(&dup_of_first), Err(Rejection::Duplicate));
}

#[test]
fn rejection_variants_are_declared_in_check_order_with_their_codes() {
    let codes: Vec<&str> = Rejection::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(
        codes,
        [
            "unsupported_format",
            "empty",
            "too_large",
            "content_mismatch",
            "duplicate",
            "too_many_files",
            "total_too_large",
            "unreadable",
        ]
    );
    for r in Rejection::ALL {
        assert_eq!(Rejection::from_code(r.code()), Some(r));
        assert_eq!(r.to_string(), r.code());
    }
    assert_eq!(Rejection::from_code("nope"), None);
}

#[test]
fn rejection_serializes_as_its_code_and_back() {
    for r in Rejection::ALL {
        let json = serde_json::to_string(&r).expect("serialize");
        assert_eq!(json, format!("\"{}\"", r.code()));
        let back: Rejection = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, r);
    }
}

#[test]
fn http_statuses_follow_the_kind_of_failure() {
    assert_eq!(Rejection::TooLarge.http_status(), 413);
    assert_eq!(Rejection::TotalTooLarge.http_status(), 413);
    assert_eq!(Rejection::UnsupportedFormat.http_status(), 415);
    assert_eq!(Rejection::ContentMismatch.http_status(), 415);
    assert_eq!(Rejection::Empty.http_status(), 422);
    assert_eq!(Rejection::Duplicate.http_status(), 422);
}

#[test]
fn batch_total_boundary_is_exact() {
    assert_eq!(MAX_TOTAL_BYTES, 52_428_800);
    // 4 × 10 MiB + 10 MiB = exactly 50 MiB: all accepted.
    let names: Vec<String> = (0..5).map(|i| format!("f{i}.pdf")).collect();
    let results = check_batch(
        names
            .iter()
            .map(|n| candidate(n, MAX_FILE_BYTES, PDF))
            .collect::<Vec<_>>(),
    );
    assert_eq!(codes(&results), ["ok"; 5]);

    // The same, then one more byte: rejected.
    let mut batch = Batch::new();
    for n in &names {
        assert!(batch.offer(&candidate(n, MAX_FILE_BYTES, PDF)).is_ok());
    }
    assert_eq!(batch.total_bytes(), 52_428_800);
    assert_eq!(
        batch.offer(&candidate("one-byte.pdf", 1, b"%PDF-")),
        Err(Rejection::TotalTooLarge)
    );

    // Exactly 52 428 800 made of uneven files, and one byte over made of uneven files.
    let mut batch = Batch::new();
    for (i, size) in [10_000_000u64, 10_485_760, 10_485_760, 10_485_760, 5_000_000]
        .into_iter()
        .enumerate()
    {
        let name = format!("u{i}.zip");
        assert!(batch.offer(&candidate(&name, size, ZIP)).is_ok(), "{name}");
    }
    assert_eq!(batch.total_bytes(), 46_457_280);
    let remaining = batch.remaining_bytes();
    assert_eq!(
        batch.offer(&candidate("over.zip", remaining + 1, ZIP)),
        Err(Rejection::TotalTooLarge)
    );
    assert!(batch.offer(&candidate("fits.zip", remaining, ZIP)).is_ok());
    assert_eq!(batch.total_bytes(), MAX_TOTAL_BYTES);
}

#[test]
fn an_overflowing_file_is_rejected_and_later_smaller_files_that_fit_are_accepted() {
    let results = check_batch([
        candidate("a.pdf", 10_000_000, PDF),
        candidate("b.pdf", 10_000_000, PDF),
        candidate("c.pdf", 10_000_000, PDF),
        candidate("d.pdf", 10_000_000, PDF),
        // 40 000 000 used, 12 428 800 left
        candidate("e.zip", 10_485_760, ZIP), // fits: 50 485 760
        candidate("f.zip", 2_000_000, ZIP),  // overflows by 56 960
        candidate("g.png", 1_943_040, PNG),  // fits exactly
        candidate("h.jpg", 1, JPEG),         // full now
    ]);
    assert_eq!(
        codes(&results),
        [
            "ok",
            "ok",
            "ok",
            "ok",
            "ok",
            "total_too_large",
            "ok",
            "total_too_large"
        ]
    );
}

#[test]
fn rejected_files_do_not_count_toward_the_total() {
    let mut batch = Batch::new();
    assert!(batch.offer(&candidate("a.exe", 5, EXE)).is_err());
    assert!(batch.offer(&candidate("b.pdf", 5, EXE)).is_err());
    assert!(
        batch
            .offer(&candidate("c.pdf", MAX_FILE_BYTES + 1, PDF))
            .is_err()
    );
    assert_eq!(batch.total_bytes(), 0);
    assert!(batch.accepted().is_empty());
}

#[test]
fn duplicate_means_same_name_and_same_content() {
    let mut batch = Batch::new();
    let first = Candidate {
        name: "invoice.pdf",
        size: 100,
        head: PDF,
        fingerprint: Fingerprint(1),
    };
    assert!(batch.offer(&first).is_ok());
    assert_eq!(batch.offer(&first), Err(Rejection::Duplicate));
    // Same name, different content: a different file (say, a corrected invoice).
    let other_content = Candidate {
        fingerprint: Fingerprint(2),
        ..first
    };
    assert!(batch.offer(&other_content).is_ok());
    // Same content, different name: the seller meant to attach it twice under two names.
    let other_name = Candidate {
        name: "invoice-copy.pdf",
        ..first
    };
    assert!(batch.offer(&other_name).is_ok());
    // Names are compared exactly.
    let other_case = Candidate {
        name: "Invoice.pdf",
        ..first
    };
    assert!(batch.offer(&other_case).is_ok());
    // Same name and fingerprint but another size is not the same bytes.
    let other_size = Candidate { size: 101, ..first };
    assert!(batch.offer(&other_size).is_ok());
    assert_eq!(batch.accepted().len(), 5);
}

#[test]
fn a_duplicate_does_not_count_toward_the_total() {
    let mut batch = Batch::new();
    let c = candidate("a.pdf", 1000, PDF);
    assert!(batch.offer(&c).is_ok());
    assert_eq!(batch.offer(&c), Err(Rejection::Duplicate));
    assert_eq!(batch.total_bytes(), 1000);
}

#[test]
fn removing_a_file_frees_its_budget_and_its_name() {
    let mut batch = Batch::new();
    let mut accepted = Vec::new();
    for i in 0..5 {
        let name = format!("f{i}.zip");
        accepted.push(
            batch
                .offer(&candidate(&name, MAX_FILE_BYTES, ZIP))
                .expect("fits"),
        );
    }
    let extra = candidate("extra.zip", 10, ZIP);
    assert_eq!(batch.offer(&extra), Err(Rejection::TotalTooLarge));
    assert!(batch.remove(&accepted[2].identity));
    assert!(!batch.remove(&accepted[2].identity), "already removed");
    assert_eq!(batch.total_bytes(), 4 * MAX_FILE_BYTES);
    assert!(batch.offer(&extra).is_ok());
    // The removed file can be attached again.
    let again = candidate("f2.zip", MAX_FILE_BYTES - 10, ZIP);
    assert!(batch.offer(&again).is_ok());
    assert_eq!(batch.total_bytes(), MAX_TOTAL_BYTES);
}

#[test]
fn accepted_file_reports_what_was_offered() {
    let mut batch = Batch::new();
    let c = candidate("Скан.JPEG", 4321, JPEG);
    let file = batch.offer(&c).expect("accepted");
    assert_eq!(file.name(), "Скан.JPEG");
    assert_eq!(file.size(), 4321);
    assert_eq!(file.kind, Kind::Jpeg);
    assert_eq!(file.identity.fingerprint, c.fingerprint);
    assert_eq!(batch.accepted(), &[file]);
}

#[test]
fn fnv1a_matches_the_published_test_vectors_and_streams() {
    // Vectors from the FNV reference (draft-eastlake-fnv): "" and "a" and "foobar".
    assert_eq!(Fingerprint::of_bytes(b""), Fingerprint(0xcbf29ce484222325));
    assert_eq!(Fingerprint::of_bytes(b"a"), Fingerprint(0xaf63dc4c8601ec8c));
    assert_eq!(
        Fingerprint::of_bytes(b"foobar"),
        Fingerprint(0x85944171f73967e8)
    );
    let mut h = ContentHasher::new();
    h.update(b"foo");
    h.update(b"");
    h.update(b"bar");
    assert_eq!(h.finish(), Fingerprint::of_bytes(b"foobar"));
}

#[test]
fn head_fingerprint_depends_on_head_size_and_time_only() {
    let a = Fingerprint::of_head(PDF, 100, 7);
    assert_eq!(a, Fingerprint::of_head(&PDF[..HEAD_BYTES], 100, 7));
    assert_ne!(a, Fingerprint::of_head(PDF, 101, 7));
    assert_ne!(a, Fingerprint::of_head(PDF, 100, 8));
    assert_ne!(a, Fingerprint::of_head(b"%PDF-1.4", 100, 7));
}

#[test]
fn stream_check_matches_check_file_and_hashes_the_whole_content() {
    let mut content = PDF.to_vec();
    content.extend((0..5000u32).map(|i| (i % 251) as u8));
    let mut s = StreamCheck::new("scan.PDF").expect("pdf name");
    // Chunks smaller than the head, to prove the head is assembled across chunks.
    for chunk in content.chunks(3) {
        s.update(chunk).expect("under the limit");
    }
    assert_eq!(s.size(), content.len() as u64);
    let file = s.finish().expect("a pdf");
    assert_eq!(file.kind, Kind::Pdf);
    assert_eq!(file.size, content.len() as u64);
    assert_eq!(file.head, &content[..HEAD_BYTES]);
    assert_eq!(file.fingerprint, Fingerprint::of_bytes(&content));
    let mut batch = Batch::new();
    assert!(batch.offer(&file.candidate("scan.PDF")).is_ok());
    assert_eq!(
        batch.offer(&file.candidate("scan.PDF")),
        Err(Rejection::Duplicate)
    );
}

#[test]
fn stream_check_follows_the_order_of_checks() {
    assert_eq!(
        StreamCheck::new("run.exe").err(),
        Some(Rejection::UnsupportedFormat)
    );
    assert_eq!(
        StreamCheck::new("a.pdf").expect("pdf").finish(),
        Err(Rejection::Empty)
    );
    let mut s = StreamCheck::new("a.pdf").expect("pdf");
    s.update(EXE).expect("small");
    assert_eq!(s.finish(), Err(Rejection::ContentMismatch));
}

#[test]
fn stream_check_stops_at_the_first_byte_over_the_limit() {
    let chunk = vec![0u8; 1 << 20];
    let mut s = StreamCheck::new("big.zip").expect("zip");
    s.update(ZIP).expect("head");
    // Up to exactly 10 MiB is fine, even with a mismatching body after the head.
    let mut written = ZIP.len() as u64;
    while written + chunk.len() as u64 <= MAX_FILE_BYTES {
        s.update(&chunk).expect("within the limit");
        written += chunk.len() as u64;
    }
    let rest = (MAX_FILE_BYTES - written) as usize;
    s.update(&chunk[..rest]).expect("exactly at the limit");
    assert_eq!(s.size(), MAX_FILE_BYTES);
    let at_limit = s.clone().finish().expect("10 MiB is accepted");
    assert_eq!(at_limit.size, MAX_FILE_BYTES);
    assert_eq!(s.update(&[0]), Err(Rejection::TooLarge));
    assert_eq!(s.finish(), Err(Rejection::TooLarge));
}

#[test]
fn stream_too_large_wins_over_a_content_mismatch() {
    let mut s = StreamCheck::new("fake.pdf").expect("pdf");
    s.update(EXE).expect("head");
    let big = vec![0u8; MAX_FILE_BYTES as usize];
    assert_eq!(s.update(&big), Err(Rejection::TooLarge));
}

#[test]
fn display_constants_agree_with_the_policy() {
    // The accept attribute lists exactly the extensions the policy accepts, and the media types
    // of its image formats (for the phone's camera and photo library), nothing else.
    for entry in ACCEPT_ATTRIBUTE.split(',') {
        match entry.strip_prefix('.') {
            Some(bare) => assert!(Kind::from_extension(bare).is_some(), "{entry}"),
            None => assert!(
                Kind::ALL
                    .into_iter()
                    .any(|k| k.is_image() && k.mime_type() == entry),
                "{entry}"
            ),
        }
    }
    let images = Kind::ALL.into_iter().filter(|k| k.is_image());
    for kind in images {
        assert!(ACCEPT_ATTRIBUTE.split(',').any(|e| e == kind.mime_type()));
    }
    for kind in Kind::ALL {
        let listed = format!(".{}", kind.label());
        assert!(FORMATS_LIST.contains(&listed), "{listed}");
        assert!(
            ACCEPT_ATTRIBUTE
                .split(',')
                .filter_map(|e| e.strip_prefix('.'))
                .any(|e| Kind::from_extension(e) == Some(kind))
        );
    }
    assert_eq!(ACCEPT_ATTRIBUTE.split(',').count(), 10);
}
