//! Which theme fits a comment: a ranking computed from the catalog's own words.
//!
//! Every theme of the catalog carries `keywords` (stems and short phrases a seller writes when the
//! theme is the right one) and `negative_keywords` (words that point away). Nothing here knows our
//! 48 themes: a host that serves its own catalog with its own words gets suggestions without a
//! rebuild. The built-in words are in [`crate::catalog_words`].
//!
//! Scoring, per theme: each keyword that occurs counts once (a phrase weighs more than a word,
//! a repeated mention adds a little; a keyword that another of the same theme already covers,
//! «штрафа» beside «штраф», adds nothing), a keyword inside a negation («не про штраф, а про
//! приёмку») counts against the theme, each negative keyword halves the theme's evidence, and the
//! facts the theme `needs` that the text contains add a small prior (a supply number leans to
//! supply themes). A word that starts no keyword is tried once more with one typo allowed
//! («сертефикат», «поставок»), see [`near_prefix`].
//!
//! A category may name a channel ([`Category::context_words`], the API): with one of those words
//! in the text, the category's themes that lead it on their own words take their twins' evidence
//! ([`Theme::twins`]: the cabinet themes of the same subject), so «через апи не приходят отзывы»
//! picks the API theme for reviews. A suggestion needs a clear lead over the second theme; over a
//! sibling of the same category a narrower one does when every other team is clearly behind.
//!
//! Cost: the catalog's keywords are compiled once into a table keyed by the first two letters of
//! their first word (and compiled again only when the catalog's words change); the text is then
//! one pass over its words, each compared with the distinct first words that share its first
//! letters.

use std::cell::RefCell;
use std::hash::Hasher;
use std::rc::Rc;

use super::fast_hash::{FastHasher, FastMap};
use super::scan::Text;
use super::{Candidate, Context, Suggestion};
use crate::catalog::{Catalog, Category, Fact, Theme};

/// A theme with its score from the catalog's words.
#[derive(Clone, Copy, Debug)]
pub struct ThemeScore<'a> {
    /// The theme's category.
    pub category: &'a Category,
    /// The theme.
    pub theme: &'a Theme,
    /// Evidence for the theme after negations and negative keywords; 0 when nothing matched.
    pub score: u32,
    /// Evidence from the theme's keywords alone (no fact priors): a theme is only suggested on
    /// words of its own, never on the facts alone.
    pub own: u32,
}

/// Points of a keyword of one word; each further word of a phrase adds [`PHRASE_STEP`].
const WORD: u32 = 4;
const PHRASE_STEP: u32 = 2;
/// Most a phrase can weigh, however long.
const PHRASE_MAX: u32 = 8;
/// Each further mention of a keyword, up to [`REPEAT_MAX`] in all.
const REPEAT: u32 = 1;
const REPEAT_MAX: u32 = 2;
/// Negative keywords beyond this many take nothing more away.
const MAX_HALVINGS: u32 = 3;
/// The most a theme takes from its best twin when its category's channel is named (see
/// [`Theme::twins`]).
const TWIN_MAX: u32 = 2 * WORD;
/// Each needed fact the text contains, for a theme that has words of its own in the text.
const NEED_MET: u32 = 1;

/// A candidate needs at least one keyword of its own.
const MIN_CANDIDATE: u32 = WORD;
/// A suggestion needs more than a lone word: two words, a phrase, or a word and its facts.
const MIN_SUGGEST: u32 = WORD;
/// The best theme is "clearly ahead" when it leads the second by this much …
const MIN_LEAD: u32 = 3;
/// … and by this ratio (in percent of the second's score).
const MIN_RATIO: u32 = 125;
/// The lead over a sibling (same category) when no other team is close (see [`clear_best`]).
const SIBLING_LEAD: u32 = 1;
const SIBLING_RATIO: u32 = 110;
/// Evidence that no comment is sure without, for the confidence: thin texts stay unsure.
const CONFIDENCE_DAMPER: u32 = 2 * WORD;
/// Candidates shown.
const MAX_CANDIDATES: usize = 3;

/// The comment's words and numbers by position, with the Cyrillic reading of Latin words.
struct Words<'t> {
    seq: Vec<(&'t str, Option<String>)>,
    negated: Vec<bool>,
}

impl<'t> Words<'t> {
    fn new(t: &'t Text) -> Words<'t> {
        let mut seq: Vec<(&'t str, Option<String>)> = Vec::with_capacity(t.len() / 2 + 1);
        // Token index of each position, for the negation scan over punctuation.
        let mut tok_of: Vec<usize> = Vec::with_capacity(t.len() / 2 + 1);
        for i in 0..t.len() {
            if let Some(w) = t.word(i) {
                seq.push((w, transliterate(w)));
                tok_of.push(i);
            } else if let Some(n) = t.num(i) {
                seq.push((n, None));
                tok_of.push(i);
            }
        }
        let negated = negation_scopes(t, &seq, &tok_of);
        Words { seq, negated }
    }

    fn at(&self, p: usize, part: &Part) -> bool {
        self.seq.get(p).is_some_and(|(w, alt)| {
            part.matches(w) || alt.as_deref().is_some_and(|a| part.matches(a))
        })
    }
}

/// One word of a keyword. It matches a word of the comment as a prefix; parts of up to three
/// letters only as a whole word (`упд`, `сц`, `api` are words, not stems), a Cyrillic one of three
/// letters also with a one-letter ending (`акт` matches «акта», «акте»: a noun's case).
struct Part {
    text: String,
    whole: bool,
    /// A whole part of three Cyrillic letters: one more letter may follow.
    ending: bool,
    /// The text's first eight bytes (zero-padded) and the mask of those it has: a word whose
    /// first bytes differ is told apart without comparing strings (see [`Head`]).
    head8: u64,
    mask8: u64,
}

/// The first eight bytes of a word, zero-padded, as one number.
#[inline]
fn first8(w: &str) -> u64 {
    let b = w.as_bytes();
    let mut out = [0u8; 8];
    let n = b.len().min(8);
    out[..n].copy_from_slice(&b[..n]);
    u64::from_le_bytes(out)
}

impl Part {
    fn new(text: &str) -> Part {
        let n = text.chars().count();
        let len8 = text.len().min(8);
        let mask8 = if len8 == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * len8)) - 1
        };
        Part {
            whole: n <= 3,
            ending: n == 3 && text.chars().all(|c| ('а'..='я').contains(&c)),
            head8: first8(text),
            mask8,
            text: text.to_string(),
        }
    }

    #[inline]
    fn matches(&self, word: &str) -> bool {
        if self.whole {
            word == self.text
                || (self.ending
                    && word.len() == self.text.len() + 2
                    && word.starts_with(self.text.as_str())
                    && word.ends_with(|c: char| ('а'..='я').contains(&c)))
        } else {
            word.starts_with(self.text.as_str())
        }
    }
}

/// One distinct keyword of the catalog, split into parts, and the themes it speaks for or against.
struct Keyword {
    parts: Vec<Part>,
    weight: u32,
    /// (flat theme index in catalog order, true for a negative keyword).
    targets: Vec<(u32, bool)>,
    /// Categories (index in catalog order) whose context word this is (see
    /// [`Category::context_words`]).
    contexts: Vec<u32>,
}

/// A distinct first word of the catalog's keywords and the keywords that start with it: a word
/// of the comment is compared with each first word once, however many phrases share it.
struct First {
    part: Part,
    /// Its letters when it is long enough to be matched with a typo.
    fuzzy: Option<Vec<char>>,
    keywords: Vec<u32>,
}

/// The catalog's keywords compiled for look-up by the first two letters of their first word.
/// Built once per distinct catalog (see [`with_index`]).
struct Index {
    fingerprint: u64,
    keywords: Vec<Keyword>,
    /// Per flat theme: its category's index.
    category_of: Vec<u32>,
    /// Per flat theme: its twins' flat indices (see [`Theme::twins`]).
    twins: Vec<Vec<u32>>,
    firsts: Vec<First>,
    by_head: FastMap<(char, char), Vec<Head>>,
    /// The first words that may be matched with a typo (see [`near_prefix`]), by the same heads.
    fuzzy_by_head: FastMap<(char, char), Vec<FuzzyHead>>,
}

/// A first word in a look-up list, with what rules most words out without reading it: its first
/// eight bytes.
struct Head {
    head8: u64,
    mask8: u64,
    first: u32,
}

/// A first word in a typo look-up list: its length in letters and its last letter, which one
/// typo cannot change (see [`near_prefix`]).
struct FuzzyHead {
    len: usize,
    last: char,
    first: u32,
}

fn head(w: &str) -> (char, char) {
    let mut c = w.chars();
    let a = c.next().unwrap_or(' ');
    (a, c.next().unwrap_or(' '))
}

/// What identifies a catalog's suggestion data: its theme ids and words, hashed. Cheaper than
/// compiling the index (a few µs), so a served catalog that changes is noticed on the next call.
///
/// The strings are dealt to [`LANES`] hashers in turn: one multiply-rotate chain over thousands of
/// keywords waits on each multiplication (about 20 µs for the built-in words); independent chains
/// run side by side in the processor and cost a fraction of that. Each string's place still
/// counts (its lane and its position in the lane), so moving a word to another theme changes it.
fn fingerprint(catalog: &Catalog) -> u64 {
    let mut lanes = [FastHasher::default(); LANES];
    let mut n = 0usize;
    // Each string as its length and kind, then eight bytes at a time, the tail padded into one
    // word: a few steps per keyword instead of one per byte, the same strings told apart.
    let mut write = |s: &str, kind: u64| {
        let h = &mut lanes[n % LANES];
        n += 1;
        h.write_u64(((s.len() as u64) << 3) | kind);
        let mut chunks = s.as_bytes().chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            h.write_u64(u64::from_le_bytes(b));
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let mut b = [0u8; 8];
            b[..tail.len()].copy_from_slice(tail);
            h.write_u64(u64::from_le_bytes(b));
        }
    };
    for c in &catalog.categories {
        write(&c.id, 3);
        for k in &c.context_words {
            write(k, 4);
        }
        for th in &c.themes {
            write(&th.id, 0);
            for k in &th.keywords {
                write(k, 1);
            }
            for k in &th.negative_keywords {
                write(k, 2);
            }
            for k in &th.twins {
                write(k, 5);
            }
        }
    }
    let mut out = FastHasher::default();
    out.write_u64(n as u64);
    for h in &lanes {
        out.write_u64(h.finish());
    }
    out.finish()
}

/// Independent hash chains of [`fingerprint`].
const LANES: usize = 8;

/// The keyword tables while they are built: each distinct keyword once, each distinct first word
/// once.
#[derive(Default)]
struct Tables {
    keywords: Vec<Keyword>,
    by_text: FastMap<String, u32>,
    firsts: Vec<First>,
    first_by_text: FastMap<String, u32>,
}

impl Tables {
    /// The keyword of this form (parts separated by one space), added if new.
    fn intern(&mut self, form: &str, n: usize) -> u32 {
        if let Some(&ki) = self.by_text.get(form) {
            return ki;
        }
        let parts: Vec<Part> = form.split(' ').map(Part::new).collect();
        let ki = self.keywords.len() as u32;
        let firsts = &mut self.firsts;
        let fi = *self
            .first_by_text
            .entry(parts[0].text.clone())
            .or_insert_with(|| {
                let letters: Vec<char> = parts[0].text.chars().collect();
                let fuzzy = (letters.len() >= FUZZY_MIN
                    && letters.iter().all(|c| c.is_alphabetic()))
                .then_some(letters);
                firsts.push(First {
                    part: Part::new(&parts[0].text),
                    fuzzy,
                    keywords: Vec::new(),
                });
                firsts.len() as u32 - 1
            });
        if let Some(first) = self.firsts.get_mut(fi as usize) {
            first.keywords.push(ki);
        }
        self.keywords.push(Keyword {
            weight: (WORD + PHRASE_STEP * (n as u32 - 1)).min(PHRASE_MAX),
            parts,
            targets: Vec::new(),
            contexts: Vec::new(),
        });
        self.by_text.insert(form.to_string(), ki);
        ki
    }
}

/// The number of parts of a keyword's form; 0 for one that is never matched (empty, or longer
/// than four words: a sentence, not a keyword).
fn form_len(form: &str) -> usize {
    let n = if form.is_empty() {
        0
    } else {
        form.split(' ').count()
    };
    if n > 4 { 0 } else { n }
}

fn build_index(catalog: &Catalog, fingerprint: u64) -> Index {
    let mut tables = Tables::default();
    let mut buf = String::new();
    let mut category_of: Vec<u32> = Vec::new();
    let mut twin_ids: Vec<&[String]> = Vec::new();
    let mut theme_ids: FastMap<&str, u32> = FastMap::default();
    let themes = catalog
        .categories
        .iter()
        .enumerate()
        .flat_map(|(ci, c)| c.themes.iter().map(move |th| (ci, th)));
    for (ti, (ci, th)) in themes.enumerate() {
        category_of.push(ci as u32);
        twin_ids.push(&th.twins);
        theme_ids.insert(th.id.as_str(), ti as u32);
        let lists = [(&th.keywords, false), (&th.negative_keywords, true)];
        for (list, negative) in lists {
            let forms: Vec<String> = list
                .iter()
                .map(|k| {
                    keyword_parts(k, &mut buf);
                    buf.clone()
                })
                .collect();
            for (j, form) in forms.iter().enumerate() {
                let n = form_len(form);
                if n == 0 {
                    continue;
                }
                // A word counts once for a theme: «штрафа» beside «штраф» (or «отчет о
                // продажах» beside «отчет о продаж») adds nothing the shorter stem does not.
                if forms
                    .iter()
                    .enumerate()
                    .any(|(i, other)| i != j && other != form && covers(other, form))
                {
                    continue;
                }
                let ki = tables.intern(form, n);
                let target = (ti as u32, negative);
                if let Some(kw) = tables.keywords.get_mut(ki as usize)
                    && !kw.targets.contains(&target)
                {
                    kw.targets.push(target);
                }
            }
        }
    }
    for (ci, c) in catalog.categories.iter().enumerate() {
        for k in &c.context_words {
            keyword_parts(k, &mut buf);
            let n = form_len(&buf);
            if n == 0 {
                continue;
            }
            let form = buf.clone();
            let ki = tables.intern(&form, n);
            if let Some(kw) = tables.keywords.get_mut(ki as usize)
                && !kw.contexts.contains(&(ci as u32))
            {
                kw.contexts.push(ci as u32);
            }
        }
    }
    // A theme's twins by flat index: known ids other than its own, each once.
    let twins: Vec<Vec<u32>> = twin_ids
        .iter()
        .enumerate()
        .map(|(ti, ids)| {
            let mut out: Vec<u32> = Vec::new();
            for id in ids.iter() {
                if let Some(&t) = theme_ids.get(id.as_str())
                    && t as usize != ti
                    && !out.contains(&t)
                {
                    out.push(t);
                }
            }
            out
        })
        .collect();
    let Tables {
        keywords, firsts, ..
    } = tables;
    let mut by_head: FastMap<(char, char), Vec<Head>> = FastMap::default();
    let mut fuzzy_by_head: FastMap<(char, char), Vec<FuzzyHead>> = FastMap::default();
    for (fi, f) in firsts.iter().enumerate() {
        by_head.entry(head(&f.part.text)).or_default().push(Head {
            head8: f.part.head8,
            mask8: f.part.mask8,
            first: fi as u32,
        });
        if let Some(stem) = &f.fuzzy {
            fuzzy_by_head
                .entry((stem[0], stem[1]))
                .or_default()
                .push(FuzzyHead {
                    len: stem.len(),
                    last: stem[stem.len() - 1],
                    first: fi as u32,
                });
        }
    }
    Index {
        fingerprint,
        keywords,
        category_of,
        twins,
        firsts,
        by_head,
        fuzzy_by_head,
    }
}

/// Whether every text the keyword `long` matches is also matched by `short` (both split into
/// parts): as many parts, each of `short`'s matching the part of `long` in its place.
fn covers(short: &str, long: &str) -> bool {
    let (mut a, mut b) = (short.split(' '), long.split(' '));
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) => {
                if !Part::new(x).matches(y) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Where a catalog's lists live and how long they are, hashed: a few hundred numbers, read without
/// touching a single word. The same catalog, borrowed again, has the same identity; a catalog
/// loaded or built anew, or a list of it replaced or resized, has another.
fn identity(catalog: &Catalog) -> u64 {
    let mut h = FastHasher::default();
    let mut list = |ptr: *const u8, len: usize| {
        h.write_usize(ptr as usize);
        h.write_usize(len);
    };
    list(catalog.categories.as_ptr().cast(), catalog.categories.len());
    for c in &catalog.categories {
        list(c.id.as_ptr(), c.id.len());
        list(c.context_words.as_ptr().cast(), c.context_words.len());
        list(c.themes.as_ptr().cast(), c.themes.len());
        for th in &c.themes {
            list(th.id.as_ptr(), th.id.len());
            list(th.keywords.as_ptr().cast(), th.keywords.len());
            list(
                th.negative_keywords.as_ptr().cast(),
                th.negative_keywords.len(),
            );
            list(th.twins.as_ptr().cast(), th.twins.len());
        }
    }
    h.finish()
}

/// Calls that trust a catalog's [`identity`] before its words are hashed again: a word edited in
/// place (the same list, the same length) is noticed within this many calls.
const VERIFY_EVERY: u32 = 32;

/// The compiled index of the last catalog, with what tells whether the next one is the same.
struct Cached {
    index: Rc<Index>,
    identity: u64,
    /// Calls since the words were last hashed.
    trusted: u32,
}

/// Runs `f` with the compiled index of `catalog`, compiling it only when the catalog's words
/// differ from the last one's (the app and the server each use one catalog at a time).
///
/// Hashing every word ([`fingerprint`]) costs more than the rest of a short comment's analysis
/// (about 20 µs for the built-in words, most of it reading thousands of small strings), so a call
/// with the same catalog as the last one, by [`identity`], uses the index directly; the words are
/// hashed when the identity changes (a catalog cloned or loaded again is then recognised by its
/// words and not compiled again) and every [`VERIFY_EVERY`] calls in any case.
fn with_index<R>(catalog: &Catalog, f: impl FnOnce(&Index) -> R) -> R {
    thread_local! {
        static CACHE: RefCell<Option<Cached>> = const { RefCell::new(None) };
    }
    let id = identity(catalog);
    let index = CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(c) = cache.as_mut()
            && c.identity == id
            && c.trusted < VERIFY_EVERY
        {
            c.trusted += 1;
            return Rc::clone(&c.index);
        }
        let fp = fingerprint(catalog);
        let index = match cache.as_ref() {
            Some(c) if c.index.fingerprint == fp => Rc::clone(&c.index),
            _ => Rc::new(build_index(catalog, fp)),
        };
        *cache = Some(Cached {
            index: Rc::clone(&index),
            identity: id,
            trusted: 0,
        });
        index
    });
    f(&index)
}

/// Mentions of every keyword: (outside negations, inside), indexed like `Index::keywords`.
///
/// A word that starts no keyword of the catalog is tried once more with one typo allowed
/// (see [`near_prefix`]): «штарф», «сертефикат», «удержаниее» still count.
fn mentions(words: &Words, index: &Index) -> Vec<(u32, u32)> {
    let mut out = vec![(0u32, 0u32); index.keywords.len()];
    let mut chars: Vec<char> = Vec::with_capacity(32);
    for (p, (w, alt)) in words.seq.iter().enumerate() {
        let negated = words.negated.get(p).copied().unwrap_or(false);
        let mut count = |ki: u32| {
            if let Some(m) = out.get_mut(ki as usize) {
                if negated {
                    m.1 += 1;
                } else {
                    m.0 += 1;
                }
            }
        };
        let mut known = false;
        for form in std::iter::once(*w).chain(alt.as_deref()) {
            let Some(list) = index.by_head.get(&head(form)) else {
                continue;
            };
            let form8 = first8(form);
            for h in list {
                if form8 & h.mask8 != h.head8 {
                    continue;
                }
                let Some(first) = index.firsts.get(h.first as usize) else {
                    continue;
                };
                if !first.part.matches(form) {
                    continue;
                }
                known = true;
                for &ki in &first.keywords {
                    let Some(kw) = index.keywords.get(ki as usize) else {
                        continue;
                    };
                    let rest = kw.parts.iter().enumerate().skip(1);
                    if rest.clone().all(|(o, part)| words.at(p + o, part)) {
                        count(ki);
                    }
                }
            }
        }
        if known {
            continue;
        }
        for form in std::iter::once(*w).chain(alt.as_deref()) {
            // Shorter words are too close to each other for a typo to be told from another word.
            if form.len() < FUZZY_MIN {
                continue;
            }
            let Some(list) = index.fuzzy_by_head.get(&head(form)) else {
                continue;
            };
            chars.clear();
            chars.extend(form.chars());
            for h in list {
                // The stem's last letter where one typo would leave it (see `near_prefix`).
                let n = h.len;
                let at = |i: usize| chars.get(i) == Some(&h.last);
                if n > chars.len() + 1 || !(at(n - 1) || at(n - 2) || at(n)) {
                    continue;
                }
                let Some(first) = index.firsts.get(h.first as usize) else {
                    continue;
                };
                let Some(stem) = first.fuzzy.as_deref() else {
                    continue;
                };
                if !near_prefix(stem, &chars) {
                    continue;
                }
                for &ki in &first.keywords {
                    let Some(kw) = index.keywords.get(ki as usize) else {
                        continue;
                    };
                    let rest = kw.parts.iter().enumerate().skip(1);
                    if rest.clone().all(|(o, part)| words.at(p + o, part)) {
                        count(ki);
                    }
                }
            }
        }
    }
    out
}

/// Stems shorter than this (in letters) are matched exactly only.
const FUZZY_MIN: usize = 5;
/// Letters at the start of a word that a typo match must have right.
const FUZZY_KEEP: usize = 3;

/// Whether `word` starts with `stem` but for one typo: a letter replaced, two neighbours swapped,
/// one missing or one extra. The first three letters and the stem's last letter must be right:
/// an edit near the start makes another word too often («выслать» is not «выплата», «выходные»
/// not «вывод»), and the last letter is where a stem meets its endings («поставк» is not
/// «поставил»). An extra letter just before the last one is allowed: it is also the fleeting
/// vowel of a plural («поставок», «заявок», «карточек»).
fn near_prefix(stem: &[char], word: &[char]) -> bool {
    let n = stem.len();
    if n < FUZZY_MIN || word.len() + 1 < n || stem[..FUZZY_KEEP] != word[..FUZZY_KEEP] {
        return false;
    }
    // Cheap test first: the stem's last letter is where one of the edits would put it.
    let last = stem[n - 1];
    if word.get(n - 1) != Some(&last) && word[n - 2] != last && word.get(n) != Some(&last) {
        return false;
    }
    // The first letter (from the fourth) where they differ.
    let Some(i) = (FUZZY_KEEP..n).find(|&i| word.get(i) != Some(&stem[i])) else {
        return false; // an exact prefix: not a typo
    };
    // An extra letter in the word, before the stem's last one («поставок», «карточек» too).
    let extra = word.len() > n && word[i + 1..=n] == stem[i..];
    if i + 1 >= n {
        return extra;
    }
    // Replaced.
    let replaced = word.len() >= n && word[i + 1..n] == stem[i + 1..];
    // Swapped with the next letter (both before the stem's last letter).
    let swapped = i + 2 < n
        && word.len() >= n
        && word[i] == stem[i + 1]
        && word[i + 1] == stem[i]
        && word[i + 2..n] == stem[i + 2..];
    // Missing from the word.
    let missing = word.len() >= n - 1 && word[i..n - 1] == stem[i + 1..];
    replaced || swapped || missing || extra
}

/// Words that introduce what a comment is *not* about after «не»: «не про штраф», «не по поводу».
const NOT_ABOUT: &[&str] = &[
    "про",
    "по",
    "о",
    "об",
    "насчет",
    "касательно",
    "касается",
    "относится",
    "связан",
    "связано",
    "about",
    "regarding",
];
/// Words before «не X, а Y» that make it a statement of topic: «вопрос не штраф, а приёмка».
const TOPIC: &[&str] = &[
    "это",
    "вопрос",
    "речь",
    "проблема",
    "тема",
    "обращение",
    "идет",
];

/// Marks the words inside «не про X», «не по X» and «вопрос не X, а Y»: the seller says what the
/// comment is not about, which points away from X's theme instead of towards it.
fn negation_scopes(t: &Text, seq: &[(&str, Option<String>)], tok_of: &[usize]) -> Vec<bool> {
    let mut out = vec![false; seq.len()];
    let is_not = |w: &str| matches!(w, "не" | "not" | "ne");
    for p in 0..seq.len() {
        if !is_not(seq[p].0) {
            continue;
        }
        let next = seq.get(p + 1).map(|(w, _)| *w);
        let about = next.is_some_and(|w| NOT_ABOUT.contains(&w));
        let topic = p > 0 && TOPIC.contains(&seq[p - 1].0);
        if !about && !topic {
            continue;
        }
        // The scope runs to the end of the clause: punctuation, a line break, «а», «но».
        let mut q = p + 1;
        let mut closed_by_contrast = false;
        while q < seq.len() {
            let w = seq[q].0;
            if matches!(w, "а" | "но" | "but" | "a") && q > p + 1 {
                closed_by_contrast = true;
                break;
            }
            let (from, to) = (tok_of[q - 1] + 1, tok_of[q]);
            let boundary = (from..=to).any(|i| {
                matches!(
                    t.sym(i),
                    Some(',' | '.' | ';' | '!' | '?' | ':' | '(' | ')')
                ) || (i == to && t.gap(i) == super::scan::Gap::Line)
            });
            if boundary {
                closed_by_contrast = seq
                    .get(q)
                    .is_some_and(|(w, _)| matches!(*w, "а" | "но" | "but"));
                break;
            }
            q += 1;
        }
        // «вопрос не X» without a contrast is a complaint («вопрос не решён»), not a topic.
        if about || closed_by_contrast {
            for flag in out.iter_mut().take(q).skip(p + 1) {
                *flag = true;
            }
        }
    }
    out
}

/// The Cyrillic reading of a Latin word («shtraf» → «штраф»), for sellers typing in
/// transliteration; `None` for words that are not Latin or too short to be read safely.
fn transliterate(w: &str) -> Option<String> {
    if w.len() < 4 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let b = w.as_bytes();
    let mut out = String::with_capacity(w.len() * 2);
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        let (c, n) = if rest.starts_with(b"shch") {
            ("щ", 4)
        } else if rest.starts_with(b"sch") {
            ("щ", 3)
        } else if rest.starts_with(b"zh") {
            ("ж", 2)
        } else if rest.starts_with(b"kh") {
            ("х", 2)
        } else if rest.starts_with(b"ch") {
            ("ч", 2)
        } else if rest.starts_with(b"sh") {
            ("ш", 2)
        } else if rest.starts_with(b"tsya") || rest.starts_with(b"tsja") {
            ("тся", 4) // «sozdaetsya»: the reflexive ending, not «ц»
        } else if rest.starts_with(b"ts") {
            ("ц", 2)
        } else if rest.starts_with(b"yu") || rest.starts_with(b"ju") {
            ("ю", 2)
        } else if rest.starts_with(b"ya") || rest.starts_with(b"ja") {
            ("я", 2)
        } else if rest.starts_with(b"yo") || rest.starts_with(b"jo") {
            ("е", 2)
        } else if rest.starts_with(b"iy") || rest.starts_with(b"yi") {
            ("ий", 2)
        } else {
            let c = match rest[0] {
                b'a' => "а",
                b'b' => "б",
                b'v' | b'w' => "в",
                b'g' => "г",
                b'd' => "д",
                b'e' => "е",
                b'z' => "з",
                b'i' => "и",
                b'j' => "й",
                b'k' | b'q' => "к",
                b'l' => "л",
                b'm' => "м",
                b'n' => "н",
                b'o' => "о",
                b'p' => "п",
                b'r' => "р",
                b's' => "с",
                b't' => "т",
                b'u' => "у",
                b'f' => "ф",
                b'h' => "х",
                b'c' => "ц",
                // After a vowel «y» is «й» («moy», «novyy»), else «ы».
                b'y' if i > 0 && b"aeiouy".contains(&b[i - 1]) => "й",
                b'y' => "ы",
                b'x' => "кс",
                _ => "",
            };
            (c, 1)
        };
        out.push_str(c);
        i += n;
    }
    Some(out)
}

/// Splits a keyword the way the comment is tokenised: runs of letters and runs of digits,
/// lowercased with «ё» as «е»; everything else separates.
fn keyword_parts(keyword: &str, buf: &mut String) -> usize {
    buf.clear();
    let mut parts = 0;
    let mut last: Option<bool> = None; // Some(true) digits, Some(false) letters
    for c in keyword.chars().flat_map(char::to_lowercase) {
        let c = if c == 'ё' { 'е' } else { c };
        let kind = if c.is_ascii_digit() {
            Some(true)
        } else if c.is_alphabetic() {
            Some(false)
        } else {
            None
        };
        match kind {
            None => last = None,
            Some(k) => {
                if last != Some(k) {
                    if parts > 0 {
                        buf.push(' ');
                    }
                    parts += 1;
                }
                buf.push(c);
                last = Some(k);
            }
        }
    }
    parts
}

/// Scores every theme of `catalog` against the text; best first.
pub fn rank_themes<'a>(text: &str, catalog: &'a Catalog) -> Vec<ThemeScore<'a>> {
    let t = Text::new(text);
    rank(&t, catalog, &[])
}

pub(crate) fn rank<'a>(t: &Text, catalog: &'a Catalog, kinds: &[Fact]) -> Vec<ThemeScore<'a>> {
    let words = Words::new(t);
    let themes: Vec<(&Category, &Theme)> = catalog
        .categories
        .iter()
        .flat_map(|c| c.themes.iter().map(move |th| (c, th)))
        .collect();
    let mut plus = vec![0u32; themes.len()];
    let mut minus = vec![0u32; themes.len()];
    let mut away = vec![0u32; themes.len()];
    with_index(catalog, |index| {
        let found = mentions(&words, index);
        let mut context = vec![false; catalog.categories.len()];
        for (kw, &(free, negated)) in index.keywords.iter().zip(&found) {
            if free == 0 && negated == 0 {
                continue;
            }
            if free > 0 {
                for &ci in &kw.contexts {
                    if let Some(on) = context.get_mut(ci as usize) {
                        *on = true;
                    }
                }
            }
            for &(ti, negative) in &kw.targets {
                let ti = ti as usize;
                match (negative, free > 0) {
                    (false, true) => {
                        if let Some(v) = plus.get_mut(ti) {
                            *v += kw.weight + (REPEAT * (free - 1)).min(REPEAT_MAX);
                        }
                    }
                    // Inside «не про …»: the seller says the comment is not about this theme.
                    (false, false) => {
                        if let Some(v) = minus.get_mut(ti) {
                            *v += kw.weight;
                        }
                    }
                    // Each negative keyword halves what the theme's own words earned: it says
                    // "another team" however many of them occur. One the seller negates
                    // («не штраф») is no evidence either way.
                    (true, true) => {
                        if let Some(v) = away.get_mut(ti) {
                            *v += 1;
                        }
                    }
                    (true, false) => {}
                }
            }
        }
        // The channel is named («через апи …»): among the category's themes that lead it on their
        // own words (usually all of them, on the channel's words alone), the subject in the
        // cabinet's words («отзывы», «этикетки», «продажи») decides: each takes the best of its
        // twins' evidence, up to [`TWIN_MAX`]. A theme ahead on its own words («токен», «429»)
        // is never overtaken by a sibling's twin.
        if context.contains(&true) {
            let mut top = vec![0u32; context.len()];
            for (ti, &ci) in index.category_of.iter().enumerate() {
                if let (Some(t), Some(&v)) = (top.get_mut(ci as usize), plus.get(ti)) {
                    *t = (*t).max(v);
                }
            }
            let before = plus.clone();
            for (ti, twins) in index.twins.iter().enumerate() {
                let ci = index.category_of.get(ti).copied().unwrap_or(0) as usize;
                let leads = context.get(ci).copied().unwrap_or(false)
                    && before
                        .get(ti)
                        .is_some_and(|&v| v > 0 && Some(&v) == top.get(ci));
                if !leads || twins.is_empty() {
                    continue;
                }
                let best = twins
                    .iter()
                    .filter_map(|&t| before.get(t as usize))
                    .max()
                    .copied()
                    .unwrap_or(0);
                if let Some(v) = plus.get_mut(ti) {
                    *v += best.min(TWIN_MAX);
                }
            }
        }
    });
    let mut out: Vec<ThemeScore<'a>> = themes
        .iter()
        .enumerate()
        .map(|(i, &(c, th))| {
            let own = plus[i].saturating_sub(minus[i]) >> away[i].min(MAX_HALVINGS);
            let facts = if own > 0 {
                th.needs.iter().filter(|n| n.is_met_by(kinds)).count() as u32 * NEED_MET
            } else {
                0
            };
            ThemeScore {
                category: c,
                theme: th,
                score: own + facts,
                own,
            }
        })
        .collect();
    // Ties go to the theme with more words of its own, then to catalog order (stable sort).
    out.sort_by(|a, b| b.score.cmp(&a.score).then(b.own.cmp(&a.own)));
    out
}

/// Up to three candidates with their confidence (0–1): the share of the evidence each one holds,
/// damped so that a lone word never looks certain.
pub(crate) fn candidates(ranking: &[ThemeScore]) -> Vec<Candidate> {
    let top: Vec<&ThemeScore> = ranking
        .iter()
        .filter(|s| s.own >= MIN_CANDIDATE)
        .take(MAX_CANDIDATES)
        .collect();
    let total: u32 = top.iter().map(|s| s.score).sum::<u32>() + CONFIDENCE_DAMPER;
    top.iter()
        .map(|s| Candidate {
            category: s.category.id.clone(),
            theme: s.theme.id.clone(),
            category_name: s.category.name.clone(),
            theme_name: s.theme.name.clone(),
            // Two decimals are all a reader (or a threshold) can use.
            confidence: (s.score as f32 / total as f32 * 100.0).round() / 100.0,
        })
        .collect()
}

/// The best theme when it is clearly ahead of the next one, else `None`.
///
/// A close rival in the same category (a sibling: the same team) needs only a smaller lead
/// ([`SIBLING_LEAD`], [`SIBLING_RATIO`]) when every theme of another category is clearly behind:
/// the team is certain, and a sibling chosen by a narrow margin reaches the right people.
fn clear_best<'r, 'a>(ranking: &'r [ThemeScore<'a>]) -> Option<&'r ThemeScore<'a>> {
    let best = ranking.first()?;
    let second = ranking.get(1).map_or(0, |s| s.score);
    let second_own = ranking.get(1).map_or(0, |s| s.own);
    let ahead_of = |rival: u32, lead: u32, ratio: u32| {
        best.score >= rival + lead && best.score * 100 >= rival * ratio
    };
    let enough = best.score >= MIN_SUGGEST && best.own >= MIN_CANDIDATE;
    // Ahead by a margin, or with twice the second's evidence: a second theme whose words a
    // negative keyword halved («остатки» beside «хранение») is no rival to a lone clear word.
    let ahead = enough
        && (ahead_of(second, MIN_LEAD, MIN_RATIO)
            || (best.score > second && best.own >= 2 * second_own));
    if ahead {
        return Some(best);
    }
    let other_team = ranking
        .iter()
        .skip(1)
        .find(|s| s.category.id != best.category.id)
        .map_or(0, |s| s.score);
    let sibling_close = enough
        && ranking
            .get(1)
            .is_some_and(|s| s.category.id == best.category.id)
        && ahead_of(second, SIBLING_LEAD, SIBLING_RATIO)
        && ahead_of(other_team, MIN_LEAD, MIN_RATIO);
    sibling_close.then_some(best)
}

pub(crate) fn suggest(ctx: &Context, ranking: &[ThemeScore]) -> Option<Suggestion> {
    let make = |s: &ThemeScore| Suggestion {
        category: s.category.id.clone(),
        theme: s.theme.id.clone(),
        category_name: s.category.name.clone(),
        theme_name: s.theme.name.clone(),
    };
    if let Some((_, th)) = ctx.chosen_theme() {
        // Only a strong conflict is worth a note: the text clearly points elsewhere and the chosen
        // theme has under half the evidence of the likelier one.
        let best = clear_best(ranking)?;
        let chosen = ranking
            .iter()
            .find(|s| s.theme.id == th.id)
            .map_or(0, |s| s.score);
        let conflict = best.theme.id != th.id && chosen * 2 < best.score;
        return conflict.then(|| make(best));
    }
    if let Some(cid) = ctx.category
        && ctx.catalog.category(cid).is_some()
    {
        // The seller already chose a team: the best theme inside it, unless the text clearly
        // belongs elsewhere.
        let inside: Vec<ThemeScore> = ranking
            .iter()
            .filter(|s| s.category.id == cid)
            .copied()
            .collect();
        if let Some(best) = clear_best(ranking)
            && best.category.id != cid
        {
            let in_cat = inside.first().map_or(0, |s| s.score);
            if in_cat * 2 < best.score {
                return Some(make(best));
            }
        }
        return clear_best(&inside).map(make);
    }
    clear_best(ranking).map(make)
}
