//! The range of casualty language tally must read, sentence by sentence.
//! Each case states the claims expected: kind, count text, value, low, high, qualifier.

use tally_core::{Claim, Document, Qualifier, VictimClass};
use tally_extract::Extractor;

fn claims(text: &str) -> Vec<Claim> {
    Extractor::english().extract(&Document { id: "t".into(), text: text.into(), ..Document::default() })
}

/// (kind, count text, value) for each claim.
fn summary(text: &str) -> Vec<(String, String, Option<u64>)> {
    claims(text).into_iter().map(|c| (c.kind.to_string(), c.count.text, c.count.value)).collect()
}

fn s(kind: &str, text: &str, value: Option<u64>) -> (String, String, Option<u64>) {
    (kind.to_string(), text.to_string(), value)
}

#[test]
fn killed_with_subset_and_injured() {
    let text = "At least 27 people, among them nine children, were killed and 60 more were wounded when shells hit the market, the health ministry said.";
    let c = claims(text);
    assert_eq!(
        summary(text),
        vec![s("killed", "At least 27", Some(27)), s("killed", "nine", Some(9)), s("injured", "60", Some(60))]
    );
    assert_eq!(c[0].count.qualifier, Qualifier::AtLeast);
    assert_eq!((c[0].count.low, c[0].count.high), (Some(27), None));
    assert_eq!(c[0].span, [0, 11]);
    assert_eq!(&text[c[1].span[0]..c[1].span[1]], "nine");
    assert_eq!(c[1].part_of, Some(0));
    assert_eq!(c[1].victims.groups, vec!["children".to_string()]);
    assert_eq!(c[1].victims.class, VictimClass::Civilian);
    assert_eq!(c[2].part_of, None);
    assert!(c[0].why.iter().any(|w| w == "rule:predicate"), "{:?}", c[0].why);
}

#[test]
fn running_totals_are_cumulative() {
    let c = claims("The death toll from Tuesday's strike has risen to 112.");
    assert_eq!(c.len(), 1);
    assert_eq!((c[0].kind.as_str(), c[0].count.value, c[0].cumulative), ("killed", Some(112), true));
    assert_eq!(c[0].victims.text, "");
    let c = claims("1.2 million people have been displaced since 2014.");
    assert_eq!((c[0].kind.as_str(), c[0].count.value, c[0].cumulative), ("displaced", Some(1_200_000), true));
}

#[test]
fn vague_amounts_missing_and_fled() {
    let c = claims("Dozens were reported missing and some 4,000 families have fled.");
    assert_eq!(c.len(), 2);
    assert_eq!(
        (c[0].kind.as_str(), c[0].count.value, c[0].count.low, c[0].count.high),
        ("missing", None, Some(24), Some(99))
    );
    assert_eq!(c[0].count.qualifier, Qualifier::Vague);
    assert_eq!(
        (c[1].kind.as_str(), c[1].count.value, c[1].count.low, c[1].count.high),
        ("displaced", Some(4000), Some(3600), Some(4400))
    );
    assert_eq!(c[1].victims.groups, vec!["families".to_string()]);
}

#[test]
fn released_detainees_are_not_casualties() {
    assert_eq!(summary("Two hundred and fifty detainees were released."), vec![]);
}

#[test]
fn damage_lists() {
    let c = claims("More than 1,200 homes, 14 schools and three hospitals were destroyed or damaged.");
    assert_eq!(
        c.iter().map(|c| (c.kind.as_str(), c.count.text.as_str(), c.victims.text.as_str())).collect::<Vec<_>>(),
        vec![("damaged", "More than 1,200", "homes"), ("damaged", "14", "schools"), ("damaged", "three", "hospitals")]
    );
    assert!(c.iter().all(|c| c.victims.class == VictimClass::Property));
}

#[test]
fn headlines_and_adjectival_forms() {
    assert_eq!(summary("Blast kills six in Aleppo"), vec![s("killed", "six", Some(6))]);
    assert_eq!(
        summary("9 killed and more than 30 wounded in Idlib"),
        vec![s("killed", "9", Some(9)), s("injured", "more than 30", Some(30))]
    );
    assert_eq!(
        summary("6 citizens killed 22 injured in terrorist attacks"),
        vec![s("killed", "6", Some(6)), s("injured", "22", Some(22))]
    );
    assert_eq!(
        summary("The shelling left 13 dead and 40 wounded."),
        vec![s("killed", "13", Some(13)), s("injured", "40", Some(40))]
    );
}

#[test]
fn verbal_and_nominal_forms() {
    assert_eq!(
        summary("The strike killed 12 people and wounded 30 others."),
        vec![s("killed", "12", Some(12)), s("injured", "30", Some(30))]
    );
    assert_eq!(summary("The raid caused 112 deaths."), vec![s("killed", "112", Some(112))]);
    assert_eq!(summary("Rescuers recovered the bodies of 15 people."), vec![s("killed", "15", Some(15))]);
    assert_eq!(
        summary("The bombing claimed the lives of twenty-five civilians."),
        vec![s("killed", "twenty-five", Some(25))]
    );
    assert_eq!(
        summary("A mortar shell left a child dead and a woman injured."),
        vec![s("killed", "a child", Some(1)), s("injured", "a woman", Some(1))]
    );
    assert_eq!(summary("Militants abducted 20 villagers."), vec![s("captured", "20", Some(20))]);
}

#[test]
fn coordinated_objects_share_the_verb() {
    assert_eq!(
        summary("The attack killed 12 civilians and 5 soldiers."),
        vec![s("killed", "12", Some(12)), s("killed", "5", Some(5))]
    );
}

#[test]
fn casualties_are_ambiguous() {
    let c = claims("The attack caused 50 casualties.");
    assert_eq!((c[0].kind.as_str(), c[0].ambiguous), ("killed", true));
    let c = claims("Five soldiers were killed.");
    assert!(!c[0].ambiguous);
}

#[test]
fn ranges() {
    let c = claims("Between 20 and 30 people were killed.");
    assert_eq!(
        (c[0].count.qualifier, c[0].count.value, c[0].count.low, c[0].count.high),
        (Qualifier::Range, None, Some(20), Some(30))
    );
}

#[test]
fn numbers_that_are_not_claims() {
    for text in [
        "A 34-year-old nurse was among the dead.",
        "The shell hit a village of some 2,400 people.",
        "Some 15,000 marched in the capital.",
        "The army deployed 5,000 troops to the front.",
        "The eight-year war has ravaged the country.",
        "The siege lasted 45 minutes.",
        "The 5th Brigade marked the 30th anniversary.",
        "On 14 March 2016 talks resumed.",
        "Prices rose 40 percent.",
        "The UN pledged $300 million.",
        "The convoy travelled 30 km.",
        "Security Council Resolution 2254 calls for elections.",
        "It was the third war in 20 years.",
        "Two meetings were held.",
        "They could kill thousands of people.",
        "No one was killed.",
    ] {
        assert_eq!(summary(text), vec![], "{text}");
    }
}

#[test]
fn spans_are_byte_offsets_in_messy_text() {
    let text = "\u{201c}It was terrible,\u{201d} he said.\u{a0}At\u{a0}least 27\u{a0}people were killed \u{2014} officials said.";
    let c = claims(text);
    assert_eq!(c.len(), 1);
    assert_eq!(&text[c[0].span[0]..c[0].span[1]], "At\u{a0}least 27");
    assert_eq!(c[0].count.text, "At\u{a0}least 27");
}

#[test]
fn line_breaks_inside_sentences() {
    let c = claims("Government shelling killed at least\n17 civilians in the town on Friday.");
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].count.value, Some(17));
}
