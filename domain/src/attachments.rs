//! The attachment policy: which files a seller may attach to a dialog, written down once for the
//! browser (the drop zone) and the server (the upload handler).
//!
//! # Rules
//! - Formats: `.docx .xls .xlsx .pdf .jpg/.jpeg .png .zip`, extension compared case-insensitively.
//! - At most [`MAX_FILE_BYTES`] (10 MiB) a file, [`MAX_TOTAL_BYTES`] (50 MiB) and [`MAX_FILES`]
//!   (20) files in all.
//! - The content must match the extension, judged from the first [`HEAD_BYTES`] bytes only.
//! - Checks per file, in this order: [`Rejection::UnsupportedFormat`], [`Rejection::Empty`],
//!   [`Rejection::TooLarge`], [`Rejection::ContentMismatch`], [`Rejection::Duplicate`],
//!   [`Rejection::TooManyFiles`], [`Rejection::TotalTooLarge`].
//! - File names are cleaned with [`clean_file_name`] before any check (directories, control and
//!   format characters such as U+202E dropped), by the browser and the server alike.
//! - A batch is checked in order: files are accepted while the total fits; a file that would
//!   overflow is rejected and later, smaller files that still fit are accepted.
//!
//! # Callers
//! - Single file, no state: [`check_file`] (`name`, `size`, the head bytes) → the [`Kind`].
//! - A batch: [`Batch::offer`] with a [`Candidate`]; the batch remembers the accepted files, their
//!   total and identities (for `duplicate`).
//! - A server streaming an upload to disk: [`StreamCheck`] takes the chunks as they arrive, stops
//!   early on `too_large`, hashes the whole content and yields the [`Candidate`] data at the end.
//!
//! # What "duplicate" means
//! The rule is "same name and same bytes as a file already accepted". The identity of a file is
//! its name (exact, case-sensitive), its size and a [`Fingerprint`] of its content supplied by the
//! caller:
//! - the server (and the `check_files` example) hash the whole content with [`ContentHasher`]
//!   while reading it anyway, so for them the rule is exact up to a 64-bit hash collision;
//! - the browser must not read whole files just to check them, so it uses
//!   [`Fingerprint::of_head`] over the head bytes, the size and the file's `lastModified`: picking
//!   the same file twice is caught, and the server, which sees all bytes, stays the authority.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The largest accepted file: 10 MiB.
pub const MAX_FILE_BYTES: u64 = 10_485_760;

/// The largest accepted total of all files of one message: 50 MiB.
pub const MAX_TOTAL_BYTES: u64 = 52_428_800;

/// The most files one message may carry. The drop zone refuses the 21st before anything is
/// uploaded, and the server refuses a request with more before it writes any file.
pub const MAX_FILES: usize = 20;

/// Longest kept file name, in characters (after [`clean_file_name`]).
pub const MAX_FILE_NAME_CHARS: usize = 255;

/// How many leading bytes content sniffing needs (the longest signature, PNG and OLE2, is 8
/// bytes). The browser slices exactly this many with `Blob.slice(0, HEAD_BYTES)`.
pub const HEAD_BYTES: usize = 8;

/// The value of the `accept` attribute of the drop zone's `<input type="file">`: the extensions,
/// then the image formats' media types, which make phones offer the camera and the photo library
/// beside the file browser (the formats stay the same).
pub const ACCEPT_ATTRIBUTE: &str =
    ".docx,.xls,.xlsx,.pdf,.jpg,.jpeg,.png,.zip,image/jpeg,image/png";

/// The formats as the cabinet lists them (without the «Форматы:» prefix).
pub const FORMATS_LIST: &str = ".DOCX, .XLS, .XLSX, .PDF, .JPG, .PNG, .ZIP";

/// An accepted kind of file, decided by the extension and confirmed by the content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Word document (Office Open XML, a ZIP container).
    Docx,
    /// Legacy Excel workbook (an OLE2 compound file).
    Xls,
    /// Excel workbook (Office Open XML, a ZIP container).
    Xlsx,
    /// PDF document.
    Pdf,
    /// JPEG image (`.jpg` or `.jpeg`).
    Jpeg,
    /// PNG image.
    Png,
    /// ZIP archive.
    Zip,
}

const PDF_MAGIC: &[u8] = b"%PDF-";
const PNG_MAGIC: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];
const ZIP_LOCAL_FILE_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_ARCHIVE_MAGIC: &[u8] = b"PK\x05\x06";
const OLE2_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

impl Kind {
    /// Every kind, in the order the cabinet lists the formats.
    pub const ALL: [Kind; 7] = [
        Kind::Docx,
        Kind::Xls,
        Kind::Xlsx,
        Kind::Pdf,
        Kind::Jpeg,
        Kind::Png,
        Kind::Zip,
    ];

    /// The kind named by the extension of `file_name` (the part after the last dot),
    /// case-insensitively; `None` for other extensions and for names without one.
    pub fn from_file_name(file_name: &str) -> Option<Kind> {
        let (_, ext) = file_name.rsplit_once('.')?;
        Kind::from_extension(ext)
    }

    /// The kind for an extension without its dot (`"PDF"`, `"jpeg"`), case-insensitively.
    pub fn from_extension(ext: &str) -> Option<Kind> {
        const TABLE: [(&str, Kind); 8] = [
            ("docx", Kind::Docx),
            ("xls", Kind::Xls),
            ("xlsx", Kind::Xlsx),
            ("pdf", Kind::Pdf),
            ("jpg", Kind::Jpeg),
            ("jpeg", Kind::Jpeg),
            ("png", Kind::Png),
            ("zip", Kind::Zip),
        ];
        TABLE
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(ext))
            .map(|&(_, kind)| kind)
    }

    /// The format's name as the cabinet writes it: `"PDF"`, `"JPG"`, `"DOCX"`.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Docx => "DOCX",
            Kind::Xls => "XLS",
            Kind::Xlsx => "XLSX",
            Kind::Pdf => "PDF",
            Kind::Jpeg => "JPG",
            Kind::Png => "PNG",
            Kind::Zip => "ZIP",
        }
    }

    /// The media type to store and serve the file with.
    pub fn mime_type(self) -> &'static str {
        match self {
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Xls => "application/vnd.ms-excel",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Kind::Pdf => "application/pdf",
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Zip => "application/zip",
        }
    }

    /// Whether the browser can show a thumbnail of it.
    pub fn is_image(self) -> bool {
        matches!(self, Kind::Jpeg | Kind::Png)
    }

    /// Whether `head` (the first bytes of the content; extra bytes are ignored) starts with this
    /// kind's signature. Office Open XML files are ZIP containers, so `.docx`/`.xlsx` only need
    /// the ZIP header: looking inside the archive would need more than the first bytes.
    pub fn head_matches(self, head: &[u8]) -> bool {
        match self {
            Kind::Pdf => head.starts_with(PDF_MAGIC),
            Kind::Png => head.starts_with(PNG_MAGIC),
            Kind::Jpeg => head.starts_with(JPEG_MAGIC),
            Kind::Zip | Kind::Docx | Kind::Xlsx => {
                head.starts_with(ZIP_LOCAL_FILE_MAGIC) || head.starts_with(ZIP_EMPTY_ARCHIVE_MAGIC)
            }
            Kind::Xls => head.starts_with(OLE2_MAGIC),
        }
    }
}

/// Why a file was not accepted. Serialized as its [`code`](Rejection::code) (`"too_large"`).
///
/// The variants are declared in the order the checks run; [`Rejection::Unreadable`] is not a
/// policy check but the caller's report that it could not read the file at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    /// The extension is not one of the allowed formats (or there is none).
    UnsupportedFormat,
    /// The file has no bytes.
    Empty,
    /// The file is larger than [`MAX_FILE_BYTES`].
    TooLarge,
    /// The first bytes do not match the extension (e.g. an executable renamed to `.pdf`).
    ContentMismatch,
    /// A file with the same name and the same content was already accepted.
    Duplicate,
    /// The message already carries [`MAX_FILES`] files.
    TooManyFiles,
    /// Accepting the file would take the total over [`MAX_TOTAL_BYTES`].
    TotalTooLarge,
    /// The caller could not read the file (missing, a directory, no permission, a browser read
    /// error). Produced by callers, never by the checks here.
    Unreadable,
}

impl Rejection {
    /// Every rejection, policy checks in their order, then `Unreadable`.
    pub const ALL: [Rejection; 8] = [
        Rejection::UnsupportedFormat,
        Rejection::Empty,
        Rejection::TooLarge,
        Rejection::ContentMismatch,
        Rejection::Duplicate,
        Rejection::TooManyFiles,
        Rejection::TotalTooLarge,
        Rejection::Unreadable,
    ];

    /// The stable snake_case code used on the wire, in the CLI and in tests.
    pub fn code(self) -> &'static str {
        match self {
            Rejection::UnsupportedFormat => "unsupported_format",
            Rejection::Empty => "empty",
            Rejection::TooLarge => "too_large",
            Rejection::ContentMismatch => "content_mismatch",
            Rejection::Duplicate => "duplicate",
            Rejection::TooManyFiles => "too_many_files",
            Rejection::TotalTooLarge => "total_too_large",
            Rejection::Unreadable => "unreadable",
        }
    }

    /// The rejection for a code (as sent by the server), `None` for an unknown code.
    pub fn from_code(code: &str) -> Option<Rejection> {
        Rejection::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The HTTP status the server answers with: 413 for size limits, 415 for the format and the
    /// content, 422 for the rest. The browser maps these back with [`Rejection::from_code`] on the
    /// body's code, so the seller reads the same message either way.
    pub fn http_status(self) -> u16 {
        match self {
            Rejection::TooLarge | Rejection::TotalTooLarge => 413,
            Rejection::UnsupportedFormat | Rejection::ContentMismatch => 415,
            Rejection::Empty
            | Rejection::Duplicate
            | Rejection::TooManyFiles
            | Rejection::Unreadable => 422,
        }
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::error::Error for Rejection {}

/// Checks one file on its own: format, emptiness, size, content. `head` holds the first bytes
/// of the content (at least [`HEAD_BYTES`] of them when the file is that long; extra bytes are
/// ignored). Batch rules (`duplicate`, `total_too_large`) need a [`Batch`].
pub fn check_file(name: &str, size: u64, head: &[u8]) -> Result<Kind, Rejection> {
    let kind = Kind::from_file_name(name).ok_or(Rejection::UnsupportedFormat)?;
    if size == 0 {
        return Err(Rejection::Empty);
    }
    if size > MAX_FILE_BYTES {
        return Err(Rejection::TooLarge);
    }
    if !kind.head_matches(head) {
        return Err(Rejection::ContentMismatch);
    }
    Ok(kind)
}

/// The file count rule on its own: `Ok` while a message with `already` files may take `adding`
/// more. The drop zone checks a whole drop with it before reading any file; [`Batch::offer`]
/// applies the same rule file by file.
pub fn check_file_count(already: usize, adding: usize) -> Result<(), Rejection> {
    if already.saturating_add(adding) > MAX_FILES {
        Err(Rejection::TooManyFiles)
    } else {
        Ok(())
    }
}

/// The name a file is kept and shown under: only the last path component (some browsers send
/// `C:\dir\name.pdf`), without control characters and without invisible format characters —
/// bidi overrides and isolates (U+202E turns `gpj.exe` around), zero-width characters, BOM,
/// soft hyphen — which could make a name read as something it is not; trimmed and capped at
/// [`MAX_FILE_NAME_CHARS`]. Empty when nothing is left.
pub fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let kept: String = base
        .chars()
        .filter(|&c| !c.is_control() && !is_format_char(c))
        .collect();
    kept.trim().chars().take(MAX_FILE_NAME_CHARS).collect()
}

/// Unicode format characters (general category Cf) that can appear in a name typed or pasted
/// on a desktop; the full table would cost the wasm app bytes for scripts nobody names files in.
fn is_format_char(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// A 64-bit content fingerprint, the "same bytes" part of a file's identity (see the module
/// docs for what each caller puts in it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fingerprint(pub u64);

impl Fingerprint {
    /// The fingerprint of a whole content held in memory.
    pub fn of_bytes(bytes: &[u8]) -> Fingerprint {
        let mut hasher = ContentHasher::new();
        hasher.update(bytes);
        hasher.finish()
    }

    /// The browser's cheap fingerprint: the head bytes, the size and `extra` (the file's
    /// `lastModified` in milliseconds). Equal for the same file picked twice; it cannot tell
    /// apart two files that differ only after the head and share name, size and time.
    pub fn of_head(head: &[u8], size: u64, extra: u64) -> Fingerprint {
        let mut hasher = ContentHasher::new();
        hasher.update(&head[..head.len().min(HEAD_BYTES)]);
        hasher.update(&size.to_le_bytes());
        hasher.update(&extra.to_le_bytes());
        hasher.finish()
    }
}

/// FNV-1a, 64 bit: a tiny streaming hash for [`Fingerprint`]s. Not cryptographic: it detects an
/// accidental re-upload, not a crafted collision.
#[derive(Clone, Debug)]
pub struct ContentHasher {
    state: u64,
}

const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl ContentHasher {
    /// A hasher that has seen no bytes.
    pub fn new() -> ContentHasher {
        ContentHasher {
            state: FNV_OFFSET_BASIS,
        }
    }

    /// Feeds the next bytes of the content.
    pub fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.state ^= u64::from(b);
            self.state = self.state.wrapping_mul(FNV_PRIME);
        }
    }

    /// The fingerprint of everything fed so far.
    pub fn finish(&self) -> Fingerprint {
        Fingerprint(self.state)
    }
}

impl Default for ContentHasher {
    fn default() -> Self {
        ContentHasher::new()
    }
}

/// What a caller knows about one file it offers to a [`Batch`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate<'a> {
    /// The file name only (no directories), as the seller sees it.
    pub name: &'a str,
    /// The size in bytes.
    pub size: u64,
    /// The first bytes of the content ([`HEAD_BYTES`] of them, fewer only for shorter files).
    pub head: &'a [u8],
    /// The content fingerprint (see the module docs).
    pub fingerprint: Fingerprint,
}

/// The identity used by the `duplicate` rule: same name, same size, same fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileIdentity {
    /// The file name, compared exactly.
    pub name: String,
    /// The size in bytes.
    pub size: u64,
    /// The content fingerprint.
    pub fingerprint: Fingerprint,
}

/// A file a [`Batch`] accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedFile {
    /// Name, size and fingerprint.
    pub identity: FileIdentity,
    /// The confirmed kind.
    pub kind: Kind,
}

impl AcceptedFile {
    /// The file name.
    pub fn name(&self) -> &str {
        &self.identity.name
    }

    /// The size in bytes.
    pub fn size(&self) -> u64 {
        self.identity.size
    }
}

/// The files of one message accepted so far, with their total: offer files in the order the
/// seller added them. Removing a file gives its bytes back to the budget.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Batch {
    accepted: Vec<AcceptedFile>,
    /// The identities of `accepted`, so the duplicate check does not walk every accepted file.
    identities: HashSet<FileIdentity>,
    total: u64,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Runs every check on `candidate` in the policy's order and, when it passes, adds it to the
    /// batch. A rejected file leaves the batch unchanged, so later smaller files may still fit.
    pub fn offer(&mut self, candidate: &Candidate<'_>) -> Result<AcceptedFile, Rejection> {
        let kind = check_file(candidate.name, candidate.size, candidate.head)?;
        let identity = FileIdentity {
            name: candidate.name.to_owned(),
            size: candidate.size,
            fingerprint: candidate.fingerprint,
        };
        if self.identities.contains(&identity) {
            return Err(Rejection::Duplicate);
        }
        check_file_count(self.accepted.len(), 1)?;
        // check_file bounds the size by MAX_FILE_BYTES and the total stays within
        // MAX_TOTAL_BYTES, so this sum cannot overflow; saturating keeps that obvious.
        if self.total.saturating_add(candidate.size) > MAX_TOTAL_BYTES {
            return Err(Rejection::TotalTooLarge);
        }
        self.identities.insert(identity.clone());
        let file = AcceptedFile { identity, kind };
        self.total += candidate.size;
        self.accepted.push(file.clone());
        Ok(file)
    }

    /// Removes an accepted file; `false` when no such file is in the batch.
    pub fn remove(&mut self, identity: &FileIdentity) -> bool {
        if !self.identities.remove(identity) {
            return false;
        }
        match self.accepted.iter().position(|a| &a.identity == identity) {
            Some(index) => {
                let file = self.accepted.remove(index);
                self.total -= file.identity.size;
                true
            }
            None => false,
        }
    }

    /// The accepted files, in the order they were accepted.
    pub fn accepted(&self) -> &[AcceptedFile] {
        &self.accepted
    }

    /// The bytes accepted so far.
    pub fn total_bytes(&self) -> u64 {
        self.total
    }

    /// How many more files the batch takes under [`MAX_FILES`].
    pub fn remaining_files(&self) -> usize {
        MAX_FILES.saturating_sub(self.accepted.len())
    }

    /// The bytes still available under [`MAX_TOTAL_BYTES`].
    pub fn remaining_bytes(&self) -> u64 {
        MAX_TOTAL_BYTES - self.total
    }
}

/// Checks a whole batch at once: one result per candidate, in order.
pub fn check_batch<'a>(
    candidates: impl IntoIterator<Item = Candidate<'a>>,
) -> Vec<Result<AcceptedFile, Rejection>> {
    let mut batch = Batch::new();
    candidates.into_iter().map(|c| batch.offer(&c)).collect()
}

/// Checks one upload while it streams in (the server writes the chunks to disk meanwhile):
/// the format is known from the name before the first byte, `too_large` as soon as the limit is
/// passed, and the head and the full-content fingerprint at the end.
#[derive(Clone, Debug)]
pub struct StreamCheck {
    kind: Kind,
    head: [u8; HEAD_BYTES],
    head_len: usize,
    size: u64,
    hasher: ContentHasher,
}

/// The result of a finished [`StreamCheck`]: everything a [`Candidate`] needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamedFile {
    /// The kind confirmed by the content.
    pub kind: Kind,
    /// The size in bytes.
    pub size: u64,
    /// The head bytes (fewer than [`HEAD_BYTES`] only for shorter files).
    pub head: Vec<u8>,
    /// The fingerprint of the whole content.
    pub fingerprint: Fingerprint,
}

impl StreamCheck {
    /// Starts checking a file called `name`; fails with `unsupported_format` before any byte.
    pub fn new(name: &str) -> Result<StreamCheck, Rejection> {
        let kind = Kind::from_file_name(name).ok_or(Rejection::UnsupportedFormat)?;
        Ok(StreamCheck {
            kind,
            head: [0; HEAD_BYTES],
            head_len: 0,
            size: 0,
            hasher: ContentHasher::new(),
        })
    }

    /// Takes the next chunk. Fails with `too_large` as soon as the file passes
    /// [`MAX_FILE_BYTES`]: the caller may stop reading and delete what it wrote, since
    /// `too_large` comes before every check that would need more bytes.
    pub fn update(&mut self, chunk: &[u8]) -> Result<(), Rejection> {
        let take = (HEAD_BYTES - self.head_len).min(chunk.len());
        self.head[self.head_len..self.head_len + take].copy_from_slice(&chunk[..take]);
        self.head_len += take;
        self.size = self.size.saturating_add(chunk.len() as u64);
        if self.size > MAX_FILE_BYTES {
            return Err(Rejection::TooLarge);
        }
        self.hasher.update(chunk);
        Ok(())
    }

    /// The bytes seen so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Ends the stream: the per-file checks in the policy's order. Offer the result to a
    /// [`Batch`] (as a [`Candidate`]) for `duplicate` and `total_too_large`.
    pub fn finish(self) -> Result<StreamedFile, Rejection> {
        if self.size == 0 {
            return Err(Rejection::Empty);
        }
        if self.size > MAX_FILE_BYTES {
            return Err(Rejection::TooLarge);
        }
        let head = &self.head[..self.head_len];
        if !self.kind.head_matches(head) {
            return Err(Rejection::ContentMismatch);
        }
        Ok(StreamedFile {
            kind: self.kind,
            size: self.size,
            head: head.to_vec(),
            fingerprint: self.hasher.finish(),
        })
    }
}

impl StreamedFile {
    /// The candidate to offer to a [`Batch`] under `name`.
    pub fn candidate<'a>(&'a self, name: &'a str) -> Candidate<'a> {
        Candidate {
            name,
            size: self.size,
            head: &self.head,
            fingerprint: self.fingerprint,
        }
    }
}
