//! The binary's command line: `--dump-openapi`, duration parsing, env variables.

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_seller-support-server"))
}

#[test]
fn dump_openapi_writes_the_served_document() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openapi.json");
    let out = bin().arg("--dump-openapi").arg(&path).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, seller_support_server::openapi::document_json());
}

#[test]
fn bad_flags_and_env_values_are_refused() {
    let out = bin().args(["--auto-close-after", "3x"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown unit"));
    let out = bin()
        .env("SUPPORT_ADDR", "not-an-address")
        .arg("--dump-openapi")
        .arg("/dev/null")
        .output()
        .unwrap();
    assert!(!out.status.success(), "env values are parsed like flags");
    // Only the two backends; a typo fails at the flag, not at the first request.
    let out = bin()
        .env("SUPPORT_DATABASE", "mysql://db/support")
        .arg("--dump-openapi")
        .arg("/dev/null")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected sqlite://PATH or postgres://"));
    let help = bin().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--addr",
        "--data",
        "--dist",
        "--demo",
        "--auto-close-after",
        "--agent-token",
        "--secure-cookie",
        "--no-rate-limits",
        "--header-read-timeout",
        "--body-idle-timeout",
        "--body-deadline",
        "--max-concurrent-requests",
        "--min-free-disk-mib",
        "--database",
        "--database-pool",
    ] {
        assert!(help.contains(flag), "{flag}");
    }
    assert!(help.contains("SUPPORT_AUTO_CLOSE_AFTER"));
    assert!(help.contains("SUPPORT_SECURE_COOKIE"));
    assert!(help.contains("SUPPORT_DATABASE"));
}
