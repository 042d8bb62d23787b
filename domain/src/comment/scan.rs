//! Normalisation and tokenisation: one pass over the text's chars.
//!
//! The normalised text folds case, «ё» to «е», every space variant (NBSP, narrow NBSP, thin
//! space, …) to a plain space, dashes to `-` and typographic quotes to `"`, and drops zero-width
//! characters. Tokens keep byte ranges into both the normalised and the original text, so values
//! can be copied from what the seller wrote (case and punctuation preserved).

use std::ops::Range;

use super::lexicon::{Role, detect_keyword};

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A run of letters (any script).
    Word,
    /// A run of ASCII digits.
    Num,
    /// Any other single character (punctuation, symbols, emoji).
    Sym(char),
}

/// Whitespace before a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Gap {
    /// Glued to the previous token.
    None,
    /// Spaces or tabs only.
    Space,
    /// At least one line break.
    Line,
}

#[derive(Clone, Debug)]
pub(crate) struct Tok {
    pub kind: Kind,
    /// Byte range in the normalised text.
    pub n: Range<usize>,
    /// Byte range in the original text.
    pub o: Range<usize>,
    pub gap: Gap,
}

/// A tokenised comment.
pub(crate) struct Text<'a> {
    pub orig: &'a str,
    pub norm: String,
    pub toks: Vec<Tok>,
    /// The keyword starting at each token, detected once.
    pub kw: Vec<Option<(Role, usize)>>,
}

enum Norm {
    Drop,
    Space,
    Line,
    Char(char),
}

fn normalize(c: char) -> Norm {
    // Fast paths for the scripts comments are written in; the general rules follow.
    match c {
        'a'..='z' | '0'..='9' | 'а'..='я' => return Norm::Char(c),
        'A'..='Z' => return Norm::Char(c.to_ascii_lowercase()),
        'А'..='Я' => return Norm::Char(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
        _ => {}
    }
    match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{0B}' | '\u{0C}' => Norm::Line,
        ' '
        | '\t'
        | '\u{A0}'
        | '\u{202F}'
        | '\u{2000}'..='\u{200A}'
        | '\u{205F}'
        | '\u{3000}'
        | '\u{1680}' => Norm::Space,
        c if is_invisible(c) => Norm::Drop,
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
            Norm::Char('-')
        }
        '«' | '»' | '“' | '”' | '„' | '‟' | '″' | '＂' | '‹' | '›' => {
            Norm::Char('"')
        }
        '‘' | '’' | '‚' | '‛' | '`' => Norm::Char('\''),
        'ё' | 'Ё' => Norm::Char('е'),
        c if c.is_whitespace() => Norm::Space,
        c if c.is_control() => Norm::Space,
        c if c.is_uppercase() => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => Norm::Char(l),
                _ => Norm::Char(c),
            }
        }
        c => Norm::Char(c),
    }
}

fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'а'..='я' | 'ѐ'..='џ' => true,
        c if c.is_ascii() => false,
        c => c.is_alphabetic(),
    }
}

/// Zero-width characters and soft hyphens: dropped, so «2000\u{200B}000» reads as one number.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}'
    )
}

/// Combining marks continue the word they follow (e.g. «й» typed as «и» + U+0306).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{483}'..='\u{489}')
}

impl<'a> Text<'a> {
    pub fn new(orig: &'a str) -> Text<'a> {
        let mut norm = String::with_capacity(orig.len());
        // About one token per five bytes of Russian text; a small first guess avoids huge zeroed
        // allocations for long inputs (the vector grows as needed).
        let mut toks: Vec<Tok> = Vec::with_capacity(orig.len() / 5 + 8);
        let mut gap = Gap::None;
        // Whether the last token can still grow (a word or a number not interrupted by a gap).
        let mut open = false;
        for (ob, c) in orig.char_indices() {
            let oe = ob + c.len_utf8();
            let n = match normalize(c) {
                Norm::Drop => continue,
                Norm::Space => {
                    gap = gap.max(Gap::Space);
                    open = false;
                    continue;
                }
                Norm::Line => {
                    gap = Gap::Line;
                    open = false;
                    continue;
                }
                Norm::Char(n) => n,
            };
            let kind = if n.is_ascii_digit() {
                Kind::Num
            } else if is_letter(n) || (is_mark(n) && open) {
                Kind::Word
            } else {
                Kind::Sym(n)
            };
            let nb = norm.len();
            norm.push(n);
            let ne = norm.len();
            if open
                && let Some(last) = toks.last_mut()
                && matches!(
                    (last.kind, kind),
                    (Kind::Word, Kind::Word) | (Kind::Num, Kind::Num)
                )
            {
                last.n.end = ne;
                last.o.end = oe;
                continue;
            }
            toks.push(Tok {
                kind,
                n: nb..ne,
                o: ob..oe,
                gap: if toks.is_empty() { Gap::Line } else { gap },
            });
            gap = Gap::None;
            open = !matches!(kind, Kind::Sym(_));
        }
        let mut text = Text {
            orig,
            norm,
            toks,
            kw: Vec::new(),
        };
        text.kw = (0..text.toks.len())
            .map(|i| detect_keyword(&text, i))
            .collect();
        text
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// The normalised word at `i`, if token `i` is a word.
    #[inline]
    pub fn word(&self, i: usize) -> Option<&str> {
        let t = self.toks.get(i)?;
        if t.kind == Kind::Word {
            self.norm.get(t.n.clone())
        } else {
            None
        }
    }

    /// The digits at `i`, if token `i` is a number.
    #[inline]
    pub fn num(&self, i: usize) -> Option<&str> {
        let t = self.toks.get(i)?;
        if t.kind == Kind::Num {
            self.norm.get(t.n.clone())
        } else {
            None
        }
    }

    #[inline]
    pub fn sym(&self, i: usize) -> Option<char> {
        match self.toks.get(i)?.kind {
            Kind::Sym(c) => Some(c),
            _ => None,
        }
    }

    #[inline]
    pub fn is_sym(&self, i: usize, c: char) -> bool {
        self.sym(i) == Some(c)
    }

    #[inline]
    pub fn is_word(&self, i: usize, w: &str) -> bool {
        self.word(i) == Some(w)
    }

    /// Whitespace before token `i` (a token past the end counts as after a line break).
    #[inline]
    pub fn gap(&self, i: usize) -> Gap {
        self.toks.get(i).map_or(Gap::Line, |t| t.gap)
    }

    /// True when token `i` exists and touches the previous token.
    #[inline]
    pub fn glued(&self, i: usize) -> bool {
        i > 0 && i < self.toks.len() && self.toks[i].gap == Gap::None
    }

    /// The original text of token `i`.
    #[inline]
    pub fn orig_of(&self, i: usize) -> &'a str {
        self.toks
            .get(i)
            .map_or("", |t| self.orig.get(t.o.clone()).unwrap_or(""))
    }

    /// True when token `i` ends a sentence or clause boundary for keyword look-ahead.
    #[inline]
    pub fn is_stop(&self, i: usize) -> bool {
        matches!(self.sym(i), Some('.' | '!' | '?' | ';'))
    }
}
