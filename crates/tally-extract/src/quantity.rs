//! Count phrases: a number in any of its written forms, with the qualifier that bounds it.
//!
//! Recognises digits (`1,482`, `1.2 million`), number words (`two hundred and fifty`,
//! `a dozen`), vague amounts (`dozens`, `hundreds of thousands`), qualifiers (`at least`,
//! `some`), and ranges (`between 20 and 30`, `20-30`, `two or three`). It also rejects the
//! numbers that are not counts of anything harmed (dates, years, ages, ordinals, times,
//! money, designators such as "Resolution 2254"), so later rules only see plausible counts.

use crate::lexicon::{Cue, Lexicon, NumRole};
use crate::token::{TokKind, Tokens};
use tally_core::{Count, Qualifier};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityForm {
    Digits,
    Words,
    Vague,
    /// "a child", "an officer": one, stated by an article and a singular noun.
    Article,
}

impl QuantityForm {
    pub fn as_str(self) -> &'static str {
        match self {
            QuantityForm::Digits => "digits",
            QuantityForm::Words => "number-words",
            QuantityForm::Vague => "vague-amount",
            QuantityForm::Article => "article",
        }
    }
}

/// A count phrase: tokens `start..end`, including its qualifier.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub start: usize,
    pub end: usize,
    pub value: Option<u64>,
    pub low: u64,
    pub high: Option<u64>,
    pub qualifier: Qualifier,
    pub form: QuantityForm,
}

impl Quantity {
    pub fn to_count(&self, text: String) -> Count {
        match self.value {
            Some(v) if self.qualifier != Qualifier::Range && self.qualifier != Qualifier::Vague => {
                Count::new(text, v, self.qualifier)
            }
            _ => Count::interval(text, self.low, self.high, self.qualifier),
        }
    }
}

/// A bare number: its value, how many tokens it took, and its form.
struct Number {
    value: u64,
    len: usize,
    form: QuantityForm,
}

/// Every count phrase in tokens `range`, left to right, without overlaps.
pub fn find_quantities(toks: &Tokens, range: std::ops::Range<usize>, lex: &Lexicon) -> Vec<Quantity> {
    find_quantities_where(toks, range, lex, |i| lex.starts_quantity(toks.word(i)))
}

/// [`find_quantities`], asking `word_may_start` (a per-block table) whether a count phrase
/// may start at a word.
pub fn find_quantities_where(
    toks: &Tokens,
    range: std::ops::Range<usize>,
    lex: &Lexicon,
    word_may_start: impl Fn(usize) -> bool,
) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        if !(toks.kind(i) == Some(TokKind::Number) || word_may_start(i)) {
            i += 1;
            continue;
        }
        match parse_at(toks, i, range.end, lex) {
            Some(q) if !is_not_a_count(toks, &q, range.start, lex) => {
                i = q.end;
                out.push(q);
            }
            Some(q) => i = q.end,
            None => i += 1,
        }
    }
    out
}

fn parse_at(toks: &Tokens, i: usize, end: usize, lex: &Lexicon) -> Option<Quantity> {
    if toks.norm(i) == "between" {
        if let Some(q) = parse_between(toks, i, end, lex) {
            return Some(q);
        }
    }
    let (mut qlen, mut qualifier) = (0, None);
    // "an estimated at least 50": the last qualifier bounds the number.
    while let Some((n, q)) = lex.qualifiers.longest_at(toks, i + qlen, end) {
        if !(starts_number(toks, i + qlen + n, end, lex)
            || lex.qualifiers.longest_at(toks, i + qlen + n, end).is_some())
        {
            break;
        }
        qlen += n;
        qualifier = Some(*q);
    }
    if qualifier.is_some() && !starts_number(toks, i + qlen, end, lex) {
        (qlen, qualifier) = (0, None);
    }
    let j = i + qlen;
    if let Some((n, &(low, high))) = lex.vague.longest_at(toks, j, end) {
        return Some(Quantity {
            start: i,
            end: j + n,
            value: None,
            low,
            high,
            qualifier: Qualifier::Vague,
            form: QuantityForm::Vague,
        });
    }
    if let Some(q) = parse_fraction(toks, i, j, qualifier, end, lex) {
        return Some(q);
    }
    let first = parse_number(toks, j, end, lex)?;
    let after = j + first.len;
    if let Some(q) = parse_range_tail(toks, i, j, &first, end, lex) {
        return Some(q);
    }
    // "35+ dead"
    let plus = toks.norm(after) == "+" && after < end && !toks.get(after).space_before;
    let qualifier = match (qualifier, plus) {
        (Some(q), _) => q,
        (None, true) => Qualifier::MoreThan,
        (None, false) => Qualifier::Exact,
    };
    let count = Count::new(String::new(), first.value, qualifier);
    Some(Quantity {
        start: i,
        end: after + plus as usize,
        value: Some(first.value),
        low: count.low.unwrap_or(first.value),
        high: count.high,
        qualifier,
        form: first.form,
    })
}

/// "half a million", "a quarter of a million"
fn parse_fraction(
    toks: &Tokens,
    i: usize,
    j: usize,
    qualifier: Option<Qualifier>,
    end: usize,
    lex: &Lexicon,
) -> Option<Quantity> {
    let mut k = j;
    if toks.norm(k) == "a" {
        k += 1;
    }
    let fraction = match toks.norm(k) {
        "half" => 0.5,
        "quarter" => 0.25,
        _ => return None,
    };
    k += 1;
    if toks.norm(k) == "of" {
        k += 1;
    }
    if toks.norm(k) != "a" || k + 1 >= end {
        return None;
    }
    let &(scale, NumRole::Scale) = lex.numbers.get(toks.norm(k + 1))? else { return None };
    let value = (scale as f64 * fraction) as u64;
    let qualifier = qualifier.unwrap_or(Qualifier::Exact);
    let count = Count::new(String::new(), value, qualifier);
    Some(Quantity {
        start: i,
        end: k + 2,
        value: Some(value),
        low: count.low.unwrap_or(value),
        high: count.high,
        qualifier,
        form: QuantityForm::Words,
    })
}

fn starts_number(toks: &Tokens, i: usize, end: usize, lex: &Lexicon) -> bool {
    let fraction = matches!(toks.norm(i), "half" | "quarter")
        || (toks.norm(i) == "a" && matches!(toks.norm(i + 1), "half" | "quarter"));
    i < end && (fraction || lex.vague.longest_at(toks, i, end).is_some() || parse_number(toks, i, end, lex).is_some())
}

/// "between 20 and 30"
fn parse_between(toks: &Tokens, i: usize, end: usize, lex: &Lexicon) -> Option<Quantity> {
    let a = parse_number(toks, i + 1, end, lex)?;
    let and = i + 1 + a.len;
    if toks.norm(and) != "and" {
        return None;
    }
    let b = parse_number(toks, and + 1, end, lex)?;
    (a.value < b.value).then(|| range(i, and + 1 + b.len, a.value, b.value, a.form))
}

/// "20 to 30", "20-30", "two or three": a second number after the first.
fn parse_range_tail(toks: &Tokens, i: usize, j: usize, first: &Number, end: usize, lex: &Lexicon) -> Option<Quantity> {
    let sep = j + first.len;
    let joined = match toks.norm(sep) {
        "to" | "or" => toks.norm(i.wrapping_sub(1)) != "from",
        "-" => !toks.get(sep).space_before && first.form == QuantityForm::Digits,
        _ => false,
    };
    if !joined || sep + 1 >= end {
        return None;
    }
    let second = parse_number(toks, sep + 1, end, lex)?;
    (first.value < second.value && second.form == first.form)
        .then(|| range(i, sep + 1 + second.len, first.value, second.value, first.form))
}

fn range(start: usize, end: usize, low: u64, high: u64, form: QuantityForm) -> Quantity {
    Quantity { start, end, value: None, low, high: Some(high), qualifier: Qualifier::Range, form }
}

fn parse_number(toks: &Tokens, i: usize, end: usize, lex: &Lexicon) -> Option<Number> {
    if i >= end {
        return None;
    }
    match toks.kind(i)? {
        TokKind::Number => parse_digits(toks, i, end, lex),
        TokKind::Word => {
            // "a dozen", "a hundred", "a thousand"
            if toks.norm(i) == "a" && i + 1 < end {
                let rest = parse_words(toks, i + 1, end, lex, true)?;
                return Some(Number { value: rest.value, len: rest.len + 1, form: QuantityForm::Words });
            }
            parse_words(toks, i, end, lex, false)
        }
        _ => None,
    }
}

fn parse_digits(toks: &Tokens, i: usize, end: usize, lex: &Lexicon) -> Option<Number> {
    let text = toks.norm(i);
    let (value, is_decimal) = match text.split_once('.') {
        Some((int, frac)) => (format!("{int}.{frac}").parse::<f64>().ok()?, true),
        None => (text.parse::<u64>().ok()? as f64, false),
    };
    let scale = match lex.numbers.get(toks.norm(i + 1)) {
        Some(&(v, NumRole::Scale)) if i + 1 < end => Some(v),
        _ => None,
    };
    match scale {
        Some(s) => Some(Number { value: (value * s as f64).round() as u64, len: 2, form: QuantityForm::Digits }),
        None if is_decimal => None,
        None => Some(Number { value: value as u64, len: 1, form: QuantityForm::Digits }),
    }
}

/// "two hundred and fifty", "twenty-five", "three thousand", "two dozen".
fn parse_words(toks: &Tokens, i: usize, end: usize, lex: &Lexicon, after_article: bool) -> Option<Number> {
    let (mut total, mut current, mut k, mut last) = (0u64, 0u64, i, None::<NumRole>);
    let mut consumed = i;
    while k < end {
        let w = toks.norm(k);
        if let Some(&(v, role)) = lex.numbers.get(w) {
            let fits = match (last, role) {
                (None, _) => true,
                (Some(NumRole::Tens), NumRole::Unit) => v < 10,
                (Some(NumRole::Unit | NumRole::Tens), NumRole::Hundred | NumRole::Scale | NumRole::Dozen) => true,
                (Some(NumRole::Hundred), NumRole::Unit | NumRole::Tens | NumRole::Scale) => true,
                (Some(NumRole::Scale), NumRole::Unit | NumRole::Tens) => true,
                (Some(NumRole::Scale), NumRole::Hundred) => false,
                _ => false,
            };
            if !fits {
                break;
            }
            match role {
                NumRole::Unit | NumRole::Tens => current += v,
                NumRole::Hundred => current = current.max(1) * 100,
                NumRole::Dozen => current = current.max(1) * 12,
                NumRole::Scale => {
                    total += current.max(1) * v;
                    current = 0;
                }
            }
            last = Some(role);
            k += 1;
            consumed = k;
        } else if (w == "and" && matches!(last, Some(NumRole::Hundred | NumRole::Scale)))
            || (w == "-" && last == Some(NumRole::Tens) && !toks.get(k).space_before)
        {
            k += 1; // only kept if a number word follows
        } else {
            break;
        }
    }
    let value = total + current;
    // A bare "dozen" or "hundred" needs its article ("a dozen"), handled by the caller.
    let starts_with_multiplier =
        matches!(lex.numbers.get(toks.norm(i)), Some((_, NumRole::Dozen | NumRole::Hundred | NumRole::Scale)));
    (consumed > i && starts_with_multiplier == after_article).then_some(Number {
        value,
        len: consumed - i,
        form: QuantityForm::Words,
    })
}

/// Dates, years, times, ages, money, ordinals and designators look like counts but are not.
fn is_not_a_count(toks: &Tokens, q: &Quantity, sent_start: usize, lex: &Lexicon) -> bool {
    let first_num = (q.start..q.end).find(|&k| toks.kind(k) == Some(TokKind::Number)).unwrap_or(q.start);
    // "Feb. 26": look past the abbreviation's period.
    let prev = q.start.checked_sub(1).filter(|&p| p >= sent_start).map(|p| {
        if toks.norm(p) == "." && p > sent_start && lex.is_cue(toks, p - 1, Cue::Month) {
            p - 1
        } else {
            p
        }
    });
    let next = q.end;
    let prev_norm = prev.map_or("", |p| toks.norm(p));
    let is_digits = q.form == QuantityForm::Digits;
    // "Resolution 2254", "aged 34", "$ 5", "Feb 26"
    let bare = q.start == first_num;
    if bare
        && prev.is_some_and(|p| lex.is_cue(toks, p, Cue::Designator) || lex.is_cue(toks, p, Cue::Month))
        && is_digits
    {
        return true;
    }
    if matches!(prev_norm, "$" | "£" | "€" | "#" | "no" | "sp") {
        return true;
    }
    // "26 February", "10:30", "50%", "34-year-old"
    let next_norm = toks.norm(next);
    if lex.is_cue(toks, next, Cue::Month) && is_digits && next < toks.len() {
        return true;
    }
    let glued_next = next < toks.len() && !toks.get(next).space_before;
    if matches!(next_norm, "%" | "am" | "pm" | "gmt") || (glued_next && matches!(next_norm, ":" | "/" | "°")) {
        return true;
    }
    if next_norm == "-" && !toks.get(next).space_before && toks.kind(next + 1) == Some(TokKind::Word) {
        return true;
    }
    if is_digits {
        let raw = toks.norm(first_num);
        // Clock times and codes: "0914"
        if raw.len() > 1 && raw.starts_with('0') {
            return true;
        }
        // "at 1514": a clock time.
        if raw.len() == 4 && prev_norm == "at" && !followed_by_victim(toks, next, lex) {
            return true;
        }
        // "in 2011 killed", "since 2014": a year unless a victim noun follows ("2000 people").
        let year_context = prev.is_some_and(|p| lex.is_cue(toks, p, Cue::YearContext));
        if is_year(q)
            && (year_context || !followed_by_countable(toks, next, lex))
            && !followed_by_victim(toks, next, lex)
        {
            return true;
        }
        // "August 12 2016": a year after a day of a month.
        let after_day = prev.is_some_and(|p| {
            toks.kind(p) == Some(TokKind::Number) && p > sent_start && lex.is_cue(toks, p - 1, Cue::Month)
        });
        if is_year(q) && after_day {
            return true;
        }
    }
    false
}

fn is_year(q: &Quantity) -> bool {
    q.form == QuantityForm::Digits
        && q.qualifier == Qualifier::Exact
        && q.value.is_some_and(|v| (1900..=2100).contains(&v))
}

fn followed_by_victim(toks: &Tokens, i: usize, lex: &Lexicon) -> bool {
    lex.noun(toks.norm(i)).is_some_and(|n| n.class != crate::lexicon::NounClass::Unit)
}

/// A victim noun or casualty word right after a year-like number makes it a count: "2000 people".
fn followed_by_countable(toks: &Tokens, i: usize, lex: &Lexicon) -> bool {
    let w = toks.norm(i);
    lex.noun(w).is_some_and(|n| n.class != crate::lexicon::NounClass::Unit)
        || lex.triggers.longest_at(toks, i, toks.len()).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::english;

    fn quantities(text: &str) -> Vec<(String, Option<u64>, u64, Option<u64>, Qualifier)> {
        let toks = Tokens::new(text);
        find_quantities(&toks, 0..toks.len(), english())
            .into_iter()
            .map(|q| {
                let [s, e] = toks.span(q.start, q.end);
                (text[s..e].to_string(), q.value, q.low, q.high, q.qualifier)
            })
            .collect()
    }

    #[test]
    fn digits_words_and_scales() {
        use Qualifier::*;
        assert_eq!(
            quantities("1,482 and 27910 and 1.2 million and two hundred and fifty and twenty-five and a dozen"),
            vec![
                ("1,482".into(), Some(1482), 1482, Some(1482), Exact),
                ("27910".into(), Some(27910), 27910, Some(27910), Exact),
                ("1.2 million".into(), Some(1_200_000), 1_200_000, Some(1_200_000), Exact),
                ("two hundred and fifty".into(), Some(250), 250, Some(250), Exact),
                ("twenty-five".into(), Some(25), 25, Some(25), Exact),
                ("a dozen".into(), Some(12), 12, Some(12), Exact),
            ]
        );
    }

    #[test]
    fn qualifiers_and_intervals() {
        use Qualifier::*;
        let q = quantities("at least 27; more than 1,200; some 4,000; nearly 100; up to 50; fewer than 10; about 30");
        let got: Vec<_> = q.iter().map(|(t, v, l, h, q)| (t.as_str(), *v, *l, *h, *q)).collect();
        assert_eq!(
            got,
            vec![
                ("at least 27", Some(27), 27, None, AtLeast),
                ("more than 1,200", Some(1200), 1201, None, MoreThan),
                ("some 4,000", Some(4000), 3600, Some(4400), About),
                ("nearly 100", Some(100), 90, Some(100), Nearly),
                ("up to 50", Some(50), 1, Some(50), UpTo),
                ("fewer than 10", Some(10), 1, Some(9), FewerThan),
                ("about 30", Some(30), 27, Some(33), About),
            ]
        );
    }

    #[test]
    fn ranges_and_vague_amounts() {
        use Qualifier::*;
        let q = quantities("between 20 and 30, 20-30, two or three, dozens, hundreds of thousands, several");
        let got: Vec<_> = q.iter().map(|(t, v, l, h, q)| (t.as_str(), *v, *l, *h, *q)).collect();
        assert_eq!(
            got,
            vec![
                ("between 20 and 30", None, 20, Some(30), Range),
                ("20-30", None, 20, Some(30), Range),
                ("two or three", None, 2, Some(3), Range),
                ("dozens", None, 24, Some(99), Vague),
                ("hundreds of thousands", None, 200_000, Some(999_999), Vague),
                ("several", None, 3, Some(9), Vague),
            ]
        );
    }

    #[test]
    fn things_that_are_not_counts() {
        let none = [
            "a 34-year-old nurse",
            "on 14 March 2016",
            "in 2014",
            "Resolution 2254",
            "at 0914 GMT",
            "the 5th Brigade",
            "50% of",
            "$ 300",
            "aged 34",
            "Feb. 26",
        ];
        for text in none {
            assert_eq!(quantities(text), vec![], "{text}");
        }
    }

    #[test]
    fn plus_sign_means_more_than() {
        assert_eq!(quantities("35+ dead")[0], ("35+".into(), Some(35), 36, None, Qualifier::MoreThan));
    }

    #[test]
    fn chained_qualifiers_keep_the_last() {
        let q = quantities("an estimated at least 50");
        assert_eq!((q[0].0.as_str(), q[0].4), ("an estimated at least 50", Qualifier::AtLeast));
    }

    #[test]
    fn fractions_of_scales() {
        let q = quantities("more than a quarter of a million and half a million");
        assert_eq!(q[0].0, "more than a quarter of a million");
        assert_eq!((q[0].1, q[0].4), (Some(250_000), Qualifier::MoreThan));
        assert_eq!((q[1].0.as_str(), q[1].1), ("half a million", Some(500_000)));
    }

    #[test]
    fn year_after_a_date_is_not_a_count() {
        assert_eq!(quantities("August 12 2016 Terrorists executed"), vec![]);
    }

    #[test]
    fn year_like_counts_before_victims_stay() {
        assert_eq!(quantities("2000 people fled")[0].1, Some(2000));
    }
}
