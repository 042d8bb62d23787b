//! Streaming multipart uploads: text fields into memory (small, capped), files chunk by chunk
//! into `tmp/` while the domain attachment policy checks them.
//!
//! A staged file deletes itself when dropped uncommitted, so an error, a rejected file or a
//! client that hangs up mid-upload (the handler future is dropped) leaves nothing behind.
//! [`commit_files`] renames staged files into `files/` right before the database commit.

use crate::db::{NewAttachment, random_token};
use crate::error::{AppError, AppResult};
use crate::idempotency::Fnv64;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;
use domain::api::{MAX_FORM_PARTS, MAX_SHORT_FIELD_BYTES, MAX_TEXT_FIELD_BYTES, fields};
use domain::attachments::{Batch, Kind, StreamCheck, check_file_count, clean_file_name};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// A path under `tmp/` that is deleted when dropped, unless it was moved into `files/`.
#[derive(Debug)]
struct TempPath {
    path: PathBuf,
    committed: bool,
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A file written to `tmp/`, checked, not yet committed.
#[derive(Debug)]
pub struct StagedFile {
    pub id: String,
    pub name: String,
    pub size: u64,
    pub kind: Kind,
    /// FNV-1a of the bytes: part of the request fingerprint of idempotent requests.
    pub digest: u64,
    tmp: TempPath,
}

impl StagedFile {
    /// Stages bytes already in memory (the demo's generated files), as an upload would.
    pub fn from_bytes(tmp_dir: &Path, name: &str, bytes: &[u8]) -> AppResult<StagedFile> {
        let head = &bytes[..bytes.len().min(domain::attachments::HEAD_BYTES)];
        let kind = domain::attachments::check_file(name, bytes.len() as u64, head)
            .map_err(|r| AppError::rejected_file(r, name))?;
        let id = random_token(16)?;
        let tmp = TempPath {
            path: tmp_dir.join(format!("{id}.part")),
            committed: false,
        };
        std::fs::write(&tmp.path, bytes)?;
        let mut digest = Fnv64::default();
        digest.update(bytes);
        Ok(StagedFile {
            id,
            name: name.to_string(),
            size: bytes.len() as u64,
            kind,
            digest: digest.finish(),
            tmp,
        })
    }

    /// Where the bytes are until they are committed.
    pub fn path(&self) -> &Path {
        &self.tmp.path
    }

    pub fn attachment(&self) -> NewAttachment {
        NewAttachment {
            id: self.id.clone(),
            name: self.name.clone(),
            size: self.size,
            content_type: self.kind.mime_type().to_string(),
        }
    }
}

/// A parsed multipart body.
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: HashMap<String, String>,
    pub files: Vec<StagedFile>,
}

impl Upload {
    pub fn text(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

/// Maps a multipart stream error: body timeout → 408, size limit → 413, anything else (malformed body, client hung
/// up) → 400.
pub fn multipart_error(err: MultipartError) -> AppError {
    if crate::limits::is_body_timeout(&err) {
        return AppError::request_timeout();
    }
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::payload_too_large()
    } else {
        AppError::bad_request(crate::messages::unreadable_form(&err.body_text()))
    }
}

/// The byte cap of a text part: the comment fields hold up to a full comment, the others
/// (catalog ids) are short.
fn text_field_cap(name: &str) -> usize {
    if name == fields::COMMENT || name == fields::TEXT {
        MAX_TEXT_FIELD_BYTES
    } else {
        MAX_SHORT_FIELD_BYTES
    }
}

fn too_many_parts() -> AppError {
    AppError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        domain::api::codes::TOO_MANY_PARTS,
        crate::messages::too_many_parts(),
    )
    .field(fields::FILES)
}

/// Reads the whole multipart body. `text_fields` are kept (others ignored); parts named
/// `files` are streamed to `tmp_dir` and checked with the attachment policy one by one and as
/// a batch (duplicates, count, total). Every limit that needs no file content — parts, file
/// count, format, field sizes — is checked before the part is read, so a refused part writes
/// nothing.
pub async fn read_multipart(
    mut mp: Multipart,
    tmp_dir: &Path,
    text_fields: &[&str],
) -> AppResult<Upload> {
    let mut up = Upload::default();
    let mut batch = Batch::new();
    let mut parts = 0usize;
    while let Some(mut field) = mp.next_field().await.map_err(multipart_error)? {
        parts += 1;
        if parts > MAX_FORM_PARTS {
            return Err(too_many_parts());
        }
        let name = field.name().unwrap_or("").to_string();
        if name == fields::FILES {
            let raw = field.file_name().unwrap_or("").to_string();
            let file_name = clean_file_name(&raw);
            if file_name.is_empty() {
                // A plain HTML form with no file chosen still sends an empty, nameless part.
                let mut any = false;
                while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                    any |= !chunk.is_empty();
                }
                if any {
                    return Err(AppError::invalid(
                        "files",
                        crate::messages::FILE_WITHOUT_NAME,
                    ));
                }
                continue;
            }
            check_file_count(up.files.len(), 1)
                .map_err(|r| AppError::rejected_file(r, &file_name))?;
            let mut check =
                StreamCheck::new(&file_name).map_err(|r| AppError::rejected_file(r, &file_name))?;
            let id = random_token(16)?;
            // Created before the file so that any early return below removes it.
            let tmp = TempPath {
                path: tmp_dir.join(format!("{id}.part")),
                committed: false,
            };
            let mut out = tokio::fs::File::create(&tmp.path).await?;
            let mut digest = Fnv64::default();
            while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                check
                    .update(&chunk)
                    .map_err(|r| AppError::rejected_file(r, &file_name))?;
                digest.update(&chunk);
                out.write_all(&chunk).await?;
            }
            out.flush().await?;
            // On disk before the database commit that will point to it (see `commit_files`).
            out.sync_all().await?;
            drop(out);
            let streamed = check
                .finish()
                .map_err(|r| AppError::rejected_file(r, &file_name))?;
            batch
                .offer(&streamed.candidate(&file_name))
                .map_err(|r| AppError::rejected_file(r, &file_name))?;
            up.files.push(StagedFile {
                id,
                name: file_name,
                size: streamed.size,
                kind: streamed.kind,
                digest: digest.finish(),
                tmp,
            });
        } else if text_fields.contains(&name.as_str()) {
            if up.fields.contains_key(&name) {
                return Err(
                    AppError::bad_request(crate::messages::field_repeated(&name)).field(&name),
                );
            }
            let cap = text_field_cap(&name);
            let mut buf: Vec<u8> = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                if buf.len() + chunk.len() > cap {
                    return Err(field_too_large(&name));
                }
                buf.extend_from_slice(&chunk);
            }
            let text = String::from_utf8(buf).map_err(|_| {
                AppError::bad_request(crate::messages::field_not_utf8(&name)).field(&name)
            })?;
            up.fields.insert(name, text);
        } else {
            // Unknown part: read and drop it so the stream can go on.
            while field.chunk().await.map_err(multipart_error)?.is_some() {}
        }
    }
    Ok(up)
}

/// A text part past its cap: the comment fields say how long a comment may be, the short ones
/// are not what the form sends.
fn field_too_large(name: &str) -> AppError {
    if name == fields::COMMENT || name == fields::TEXT {
        AppError::comment(
            domain::api::CommentError::TooLong {
                chars: domain::api::MAX_COMMENT_CHARS + 1,
            },
            name,
        )
        .with_status(StatusCode::PAYLOAD_TOO_LARGE)
    } else {
        AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            domain::api::codes::PAYLOAD_TOO_LARGE,
            crate::messages::field_too_long(name),
        )
        .field(name)
    }
}

/// Moves staged files into `files/` under their generated ids. On failure the already moved
/// ones are removed again and the rest delete themselves on drop.
///
/// Called right before the database commit that references the files. Their bytes were synced
/// when they were staged; syncing `files/` here makes the renames durable too, so a crash after
/// the commit cannot leave a row pointing to a file the disk never got.
pub fn commit_files(files: &mut [StagedFile], files_dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut moved = Vec::new();
    for f in files.iter_mut() {
        let dest = files_dir.join(&f.id);
        if let Err(e) = std::fs::rename(&f.tmp.path, &dest) {
            remove_all(&moved);
            return Err(e);
        }
        f.tmp.committed = true;
        moved.push(dest);
    }
    if !moved.is_empty()
        && let Err(e) = sync_dir(files_dir)
    {
        remove_all(&moved);
        return Err(e);
    }
    Ok(moved)
}

/// Makes the directory's entries (renames into it) durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Elsewhere a directory cannot be opened for syncing; NTFS journals renames itself.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Best-effort removal (rollback of [`commit_files`]).
pub fn remove_all(paths: &[PathBuf]) {
    for p in paths {
        let _ = std::fs::remove_file(p);
    }
}
