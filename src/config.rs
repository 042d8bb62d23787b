//! Runtime configuration: how a deployer points the built app at its API without rebuilding.
//!
//! Sources, later ones overriding earlier ones:
//! 1. built-in defaults (same-origin API, app at `/`, Russian, cookie sessions);
//! 2. a `window.SELLER_SUPPORT_CONFIG` object: `boot.js` fills it with, in rising order, the
//!    directory it was loaded from as `basePath` (so a `--public-url /support/` build routes under
//!    `/support` by itself), `config.json` next to it, and the host page's own object;
//! 3. `data-` attributes on the host element (`<div id="seller-support" data-api-base="...">`).
//!
//! The locale the seller picked with the switch (localStorage) wins over all of them.

use crate::i18n::Locale;
use wasm_bindgen::{JsCast, JsValue};

/// How API requests prove who the seller is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// The session cookie travels with every request (`credentials: include`).
    Cookie,
    /// The host page hands over a token that goes in `Authorization: Bearer ...`.
    Bearer(String),
}

/// Everything the app needs to know about where it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Prefix of every API path, without a trailing slash: `""` for same-origin `/api/...`,
    /// or e.g. `https://cabinet.example/support-api`.
    pub api_base: String,
    /// Where the app's routes live, without a trailing slash: `""` or e.g. `/support`.
    pub base_path: String,
    pub locale: Locale,
    pub auth: Auth,
    /// Id of the element the app mounts into.
    pub host_id: String,
    /// Milliseconds before an API request is given up as timed out.
    pub timeout_ms: u32,
    /// How the app hears about answers without a reload ([`crate::live`]).
    pub events: Events,
}

/// The `events` key: how the app learns about changes made elsewhere (an answer, another tab).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Events {
    /// The event stream `GET /api/events`, polling while it is not there.
    Sse,
    /// Polling only, every 30 s while the tab is visible (a host API without the stream).
    Poll,
    /// Neither: lists refresh when the seller moves between pages.
    Off,
}

pub const DEFAULT_HOST_ID: &str = "seller-support";
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;
/// Below a second every slow network looks broken.
pub const MIN_TIMEOUT_MS: u32 = 1_000;
/// Five minutes. Browser timers take an `i32`: a larger value (say 4 294 967 295) would wrap to a
/// negative delay and time every request out at once; and no seller waits longer than this.
pub const MAX_TIMEOUT_MS: u32 = 300_000;

impl Default for Config {
    fn default() -> Self {
        Config {
            api_base: String::new(),
            base_path: String::new(),
            locale: Locale::Ru,
            auth: Auth::Cookie,
            host_id: DEFAULT_HOST_ID.to_string(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            events: Events::Sse,
        }
    }
}

/// One configuration source as plain key/value lookups, so the merge rules are testable.
pub trait Source {
    fn get(&self, key: &str) -> Option<String>;
}

impl Config {
    /// Applies the keys a source sets; unknown or empty values keep what was there.
    pub fn apply(&mut self, src: &dyn Source) {
        if let Some(v) = src.get("apiBase") {
            self.api_base = v.trim_end_matches('/').to_string();
        }
        if let Some(v) = src.get("basePath") {
            self.base_path = normalize_base_path(&v);
        }
        if let Some(l) = src.get("locale").as_deref().and_then(Locale::from_tag) {
            self.locale = l;
        }
        match src.get("auth").as_deref() {
            Some("bearer") => {
                if let Some(token) = src.get("token").filter(|t| !t.is_empty()) {
                    self.auth = Auth::Bearer(token);
                }
            }
            Some("cookie") => self.auth = Auth::Cookie,
            _ => {}
        }
        if let Some(t) = src
            .get("timeoutMs")
            .and_then(|v| v.trim().parse::<u64>().ok())
        {
            self.timeout_ms = t.clamp(MIN_TIMEOUT_MS.into(), MAX_TIMEOUT_MS.into()) as u32;
        }
        match src.get("events").as_deref().map(str::trim) {
            Some("sse") => self.events = Events::Sse,
            Some("poll") => self.events = Events::Poll,
            Some("off") => self.events = Events::Off,
            _ => {}
        }
    }

    /// What [`Config::events`] amounts to here: `EventSource` cannot send an `Authorization`
    /// header, so with bearer auth the stream would only ever answer 401; such a host polls.
    pub fn effective_events(&self) -> Events {
        match (self.events, &self.auth) {
            (Events::Sse, Auth::Bearer(_)) => Events::Poll,
            (events, _) => events,
        }
    }

    /// Reads the config from the current page. Never fails: anything malformed is ignored.
    pub fn from_page() -> Config {
        let mut cfg = Config::default();
        let Some(window) = web_sys::window() else {
            return cfg;
        };
        if let Some(src) = window_source() {
            if let Some(id) = src.get("hostId") {
                cfg.host_id = id;
            }
            cfg.apply(&src);
        }
        if let Some(el) = window
            .document()
            .and_then(|d| d.get_element_by_id(&cfg.host_id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            cfg.apply(&DatasetSource(el));
        }
        if let Some(stored) = crate::i18n::stored_locale() {
            cfg.locale = stored;
        }
        cfg
    }

    /// The config of an app a host mounts itself (`SellerSupport.mount(element, config)`): the
    /// window object, then the host's `config` object, then the element's `data-` attributes.
    pub fn for_host(element: &web_sys::HtmlElement, config: &JsValue) -> Config {
        let mut cfg = Config::default();
        if let Some(src) = window_source() {
            cfg.apply(&src);
        }
        if config.is_object() {
            cfg.apply(&ObjectSource(config.clone()));
        }
        cfg.apply(&DatasetSource(element.clone()));
        if let Some(stored) = crate::i18n::stored_locale() {
            cfg.locale = stored;
        }
        cfg
    }

    /// `mount: "manual"` in the window object: the host mounts the app itself, so nothing
    /// mounts at start.
    pub fn manual_mount() -> bool {
        window_source().and_then(|s| s.get("mount")).as_deref() == Some("manual")
    }

    /// Full URL of an API path such as `/api/dialogs`.
    pub fn api_url(&self, path: &str) -> String {
        format!("{}{}", self.api_base, path)
    }
}

/// `"/support/"` → `"/support"`, `"support"` → `"/support"`, `"/"` → `""`.
pub fn normalize_base_path(raw: &str) -> String {
    let trimmed = raw.trim().trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    }
}

/// `window.SELLER_SUPPORT_CONFIG`, when the page set one.
fn window_source() -> Option<ObjectSource> {
    let window = web_sys::window()?;
    let obj = js_sys::Reflect::get(&window, &JsValue::from_str("SELLER_SUPPORT_CONFIG")).ok()?;
    obj.is_object().then_some(ObjectSource(obj))
}

struct ObjectSource(JsValue);

impl Source for ObjectSource {
    fn get(&self, key: &str) -> Option<String> {
        let v = js_sys::Reflect::get(&self.0, &JsValue::from_str(key)).ok()?;
        if let Some(s) = v.as_string() {
            return Some(s);
        }
        v.as_f64().map(number_text)
    }
}

/// Text of a JSON number as the config keys expect it (`15000`, not `15000.0`). Rust's float
/// `Display` would pull about 11 KB of formatting code into the wasm for this one line, so whole
/// numbers are printed as integers and the rare others by the browser (same digits for config values).
fn number_text(n: f64) -> String {
    // 2^53: every whole number below it converts to i64 exactly.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if n.fract() == 0.0 && n.abs() < EXACT {
        if n == 0.0 && n.is_sign_negative() {
            return "-0".to_string();
        }
        return (n as i64).to_string();
    }
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

struct DatasetSource(web_sys::HtmlElement);

impl Source for DatasetSource {
    fn get(&self, key: &str) -> Option<String> {
        self.0.dataset().get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<&'static str, &'static str>);
    impl Source for Map {
        fn get(&self, key: &str) -> Option<String> {
            self.0.get(key).map(|s| s.to_string())
        }
    }

    #[test]
    fn sources_override_defaults_and_bad_values_are_ignored() {
        let mut cfg = Config::default();
        cfg.apply(&Map(HashMap::from([
            ("apiBase", "https://cab.example/api-root/"),
            ("basePath", "support/"),
            ("locale", "en-GB"),
            ("auth", "bearer"),
            ("token", "t0k"),
            ("timeoutMs", "nonsense"),
        ])));
        assert_eq!(cfg.api_base, "https://cab.example/api-root");
        assert_eq!(cfg.base_path, "/support");
        assert_eq!(cfg.locale, Locale::En);
        assert_eq!(cfg.auth, Auth::Bearer("t0k".into()));
        assert_eq!(cfg.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(
            cfg.api_url("/api/health"),
            "https://cab.example/api-root/api/health"
        );
    }

    #[test]
    fn timeouts_are_clamped_to_what_a_browser_timer_and_a_seller_can_take() {
        for (given, kept) in [
            ("0", MIN_TIMEOUT_MS),
            ("20", MIN_TIMEOUT_MS),
            ("2000", 2_000),
            ("4294967295", MAX_TIMEOUT_MS),
            ("99999999999999", MAX_TIMEOUT_MS),
        ] {
            let mut cfg = Config::default();
            cfg.apply(&Map(HashMap::from([("timeoutMs", given)])));
            assert_eq!(cfg.timeout_ms, kept, "{given}");
        }
    }

    #[test]
    fn events_key_and_bearer_auth_without_a_stream() {
        let mut cfg = Config::default();
        assert_eq!(cfg.effective_events(), Events::Sse);
        cfg.apply(&Map(HashMap::from([("events", "stream")])));
        assert_eq!(cfg.events, Events::Sse);
        cfg.apply(&Map(HashMap::from([("events", "off")])));
        assert_eq!(cfg.effective_events(), Events::Off);
        cfg.apply(&Map(HashMap::from([
            ("events", "sse"),
            ("auth", "bearer"),
            ("token", "t"),
        ])));
        assert_eq!(cfg.events, Events::Sse);
        assert_eq!(cfg.effective_events(), Events::Poll);
    }

    #[test]
    fn bearer_without_token_keeps_cookie_auth() {
        let mut cfg = Config::default();
        cfg.apply(&Map(HashMap::from([("auth", "bearer")])));
        assert_eq!(cfg.auth, Auth::Cookie);
    }

    #[test]
    fn whole_numbers_print_like_float_display() {
        assert_eq!(number_text(15_000.0), "15000");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(0.0), "0");
        assert_eq!(number_text(-0.0), "-0");
        assert_eq!(number_text(9_007_199_254_740_991.0), "9007199254740991");
    }

    #[test]
    fn base_path_normalisation() {
        assert_eq!(normalize_base_path("/"), "");
        assert_eq!(normalize_base_path(""), "");
        assert_eq!(normalize_base_path("/a/b/"), "/a/b");
    }
}
