//! `Idempotency-Key` on `POST /api/dialogs` and `POST /api/dialogs/{id}/messages`.
//!
//! The dialog a (seller, key) answered with is stored in the same transaction as what the
//! request created, and a repeat of the same request with the same key gets the answer again
//! (201, built from that dialog) and changes nothing: a double click or a retry after a lost
//! response is harmless. Only the id is kept, not a copy of the response, and a key expires
//! after [`KEY_TTL_MS`] (24 h; the periodic purge deletes it).
//! The same key with a *different* request (another text, other files, another dialog, or a
//! reply with a key that created a dialog) is refused with 422 `idempotency_key_reused` instead
//! of answering with the result of something the client did not send this time.
//!
//! "The same request" is decided by a fingerprint ([`RequestHash`]) over what the request would
//! store: the endpoint, the dialog, the text fields as stored, and every file's name, size and
//! bytes. It is FNV-1a: not a defence against anyone (a seller can only collide with their own
//! requests), just a stable, dependency-free, chunking-independent digest.

use crate::error::{AppError, AppResult};
use axum::http::{HeaderMap, StatusCode};
use domain::api::{IDEMPOTENCY_KEY_HEADER, MAX_IDEMPOTENCY_KEY_LEN};

/// Error code of a key reused for a different request.
pub const KEY_REUSED: &str = domain::api::codes::IDEMPOTENCY_KEY_REUSED;

/// The `Idempotency-Key` header: `None` when absent, 400 when malformed.
pub fn key(headers: &HeaderMap) -> AppResult<Option<String>> {
    let Some(v) = headers.get(IDEMPOTENCY_KEY_HEADER) else {
        return Ok(None);
    };
    let ok = v.as_bytes();
    if ok.is_empty()
        || ok.len() > MAX_IDEMPOTENCY_KEY_LEN
        || !ok.iter().all(|b| (0x21..=0x7e).contains(b))
    {
        return Err(
            AppError::bad_request(crate::messages::bad_idempotency_key())
                .field(IDEMPOTENCY_KEY_HEADER),
        );
    }
    Ok(Some(String::from_utf8_lossy(ok).into_owned()))
}

/// 422: the key was first used for a different request.
pub fn key_reused() -> AppError {
    AppError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        KEY_REUSED,
        crate::messages::IDEMPOTENCY_KEY_REUSED,
    )
    .field(IDEMPOTENCY_KEY_HEADER)
}

/// How long a key is remembered: 24 h, in milliseconds. Retries of a lost response come
/// within seconds or minutes; a day covers a laptop closed overnight mid-send.
pub const KEY_TTL_MS: i64 = 24 * 3600 * 1000;

/// What request a key was used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Create,
    Reply,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Create => "create",
            Kind::Reply => "reply",
        }
    }
}

/// An earlier request under a key: the dialog it created or replied to, and the fingerprint of
/// the request (`None` for rows stored before fingerprints existed: those were all dialog
/// creations).
#[derive(Debug, Clone)]
pub struct Stored {
    pub dialog_id: u64,
    pub kind: Kind,
    pub request_hash: Option<String>,
}

/// What a request of `kind` with an already used key gets: the dialog to answer with when it is
/// the same request, [`key_reused`] otherwise. A row without a fingerprint counts as the same
/// request only for dialog creation, the only kind such rows can be.
pub fn replay(stored: Option<Stored>, kind: Kind, request_hash: &str) -> AppResult<Option<u64>> {
    match stored {
        None => Ok(None),
        Some(s)
            if s.kind == kind
                && s.request_hash
                    .as_deref()
                    .map_or(kind == Kind::Create, |h| h == request_hash) =>
        {
            Ok(Some(s.dialog_id))
        }
        Some(_) => Err(key_reused()),
    }
}

/// FNV-1a, 64 bits.
#[derive(Debug, Clone, Copy)]
pub struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    pub fn update(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds the fingerprint of a request from its parts, each one length-prefixed so that
/// `("ab", "c")` and `("a", "bc")` differ.
#[derive(Debug, Default, Clone)]
pub struct RequestHash(Fnv64);

impl RequestHash {
    /// Starts a fingerprint for an endpoint (`"create"`, `"reply"`).
    pub fn new(endpoint: &str) -> RequestHash {
        let mut h = RequestHash::default();
        h.part(endpoint.as_bytes());
        h
    }

    pub fn part(&mut self, bytes: &[u8]) -> &mut RequestHash {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// A file: its stored name, size and the digest of its bytes.
    pub fn file(&mut self, name: &str, size: u64, digest: u64) -> &mut RequestHash {
        self.part(name.as_bytes())
            .part(&size.to_le_bytes())
            .part(&digest.to_le_bytes())
    }

    /// Hex, as stored in `idempotency.request_hash`.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.0.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference_values() {
        let h = |s: &[u8]| {
            let mut f = Fnv64::default();
            f.update(s);
            f.finish()
        };
        assert_eq!(h(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(h(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(h(b"foobar"), 0x8594_4171_f739_67e8);
        // Chunking does not matter.
        let mut f = Fnv64::default();
        f.update(b"foo");
        f.update(b"bar");
        assert_eq!(f.finish(), h(b"foobar"));
    }

    #[test]
    fn parts_are_delimited() {
        let a = RequestHash::new("reply").part(b"ab").part(b"c").hex();
        let b = RequestHash::new("reply").part(b"a").part(b"bc").hex();
        let c = RequestHash::new("create").part(b"ab").part(b"c").hex();
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, RequestHash::new("reply").part(b"ab").part(b"c").hex());
    }

    #[test]
    fn replay_or_conflict() {
        let stored = |kind: Kind, h: Option<&str>| {
            Some(Stored {
                dialog_id: 12_345_678,
                kind,
                request_hash: h.map(str::to_string),
            })
        };
        assert_eq!(replay(None, Kind::Create, "x").unwrap(), None);
        assert_eq!(
            replay(stored(Kind::Reply, Some("x")), Kind::Reply, "x").unwrap(),
            Some(12_345_678)
        );
        let e = replay(stored(Kind::Create, Some("y")), Kind::Create, "x").unwrap_err();
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.body.code, KEY_REUSED);
        assert!(
            replay(stored(Kind::Create, None), Kind::Create, "x")
                .unwrap()
                .is_some()
        );
        assert!(replay(stored(Kind::Reply, None), Kind::Reply, "x").is_err());
        assert!(replay(stored(Kind::Create, Some("x")), Kind::Reply, "x").is_err());
    }
}
