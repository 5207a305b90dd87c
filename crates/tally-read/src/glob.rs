//! Shell-style globs for `--include` / `--exclude`: `*` and `?` within one path component,
//! `**` across components, `[a-z]` / `[!0-9]` classes and `{html,htm}` alternatives.
//!
//! A pattern without `/` is matched against the file name, one with `/` against the path
//! below the directory being read (as git's ignore patterns do). Written here rather than
//! taken from `globset` because that crate brings `regex` into a workspace that has none.

/// One compiled pattern (its `{…}` alternatives expanded).
#[derive(Debug, Clone)]
pub struct Glob {
    alternatives: Vec<Vec<Tok>>,
    on_path: bool,
    source: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Char(char),
    /// `?`: one character other than `/`.
    One,
    /// `*`: any run of characters without `/`.
    Star,
    /// `**/`: nothing, or any run of whole components.
    Dirs,
    /// `**` at the end (or not followed by `/`): anything.
    All,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

impl Glob {
    /// Compiles `pattern`; an error names what is wrong with it.
    pub fn new(pattern: &str) -> Result<Glob, String> {
        if pattern.is_empty() {
            return Err("empty pattern".into());
        }
        let alternatives = expand_braces(pattern)?.iter().map(|p| compile(p)).collect::<Result<_, _>>()?;
        Ok(Glob { alternatives, on_path: pattern.contains('/'), source: pattern.to_string() })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether `relative` (a path below the directory read, `/`-separated) matches.
    pub fn matches(&self, relative: &str) -> bool {
        let subject = if self.on_path { relative } else { relative.rsplit('/').next().unwrap_or(relative) };
        let text: Vec<char> = subject.chars().collect();
        self.alternatives.iter().any(|toks| matches(toks, &text))
    }
}

fn expand_braces(pattern: &str) -> Result<Vec<String>, String> {
    let Some(open) = pattern.find('{') else {
        return Ok(vec![pattern.to_string()]);
    };
    let mut depth = 0;
    let mut close = None;
    let mut cuts = Vec::new();
    for (i, c) in pattern[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + i);
                    break;
                }
            }
            ',' if depth == 1 => cuts.push(open + i),
            _ => {}
        }
    }
    let close = close.ok_or_else(|| format!("unclosed '{{' in {pattern:?}"))?;
    let (head, tail) = (&pattern[..open], &pattern[close + 1..]);
    let mut bounds = vec![open];
    bounds.extend(cuts);
    bounds.push(close);
    let mut out = Vec::new();
    for w in bounds.windows(2) {
        let choice = &pattern[w[0] + 1..w[1]];
        out.extend(expand_braces(&format!("{head}{choice}{tail}"))?);
    }
    Ok(out)
}

fn compile(pattern: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if chars.get(i + 1) == Some(&'*') => {
                if chars.get(i + 2) == Some(&'/') {
                    toks.push(Tok::Dirs);
                    i += 3;
                } else {
                    toks.push(Tok::All);
                    i += 2;
                }
            }
            '*' => {
                toks.push(Tok::Star);
                i += 1;
            }
            '?' => {
                toks.push(Tok::One);
                i += 1;
            }
            '[' => {
                let mut j = i + 1;
                let negated = matches!(chars.get(j), Some('!' | '^'));
                if negated {
                    j += 1;
                }
                let mut ranges = Vec::new();
                let start = j;
                while j < chars.len() && (chars[j] != ']' || j == start) {
                    let lo = chars[j];
                    if chars.get(j + 1) == Some(&'-') && chars.get(j + 2).is_some_and(|&c| c != ']') {
                        ranges.push((lo, chars[j + 2]));
                        j += 3;
                    } else {
                        ranges.push((lo, lo));
                        j += 1;
                    }
                }
                if j >= chars.len() {
                    return Err(format!("unclosed '[' in {pattern:?}"));
                }
                toks.push(Tok::Class { negated, ranges });
                i = j + 1;
            }
            '\\' if i + 1 < chars.len() => {
                toks.push(Tok::Char(chars[i + 1]));
                i += 2;
            }
            c => {
                toks.push(Tok::Char(c));
                i += 1;
            }
        }
    }
    Ok(toks)
}

/// Dynamic programming over (token, character): linear in each, so no pattern can make
/// matching blow up the way naive backtracking over several `*` does.
fn matches(toks: &[Tok], text: &[char]) -> bool {
    let n = text.len();
    // next[j]: tokens i+1.. match text[j..]; computed from the last token backwards.
    let mut next = vec![false; n + 1];
    next[n] = true;
    for tok in toks.iter().rev() {
        let mut cur = vec![false; n + 1];
        // For `**/`: some run text[j..=k] ends in '/' with the rest matching text[k+1..].
        let mut dirs_after = false;
        for j in (0..=n).rev() {
            cur[j] = match tok {
                Tok::Char(c) => j < n && text[j] == *c && next[j + 1],
                Tok::One => j < n && text[j] != '/' && next[j + 1],
                Tok::Class { negated, ranges } => {
                    j < n
                        && text[j] != '/'
                        && ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&text[j])) != *negated
                        && next[j + 1]
                }
                Tok::Star => next[j] || (j < n && text[j] != '/' && cur[j + 1]),
                Tok::All => next[j] || (j < n && cur[j + 1]),
                Tok::Dirs => {
                    dirs_after = j < n && ((text[j] == '/' && next[j + 1]) || dirs_after);
                    next[j] || dirs_after
                }
            };
        }
        next = cur;
    }
    next[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        Glob::new(p).unwrap().matches(s)
    }

    #[test]
    fn names_paths_and_classes() {
        assert!(m("*.html", "news/2024/a.html"), "a pattern without / looks at the file name");
        assert!(!m("*.html", "a.html.bak"));
        assert!(m("*.{html,htm}", "b/c.htm"));
        assert!(m("news/*.html", "news/a.html"));
        assert!(!m("news/*.html", "news/2024/a.html"), "* stays within one component");
        assert!(m("news/**/*.html", "news/2024/05/a.html"));
        assert!(m("news/**/*.html", "news/a.html"), "**/ may match no directory");
        assert!(m("**/drafts/**", "x/drafts/y/z.txt"));
        assert!(!m("**/b", "ab") && m("**/b", "a/b") && m("**/b", "b"));
        assert!(m("page-[0-9][0-9].txt", "page-07.txt"));
        assert!(!m("page-[!0-9]*", "page-7"));
        assert!(m("?.txt", "a.txt") && !m("?.txt", "ab.txt"));
        assert!(Glob::new("[abc").is_err() && Glob::new("{a,b").is_err() && Glob::new("").is_err());
    }

    #[test]
    fn many_stars_stay_fast() {
        let p = "*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
        let s = "a".repeat(5000);
        assert!(!m(p, &s));
    }
}
