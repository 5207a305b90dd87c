//! Time expressions: absolute dates, ranges and relative phrases, as intervals.
//!
//! A small date grammar over tokens ("14 March 2016", "Aug. 3", "June 21", "March 3rd, 2017",
//! "12-13 August 2014", "between March 3 and April 18", "from 1975-1990", "since 2011",
//! "Friday night", "yesterday", "last week", "in the past 24 hours", "three days ago").
//! Relative expressions are resolved against the publication date; without one they keep
//! their words and stay unresolved (start and end null) rather than being guessed.

use super::lexicon::{CtxCue, Cues};
use crate::token::{TokKind, Tokens};
use crate::vocab::WordTest;
use std::ops::Range;
use tally_core::TimePrecision;

pub use tally_core::{days_in_month, Date};

fn month_end(y: i32, m: u32) -> Date {
    Date { y, m, d: days_in_month(y, m) }
}

/// A time expression in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeMention {
    pub tokens: Range<usize>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub precision: TimePrecision,
    /// A complete calendar date written out, usable as a publication date.
    pub full_date: bool,
}

impl TimeMention {
    /// Whether the mention names a calendar day or month ("October 1", "26.11.2014"), not
    /// only a weekday or a relative time.
    pub fn is_calendar(&self, toks: &Tokens) -> bool {
        self.full_date || self.tokens.clone().any(|k| month_of(toks.norm(k)).is_some())
    }

    /// Whether the mention is a bare year or month ("in 2011", "March"), which "began" or
    /// "the outbreak of" before it make the start of something larger.
    pub fn is_year_or_month(&self) -> bool {
        matches!(self.precision, TimePrecision::Year | TimePrecision::Month)
    }
}

/// Whether `w` names a month ("March", "Sept.").
pub fn is_month(w: &str) -> bool {
    month_of(w).is_some()
}

fn month_of(w: &str) -> Option<u32> {
    Some(match w.trim_end_matches('.') {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// Whether `w` (lower case) names a weekday or a month: never a place ("in Tuesday's raids").
pub fn is_calendar_word(w: &str) -> bool {
    weekday_of(w).is_some() || month_of(w).is_some()
}

fn weekday_of(w: &str) -> Option<u32> {
    // "Friday", "Fri", "Friday's", "Fridays" (an apostrophe stripped by the publisher)
    let w = w.strip_suffix("'s").unwrap_or(w);
    let w = match w.strip_suffix('s') {
        Some(stem) if stem.ends_with("day") => stem,
        _ => w,
    };
    Some(match w {
        "monday" | "mon" => 0,
        "tuesday" | "tue" | "tues" => 1,
        "wednesday" | "wed" => 2,
        "thursday" | "thu" | "thur" | "thurs" => 3,
        "friday" | "fri" => 4,
        "saturday" | "sat" => 5,
        "sunday" | "sun" => 6,
        _ => return None,
    })
}

/// Day of month: "14", "3rd", "21st".
fn day_of(toks: &Tokens, k: usize) -> Option<u32> {
    let w = toks.norm(k);
    let digits = match toks.kind(k)? {
        TokKind::Number => w,
        TokKind::Alnum => {
            w.strip_suffix("st").or(w.strip_suffix("nd")).or(w.strip_suffix("rd")).or(w.strip_suffix("th"))?
        }
        _ => return None,
    };
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_of(toks: &Tokens, k: usize) -> Option<i32> {
    (toks.kind(k)? == TokKind::Number)
        .then(|| toks.norm(k).parse().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

fn small_number(toks: &Tokens, k: usize) -> Option<i64> {
    let w = toks.norm(k);
    match toks.kind(k)? {
        TokKind::Number => w.parse().ok(),
        _ => small_number_word(w),
    }
}

fn small_number_word(w: &str) -> Option<i64> {
    const WORDS: [&str; 13] =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
    WORDS.iter().position(|x| *x == w).map(|i| i as i64).or((w == "a" || w == "an").then_some(1))
}

/// The words other than numbers and time cues that may start a time expression.
static TIME_START_WORDS: WordTest = WordTest::new(|w| {
    matches!(w, "between" | "from" | "since" | "in" | "during" | "the" | "early" | "mid" | "late")
        || month_of(w).is_some()
        || weekday_of(w).is_some()
        || small_number_word(w).is_some()
});

/// Every time expression in tokens `range`, left to right.
pub fn find_times(toks: &Tokens, range: Range<usize>, lex: &Cues, published: Option<Date>) -> Vec<TimeMention> {
    let mut out = Vec::new();
    let mut k = range.start;
    let starters = CtxCue::Period as u32 | CtxCue::Relative as u32 | CtxCue::Weekday as u32;
    while k < range.end {
        // Only a number, a month, a weekday or a time word can start a time expression.
        let may_start = matches!(toks.kind(k), Some(TokKind::Number | TokKind::Alnum))
            || lex.starts_any(toks, k, starters)
            || TIME_START_WORDS.at(toks, k);
        if !may_start {
            k += 1;
            continue;
        }
        match parse_at(toks, k, range.end, lex, published) {
            Some(t) => {
                k = t.tokens.end;
                out.push(t);
            }
            None => k += 1,
        }
    }
    out
}

/// The date a text gives itself at its top, which its relative times ("on Saturday") were
/// written against: a date that opens the text ("14 Nov 2017 Air strikes …"), one after a
/// publication word ("Date of publication 3 October 2017", "Posted on April 2 2017", "Last
/// updated at Nov 02 2017") or a byline's weekday and date ("AFP Sunday 26 Nov 2017"). An
/// event's date in the lead ("on 21 August 2013") is none of these.
pub fn publication_line(toks: &Tokens, lex: &Cues) -> Option<Date> {
    let end = toks.len().min(60);
    let tells_event = |k: usize| matches!(toks.norm(k), "on" | "since" | "until" | "last" | "by");
    // Only where such a date may start is the date grammar run (this runs once per document):
    // the first two words, the four after a publication word, a byline's weekday and the word
    // after it. One pass marks them.
    let mut may_start = [false; 61];
    may_start[..2].fill(true);
    for k in 0..end {
        if lex.is(toks, k, CtxCue::Publication) {
            may_start[k + 1..(k + 5).min(end)].fill(true);
        } else if toks.get(k).upper && weekday_of(toks.norm(k)).is_some() && !(k.saturating_sub(2)..k).any(tells_event)
        {
            may_start[k..(k + 2).min(end)].fill(true);
        }
    }
    (0..end).filter(|&at| may_start[at]).find_map(|at| {
        let found = find_times(toks, at..end.min(at + 8), lex, None);
        found.into_iter().find(|t| t.full_date && t.tokens.start == at)?.start
    })
}

/// The first complete date in the first tokens of a text: a date line under the headline.
pub fn date_line(toks: &Tokens, lex: &Cues) -> Option<Date> {
    let end = toks.len().min(60);
    find_times(toks, 0..end, lex, None).into_iter().find(|t| t.full_date).and_then(|t| t.start)
}

fn mention(tokens: Range<usize>, start: Option<Date>, end: Option<Date>, precision: TimePrecision) -> TimeMention {
    TimeMention { tokens, start, end, precision, full_date: false }
}

fn day(tokens: Range<usize>, date: Option<Date>) -> TimeMention {
    mention(tokens, date, date, TimePrecision::Day)
}

fn parse_at(toks: &Tokens, k: usize, end: usize, lex: &Cues, published: Option<Date>) -> Option<TimeMention> {
    let w = toks.norm(k);
    if w == "between" {
        let a = parse_date(toks, k + 1, end, published)?;
        if toks.norm(a.tokens.end) == "and" {
            let b = parse_date(toks, a.tokens.end + 1, end, published)?;
            return Some(mention(k..b.tokens.end, a.start, b.end, TimePrecision::Range));
        }
        return None;
    }
    if matches!(w, "from" | "since") {
        // "from 1975-1990", "from 1975 to 1990", "since 2011", "since March 2011"
        let date = date_or_year(toks, k + 1, end, published);
        let Some(a) = date else {
            return (w == "since").then(|| since_event(toks, k, end, lex, published)).flatten();
        };
        let after = a.tokens.end;
        if w == "from" && matches!(toks.norm(after), "-" | "to" | "until") {
            let b = date_or_year(toks, after + 1, end, published)?;
            return Some(mention(k..b.tokens.end, a.start, b.end, TimePrecision::Range));
        }
        if w == "since" {
            return Some(mention(k..after, a.start, published, TimePrecision::Range));
        }
        return None;
    }
    if w == "in" || w == "during" {
        if let Some(y) = bare_year(toks, k + 1) {
            return Some(TimeMention { tokens: k + 1..y.tokens.end, ..y });
        }
    }
    if let Some(n) = lex.cue_at(toks, k, end, CtxCue::Period) {
        return period(toks, k, k + n, end, published);
    }
    if let Some(n) = lex.cue_at(toks, k, end, CtxCue::Relative) {
        return Some(relative(toks, k..k + n, published));
    }
    if toks.norm(k + 1) == "ago" || toks.norm(k + 2) == "ago" {
        // "three days ago"
        let n = small_number(toks, k)?;
        let unit_days = unit_days(toks.norm(k + 1))?;
        let d = published.map(|p| p.plus(-n * unit_days));
        return Some(day(k..k + 3, d));
    }
    if let Some(t) = days_of_fighting(toks, k, end, lex, published) {
        return Some(t);
    }
    if w == "the" && toks.norm(k + 1) == "night" && toks.norm(k + 2) == "of" {
        let inner = parse_date(toks, k + 3, end, published)?;
        return Some(TimeMention { tokens: k..inner.tokens.end, ..inner });
    }
    parse_date(toks, k, end, published)
}

/// "since then", "since strikes began", "since the beginning of the conflict", "since the war
/// started in March 2011": a period that runs from an event to the report.
fn since_event(toks: &Tokens, k: usize, end: usize, lex: &Cues, published: Option<Date>) -> Option<TimeMention> {
    if toks.norm(k + 1) == "then" {
        return Some(mention(k..k + 2, None, published, TimePrecision::Range));
    }
    let (at, n) = (k + 1..end.min(k + 6)).find_map(|m| Some((m, lex.cue_at(toks, m, end, CtxCue::Onset)?)))?;
    let mut stop = at + n;
    if toks.norm(stop) == "of" {
        // "the beginning of the conflict": the event's noun phrase, a few words.
        stop += 1 + matches!(toks.norm(stop + 1), "the" | "a" | "an" | "this" | "its") as usize;
        let words = (stop..end.min(stop + 4)).take_while(|&m| event_word(toks, m)).count();
        if words == 0 {
            return None;
        }
        stop += words;
    }
    // "… began in March 2011": the date the period starts.
    let dated = matches!(toks.norm(stop), "in" | "on").then(|| date_or_year(toks, stop + 1, end, published)).flatten();
    match dated {
        Some(d) => Some(mention(k..d.tokens.end, d.start, published, TimePrecision::Range)),
        None => Some(mention(k..stop, None, published, TimePrecision::Range)),
    }
}

/// A word that can belong to an event's noun phrase ("the Syrian uprising", "the conflict").
fn event_word(toks: &Tokens, m: usize) -> bool {
    toks.kind(m) == Some(TokKind::Word)
        && !matches!(
            toks.norm(m),
            "have"
                | "has"
                | "had"
                | "was"
                | "were"
                | "is"
                | "are"
                | "and"
                | "that"
                | "which"
                | "in"
                | "on"
                | "at"
                | "with"
                | "by"
                | "to"
                | "according"
        )
}

fn unit_days(w: &str) -> Option<i64> {
    Some(match w.trim_end_matches('s') {
        "day" => 1,
        "hour" => 1,
        "week" => 7,
        "month" => 30,
        "year" => 365,
        _ => return None,
    })
}

/// "Seven days of airstrikes", "in three days of regime attacks", "24 hours of battle": the
/// days of a campaign up to the report, not a duration of something else ("eight years of
/// war" is the war's age, and the war is no attack word).
fn days_of_fighting(toks: &Tokens, k: usize, end: usize, lex: &Cues, published: Option<Date>) -> Option<TimeMention> {
    let n = small_number(toks, k)?;
    let unit = toks.norm(k + 1);
    if toks.norm(k + 2) != "of" || !matches!(unit.trim_end_matches('s'), "day" | "hour" | "week") {
        return None;
    }
    let fighting = |m: usize| {
        lex.is(toks, m, CtxCue::Attack) || matches!(toks.norm(m), "fighting" | "battle" | "battles" | "clashes")
    };
    (k + 3..end.min(k + 6)).any(fighting).then_some(())?;
    let span = span_days(n, unit)?;
    Some(mention(k..k + 2, published.map(|p| p.plus(-span)), published, TimePrecision::Range))
}

/// Whole days covered by `n` of `unit` ("24 hours" is one day, "two weeks" fourteen).
fn span_days(n: i64, unit: &str) -> Option<i64> {
    let per = unit_days(unit)?;
    Some(if unit.starts_with("hour") { (n + 23) / 24 } else { n * per })
}

/// "in the past 24 hours", "over the last three days", "in the past week".
fn period(toks: &Tokens, k: usize, after_cue: usize, end: usize, published: Option<Date>) -> Option<TimeMention> {
    let (n, unit_at) = match small_number(toks, after_cue) {
        Some(n) if after_cue + 1 < end => (n, after_cue + 1),
        _ => (1, after_cue),
    };
    let unit = toks.norm(unit_at);
    let span = span_days(n, unit)?;
    let start = published.map(|p| p.plus(-span));
    Some(mention(k..unit_at + 1, start, published, TimePrecision::Range))
}

fn relative(toks: &Tokens, tokens: Range<usize>, published: Option<Date>) -> TimeMention {
    let words: Vec<&str> = tokens.clone().map(|i| toks.norm(i)).collect();
    let Some(p) = published else {
        return mention(tokens, None, None, TimePrecision::Day);
    };
    let monday = p.plus(-(p.weekday() as i64));
    let (start, end, precision) = match words.as_slice() {
        ["yesterday"] | ["yesterdays"] | ["yesterday's"] | ["last", "night"] => {
            (p.plus(-1), p.plus(-1), TimePrecision::Day)
        }
        // "at dawn" without a day is the day of the report, like "this morning".
        ["today"]
        | ["todays"]
        | ["today's"]
        | ["tonight"]
        | ["this", "morning"]
        | ["earlier", "today"]
        | ["this", "afternoon"]
        | ["this", "evening"]
        | ["at", "dawn"]
        | ["at", "dusk"] => (p, p, TimePrecision::Day),
        ["last", "week"] => (monday.plus(-7), monday.plus(-1), TimePrecision::Range),
        // "over the weekend": the one under way when written on a Saturday or Sunday, else
        // the one before.
        ["the", "weekend"] | ["the", "whole", "weekend"] if p.weekday() >= 5 => {
            (monday.plus(5), p, TimePrecision::Range)
        }
        ["last", "weekend"] | ["the", "weekend"] | ["the", "whole", "weekend"] => {
            (monday.plus(-2), monday.plus(-1), TimePrecision::Range)
        }
        // Written on a Monday or Tuesday, "earlier this week" reaches back into the week before.
        ["this", "week"] | ["earlier", "this", "week"] => {
            (if p.weekday() >= 2 { monday } else { p.plus(-6) }, p, TimePrecision::Range)
        }
        ["this", "weekend"] => (monday, p, TimePrecision::Range),
        ["last", "month"] => {
            let (y, m) = if p.m == 1 { (p.y - 1, 12) } else { (p.y, p.m - 1) };
            (Date { y, m, d: 1 }, month_end(y, m), TimePrecision::Month)
        }
        ["this", "month"] | ["earlier", "this", "month"] => (Date { d: 1, ..p }, p, TimePrecision::Range),
        ["overnight"] => (p.plus(-1), p, TimePrecision::Range),
        // "in recent days/weeks/months": vague spans, given generously (a week, a month, half a year).
        ["in", "recent", "days"] => (p.plus(-7), p, TimePrecision::Range),
        ["in", "recent", "weeks"] => (p.plus(-31), p, TimePrecision::Range),
        ["in", "recent", "months"] => (p.plus(-183), p, TimePrecision::Range),
        ["last", "year"] => (Date { y: p.y - 1, m: 1, d: 1 }, Date { y: p.y - 1, m: 12, d: 31 }, TimePrecision::Year),
        _ => (Date { y: p.y, m: 1, d: 1 }, p, TimePrecision::Range),
    };
    mention(tokens, Some(start), Some(end), precision)
}

/// A date, or a year alone ("since 2011", "from 1975 to 1990").
fn date_or_year(toks: &Tokens, k: usize, end: usize, published: Option<Date>) -> Option<TimeMention> {
    parse_date(toks, k, end, published).or_else(|| bare_year(toks, k))
}

fn bare_year(toks: &Tokens, k: usize) -> Option<TimeMention> {
    let y = year_of(toks, k)?;
    // "in 2014 people" is a count, not a year.
    if toks.kind(k + 1) == Some(TokKind::Word) && !toks.get(k + 1).upper && toks.norm(k + 1).ends_with("people") {
        return None;
    }
    Some(mention(k..k + 1, Date::new(y, 1, 1), Date::new(y, 12, 31), TimePrecision::Year))
}

/// A calendar date or a weekday starting at `k`.
fn parse_date(toks: &Tokens, k: usize, end: usize, published: Option<Date>) -> Option<TimeMention> {
    if k >= end {
        return None;
    }
    if let Some(t) = part_of_period(toks, k, end, published) {
        return Some(t);
    }
    if let Some(t) = numeric_date(toks, k, end) {
        return Some(t);
    }
    // "Wednesday" / "on Friday night" / "Wed 05 Apr 2017" / "Thursday 02 June 2016"
    // (An abbreviation is a weekday only capitalised: "Sat 22 Feb", not "lay or sat".)
    let written_as_weekday = toks.kind(k) == Some(TokKind::Word) && (toks.get(k).upper || toks.norm(k).contains("day"));
    if let Some(wd) = weekday_of(toks.norm(k)).filter(|_| written_as_weekday) {
        if let Some(t) = parse_date(toks, k + 1 + (toks.norm(k + 1) == ",") as usize, end, published)
            .filter(|t| t.start.is_some() || t.full_date)
        {
            if t.precision == TimePrecision::Day {
                return Some(TimeMention { tokens: k..t.tokens.end, ..t });
            }
        }
        let mut stop = k + 1;
        if weekday_part(toks.norm(stop)) {
            stop += 1;
        }
        let date = published.map(|p| p.plus(-(((p.weekday() + 7 - wd) % 7) as i64)));
        return Some(day(k..stop, date));
    }
    // "14 March 2016", "05 Apr 2017", "12-13 August 2014"
    if let Some(d) = day_of(toks, k) {
        let (d2, m_at) = if toks.norm(k + 1) == "-" && !toks.get(k + 1).space_before {
            (day_of(toks, k + 2), k + 3)
        } else {
            (None, k + 1)
        };
        let m = month_of(toks.norm(m_at)).filter(|_| m_at < end)?;
        let mut stop = m_at + 1;
        if toks.norm(stop) == "." {
            stop += 1;
        }
        let year = year_of(toks, stop).filter(|_| stop < end);
        if year.is_some() {
            stop += 1;
        }
        let y = year.or_else(|| published.map(|p| infer_year(p, m, d)));
        let start = y.and_then(|y| Date::new(y, m, d));
        return Some(match d2 {
            Some(d2) => mention(k..stop, start, y.and_then(|y| Date::new(y, m, d2)), TimePrecision::Range),
            None => TimeMention { full_date: year.is_some(), ..day(k..stop, start) },
        });
    }
    // "March 14, 2016", "Aug. 3", "March 3rd, 2017", "March 2011", "in March"
    let m = month_of(toks.norm(k)).filter(|_| toks.get(k).upper)?;
    // "may" is a verb far more often than a month; "in May" is the month.
    let month_frame =
        k > 0 && matches!(toks.norm(k - 1), "in" | "since" | "during" | "until" | "early" | "late" | "mid");
    if toks.norm(k) == "may" && day_of(toks, k + 1).is_none() && year_of(toks, k + 1).is_none() && !month_frame {
        return None;
    }
    let mut at = k + 1;
    if toks.norm(at) == "." {
        at += 1;
    }
    if let Some(d) = day_of(toks, at).filter(|_| at < end) {
        let mut stop = at + 1;
        if toks.norm(stop) == "," {
            stop += 1;
        }
        let year = year_of(toks, stop).filter(|_| stop < end);
        let stop = if year.is_some() { stop + 1 } else { at + 1 };
        let y = year.or_else(|| published.map(|p| infer_year(p, m, d)));
        return Some(TimeMention { full_date: year.is_some(), ..day(k..stop, y.and_then(|y| Date::new(y, m, d))) });
    }
    if let Some(y) = year_of(toks, at).filter(|_| at < end) {
        return Some(mention(k..at + 1, Date::new(y, m, 1), Some(month_end(y, m)), TimePrecision::Month));
    }
    if let Some((d, y)) = glued_day_year(toks, at).filter(|_| at < end) {
        return Some(TimeMention { full_date: true, ..day(k..at + 1, Date::new(y, m, d)) });
    }
    // A month alone, in a place where a date is expected ("in March", "last March")
    if k > 0 && matches!(toks.norm(k - 1), "in" | "since" | "during" | "last" | "early" | "late" | "mid") {
        let y = published.map(|p| month_year(p, m));
        return Some(mention(
            k..k + 1,
            y.and_then(|y| Date::new(y, m, 1)),
            y.map(|y| month_end(y, m)),
            TimePrecision::Month,
        ));
    }
    None
}

/// "mid-February", "early March 2016", "late 2015": a third of a month (days 1-10, 11-20,
/// 21 to its end) or of a year (January-April, May-August, September-December).
fn part_of_period(toks: &Tokens, k: usize, end: usize, published: Option<Date>) -> Option<TimeMention> {
    let third = match toks.norm(k) {
        "early" => 0,
        "mid" => 1,
        "late" => 2,
        _ => return None,
    };
    let at = if toks.norm(k + 1) == "-" && !toks.get(k + 1).space_before { k + 2 } else { k + 1 };
    if at >= end {
        return None;
    }
    if let Some(m) = month_of(toks.norm(at)).filter(|_| toks.get(at).upper) {
        let year = year_of(toks, at + 1).filter(|_| at + 1 < end);
        let y = year.or_else(|| published.map(|p| month_year(p, m)))?;
        let first = Date::new(y, m, 1 + 10 * third)?;
        let last = if third == 2 { month_end(y, m) } else { Date::new(y, m, 10 + 10 * third)? };
        let stop = if year.is_some() { at + 2 } else { at + 1 };
        return Some(mention(k..stop, Some(first), Some(last), TimePrecision::Range));
    }
    let y = year_of(toks, at)?;
    let first_month = 1 + 4 * third;
    Some(mention(k..at + 1, Date::new(y, first_month, 1), Some(month_end(y, first_month + 3)), TimePrecision::Range))
}

/// "Last updated at Apr 152017": a day and a year that lost the space between them, as
/// scraped pages often do.
fn glued_day_year(toks: &Tokens, k: usize) -> Option<(u32, i32)> {
    let w = toks.norm(k);
    if toks.kind(k) != Some(TokKind::Number) || !(5..=6).contains(&w.len()) || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (d, y) = w.split_at(w.len() - 4);
    let (d, y): (u32, i32) = (d.parse().ok()?, y.parse().ok()?);
    ((1..=31).contains(&d) && (1900..2100).contains(&y)).then_some((d, y))
}

fn weekday_part(w: &str) -> bool {
    matches!(w, "night" | "morning" | "afternoon" | "evening" | "dawn" | "overnight")
}

/// The year of a month written without one ("in March"): the latest March up to publication.
fn month_year(p: Date, m: u32) -> i32 {
    if m > p.m {
        p.y - 1
    } else {
        p.y
    }
}

/// The year of a day and month written without one: the publication year, unless that would
/// put the date more than a week after publication.
fn infer_year(p: Date, m: u32, d: u32) -> i32 {
    match Date::new(p.y, m, d) {
        Some(date) if date.days() > p.days() + 7 => p.y - 1,
        _ => p.y,
    }
}

/// "23-04-2016", "2016-04-23", "20.07.2016".
fn numeric_date(toks: &Tokens, k: usize, end: usize) -> Option<TimeMention> {
    if toks.kind(k)? != TokKind::Number || k + 2 >= end {
        return None;
    }
    let a = toks.norm(k);
    // "20.07" was read as a decimal number: the day and month of "20.07.2016".
    if let Some((d, m)) = a.split_once('.') {
        let glued = toks.norm(k + 1) == "." && !toks.get(k + 1).space_before && !toks.get(k + 2).space_before;
        let y = year_of(toks, k + 2).filter(|_| glued)?;
        let date = Date::new(y, m.parse().ok()?, d.parse().ok()?)?;
        return Some(TimeMention { full_date: true, ..day(k..k + 3, Some(date)) });
    }
    let glued = |i: usize| toks.norm(i) == "-" && !toks.get(i).space_before && !toks.get(i + 1).space_before;
    if !(glued(k + 1) && glued(k + 3)) || k + 4 >= end {
        return None;
    }
    let (x, y, z) =
        (a.parse::<i32>().ok()?, toks.norm(k + 2).parse::<u32>().ok()?, toks.norm(k + 4).parse::<i32>().ok()?);
    let date = if x > 1900 { Date::new(x, y, z as u32) } else { Date::new(z, y, x as u32) }?;
    Some(TimeMention { full_date: true, ..day(k..k + 5, Some(date)) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::lexicon::{english, Cues};

    fn times(text: &str, published: Option<&str>) -> Vec<(String, Option<String>, Option<String>, TimePrecision)> {
        let toks = Tokens::new(text);
        let p = published.and_then(Date::parse_iso);
        find_times(&toks, 0..toks.len(), &Cues::new(&toks, english(), crate::lexicon::english()), p)
            .into_iter()
            .map(|t| {
                let [s, e] = toks.span(t.tokens.start, t.tokens.end);
                (text[s..e].to_string(), t.start.map(Date::iso), t.end.map(Date::iso), t.precision)
            })
            .collect()
    }

    fn one(text: &str, published: Option<&str>) -> (String, Option<String>, Option<String>, TimePrecision) {
        let t = times(text, published);
        assert_eq!(t.len(), 1, "{text}: {t:?}");
        t.into_iter().next().unwrap()
    }

    fn iso(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn calendar_arithmetic() {
        let d = Date::new(2016, 3, 14).unwrap();
        assert_eq!(d.weekday(), 0, "14 March 2016 was a Monday");
        assert_eq!(Date::from_days(d.days()), d);
        assert_eq!(d.plus(-14).iso(), "2016-02-29");
        assert_eq!(Date::new(2017, 2, 29), None);
    }

    #[test]
    fn absolute_dates() {
        use TimePrecision::*;
        assert_eq!(one("on 14 March 2016", None), ("14 March 2016".into(), iso("2016-03-14"), iso("2016-03-14"), Day));
        assert_eq!(
            one("on Aug. 3 the", Some("2014-08-10")),
            ("Aug. 3".into(), iso("2014-08-03"), iso("2014-08-03"), Day)
        );
        assert_eq!(one("June 21", Some("2015-01-10")).1, iso("2014-06-21"), "a date after publication is last year's");
        assert_eq!(one("March 3rd, 2017 was", None).1, iso("2017-03-03"));
        assert_eq!(one("23-04-2016 Child killed", None).1, iso("2016-04-23"));
        assert_eq!(one("20.07.2016(updated", None).1, iso("2016-07-20"));
        assert_eq!(one("in March 2011", None), ("March 2011".into(), iso("2011-03-01"), iso("2011-03-31"), Month));
        assert_eq!(one("in 2014", None), ("2014".into(), iso("2014-01-01"), iso("2014-12-31"), Year));
        assert_eq!(one("Wed 05 Apr 2017 Syria", None).1, iso("2017-04-05"));
    }

    #[test]
    fn ranges() {
        use TimePrecision::*;
        assert_eq!(
            one("on the night of 12-13 August 2014", None),
            ("the night of 12-13 August 2014".into(), iso("2014-08-12"), iso("2014-08-13"), Range)
        );
        assert_eq!(
            one("between March 3 and April 18", Some("2016-05-01")),
            ("between March 3 and April 18".into(), iso("2016-03-03"), iso("2016-04-18"), Range)
        );
        assert_eq!(one("from 1975-1990", None), ("from 1975-1990".into(), iso("1975-01-01"), iso("1990-12-31"), Range));
        assert_eq!(
            one("since 2011", Some("2016-05-01")),
            ("since 2011".into(), iso("2011-01-01"), iso("2016-05-01"), Range)
        );
        // A period from an event: dated when the text dates it, else open at the start.
        assert_eq!(
            one("killed since the beginning of the conflict in March 2011.", Some("2016-05-01")),
            ("since the beginning of the conflict in March 2011".into(), iso("2011-03-01"), iso("2016-05-01"), Range)
        );
        assert_eq!(
            one("killed since strikes began.", Some("2016-05-01")),
            ("since strikes began".into(), None, iso("2016-05-01"), Range)
        );
        assert_eq!(one("Since then", None), ("Since then".into(), None, None, Range));
        assert!(times("since the", None).is_empty(), "no event, no period");
        // A third of a month or a year.
        assert_eq!(
            one("since mid-February", Some("2016-04-10")),
            ("since mid-February".into(), iso("2016-02-11"), iso("2016-04-10"), Range)
        );
        assert_eq!(
            one("in early March", Some("2016-04-10")),
            ("early March".into(), iso("2016-03-01"), iso("2016-03-10"), Range)
        );
        assert_eq!(
            one("late February 2015", None),
            ("late February 2015".into(), iso("2015-02-21"), iso("2015-02-28"), Range)
        );
        assert_eq!(one("in late 2015", None), ("late 2015".into(), iso("2015-09-01"), iso("2015-12-31"), Range));
        assert!(times("late on Friday", None).iter().all(|t| t.0 == "Friday"), "late on a day is that day");
    }

    #[test]
    fn relative_expressions_need_a_publication_date() {
        use TimePrecision::*;
        // 2016-03-16 was a Wednesday
        assert_eq!(
            one("on Friday night", Some("2016-03-16")),
            ("Friday night".into(), iso("2016-03-11"), iso("2016-03-11"), Day)
        );
        assert_eq!(one("Wednesday", Some("2016-03-16")).1, iso("2016-03-16"));
        assert_eq!(one("yesterday", Some("2016-03-16")).1, iso("2016-03-15"));
        assert_eq!(one("at dawn", Some("2016-03-16")), ("at dawn".into(), iso("2016-03-16"), iso("2016-03-16"), Day));
        assert_eq!(
            one("last week", Some("2016-03-16")),
            ("last week".into(), iso("2016-03-07"), iso("2016-03-13"), Range)
        );
        assert_eq!(one("earlier this week", Some("2016-03-16")).1, iso("2016-03-14"));
        // Written on a Monday, "earlier this week" reaches back into the week before.
        assert_eq!(one("earlier this week", Some("2016-03-14")).1, iso("2016-03-08"));
        assert_eq!(one("last year", Some("2016-03-16")).1, iso("2015-01-01"));
        assert_eq!(
            one("in the past 24 hours", Some("2016-03-16")),
            ("in the past 24 hours".into(), iso("2016-03-15"), iso("2016-03-16"), Range)
        );
        assert_eq!(one("three days ago", Some("2016-03-16")).1, iso("2016-03-13"));
        assert_eq!(
            one("in recent weeks", Some("2016-03-16")),
            ("in recent weeks".into(), iso("2016-02-14"), iso("2016-03-16"), Range)
        );
        assert_eq!(one("overnight", Some("2016-03-16")).1, iso("2016-03-15"));
        // "over the weekend": the one before, or the one under way on a Saturday or Sunday.
        assert_eq!(
            one("over the whole weekend", Some("2016-03-16")),
            ("the whole weekend".into(), iso("2016-03-12"), iso("2016-03-13"), Range)
        );
        assert_eq!(one("over the weekend", Some("2016-03-13")).1, iso("2016-03-12"));
        assert_eq!(one("on Friday night", None), ("Friday night".into(), None, None, Day), "unresolved, not guessed");
    }

    #[test]
    fn durations_ages_and_modal_may_are_not_dates() {
        assert_eq!(times("a 34-year-old man and the eight-year war lasted 45 minutes", Some("2016-03-16")), vec![]);
        assert_eq!(times("the toll may rise", Some("2016-03-16")), vec![]);
    }
}
