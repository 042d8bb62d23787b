//! Checks real files against the attachment policy, as one batch in argument order.
//!
//! ```text
//! cargo run -q --release -p domain --example check_files -- FILE...
//! ```
//!
//! Prints one JSON line per argument:
//! `{"name": "<file name>", "accepted": true|false, "error": null|"<code>"}`. Sniffing reads only
//! the first `HEAD_BYTES` bytes; a file that passes the per-file checks is then hashed in full, so
//! `duplicate` means "same name and same bytes". A file that cannot be read (missing, a directory,
//! no permission) gets the code `unreadable` and does not count toward the batch.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use domain::attachments::{
    Batch, Candidate, ContentHasher, Fingerprint, HEAD_BYTES, Rejection, check_file,
};

/// The verdict on one argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The file name component of the argument (the argument itself if it has none).
    pub name: String,
    /// `None` when accepted.
    pub error: Option<Rejection>,
}

impl Verdict {
    /// The JSON line the command prints for it.
    pub fn json_line(&self) -> String {
        let error = match self.error {
            Some(r) => format!("\"{}\"", r.code()),
            None => "null".to_owned(),
        };
        // serde_json escapes quotes, backslashes and control characters in odd file names.
        let name = serde_json::to_string(&self.name).unwrap_or_else(|_| "\"\"".to_owned());
        format!(
            "{{\"name\": {name}, \"accepted\": {}, \"error\": {error}}}",
            self.error.is_none()
        )
    }
}

/// Checks `paths` as one batch, in order.
pub fn check_paths<P: AsRef<Path>>(paths: &[P]) -> Vec<Verdict> {
    let mut batch = Batch::new();
    paths
        .iter()
        .map(|path| {
            let path = path.as_ref();
            let name = path
                .file_name()
                .unwrap_or(path.as_os_str())
                .to_string_lossy()
                .into_owned();
            let error = check_one(&mut batch, path, &name).err();
            Verdict { name, error }
        })
        .collect()
}

fn check_one(batch: &mut Batch, path: &Path, name: &str) -> Result<(), Rejection> {
    let (size, head) = read_size_and_head(path).map_err(|_| Rejection::Unreadable)?;
    // The per-file checks need only the head; hashing the whole file is left for files that
    // pass them, so an 11 MiB or renamed file is never read in full.
    check_file(name, size, &head)?;
    let fingerprint = hash_file(path).map_err(|_| Rejection::Unreadable)?;
    batch
        .offer(&Candidate {
            name,
            size,
            head: &head,
            fingerprint,
        })
        .map(|_| ())
}

fn read_size_and_head(path: &Path) -> io::Result<(u64, Vec<u8>)> {
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    let mut head = Vec::with_capacity(HEAD_BYTES);
    file.take(HEAD_BYTES as u64).read_to_end(&mut head)?;
    Ok((meta.len(), head))
}

fn hash_file(path: &Path) -> io::Result<Fingerprint> {
    let mut file = File::open(path)?;
    let mut hasher = ContentHasher::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(hasher.finish());
        }
        hasher.update(&buf[..n]);
    }
}

#[allow(dead_code)] // the test includes this file as a module and calls `check_paths` only
fn main() {
    let paths: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for verdict in check_paths(&paths) {
        // A closed pipe (e.g. `| head`) is not worth a panic.
        if writeln!(out, "{}", verdict.json_line()).is_err() {
            return;
        }
    }
    let _ = out.flush();
}
