//! Spelling-proof keys for place names, shared by the gazetteer (loose transliterations of
//! names it knows) and linking (the same unknown name spelt two ways in two reports).

/// A spelling-proof key: the letters of a folded name (lower case, words separated by single
/// spaces) without articles, without vowels after the first letter, without doubled letters
/// and without a final "h"; French "dj" is "j". "al-Quria" and "Al Quriyah", "Hassajik" and "Hassadjek", "Boleel"
/// and "Boulil" share one.
pub fn spelling_skeleton(folded: &str) -> String {
    let words = folded
        .split(' ')
        .filter(|w| !matches!(*w, "al" | "el" | "ar" | "as" | "ash" | "ad" | "at" | "az" | "ez" | "ed" | "es" | "an"));
    let joined: String = words.collect();
    let mut out = String::with_capacity(joined.len());
    let mut chars = joined.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
        let silent = c == 'd' && chars.peek().is_some_and(|&(_, n)| n == 'j');
        if (i == 0 || !vowel) && !silent && !out.ends_with(c) {
            out.push(c);
        }
    }
    out.trim_end_matches('h').to_string()
}

#[cfg(test)]
mod tests {
    use super::spelling_skeleton;

    #[test]
    fn variants_share_a_skeleton_and_other_names_do_not() {
        let key = spelling_skeleton;
        assert_eq!(key("al quria"), key("al quriyah"));
        assert_eq!(key("hassajik"), key("hassadjek"));
        assert_eq!(key("boleel"), key("boulil"));
        assert_eq!(key("urum al kubra"), key("urum al kobra"));
        assert_ne!(key("hama"), key("homs"));
        assert_ne!(key("idlib"), key("adlib"), "the first letter stays");
    }
}
