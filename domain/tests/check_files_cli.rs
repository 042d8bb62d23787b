//! The `check_files` example on real files in a temporary directory: its checking function (the
//! example's own source, included as a module) and the command's output end to end.

#[path = "../examples/check_files.rs"]
mod check_files;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use domain::attachments::{MAX_FILE_BYTES, MAX_TOTAL_BYTES};

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("domain-check-files-{}-{tag}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        fs::write(&path, bytes).expect("write temp file");
        path
    }

    /// A file of `size` bytes starting with `head`, written sparsely so big files are cheap.
    fn write_sized(&self, name: &str, head: &[u8], size: u64) -> PathBuf {
        let path = self.0.join(name);
        let file = fs::File::create(&path).expect("create");
        file.set_len(size).expect("set_len");
        use std::io::Write;
        let mut file = file;
        file.write_all(head).expect("head");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn pdf(body: &str) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {body}\ntrailer << >>\n%%EOF\n")
        .into_bytes()
}

const PNG_HEAD: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
const JPEG_HEAD: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0,
];
const ZIP_HEAD: &[u8] = b"PK\x03\x04\x14\x00\x00\x00\x00\x00";
const EMPTY_ZIP: &[u8] = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
const OLE2_HEAD: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];
const EXE_HEAD: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff";

fn outcome(paths: &[PathBuf]) -> Vec<(String, Option<&'static str>)> {
    check_files::check_paths(paths)
        .into_iter()
        .map(|v| (v.name, v.error.map(|e| e.code())))
        .collect()
}

#[test]
fn every_rule_on_real_files() {
    let dir = TempDir::new("rules");
    let paths = vec![
        dir.write("invoice.pdf", &pdf("a")),
        dir.write("photo.JPEG", JPEG_HEAD),
        dir.write("screen.png", PNG_HEAD),
        dir.write("act.docx", ZIP_HEAD),
        dir.write("table.xlsx", EMPTY_ZIP),
        dir.write("old.xls", OLE2_HEAD),
        dir.write("setup.exe", EXE_HEAD),
        dir.write("fake.pdf", EXE_HEAD),
        dir.write("word97.docx", OLE2_HEAD),
        dir.write("empty.pdf", b""),
        dir.write_sized("exact.zip", ZIP_HEAD, MAX_FILE_BYTES),
        dir.write_sized("big.zip", ZIP_HEAD, MAX_FILE_BYTES + 1),
        dir.write("README", b"hello"),
    ];
    let got = outcome(&paths);
    let expected: Vec<(String, Option<&str>)> = [
        ("invoice.pdf", None),
        ("photo.JPEG", None),
        ("screen.png", None),
        ("act.docx", None),
        ("table.xlsx", None),
        ("old.xls", None),
        ("setup.exe", Some("unsupported_format")),
        ("fake.pdf", Some("content_mismatch")),
        ("word97.docx", Some("content_mismatch")),
        ("empty.pdf", Some("empty")),
        ("exact.zip", None),
        ("big.zip", Some("too_large")),
        ("README", Some("unsupported_format")),
    ]
    .into_iter()
    .map(|(n, e)| (n.to_owned(), e))
    .collect();
    assert_eq!(got, expected);
}

#[test]
fn duplicates_are_same_name_and_same_bytes_across_directories() {
    let dir = TempDir::new("dups");
    fs::create_dir_all(dir.0.join("copy")).expect("subdir");
    fs::create_dir_all(dir.0.join("other")).expect("subdir");
    let a = dir.write("invoice.pdf", &pdf("same"));
    let same = dir.write("copy/invoice.pdf", &pdf("same"));
    // Same name, same size, same head; differs only after the head.
    let differs = dir.write("other/invoice.pdf", &pdf("diff"));
    let renamed = dir.write("invoice-2.pdf", &pdf("same"));
    let got = outcome(&[a.clone(), same, differs, renamed, a]);
    let codes: Vec<Option<&str>> = got.iter().map(|(_, e)| *e).collect();
    assert_eq!(
        codes,
        [None, Some("duplicate"), None, None, Some("duplicate")]
    );
    assert!(got[..4].iter().all(|(n, _)| n.starts_with("invoice")));
}

#[test]
fn total_budget_with_the_later_smaller_file_rule() {
    let dir = TempDir::new("total");
    let mut paths: Vec<PathBuf> = (0..5)
        .map(|i| dir.write_sized(&format!("part{i}.zip"), ZIP_HEAD, MAX_FILE_BYTES))
        .collect();
    assert_eq!(5 * MAX_FILE_BYTES, MAX_TOTAL_BYTES);
    paths.push(dir.write("one-more-byte.pdf", b"%PDF-"));
    let got = outcome(&paths);
    let codes: Vec<Option<&str>> = got.iter().map(|(_, e)| *e).collect();
    assert_eq!(
        codes,
        [None, None, None, None, None, Some("total_too_large")]
    );

    // Four full files (10 MiB left), 6 MiB fits (4 MiB left), 5 MiB overflows, then a smaller
    // 3 MiB file and a tiny one still fit.
    let mut paths: Vec<PathBuf> = paths[..4].to_vec();
    paths.push(dir.write_sized("six-mib.zip", ZIP_HEAD, 6 << 20));
    paths.push(dir.write_sized("five-mib.zip", ZIP_HEAD, 5 << 20));
    paths.push(dir.write_sized("three-mib.zip", ZIP_HEAD, 3 << 20));
    paths.push(dir.write("tiny.png", PNG_HEAD));
    let codes: Vec<Option<&str>> = outcome(&paths).iter().map(|(_, e)| *e).collect();
    assert_eq!(
        codes,
        [
            None,
            None,
            None,
            None,
            None,
            Some("total_too_large"),
            None,
            None
        ]
    );
}

#[test]
fn missing_files_and_directories_are_unreadable() {
    let dir = TempDir::new("unreadable");
    fs::create_dir_all(dir.0.join("folder.pdf")).expect("subdir");
    let ok = dir.write("ok.pdf", &pdf("x"));
    let got = outcome(&[dir.0.join("missing.pdf"), dir.0.join("folder.pdf"), ok]);
    assert_eq!(
        got,
        [
            ("missing.pdf".to_owned(), Some("unreadable")),
            ("folder.pdf".to_owned(), Some("unreadable")),
            ("ok.pdf".to_owned(), None),
        ]
    );
}

#[test]
fn json_lines_have_the_documented_shape() {
    let verdicts = [
        check_files::Verdict {
            name: "a.pdf".to_owned(),
            error: None,
        },
        check_files::Verdict {
            name: "say \"hi\".pdf".to_owned(),
            error: Some(domain::attachments::Rejection::ContentMismatch),
        },
    ];
    assert_eq!(
        verdicts[0].json_line(),
        r#"{"name": "a.pdf", "accepted": true, "error": null}"#
    );
    assert_eq!(
        verdicts[1].json_line(),
        r#"{"name": "say \"hi\".pdf", "accepted": false, "error": "content_mismatch"}"#
    );
    for v in &verdicts {
        let parsed: serde_json::Value = serde_json::from_str(&v.json_line()).expect("json");
        assert_eq!(parsed["name"], v.name.as_str());
    }
}

/// The built command itself: cargo builds examples next to the test binaries
/// (`target/<profile>/examples/`). When that binary is missing (e.g. `--test check_files_cli`
/// alone does not build examples), build it with the same cargo first.
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    // target/<profile>/deps/check_files_cli-HASH → target/<profile>/examples/check_files
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    let bin = profile_dir
        .join("examples")
        .join(format!("check_files{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let release = profile_dir.file_name().is_some_and(|p| p == "release");
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "-q", "-p", "domain", "--example", "check_files"]);
        if release {
            cmd.arg("--release");
        }
        let status = cmd.status().expect("run cargo");
        assert!(status.success(), "building the example failed");
    }
    bin
}

#[test]
fn the_command_prints_one_json_line_per_argument() {
    let dir = TempDir::new("command");
    let good = dir.write("invoice.pdf", &pdf("cmd"));
    let fake = dir.write("fake.pdf", EXE_HEAD);
    let output = Command::new(example_binary())
        .arg(&good)
        .arg(&fake)
        .arg(dir.0.join("missing.zip"))
        .arg(&good)
        .output()
        .expect("run check_files");
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            r#"{"name": "invoice.pdf", "accepted": true, "error": null}"#,
            r#"{"name": "fake.pdf", "accepted": false, "error": "content_mismatch"}"#,
            r#"{"name": "missing.zip", "accepted": false, "error": "unreadable"}"#,
            r#"{"name": "invoice.pdf", "accepted": false, "error": "duplicate"}"#,
        ]
    );
}
