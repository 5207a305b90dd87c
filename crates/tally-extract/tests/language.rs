//! The range of casualty language tally must read, sentence by sentence.
//! Each case states the claims expected: kind, count text, value, low, high, qualifier.

use tally_core::{Claim, Document, Qualifier, VictimClass};
use tally_extract::Extractor;

fn claims(text: &str) -> Vec<Claim> {
    Extractor::english().extract(&Document { id: "t".into(), text: text.into(), ..Document::default() })
}

/// (kind, count text, value) for each claim.
fn summary(text: &str) -> Vec<(String, String, Option<u64>)> {
    claims(text)
        .into_iter()
        .map(|c| (c.kind.unwrap().to_string(), c.count.as_ref().unwrap().text.clone(), c.count.as_ref().unwrap().value))
        .collect()
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
    assert_eq!(c[0].count.as_ref().unwrap().qualifier, Qualifier::AtLeast);
    assert_eq!((c[0].count.as_ref().unwrap().low, c[0].count.as_ref().unwrap().high), (Some(27), None));
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
    assert_eq!(
        (c[0].kind.unwrap().as_str(), c[0].count.as_ref().unwrap().value, c[0].cumulative),
        ("killed", Some(112), true)
    );
    assert_eq!(c[0].victims.text, "");
    let c = claims("1.2 million people have been displaced since 2014.");
    assert_eq!(
        (c[0].kind.unwrap().as_str(), c[0].count.as_ref().unwrap().value, c[0].cumulative),
        ("displaced", Some(1_200_000), true)
    );
}

#[test]
fn vague_amounts_missing_and_fled() {
    let c = claims("Dozens were reported missing and some 4,000 families have fled.");
    assert_eq!(c.len(), 2);
    assert_eq!(
        (
            c[0].kind.unwrap().as_str(),
            c[0].count.as_ref().unwrap().value,
            c[0].count.as_ref().unwrap().low,
            c[0].count.as_ref().unwrap().high
        ),
        ("missing", None, Some(24), Some(99))
    );
    assert_eq!(c[0].count.as_ref().unwrap().qualifier, Qualifier::Vague);
    assert_eq!(
        (
            c[1].kind.unwrap().as_str(),
            c[1].count.as_ref().unwrap().value,
            c[1].count.as_ref().unwrap().low,
            c[1].count.as_ref().unwrap().high
        ),
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
        c.iter()
            .map(|c| (c.kind.unwrap().as_str(), c.count.as_ref().unwrap().text.as_str(), c.victims.text.as_str()))
            .collect::<Vec<_>>(),
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
    assert_eq!((c[0].kind.unwrap().as_str(), c[0].ambiguous), ("killed", true));
    let c = claims("Five soldiers were killed.");
    assert!(!c[0].ambiguous);
}

#[test]
fn ranges() {
    let c = claims("Between 20 and 30 people were killed.");
    assert_eq!(
        (
            c[0].count.as_ref().unwrap().qualifier,
            c[0].count.as_ref().unwrap().value,
            c[0].count.as_ref().unwrap().low,
            c[0].count.as_ref().unwrap().high
        ),
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
    assert_eq!(c[0].count.as_ref().unwrap().text, "At\u{a0}least 27");
}

#[test]
fn line_breaks_inside_sentences() {
    let c = claims("Government shelling killed at least\n17 civilians in the town on Friday.");
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].count.as_ref().unwrap().value, Some(17));
}

#[test]
fn subsets_before_and_after_their_parent() {
    let c = claims("Air strikes killed 12 people, five of them children.");
    assert_eq!(
        summary("Air strikes killed 12 people, five of them children."),
        vec![s("killed", "12", Some(12)), s("killed", "five", Some(5))]
    );
    assert_eq!(c[1].part_of, Some(0));
    let c = claims("At least 68 children were among the 126 people killed in the attack.");
    assert_eq!(c.len(), 2);
    assert_eq!((c[0].count.as_ref().unwrap().value, c[0].part_of), (Some(68), Some(1)), "the parent may come later");
    assert_eq!((c[1].count.as_ref().unwrap().value, c[1].part_of), (Some(126), None));
    let c = claims("Twelve people were killed on Monday. At least 9 of the dead were children.");
    assert_eq!((c[1].kind.unwrap().as_str(), c[1].part_of), ("killed", Some(0)));
    let c = claims("Among the dead were 22 children and 6 women.");
    assert_eq!(
        c.iter().map(|c| (c.kind.unwrap().as_str(), c.count.as_ref().unwrap().value)).collect::<Vec<_>>(),
        vec![("killed", Some(22)), ("killed", Some(6))]
    );
    // What the subset's people were doing is no casualty word of its own.
    let c = claims("Air strikes killed 14 people including three children fleeing across the river on rafts.");
    assert_eq!(
        c.iter().map(|c| (c.kind.unwrap().as_str(), c.count.as_ref().unwrap().value, c.part_of)).collect::<Vec<_>>(),
        vec![("killed", Some(14), None), ("killed", Some(3), Some(0))]
    );
    // Outside a subset, people fleeing are displaced.
    assert_eq!(
        summary("The strikes killed 14 people, and 300 civilians fleeing on rafts reached Turkey."),
        vec![s("killed", "14", Some(14)), s("displaced", "300", Some(300))]
    );
}

#[test]
fn many_before_a_vague_amount() {
    let c = claims("The war has killed many hundreds of thousands of people and displaced many millions.");
    let counts: Vec<_> =
        c.iter().map(|c| c.count.as_ref().unwrap()).map(|n| (n.text.as_str(), n.low, n.high)).collect();
    assert_eq!(
        counts,
        vec![
            ("many hundreds of thousands", Some(200_000), Some(999_999)),
            ("many millions", Some(2_000_000), Some(9_999_999))
        ]
    );
}

#[test]
fn toll_frames_near_and_far() {
    let c = claims("The number of members of the Russian forces killed in Syria rose to 18.");
    assert_eq!(
        (c[0].kind.unwrap().as_str(), c[0].count.as_ref().unwrap().value, c[0].cumulative),
        ("killed", Some(18), true)
    );
    let c = claims(
        "The death toll from Saturday's air strikes on the opposition-held city of Al Quriyah has risen to 82 people.",
    );
    assert_eq!(
        (c[0].count.as_ref().unwrap().value, c[0].why.contains(&"cue:death toll".to_string())),
        (Some(82), true)
    );
}

#[test]
fn lists_of_destroyed_objects() {
    assert_eq!(
        summary("Army units killed 70 terrorists and destroyed a tank, two rocket launchers and three cannons."),
        vec![s("killed", "70", Some(70)), s("damaged", "two", Some(2)), s("damaged", "three", Some(3))]
    );
    assert_eq!(summary("The strikes also destroyed 14 of IS military vehicles."), vec![s("damaged", "14", Some(14))]);
    assert_eq!(summary("Tens of armored vehicles were destroyed."), vec![s("damaged", "Tens", None)]);
    let c = claims("The shelling caused material damage to 7 cars.");
    assert_eq!((c[0].kind.unwrap().as_str(), c[0].victims.class), ("damaged", VictimClass::Property));
}

#[test]
fn damage_words_on_fighters_report_deaths() {
    let c = claims("Up to 80 fighters were destroyed in the area.");
    assert_eq!(c[0].kind.unwrap().as_str(), "killed");
    assert!(c[0].why.contains(&"kind:damage-word-on-fighters=killed".to_string()));
}

#[test]
fn members_of_armed_organisations_are_combatants() {
    for text in
        ["18 members of the Syrian Democratic Forces were killed.", "At least 23 DAESH members were killed Sunday."]
    {
        assert_eq!(claims(text)[0].victims.class, VictimClass::Combatant, "{text}");
    }
    assert_eq!(claims("Five members of one family were killed.")[0].victims.class, VictimClass::Unknown);
}

#[test]
fn ellipsis_lists_share_the_kind() {
    assert_eq!(
        summary("The office said 150 bodies were counted in Hammouriya 100 in Kfar Batna and 67 in Saqba."),
        vec![s("killed", "150", Some(150)), s("killed", "100", Some(100)), s("killed", "67", Some(67))]
    );
}

#[test]
fn stripped_punctuation_headlines() {
    assert_eq!(
        summary("A suicide bomber killed 30 people injured 90 on Monday"),
        vec![s("killed", "30", Some(30)), s("injured", "90", Some(90))]
    );
    assert_eq!(
        summary("Horrible scenes from Idlib 35+ dead & 70+ wounded"),
        vec![s("killed", "35+", Some(35)), s("injured", "70+", Some(70))]
    );
    assert_eq!(
        summary("Russian forces kill 120 ISIS fighters over 60 foreign mercenaries"),
        vec![s("killed", "120", Some(120)), s("killed", "over 60", Some(60))]
    );
}

#[test]
fn relative_clauses_and_injury_phrases() {
    assert_eq!(
        summary("A senior official said 20 fighters who guarded the buses were killed."),
        vec![s("killed", "20", Some(20))]
    );
    assert_eq!(
        summary("Two civilians were killed and 4 others sustained serious injuries."),
        vec![s("killed", "Two", Some(2)), s("injured", "4", Some(4))]
    );
    assert_eq!(summary("Over 10 citizens have been hospitalized."), vec![s("injured", "Over 10", Some(10))]);
    assert_eq!(
        summary("More than 330000 people are estimated to have been killed in the war."),
        vec![s("killed", "More than 330000", Some(330000))]
    );
}

#[test]
fn not_harm_done() {
    for text in [
        "The army saved the lives of 100 people.",
        "Rebels released 250 detainees.",
        "Three Russian and Syrian regime air raids killed 5 people.",
        "Sat 04 Oct 2014 at 1514 Regional NNA - U.S.-led Coalition air raids on ISIL positions killed civilians.",
        "In 2011 killed civilians were buried.",
    ] {
        let got: Vec<_> = summary(text).into_iter().filter(|c| c.1 != "5").collect();
        assert_eq!(got, vec![], "{text}");
    }
    assert_eq!(summary("Three Russian and Syrian regime air raids killed 5 people."), vec![s("killed", "5", Some(5))]);
}

#[test]
fn family_members_and_articles() {
    assert_eq!(
        summary("A father a mother and a son were killed while a grandfather sustained severe injuries."),
        vec![
            s("killed", "A father", Some(1)),
            s("killed", "a mother", Some(1)),
            s("killed", "a son", Some(1)),
            s("injured", "a grandfather", Some(1))
        ]
    );
    assert_eq!(summary("A terrorist car bomb attack killed four people."), vec![s("killed", "four", Some(4))]);
    // A hyphenated name between the article and the noun.
    assert_eq!(
        summary("The fighting killed 116 rebels including an Al-Nusra commander."),
        vec![s("killed", "116", Some(116)), s("killed", "an Al-Nusra commander", Some(1))]
    );
}

#[test]
fn a_page_counter_before_a_sentence_counts_nothing() {
    // A view counter glued to the lead by a scraper: the strike killed four children, not 2510.
    let text = "Topic US Missile Attack on Syrian Air Base (200) 2510 The US missile strike on the airbase killed four children.";
    assert_eq!(summary(text), vec![s("killed", "four", Some(4))]);
    // A toll frame puts the count before its determiner in lower case.
    let toll = "The shelling brought to 49 the number killed in Eastern Ghouta in two days.";
    assert_eq!(summary(toll), vec![s("killed", "49", Some(49))]);
}

#[test]
fn a_count_along_with_the_killed_shares_their_fate() {
    let text = "UNICEF said 22 children had been killed along with six teachers in airstrikes on a school.";
    assert_eq!(summary(text), vec![s("killed", "22", Some(22)), s("killed", "six", Some(6))]);
    // Not a count that merely follows: "along with" must come right after the casualty word.
    let other = "22 children were killed in the strike on a school along with its 300 pupils' homes.";
    assert_eq!(summary(other).len(), 1);
}

#[test]
fn a_list_of_subsets_stays_under_its_parent() {
    let text = "At least 18 civilians including five children and two women were killed in an air strike.";
    let c = claims(text);
    assert_eq!(
        summary(text),
        vec![s("killed", "At least 18", Some(18)), s("killed", "five", Some(5)), s("killed", "two", Some(2))]
    );
    assert_eq!((c[0].part_of, c[1].part_of, c[2].part_of), (None, Some(0), Some(0)));
    let text = "On Tuesday seven civilians including a child and a woman were killed and 13 others were injured.";
    let c = claims(text);
    assert_eq!(
        summary(text),
        vec![
            s("killed", "seven", Some(7)),
            s("killed", "a child", Some(1)),
            s("killed", "a woman", Some(1)),
            s("injured", "13", Some(13))
        ]
    );
    assert_eq!(c.iter().map(|c| c.part_of).collect::<Vec<_>>(), vec![None, Some(0), Some(0), None]);
    // A count larger than the parent is no part of it.
    let c = claims("Shelling killed 12 civilians including three children and 40 soldiers.");
    assert_eq!(c.iter().map(|c| c.part_of).collect::<Vec<_>>(), vec![None, Some(0), None]);
}

#[test]
fn lives_taken_cost_and_claimed() {
    assert_eq!(
        summary("The battle for the town has cost the lives of at least 63 rebels and 21 Hezbollah fighters."),
        vec![s("killed", "at least 63", Some(63)), s("killed", "21", Some(21))]
    );
    assert_eq!(
        summary("Rocket shells hit the city, claiming the life of one person and injuring 20 others."),
        vec![s("killed", "one", Some(1)), s("injured", "20", Some(20))]
    );
    assert_eq!(
        summary("The conflict has taken lives of more than 200000 people."),
        vec![s("killed", "more than 200000", Some(200000))]
    );
}

#[test]
fn families_possessives_and_another() {
    // Where the counted come from is no figure of its own.
    assert_eq!(
        summary("Five women and 13 rebels from the six families were among the dead."),
        vec![s("killed", "Five", Some(5)), s("killed", "13", Some(13))]
    );
    assert_eq!(
        summary("A woman and her three children as well as another child were killed when helicopters dropped a barrel bomb."),
        vec![s("killed", "A woman", Some(1)), s("killed", "three", Some(3)), s("killed", "another child", Some(1))]
    );
    assert_eq!(summary("Another three people were killed in strikes elsewhere."), vec![s("killed", "three", Some(3))]);
}

#[test]
fn long_toll_subjects_and_added_counts() {
    let text = "The death toll in a suicide car bomb attack on buses carrying Syrians evacuated from two besieged \
                government-held towns has risen to at least 112 a monitoring group said.";
    let c = claims(text);
    assert_eq!(summary(text), vec![s("killed", "at least 112", Some(112))]);
    assert!(c[0].cumulative);
    assert_eq!(
        summary("Shelling killed 12 civilians in addition to 5 soldiers."),
        vec![s("killed", "12", Some(12)), s("killed", "5", Some(5))]
    );
}

#[test]
fn present_tense_headlines_die() {
    assert_eq!(summary("40 Syrians die in ammo depot blast."), vec![s("killed", "40", Some(40))]);
    assert_eq!(
        summary("At Least 10 Civilians Die in US-Led Coalition Strikes Near Raqqa."),
        vec![s("killed", "At Least 10", Some(10))]
    );
    assert!(summary("They would rather die than surrender, said 20 fighters.").is_empty());
}

#[test]
fn a_participle_glued_to_a_hyphen_modifies_the_victims() {
    let c = claims("Nearly 30 foreign-sponsored Takfiri terrorists have been killed in an offensive.");
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].count.as_ref().unwrap().text, "Nearly 30");
    assert_eq!(c[0].victims.text, "foreign-sponsored Takfiri terrorists");
    assert_eq!(c[0].victims.class, VictimClass::Combatant);
}
