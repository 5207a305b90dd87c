//! Splits text into word, number and punctuation tokens with byte spans into the original.
//!
//! Real text is messy, so the tokenizer absorbs its variants here, once: no-break and other
//! Unicode spaces count as spaces, curly quotes become straight ones, every dash becomes
//! `-`, and words are lower-cased into `norm`. Later stages compare norms and never look at
//! the raw bytes again except to cut spans.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Word,
    /// Digits, with thousands separators or a decimal part: `27`, `1,482`, `1.2`.
    Number,
    /// Digits glued to letters: `5th`, `3km`, `1990s`, `10am`.
    Alnum,
    Punct,
}

#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    norm_start: u32,
    norm_end: u32,
    /// The norm's number in the lexicons' vocabulary (`vocab::NO_WORD` if none has it).
    word: u32,
    pub kind: TokKind,
    /// Whitespace separates this token from the previous one.
    pub space_before: bool,
    /// Line breaks in that whitespace (2 or more means a paragraph break).
    pub newlines_before: u8,
    /// The first character is upper case.
    pub upper: bool,
    /// Every letter is upper case.
    pub all_upper: bool,
}

/// The tokens of one text, with their normalised forms stored in one buffer.
#[derive(Debug, Default)]
pub struct Tokens {
    toks: Vec<Token>,
    norms: String,
    /// Byte offset of the tokenized text in the whole document; added to every span.
    base: usize,
}

impl Tokens {
    pub fn new(text: &str) -> Tokens {
        Tokens::at(text, 0)
    }

    /// Tokens of `text`, a slice starting at byte `base` of a larger document.
    pub fn at(text: &str, base: usize) -> Tokens {
        let mut t = Tokens::unnumbered_at(text, base);
        for tok in &mut t.toks {
            tok.word = crate::vocab::id(&t.norms[tok.norm_start as usize..tok.norm_end as usize]);
        }
        t
    }

    /// Tokens without their vocabulary numbers: what the vocabulary itself is made from.
    pub(crate) fn unnumbered(text: &str) -> Tokens {
        Tokens::unnumbered_at(text, 0)
    }

    fn unnumbered_at(text: &str, base: usize) -> Tokens {
        let mut t = Tokens { toks: Vec::with_capacity(text.len() / 5), norms: String::with_capacity(text.len()), base };
        t.tokenize(text);
        t
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    #[inline]
    pub fn get(&self, i: usize) -> &Token {
        &self.toks[i]
    }

    /// The normalised text of token `i`; "" past the end, so look-ahead needs no bounds checks.
    #[inline]
    pub fn norm(&self, i: usize) -> &str {
        match self.toks.get(i) {
            Some(t) => &self.norms[t.norm_start as usize..t.norm_end as usize],
            None => "",
        }
    }

    /// The vocabulary number of token `i`'s norm; `NO_WORD` past the end.
    #[inline]
    pub fn word(&self, i: usize) -> u32 {
        self.toks.get(i).map_or(crate::vocab::NO_WORD, |t| t.word)
    }

    /// Every letter of token `i` is upper case ("MOSCOW").
    #[inline]
    pub fn raw_is_upper(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.all_upper)
    }

    #[inline]
    pub fn kind(&self, i: usize) -> Option<TokKind> {
        self.toks.get(i).map(|t| t.kind)
    }

    /// Byte span of tokens `from..to` in the document.
    pub fn span(&self, from: usize, to: usize) -> [usize; 2] {
        [self.base + self.toks[from].start as usize, self.base + self.toks[to - 1].end as usize]
    }

    fn push(
        &mut self,
        start: usize,
        end: usize,
        kind: TokKind,
        ws: (bool, u8),
        norm: impl FnOnce(&mut String),
        upper: bool,
    ) {
        let norm_start = self.norms.len() as u32;
        norm(&mut self.norms);
        self.toks.push(Token {
            start: start as u32,
            end: end as u32,
            norm_start,
            norm_end: self.norms.len() as u32,
            word: crate::vocab::NO_WORD,
            kind,
            space_before: ws.0,
            newlines_before: ws.1,
            upper,
            all_upper: false,
        });
    }

    fn tokenize(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        let (mut space, mut newlines) = (false, 0u8);
        while i < bytes.len() {
            // ASCII is most of any English text: decode a char only when the byte says so.
            let b = bytes[i];
            let (c, clen) = if b < 0x80 {
                (b as char, 1)
            } else {
                text[i..].chars().next().map_or((' ', 1), |c| (c, c.len_utf8()))
            };
            if c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}' {
                space = true;
                if c == '\n' {
                    newlines = newlines.saturating_add(1);
                }
                i += clen;
                continue;
            }
            let ws = (space, newlines);
            (space, newlines) = (false, 0);
            if c.is_ascii_digit() {
                let end = scan_number(bytes, i);
                let mut alnum_end = end;
                while let Some(ch) = text[alnum_end..].chars().next().filter(|ch| ch.is_alphanumeric()) {
                    alnum_end += ch.len_utf8();
                }
                if alnum_end > end {
                    self.push(
                        i,
                        alnum_end,
                        TokKind::Alnum,
                        ws,
                        |s| s.push_str(&text[i..alnum_end].to_lowercase()),
                        false,
                    );
                    i = alnum_end;
                } else {
                    self.push(
                        i,
                        end,
                        TokKind::Number,
                        ws,
                        |s| s.extend(text[i..end].chars().filter(|c| *c != ',')),
                        false,
                    );
                    i = end;
                }
            } else if c.is_alphabetic() {
                let (end, ascii) = scan_word(text, i);
                let word = &text[i..end];
                // Plain ASCII words, nearly all of English, are copied and lower-cased in place.
                let all_upper = if ascii {
                    self.push(i, end, TokKind::Word, ws, |s| push_ascii_lower(s, word), c.is_ascii_uppercase());
                    !word.bytes().any(|b| b.is_ascii_lowercase())
                } else {
                    self.push(i, end, TokKind::Word, ws, |s| push_word_norm(s, word), c.is_uppercase());
                    word.chars().all(|c| !c.is_lowercase())
                };
                if let Some(t) = self.toks.last_mut() {
                    t.all_upper = all_upper;
                }
                i = end;
            } else {
                self.push(i, i + clen, TokKind::Punct, ws, |s| s.push(punct_norm(c)), false);
                i += clen;
            }
        }
    }
}

/// End of a number starting at `i`: digits, `,ddd` groups, and one `.d+` decimal part.
fn scan_number(b: &[u8], mut i: usize) -> usize {
    let digits = |b: &[u8], i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    i += digits(b, i);
    while i + 3 < b.len() + 1 && b.get(i) == Some(&b',') && digits(b, i + 1) == 3 {
        i += 4;
    }
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1 + digits(b, i + 1);
    }
    i
}

/// End of a word starting at `i`: letters and digits, with inner apostrophes ("don't"); and
/// whether the word is plain ASCII letters and digits.
fn scan_word(text: &str, i: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut j = i;
    while j < bytes.len() && bytes[j].is_ascii_alphanumeric() {
        j += 1;
    }
    // Past plain ASCII letters, only a non-ASCII letter or an apostrophe can go on the word.
    if j < bytes.len() && (bytes[j] >= 0x80 || bytes[j] == b'\'') {
        let end = scan_word_unicode(text, i);
        return (end, end == j);
    }
    (j, true)
}

fn push_ascii_lower(out: &mut String, word: &str) {
    let start = out.len();
    out.push_str(word);
    out[start..].make_ascii_lowercase();
}

fn scan_word_unicode(text: &str, mut i: usize) -> usize {
    let mut chars = text[i..].char_indices().peekable();
    let start = i;
    while let Some((off, c)) = chars.next() {
        if c.is_alphanumeric() {
            i = start + off + c.len_utf8();
        } else if is_apostrophe(c) && chars.peek().is_some_and(|(_, n)| n.is_alphabetic()) {
            continue;
        } else {
            break;
        }
    }
    i
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}')
}

fn push_word_norm(out: &mut String, word: &str) {
    if word.is_ascii() && !word.contains('\'') {
        out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
        return;
    }
    for c in word.chars() {
        if is_apostrophe(c) {
            out.push('\'');
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

fn punct_norm(c: char) -> char {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{00ab}' | '\u{00bb}' => '"',
        '\u{2018}' | '\u{2019}' | '\u{02bc}' => '\'',
        '\u{2026}' => '.',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(t: &Tokens) -> Vec<&str> {
        (0..t.len()).map(|i| t.norm(i)).collect()
    }

    #[test]
    fn numbers_words_and_punctuation() {
        let t = Tokens::new("At least 1,482 people\u{a0}were killed \u{2014} 1.2 million fled; 5th Brigade");
        assert_eq!(
            norms(&t),
            ["at", "least", "1482", "people", "were", "killed", "-", "1.2", "million", "fled", ";", "5th", "brigade"]
        );
        assert_eq!(t.kind(2), Some(TokKind::Number));
        assert_eq!(t.kind(11), Some(TokKind::Alnum));
        assert_eq!(t.span(2, 4), [9, 21]);
    }

    #[test]
    fn curly_apostrophes_and_hyphens() {
        let t = Tokens::new("Tuesday\u{2019}s strike: a 34-year-old nurse");
        assert_eq!(norms(&t), ["tuesday's", "strike", ":", "a", "34", "-", "year", "-", "old", "nurse"]);
        assert!(!t.get(5).space_before);
    }

    #[test]
    fn newlines_are_counted() {
        let t = Tokens::new("Headline\n\nBody text");
        assert_eq!(t.get(1).newlines_before, 2);
    }
}
