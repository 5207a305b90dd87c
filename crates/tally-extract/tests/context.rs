//! Context of claims: place, time, perpetrator, source and stance, each from the words that
//! support it and null where the text is silent.

use tally_core::{Claim, Document, PlacePrecision, SourceType, Stance, TimePrecision};
use tally_extract::Extractor;

fn claims_of(text: &str, published: Option<&str>) -> Vec<Claim> {
    let doc =
        Document { id: "t".into(), text: text.into(), published: published.map(String::from), ..Document::default() };
    Extractor::english().extract(&doc)
}

/// The claims of `text` that carry a figure (not denial records), in order.
fn figures(text: &str) -> impl Iterator<Item = Claim> {
    claims_of(text, None).into_iter().filter(|c| c.count.is_some())
}

/// The source (words and type) of the one figure in `text`.
fn source_of(text: &str) -> Option<(String, SourceType)> {
    one(text, None).source.map(|s| (s.text, s.kind))
}

fn one(text: &str, published: Option<&str>) -> Claim {
    let c: Vec<Claim> = claims_of(text, published).into_iter().filter(|c| c.count.is_some()).collect();
    assert_eq!(c.len(), 1, "{text}: {c:?}");
    c.into_iter().next().unwrap()
}

#[test]
fn the_illustrative_sentence() {
    let c = one(
        "Government warplanes killed at least 27 people in Aleppo on Tuesday, the health ministry said.",
        Some("2016-03-17"),
    );
    let place = c.place.as_ref().expect("place");
    assert_eq!((place.text.as_str(), place.country.as_str(), place.precision), ("Aleppo", "SY", PlacePrecision::Town));
    assert!(place.geonames_id.is_some() && place.lat.is_some());
    let time = c.time.as_ref().expect("time");
    assert_eq!(
        (time.text.as_str(), time.start.as_deref(), time.precision),
        ("Tuesday", Some("2016-03-15"), TimePrecision::Day)
    );
    assert_eq!(c.perpetrator.as_ref().map(|p| p.text.as_str()), Some("Government warplanes"));
    let source = c.source.as_ref().expect("source");
    assert_eq!((source.text.as_str(), source.kind), ("the health ministry", SourceType::Government));
    assert_eq!(c.stance, Stance::Asserted);
    for cue in ["place:sentence", "time:sentence", "perpetrator:subject", "source:subject-said"] {
        assert!(c.why.iter().any(|w| w == cue), "{cue} in {:?}", c.why);
    }
}

#[test]
fn fields_are_null_where_the_text_is_silent() {
    let c = one("Nine rebels were killed.", Some("2016-03-17"));
    assert_eq!(
        (c.place.is_none(), c.time.is_none(), c.perpetrator.is_none(), c.source.is_none()),
        (true, true, true, true)
    );
    assert_eq!(c.stance, Stance::Asserted);
}

#[test]
fn variants_keep_their_words_and_share_a_place() {
    let a = one("Shelling killed 3 civilians in Stepanakert.", None);
    let b = one("Shelling killed 3 civilians in Khankendi.", None);
    let (pa, pb) = (a.place.unwrap(), b.place.unwrap());
    assert_eq!((pa.text.as_str(), pb.text.as_str()), ("Stepanakert", "Khankendi"));
    assert_eq!(pa.geonames_id, pb.geonames_id);
}

#[test]
fn a_quarter_of_a_town_is_no_town_elsewhere() {
    let place = |text: &str| {
        let p = one(text, Some("2017-10-03")).place.unwrap();
        (p.text, p.name, p.geonames_id.is_some())
    };
    // "Bab" alone is Al Bab near Aleppo; "Bab Sharqi" is a quarter of Damascus no table lists.
    let bab = place("SANA said artillery fire killed two people in the Bab Sharqi area of Old Damascus.");
    assert_eq!(bab, ("Bab Sharqi".into(), "Bab Sharqi".into(), false));
    // A quarter's name is not read loosely as a town's ("Midan" is not Al Mayadin).
    let midan =
        place("Two suicide bombers struck Damascus. At least 17 people were killed in the southern district of Midan.");
    assert_eq!(midan, ("Midan".into(), "Midan".into(), false));
    // The surroundings of a town are still the town: "Atareb" is Al Atarib.
    let atareb = place("Air strikes in Syria hit the market area of Atareb village, killing 21 people.");
    assert_eq!((atareb.0.as_str(), atareb.2), ("Atareb", true));
}

#[test]
fn a_quarter_no_table_lists_lies_in_the_region_of_the_place_containing_it() {
    let place = |text: &str| {
        let c = one(text, Some("2016-08-17"));
        let p = c.place.unwrap();
        (p.text, p.geonames_id.is_some(), p.admin1, c.why.iter().any(|w| w == "place:within-next"))
    };
    // Out past "neighborhood" and through a quarter no table lists either, to Aleppo.
    assert_eq!(
        place("Terrorists fired a rocket shell on Iskandaron Street in al-Jamilyeh neighborhood in Aleppo city killing 3 citizens."),
        ("Iskandaron".into(), false, Some("Aleppo".into()), true)
    );
    // "the southwestern part of X" frames a name as a place.
    assert_eq!(place("Rockets fell in the southwestern part of al-Ramouseh killing three civilians.").0, "al-Ramouseh");
    // Where a party is posted is not where its fire landed, however near the figure.
    assert_eq!(
        place("Rocket shells fired on al-Fouaa town by terrorists positioned in Binnish town killed two civilians.").0,
        "al-Fouaa"
    );
    // … but a site located somewhere is there.
    assert_eq!(place("Shelling hit a hospital located in al-Fouaa town, killing two civilians.").0, "al-Fouaa");
}

#[test]
fn a_quarter_and_a_transliteration_are_read_in_the_story_s_country() {
    let place = |text: &str| {
        let p = one(text, Some("2014-12-16")).place.unwrap();
        (p.text, p.country)
    };
    // "Karak" spells a town in Jordan, but a neighbourhood in a Syrian story is Syria's.
    assert_eq!(
        place("Fighting in Syria went on. In Daraa al-Balad the army struck terrorists in al-Karak neighborhood killing 8 terrorists."),
        ("al-Karak".into(), "SY".into())
    );
    // With no country or city named, the nationality words say in which country to read.
    assert_eq!(place("Syrian Army Kills over 60 ISIL Terrorists in Deir Ezour."), ("Deir Ezour".into(), "SY".into()));
}

#[test]
fn a_country_s_capital_named_by_the_country() {
    let place = |text: &str| one(text, None).place.map(|p| (p.text, p.name));
    let (text, name) = place("At least 19 people were killed near the Syrian capital on Tuesday.").unwrap();
    assert_eq!((text.as_str(), name.as_str()), ("the Syrian capital", "Damascus"));
    let baku = place("Two civilians were killed in shelling on the Azerbaijani capital, the ministry said.").unwrap();
    assert_eq!(baku.1, "Baku");
    let headline = place("Shelling of rebel bastion near Syria capital kills 19").unwrap();
    assert_eq!(headline.1, "Damascus");
    // A group's "capital" is not the country's.
    let raqqa = place(
        "At least 22 people were killed in U.S. air strikes on the Islamic State group's de facto Syrian capital.",
    );
    assert_ne!(raqqa.map(|p| p.1).as_deref(), Some("Damascus"));
}

#[test]
fn an_outlet_named_after_a_place_is_no_place() {
    let text = "Shelling hit the town of Musraba on Monday.\n\nThe Ghouta Media Center said four were killed.";
    assert_eq!(one(text, None).place.map(|p| p.text).as_deref(), Some("Musraba"));
    let tv = "Shelling hit Homs on Friday. Five were killed, the governor was quoted as saying by Al Mayadeen TV.";
    assert_eq!(one(tv, None).place.map(|p| p.text).as_deref(), Some("Homs"));
}

#[test]
fn a_party_s_possessive_is_no_place() {
    // "SANAs" is SANA's (the apostrophe stripped), not Sanaa in Yemen.
    let text = "A source in Daraa province told SANAs correspondent that rocket shells killed one person.";
    let place = one(text, None).place.map(|p| p.text);
    assert_eq!(place.as_deref(), Some("Daraa"));
}

#[test]
fn a_capital_owning_something_is_its_government() {
    let text = "It was not clear whether the strikes were carried out by Syrian warplanes or those of \
                Damascuss ally Russia. Elsewhere the bodies of at least three children were laid out.";
    let place = one(text, None).place.map(|p| p.name);
    assert_ne!(place.as_deref(), Some("Damascus"));
}

#[test]
fn a_tag_list_run_into_the_text_is_no_place() {
    let text = "Air strikes hit a market in Maaret al-Numan on Sunday.\n\nTags Syria Khan Sheikhun Idlib airstrikes \
                At least 11 civilians were killed in the strikes, a monitor said.";
    let c = one(text, None);
    assert_eq!(c.place.map(|p| p.text).as_deref(), Some("Maaret al-Numan"));
    assert!(c.why.iter().any(|w| w == "place:headline"));
}

#[test]
fn datelines_are_not_incident_places() {
    let c = one("BEIRUT (Reuters) - Air strikes killed 12 people in Idlib province on Friday.", Some("2016-03-19"));
    let place = c.place.unwrap();
    assert_eq!((place.text.as_str(), place.precision), ("Idlib", PlacePrecision::Region));
    assert_eq!(c.source.map(|s| (s.text, s.kind)), Some(("Reuters".to_string(), SourceType::Media)));
}

#[test]
fn the_city_keeps_its_words_and_takes_the_town_named_before() {
    let text = "Government forces shelled Jisr al-Shughur on Monday. \
                Medical sources in the town said 44 people were killed in the city.";
    let c = one(text, Some("2016-03-16"));
    let place = c.place.unwrap();
    assert_eq!(place.text, "the city");
    assert!(place.name.starts_with("Jisr ash Shugh"), "{place:?}");
    assert_eq!(&text[place.span[0]..place.span[1]], "the city");
    assert!(c.why.iter().any(|w| w == "place:refers-back"), "{:?}", c.why);
    // Where the speaker is, told again, is not where it happened: the paragraph's town is.
    let c = one("Government forces shelled Jisr al-Shughur on Monday. A source in the town said 12 died.", None);
    let place = c.place.unwrap();
    assert_eq!(place.text, "Jisr al-Shughur");
    assert!(c.why.iter().any(|w| w == "place:paragraph"), "{:?}", c.why);
}

#[test]
fn a_struck_site_is_where_it_happened() {
    let text = "Fighting raged in Jisr al-Shughur on Monday. A shell hit a school killing seven students.";
    let place = one(text, None).place.unwrap();
    assert_eq!((place.text.as_str(), place.precision), ("a school", PlacePrecision::Point));
}

#[test]
fn a_title_case_headline_names_a_transliterated_town() {
    // "Deir Ezzor" is in no table; in a Syrian story it spells Deir ez-Zor. A name no
    // document's country explains is no place in a headline whose every word is capitalised.
    let text = "Syrian Army Kills 48 ISIL Terrorists in Deir Ezzor.\n\nThe army advanced in Syria on Monday.";
    let place = claims_of(text, None).into_iter().find(|c| c.count.is_some()).unwrap().place.unwrap();
    assert_eq!((place.text.as_str(), place.name.as_str()), ("Deir Ezzor", "Deir ez-Zor"));
    let text = "Syrian Army Kills 48 ISIL Terrorists in Wuzzlebury.\n\nThe army advanced in Syria on Monday.";
    let place = claims_of(text, None).into_iter().find(|c| c.count.is_some()).unwrap().place;
    assert_ne!(place.map(|p| p.text).as_deref(), Some("Wuzzlebury"));
}

#[test]
fn places_fall_back_to_the_paragraph() {
    let c = claims_of(
        "Fighting raged in the town of Jisr al-Shughur on Monday. At least 15 soldiers died, officials said.",
        Some("2016-03-16"),
    );
    let c = c.into_iter().find(|c| c.count.is_some()).unwrap();
    assert_eq!(c.place.map(|p| p.text), Some("Jisr al-Shughur".to_string()));
    assert!(c.why.iter().any(|w| w == "place:paragraph"));
    // The sentence before tells the event ("Fighting raged … on Monday"), so its day goes on.
    assert_eq!(c.time.map(|t| t.text).as_deref(), Some("Monday"));
    assert!(c.why.iter().any(|w| w == "time:earlier-sentence"));
}

#[test]
fn relative_times_resolve_against_publication() {
    let c = one("Two children were killed yesterday, residents said.", Some("2020-10-11"));
    assert_eq!(c.time.as_ref().and_then(|t| t.start.as_deref()), Some("2020-10-10"));
    let unresolved = one("Two children were killed yesterday, residents said.", None);
    let t = unresolved.time.unwrap();
    assert_eq!((t.text.as_str(), t.start, t.end), ("yesterday", None, None), "not guessed without a publication date");
}

#[test]
fn relative_times_resolve_against_the_date_the_text_gives_itself() {
    let start = |text: &str| one(text, Some("2017-04-05")).time.and_then(|t| t.start);
    // The metadata says April 5; the text says when it was written.
    for top in [
        "Published April 15 2017",
        "Date of publication 15 April 2017",
        "15 Apr 2017",
        "AFP Saturday 15 Apr 2017",
        // A scraped page that lost the space between day and year.
        "Last updated at Apr 152017",
    ] {
        let text = format!("{top} At least 126 people were killed Saturday in a car bomb attack, a monitor said.");
        assert_eq!(start(&text).as_deref(), Some("2017-04-15"), "{top}");
    }
    // An event's date in the lead is no publication line: the metadata's date stays.
    let lead = "Evacuees recalled how on 21 August 2013 the shells fell. Three people were killed on Saturday.";
    assert_eq!(start(lead).as_deref(), Some("2017-04-01"));

    let extractor = Extractor::english();
    let mut doc =
        Document { id: "d".into(), text: "Posted on April 2 2017 by a correspondent".into(), ..Document::default() };
    assert!(extractor.analyse(&mut doc).is_empty());
    assert_eq!(doc.dated.as_deref(), Some("2017-04-02"), "recorded on the document for the ledger");
}

#[test]
fn a_document_is_located_at_the_town_its_lead_names_most() {
    let located = |text: &str| {
        let mut doc = Document { id: "d".into(), text: text.into(), ..Document::default() };
        Extractor::english().analyse(&mut doc);
        doc.located.map(|p| (p.text, p.precision))
    };
    // The figures say only "in eastern Syria"; a sentence without figures names the town.
    assert_eq!(
        located(
            "Air strikes killed 47 people in eastern Syria on Saturday, a monitor said. The raids hit the town of \
             Mayadin in Deir Ezzor province. Mayadin has been shelled before."
        ),
        Some(("Mayadin".into(), PlacePrecision::Town))
    );
    // The first of two towns named as often; a country or a province is no town.
    assert_eq!(
        located("Shelling killed 12 people in Douma. Rebels fired rockets at Damascus."),
        Some(("Douma".into(), PlacePrecision::Town))
    );
    assert_eq!(located("Shelling killed 12 people in Idlib province in Syria."), None);
    // Past the lead, a town is background.
    assert_eq!(located("Twelve people were killed in Syria. The war began in Homs.").map(|p| p.0), Some("Homs".into()));
    let late = "Twelve people were killed in Syria. One. Two. Three. Four. The war began in Homs.";
    assert_eq!(located(late), None);
}

#[test]
fn speakers_behind_tolls_quotations_and_appositions() {
    let source = |text: &str| figures(text).next().and_then(|c| c.source).map(|s| s.text);
    assert_eq!(source("SANA gave a toll of at least 12 dead.").as_deref(), Some("SANA"));
    assert_eq!(
        source("\"At least 30 children were among 39 people killed in Homs today\" said Observatory director Rami Abdel Rahman.")
            .as_deref(),
        Some("Observatory director Rami Abdel Rahman")
    );
    assert_eq!(
        source("The reporter quoted a source at Aleppo Police Command as saying that terrorists killed two people.")
            .as_deref(),
        Some("a source at Aleppo Police Command")
    );
    assert_eq!(
        source("According to earlier information provided by a source at Aleppo Police Command 5 people were killed.")
            .as_deref(),
        Some("a source at Aleppo Police Command")
    );
    assert_eq!(
        source(
            "They were among 39 people who died according to a new toll from the Syrian Observatory for Human Rights."
        )
        .as_deref(),
        Some("the Syrian Observatory for Human Rights")
    );
    // A personal pronoun right before the verb is the whole subject, and stands for the
    // latest named speaker.
    let text = "The Observatory said the army advanced. The IS lost at least 28 jihadist fighters he said.";
    assert_eq!(figures(text).next().and_then(|c| c.source).map(|s| s.text).as_deref(), Some("The Observatory"));
    // A name with its description after it is one speaker, however long.
    assert_eq!(
        source("The Syrian Observatory for Human Rights a Britain-based monitoring group said 17 people were killed.")
            .as_deref(),
        Some("The Syrian Observatory for Human Rights a Britain-based monitoring group")
    );
}

#[test]
fn a_headline_credits_its_source_after_a_colon_or_dash() {
    let source = source_of;
    let monitor = Some(("monitor".to_string(), SourceType::Ngo));
    assert_eq!(source("Hundreds dead as Islamic State seizes Syrian air base: monitor"), monitor);
    // A byline's name may follow the credit.
    assert_eq!(source("Bombs in Aleppo kill 13 pro-Assad fighters: monitor Sylvia Westall."), monitor);
    assert_eq!(source("Syria army kills 32 rebels in Daraa province ambush - NGO").unwrap().0, "NGO");
    // A party after the dash that does not end the sentence is no credit.
    assert_eq!(source("Shelling killed 12 people in Aleppo - residents fled the town on Monday."), None);
}

#[test]
fn a_place_before_the_speaker_is_the_clause_before() {
    let source = |text: &str| figures(text).next().and_then(|c| c.source).map(|s| s.text);
    let text = "Air strikes killed 22 people in rebel-held Aleppo Reuters reported on Monday.";
    assert_eq!(source(text).as_deref(), Some("Reuters"));
    // A party before the places keeps them: the speaker is where it is.
    let spokesman = "Twelve people were killed, a spokesman at the hospital in Kafr Takharim said.";
    assert_eq!(source(spokesman).as_deref(), Some("a spokesman at the hospital in Kafr Takharim"));
}

#[test]
fn sources_in_their_frames() {
    let c = one("According to the Syrian Observatory for Human Rights, 12 civilians died.", None);
    assert_eq!(
        c.source.map(|s| (s.text, s.kind)),
        Some(("the Syrian Observatory for Human Rights".to_string(), SourceType::Ngo))
    );
    let c = one("\"Thirty people were wounded,\" said the UN spokesman.", None);
    assert_eq!(c.source.map(|s| s.kind), Some(SourceType::International));
    let c = claims_of("The Observatory said the toll was rising. He said 40 people had died.", None);
    let c = c.into_iter().find(|c| c.count.is_some()).unwrap();
    assert_eq!(
        c.source.map(|s| s.text),
        Some("The Observatory".to_string()),
        "a pronoun takes the latest named speaker"
    );
}

#[test]
fn speaker_phrases_run_through_their_places_and_appositions() {
    let source = source_of;
    // A bare place after "in" is no speaker: the phrase runs back to the party word.
    assert_eq!(
        source("A spokesman at the hospital in Kafr Takharim in Idlib said an air strike killed 14 people."),
        Some(("A spokesman at the hospital in Kafr Takharim in Idlib".to_string(), SourceType::Unknown))
    );
    // ... and the place the figure is nearest to is not the one that only contains it.
    let c = one("A spokesman at the hospital in Kafr Takharim in Idlib said an air strike killed 14 people.", None);
    assert_eq!(c.place.map(|p| p.text).as_deref(), Some("Kafr Takharim"));
    // A name before an indefinite description is the party described.
    assert_eq!(
        source("The Syrian Center for Policy Research a think tank has put the death toll at 470000."),
        Some(("The Syrian Center for Policy Research a think tank".to_string(), SourceType::Ngo))
    );
    // A place before the description is where it is, not part of it.
    assert_eq!(
        source("Shelling continued in Aleppo a monitor said, and 5 people died."),
        Some(("a monitor".to_string(), SourceType::Ngo))
    );
}

#[test]
fn another_state_is_no_later_figure_s_place() {
    let text = "Airstrikes killed 5 people in Douma in Syria on Monday. \
                The defence ministry in Moscow denied carrying out the raids. \
                Rescuers said 12 more bodies were found.";
    let places: Vec<Option<String>> = figures(text).map(|c| c.place.map(|p| p.text)).collect();
    assert_eq!(places, [Some("Douma".to_string()), Some("Douma".to_string())]);
}

#[test]
fn where_a_speaker_is_or_is_called_is_not_the_place() {
    let c = one("Opposition figure George Sabra said in Turkey the attack had killed 1300 people.", None);
    assert_eq!(c.place.map(|p| p.text), None);
    assert_eq!(c.source.map(|s| s.text).as_deref(), Some("Opposition figure George Sabra"));
    // A place in the speaker's phrase with its own cue still says where they are.
    let c = one("Activists in Douma said 12 people were killed.", None);
    assert_eq!(c.place.map(|p| p.text).as_deref(), Some("Douma"));
}

#[test]
fn a_part_said_without_a_speaker_is_the_whole_s_speaker() {
    let text = "The Observatory said 420 people were killed in the offensive. \
                Among those killed were 105 children. Rescuers found 7 more bodies.";
    let got: Vec<(String, Option<String>)> =
        figures(text).map(|c| (c.count.unwrap().text, c.source.map(|s| s.text))).collect();
    assert_eq!(
        got,
        [
            ("420".to_string(), Some("The Observatory".to_string())),
            ("105".to_string(), Some("The Observatory".to_string())),
            // Not a part: the document's own voice.
            ("7".to_string(), None),
        ]
    );
    // The part is of the same harm, done by the same party.
    let text =
        "At least 502 civilians were killed in regime and Russian bombings. Among those killed were 105 children.";
    let perpetrators: Vec<Option<String>> = figures(text).map(|c| c.perpetrator.map(|p| p.text)).collect();
    assert_eq!(perpetrators, vec![Some("regime and Russian bombings".to_string()); 2]);
}

#[test]
fn text_in_capitals_settles_no_country_against_its_places() {
    // Read word by word, "EL SALVADOR" would put the story in Brazil (Salvador), and then
    // El Salvador itself would be "abroad".
    let text = "SAN SALVADOR, 1 NOV 89 -- THE GOVERNMENT OF EL SALVADOR CONDEMNS THE ATTACKS CARRIED OUT \
                TODAY IN EL SALVADOR AGAINST THE UNION FEDERATION.  AS A RESULT OF THESE ATTACKS, \
                SEVERAL PERSONS WERE WOUNDED AND OTHERS DIED.";
    let places: Vec<Option<String>> = figures(text).map(|c| c.place.map(|p| p.text)).collect();
    assert!(!places.is_empty());
    assert!(places.iter().all(|p| p.as_deref().is_some_and(|p| p.ends_with("SALVADOR"))), "{places:?}");
    // "THE" inside a phrase in capitals opens no new sentence.
    let c = figures(
        "LIMA, 2 OCT 88 -- GUERRILLAS OF THE FARC AND THE POPULAR LIBERATION ARMY ATTACKED FOUR TOWNS, \
         LEAVING 17 GUERRILLAS AND 2 SOLDIERS DEAD.",
    )
    .next()
    .expect("a figure");
    let perpetrator = c.perpetrator.map(|p| p.text).unwrap_or_default();
    assert!(perpetrator.starts_with("GUERRILLAS OF THE FARC AND THE POPULAR LIBERATION ARMY"), "{perpetrator}");
}

#[test]
fn perpetrators_only_from_agents() {
    assert_eq!(
        one("Five civilians were killed by regime shelling in Douma.", None).perpetrator.map(|p| p.text),
        Some("regime shelling".into())
    );
    assert_eq!(one("ISIS executed three people in Raqqa.", None).perpetrator.map(|p| p.text), Some("ISIS".into()));
    assert_eq!(
        one("Twelve ISIS fighters were killed near Raqqa.", None).perpetrator,
        None,
        "never inferred from the victims"
    );
    let perp = |text: &str| one(text, None).perpetrator.map(|p| p.text);
    // Who holds a place is not who did the harm there.
    assert_eq!(
        perp("Syrian and Russian warplanes launched air strikes killing dozens in areas held by a rebel alliance."),
        Some("Syrian and Russian warplanes".into())
    );
    // "hit" ends the agent's phrase.
    assert_eq!(
        perp("An air strike by the U.S.-led coalition hit poison gas supplies, killing hundreds of people."),
        Some("U.S.-led coalition".into())
    );
    // The side fought against; not a clash between two others.
    assert_eq!(
        perp("Seventeen government troops were killed in fighting with the Daesh group near Palmyra."),
        Some("the Daesh group".into())
    );
    assert_eq!(perp("Nine civilians were killed in clashes between rebels and the army."), None);
}

#[test]
fn the_side_that_suffered_is_no_perpetrator() {
    let perp = |text: &str| figures(text).map(|c| c.perpetrator.map(|p| p.text)).collect::<Vec<_>>();
    // "lost": the subject lost its own men.
    assert_eq!(perp("Russia has so far lost at least 12 soldiers in the Syrian war."), vec![None]);
    // The subject of a passive was acted on.
    assert_eq!(
        perp("A Russian military helicopter was shot down over Syria on Monday, killing all five people on board."),
        vec![None]
    );
    // A party the victims belong to.
    let members =
        "At least 346 Islamic State fighters were killed and more than 170 members of government forces had died.";
    assert_eq!(perp(members), vec![None, None]);
    // The attacker's own losses in its attack were not inflicted by the attacker.
    let attack = "ISIL fighters attacked the village on Monday, killing 20 residents. ISIL also lost 15 militants in the attack.";
    assert_eq!(perp(attack), vec![Some("ISIL fighters".to_string()), None]);
}

#[test]
fn hedged_and_disputed_figures() {
    assert_eq!(one("Reportedly 30 people were killed in the raid.", None).stance, Stance::Hedged);
    let c = claims_of("Rebels said 50 soldiers were killed. The figures could not be independently verified.", None);
    assert_eq!(c[0].stance, Stance::Disputed, "{:?}", c[0].why);
    assert!(c[0].why.iter().any(|w| w.contains("could not be independently verified")));
}

#[test]
fn a_denial_is_a_record_that_answers_the_claims() {
    let c = claims_of(
        "Air strikes killed 23 civilians in Idlib, monitors said. Russia denied carrying out the raids.",
        None,
    );
    assert_eq!(c.len(), 2);
    let denial = &c[1];
    assert_eq!((denial.count.is_none(), denial.stance, denial.answers.clone()), (true, Stance::Denied, vec![0]));
    assert_eq!(denial.kind, c[0].kind);
    assert_eq!(denial.source.as_ref().map(|s| s.text.as_str()), Some("Russia"));
    assert!(denial.why.iter().any(|w| w == "rule:denial"));
}

#[test]
fn times_that_date_something_else_are_not_the_incident_time() {
    let time_of = |text: &str| one(text, Some("2016-06-20")).time.map(|t| t.text);
    // A credit line's date, a speech act's day and the start of the war.
    assert_eq!(time_of("MOSCOW, October 1 (RIA Novosti) - A car bomb killed 18 people in Homs."), None);
    assert_eq!(time_of("On Sunday a monitor said at least 82 people were killed in Deir Ezzor."), None);
    assert_eq!(time_of("The war, which began in 2011, displaced 40 families from the village."), None);
    assert_eq!(time_of("Speaking to AFP on Wednesday the governor said 31 people were killed in Homs."), None);
    // What an incident is compared with.
    assert_eq!(time_of("The car bomb, the deadliest attack since 2011, killed 20 people in Homs."), None);
    assert_eq!(
        time_of("The first explosion to hit the town since the outbreak of the war in 2011 killed a nurse."),
        None
    );
    // The speaker's own day still dates an incident told in the same clause.
    assert_eq!(time_of("Rebels killed 12 soldiers on Sunday, a monitor said.").as_deref(), Some("Sunday"));
}

#[test]
fn a_running_total_keeps_the_start_of_its_period() {
    let c =
        one("More than 280000 people have been killed since the conflict broke out in March 2011.", Some("2016-06-20"));
    assert!(c.cumulative);
    let time = c.time.expect("time");
    assert_eq!(
        (time.text.as_str(), time.start.as_deref(), time.end.as_deref(), time.precision),
        ("since the conflict broke out in March 2011", Some("2011-03-01"), Some("2016-06-20"), TimePrecision::Range)
    );
}

#[test]
fn a_date_before_the_speaker_is_not_part_of_the_speaker() {
    let c = one("Late March media reported that at least 200 people were killed in Mosul.", Some("2017-04-02"));
    let source = c.source.expect("source");
    assert_eq!((source.text.as_str(), source.kind), ("media", SourceType::Media));
}

#[test]
fn perpetrators_of_time_clauses_and_distant_attack_phrases() {
    let perp = |text: &str| -> Vec<Option<String>> { figures(text).map(|c| c.perpetrator.map(|p| p.text)).collect() };
    assert_eq!(
        perp("Four civilians were killed when ISIS targeted residential neighborhoods with rocket shells."),
        [Some("ISIS".to_string())]
    );
    assert_eq!(perp("Four civilians were killed when ISIS fighters were ambushed by a tribe."), [None]);
    // The agent of a passive time clause.
    assert_eq!(
        perp("Three civilians were killed on Wednesday night after a toxic gas believed to be chlorine was released by a helicopter belonging to the regime."),
        [Some("a helicopter".to_string())]
    );
    assert_eq!(
        perp("At least 15 people were killed and dozens wounded on Monday in government air strikes on Douma."),
        [Some("government air strikes".to_string()), Some("government air strikes".to_string())]
    );
    // Victims counted beside the figure are not who killed it.
    assert_eq!(
        perp("It said at least 45 Islamic State militants and 20 Kurdish militia fighters had been killed."),
        [None, None]
    );
    assert_eq!(perp("More than 170 members of government forces had died in the fight."), [None]);
    // "as" opens a time clause too; "as well as" and "as many as" do not.
    assert_eq!(
        perp("Four civilians were killed and 5 others were injured as the terrorist groups targeted the neighborhood with rocket shells."),
        [Some("the terrorist groups".to_string()), Some("the terrorist groups".to_string())]
    );
    assert_eq!(perp("Four civilians were killed as well as a soldier of the army."), [None]);
    // The side the victims fought.
    assert_eq!(
        perp("Three SDF soldiers were killed fighting Islamic State after the capture of five villages."),
        [Some("Islamic State".to_string())]
    );
    // A verb that caused the figure acts for its casualty word.
    assert_eq!(
        perp("A rebel group has launched a rocket attack on Damascus leaving at least three killed."),
        [Some("A rebel group".to_string())]
    );
    // … and so does it for the counts listed after the first; "struck" ends the party's phrase.
    assert_eq!(
        perp("A Syrian rebel Islamist group has launched a rocket attack on Damascus leaving at least three killed and 30 wounded."),
        [Some("A Syrian rebel Islamist group".to_string()), Some("A Syrian rebel Islamist group".to_string())]
    );
    assert_eq!(
        perp("Suicide bombers struck outside a Shiite shrine on Saturday leaving at least 20 people dead."),
        [Some("Suicide bombers".to_string())]
    );
    // "that" before a verb is a relative pronoun, and the reported clause starts earlier.
    assert_eq!(
        perp("A source told SANA that terrorists positioned in the neighborhood fired rockets that fell on a market killing three civilians."),
        [Some("terrorists".to_string())]
    );
    // Claiming an attack is claiming responsibility for it.
    assert_eq!(
        perp("The Islamic State group claims the double suicide bomb attack that hit a police station killing at least 17 people."),
        [Some("The Islamic State group".to_string())]
    );
    // A page's tag list names no one; a town a phrase runs into is judged without its place.
    assert_eq!(
        perp("Tags Syria Eastern Ghouta Douma Syrian regime bombing Siege Three rescue workers have been killed in Douma."),
        [None]
    );
    assert_eq!(
        perp("Al-Qaeda loyalists attacked a mainly Kurdish town in northeastern Syria sparking fighting in which 17 people were killed."),
        [None]
    );
    assert_eq!(
        perp("The US-led coalition fighting militants mistakenly killed 12 civilians in Manbij."),
        [Some("The US-led coalition".to_string())]
    );
    // People joined to victims by "or" are victims too.
    assert_eq!(
        perp("It added that 24 other people were killed without specifying whether they were civilians or DAESH fighters."),
        [None]
    );
    // A date's year before an attack phrase counts nothing; an advance is a means of attack.
    assert_eq!(
        perp("7 December 2014 Terrorist rocket attack targets Aleppo city killing one civilian."),
        [Some("Terrorist rocket attack".to_string())]
    );
    assert_eq!(perp("85 Syria troops killed in jihadist advance."), [Some("jihadist advance".to_string())]);
    // A possessive pronoun's means are its subject's.
    assert_eq!(
        perp("In late September the coalition acknowledged the deaths of 735 civilians in its strikes on Syria and Iraq."),
        [Some("the coalition".to_string())]
    );
    // Committing a massacre is doing the killing it tells of.
    assert_eq!(
        perp("The Assad regime committed a horrific massacre in the village of al-Bureij where 18 civilians were killed."),
        [Some("The Assad regime".to_string())]
    );
    // A war kills, but names nobody.
    assert_eq!(perp("According to the latest estimates the Syrian military conflict has claimed the lives of more than 210000 people."), [None]);
    // Nor does the sentence's subject when the figure's verb is said of the fighting.
    assert_eq!(
        perp("Nusra Front on Saturday drove rebels out of a military base in fierce fighting that left dozens dead."),
        [None]
    );
    assert_eq!(perp("Daesh emerged amid the chaos of a multi-front war that has killed more than 290000."), [None]);
    // People listed with the victims are victims; an infinitive's verb is no party.
    assert_eq!(perp("Air strikes killed at least 12 people including civilians and rebel fighters."), [None]);
    assert_eq!(
        perp("Shelling killed 15 people including a former officer who had defected to join opposition forces."),
        [None, None]
    );
    // A place in front of the party is no part of it.
    assert_eq!(perp("Three civilians killed in Aleppo ISIS attacks."), [Some("ISIS attacks".to_string())]);
    // Whom a means of attack is said to be by.
    assert_eq!(
        perp("The group said six more people lost their lives in a village near Manbij after similar attacks by coalition fighter jets."),
        [Some("coalition fighter jets".to_string())]
    );
    assert_eq!(
        perp("More than 35 people suffered suffocation due to the attack which was launched by the terrorist organizations."),
        [Some("the terrorist organizations".to_string())]
    );
    // A means fired by someone, at the head of the clause.
    assert_eq!(
        perp("A shell fired by regime troops hit the entrance of a school killing five people."),
        [Some("regime troops".to_string())]
    );
}

#[test]
fn perpetrator_subjects_stop_at_clause_and_phrase_edges() {
    let perp = |text: &str| -> Vec<Option<String>> { figures(text).map(|c| c.perpetrator.map(|p| p.text)).collect() };
    assert_eq!(
        perp("The rebel barrage killed 10 people in Damascus while government air strikes killed at least 82 people."),
        [Some("The rebel barrage".to_string()), Some("government air strikes".to_string())]
    );
    // A four-letter party word needs no capitals ("army", "jets"); "IS", "UN", "AP" do.
    assert_eq!(perp("The army kills 32 rebels in Daraa."), [Some("The army".to_string())]);
    // Armed groups of other wars are parties too (`actors.tsv`).
    assert_eq!(perp("Houthis fired a missile that killed seven people in Marib."), [Some("Houthis".to_string())]);
    assert_eq!(
        perp("Ukraine's military said Russian shelling wounded 9 people in Kharkiv."),
        [Some("Russian shelling".to_string())]
    );
    assert_eq!(
        perp("An air strike by a U.S.-led coalition fighting Daesh mistakenly killed 18 members of the SDF."),
        [Some("a U.S.-led coalition".to_string())]
    );
}

#[test]
fn described_places_stand_in_for_missing_names() {
    let place = |text: &str| one(text, None).place.map(|p| (p.text, p.precision, p.geonames_id));
    assert_eq!(
        place("Troops executed 48 people in a northern village."),
        Some(("a northern village".into(), PlacePrecision::Town, None))
    );
    assert_eq!(place("Four people were killed at a clinic."), Some(("a clinic".into(), PlacePrecision::Point, None)));
    // Who holds a place describes it, capitalised or not, hyphens and all.
    for (sentence, words) in [
        (
            "Barrel bombs killed at least 11 civilians in raids on a jihadist-held northern town.",
            "a jihadist-held northern town",
        ),
        ("Air strikes killed 61 people in a rebel-held Syrian town.", "a rebel-held Syrian town"),
        ("Fighters killed 20 people in a Kurdish-held town.", "a Kurdish-held town"),
    ] {
        assert_eq!(place(sentence).map(|p| p.0).as_deref(), Some(words), "{sentence}");
    }
    // A name in the sentence outranks a description; "the town" refers back to a name, and
    // keeps its words.
    assert_eq!(place("Shelling killed three people in a village near Aleppo.").map(|p| p.0), Some("Aleppo".into()));
    let later = claims_of("Rebels entered Kafr Nubl on Monday. Five civilians were killed in the town.", None);
    let five = later.iter().find(|c| c.count.is_some()).expect("claim").place.clone().unwrap();
    assert_eq!(five.text, "the town");
    assert_eq!((five.name.as_str(), five.geonames_id), ("Kafranbel", Some(168661)));
}

#[test]
fn a_list_of_counts_and_places_pairs_each_count_with_its_place() {
    let text = "The Damascus Media Office said 150 bodies were counted in Hammouriya 100 in Kfar Batna \
                67 in Saqba 61 in Douma 76 in Mouadamiya and 40 in Erbin.";
    let places: Vec<(String, String)> =
        claims_of(text, None).into_iter().filter_map(|c| Some((c.count?.text, c.place?.text))).collect();
    let expect = [("150", "Hammouriya"), ("100", "Kfar Batna"), ("67", "Saqba"), ("61", "Douma"), ("76", "Mouadamiya")];
    for (count, place) in expect {
        assert!(places.contains(&(count.into(), place.into())), "{count} in {place}: {places:?}");
    }
}

#[test]
fn counted_victims_before_a_reporting_verb_are_not_its_speaker() {
    let source = |text: &str| -> Vec<Option<String>> { figures(text).map(|c| c.source.map(|s| s.text)).collect() };
    let director = Some("Observatory director Rami Abdel Rahman".to_string());
    assert_eq!(
        source("The blast killed a nurse and two soldiers said Observatory director Rami Abdel Rahman."),
        [director.clone(), director]
    );
    assert_eq!(
        source("Tanks shelled Hama on Monday killing four civilians residents said."),
        [Some("residents".to_string())]
    );
}

#[test]
fn a_description_takes_the_type_of_the_party_it_fits() {
    let text = "The Russian Defence Ministry said 120 militants were killed. Human Rights Watch said 80 \
                people died. The ministry said 40 more fighters were killed.";
    let types: Vec<SourceType> = claims_of(text, None).into_iter().filter_map(|c| Some(c.source?.kind)).collect();
    assert_eq!(types, [SourceType::Military, SourceType::Ngo, SourceType::Military]);
}

#[test]
fn parliaments_speak_as_governments() {
    let c = one("Armenian forces killed 613 civilians in Khojaly, according to the Azerbaijani parliament.", None);
    let source = c.source.expect("source");
    assert_eq!((source.text.as_str(), source.kind), ("the Azerbaijani parliament", SourceType::Government));
}

#[test]
fn rescuers_and_aid_groups_are_claimants() {
    let c =
        one("At least eight workers were killed when an air strike hit their office the rescue service said.", None);
    let source = c.source.expect("source");
    assert_eq!((source.text.as_str(), source.kind), ("the rescue service", SourceType::Ngo));
}

#[test]
fn a_speaker_is_read_past_a_relative_clause() {
    let source = source_of;
    assert_eq!(
        source("Officials in Stepanakert, which Azerbaijan calls Khankendi, reported that 21 civilians had died."),
        Some(("Officials in Stepanakert".into(), SourceType::Government))
    );
    assert_eq!(
        source("A local official, who spoke on condition of anonymity, said 17 villagers were killed."),
        Some(("A local official".into(), SourceType::Government))
    );
    assert_eq!(
        source("The self-proclaimed Nagorno-Karabakh Republic said 480 of its servicemen had been killed."),
        Some(("Nagorno-Karabakh Republic".into(), SourceType::Government))
    );
    // Without commas: "which said", "that supports it said".
    assert_eq!(
        source("The ambush was also reported by state television which said 40 fighters had been killed."),
        Some(("state television".into(), SourceType::Media))
    );
    assert_eq!(
        source("Five medics were killed when an air strike hit a clinic, the aid group that supports it said."),
        Some(("the aid group".into(), SourceType::Ngo))
    );
    // A clause after what is not a party is no speaker's: "the attack which it says".
    assert_ne!(
        source("Washington blames the government for the attack which officials say killed 1400 people.").map(|s| s.0),
        Some("the attack".into())
    );
}

#[test]
fn a_speakers_parenthesis_does_not_cut_the_clause() {
    let c = one(
        "A Russian air strike destroyed a maternity hospital in Mariupol on Wednesday, Ukrainian officials said, \
         injuring at least 17 people.",
        Some("2022-03-09"),
    );
    assert_eq!(c.time.map(|t| t.text).as_deref(), Some("Wednesday"));
    assert_eq!(c.perpetrator.map(|p| p.text).as_deref(), Some("A Russian air strike"));
    assert_eq!(c.source.map(|s| s.text).as_deref(), Some("Ukrainian officials"));
    // A possessive in the speaker's phrase is whose office speaks, not where it happened.
    let text = "Some 50,000 people have fled to Mount Sinjar, the UN said. At least 500 Yazidis were killed, \
                according to Iraq's human rights minister.";
    let last = figures(text).last().expect("claim");
    assert_eq!(last.place.map(|p| p.text).as_deref(), Some("Mount Sinjar"));
}

#[test]
fn the_party_denying_is_not_the_perpetrator() {
    let text = "The coalition denied responsibility for the strike, which killed 12 people.";
    let claims = claims_of(text, None);
    let figure = claims.iter().find(|c| c.count.is_some()).expect("figure");
    assert_eq!(figure.perpetrator, None);
    assert_eq!(figure.stance, Stance::Disputed);
    let denial = claims.iter().find(|c| c.count.is_none()).expect("denial record");
    assert_eq!(denial.source.as_ref().map(|s| s.text.as_str()), Some("The coalition"));
}

#[test]
fn a_later_figure_of_the_story_keeps_its_time() {
    let text = "An air strike hit a market in Atareb on Monday, killing 12 people. \
                Dozens of others were wounded. \
                The monitor said the toll could rise. Medics said they lacked blood. \
                Rescuers said 7 more bodies were found.";
    let got: Vec<(String, Option<String>, bool)> = figures(text)
        .map(|c| (c.count.unwrap().text, c.time.map(|t| t.text), c.why.iter().any(|w| w == "time:earlier-sentence")))
        .collect();
    assert_eq!(
        got,
        [
            ("12".to_string(), Some("Monday".to_string()), false),
            // The next sentence goes on with the same story, with no place or time of its own.
            ("Dozens".to_string(), Some("Monday".to_string()), true),
            // Three sentences on, the day no longer reaches.
            ("7".to_string(), None, false),
        ]
    );
}

#[test]
fn a_war_sized_total_is_the_country_s_not_the_last_town_s() {
    let text = "Air strikes killed 12 people in Idlib in Syria on Sunday. \
                Delegates met in Geneva on Monday. Talks there stalled. \
                More than 300000 people have been killed. \
                Police said 3 civilians were injured in Geneva.";
    let got: Vec<(String, Option<String>, Option<String>)> = figures(text)
        .map(|c| {
            let why = c.why.iter().find(|w| w.starts_with("place:")).cloned();
            (c.count.unwrap().text, c.place.map(|p| p.text), why)
        })
        .collect();
    assert_eq!(
        got,
        [
            ("12".to_string(), Some("Idlib".to_string()), Some("place:sentence".to_string())),
            ("More than 300000".to_string(), Some("Syria".to_string()), Some("place:war-total".to_string())),
            ("3".to_string(), Some("Geneva".to_string()), Some("place:sentence".to_string())),
        ]
    );
}

#[test]
fn a_definite_event_noun_takes_the_time_of_the_event_told() {
    let text = "A car bomb killed 5 people near a mosque in Aleppo on Tuesday. \
                The city had been calm for weeks. Shops were open. Schools were closed. \
                Rescuers said the explosion in the Salihiah neighbourhood killed at least 16 people. \
                In Idlib 3 people were wounded.";
    let got: Vec<(String, Option<String>, bool)> = figures(text)
        .map(|c| (c.count.unwrap().text, c.time.map(|t| t.text), c.why.iter().any(|w| w == "time:event-anaphor")))
        .collect();
    assert_eq!(
        got,
        [
            ("5".to_string(), Some("Tuesday".to_string()), false),
            // Four sentences on and with a place of its own, "the explosion" is still Tuesday's.
            ("at least 16".to_string(), Some("Tuesday".to_string()), true),
            // Without a definite event noun, another place is another incident.
            ("3".to_string(), None, false),
        ]
    );
}

#[test]
fn an_event_told_without_figures_dates_the_figures_that_refer_back_to_it() {
    let text = "A rocket bomb exploded near the square in Tripoli on Saturday evening. \
                Shops were closed. Roads were shut. Schools were empty. \
                Medics in Tripoli said the explosion killed one person and wounded 40 others.";
    let times: Vec<Option<String>> = figures(text).map(|c| c.time.map(|t| t.text)).collect();
    assert_eq!(times, vec![Some("Saturday evening".to_string()); 2]);
}

#[test]
fn an_attack_verb_tells_an_event_that_later_figures_refer_back_to() {
    let text = "Gunmen targeted the al-Hamadaniyeh area of Aleppo with shells on Sunday. \
                Shops were closed. Roads were shut. \
                More than 35 people suffered suffocation due to the attack, a doctor said.";
    let times: Vec<Option<String>> = figures(text).map(|c| c.time.map(|t| t.text)).collect();
    assert_eq!(times, [Some("Sunday".to_string())]);
    // A sentence without an attack verb or event noun dates nothing that comes after.
    let calm = text.replace("Gunmen targeted the al-Hamadaniyeh area of Aleppo with shells", "Aid reached Aleppo");
    let times: Vec<Option<String>> = figures(&calm).map(|c| c.time.map(|t| t.text)).collect();
    assert_eq!(times, [None]);
}

#[test]
fn a_definite_event_noun_takes_the_perpetrator_of_the_event_told() {
    let text = "Rebel fighters killed 5 soldiers in Daraa on Tuesday. Roads were closed. Shops were shut. \
                Doctors in the town of Inkhil said the attack also wounded 40 people. \
                In Idlib 3 people were wounded.";
    let perpetrators: Vec<Option<String>> = figures(text).map(|c| c.perpetrator.map(|p| p.text)).collect();
    assert_eq!(perpetrators, [Some("Rebel fighters".to_string()), Some("Rebel fighters".to_string()), None]);
}

#[test]
fn a_later_sentence_at_the_same_places_goes_on_with_the_story() {
    let text = "Air strikes killed 12 people in Douma on Monday. \
                The barrage on Douma killed 3 children. In Saqba 2 people were wounded.";
    let times: Vec<Option<String>> = figures(text).map(|c| c.time.map(|t| t.text)).collect();
    assert_eq!(times, [Some("Monday".to_string()), Some("Monday".to_string()), None]);
}

#[test]
fn an_earlier_time_does_not_date_a_running_total_or_another_place() {
    let text = "Shelling killed 4 civilians in Douma on Friday. \
                More than 300000 people have been killed in the war. \
                In Kafr Batna 2 children were injured.";
    let times: Vec<Option<String>> = figures(text).map(|c| c.time.map(|t| t.text)).collect();
    assert_eq!(times, [Some("Friday".to_string()), None, None]);
}

#[test]
fn a_state_named_as_speaker_or_doer_is_not_the_place() {
    let c = one("Washington blames the government for the attack, which it says killed more than 1400 people.", None);
    assert_eq!(c.place.map(|p| p.text), None);
    let c = one("Moscow said its jets killed 40 fighters near Palmyra.", None);
    assert_eq!(c.place.map(|p| p.text).as_deref(), Some("Palmyra"));
    // A state that acts is no place for the sentences after it either.
    let claims = claims_of(
        "At least 82 people were killed in airstrikes launched by Russia and the regime. Since then 12 more died.",
        None,
    );
    assert!(claims.iter().all(|c| c.place.is_none()), "{:?}", claims.iter().map(|c| &c.place).collect::<Vec<_>>());
}

#[test]
fn war_totals_are_running_totals_even_when_the_period_comes_late() {
    let cumulative = |text: &str| figures(text).next().expect("a figure").cumulative;
    assert!(cumulative(
        "More than 280000 people have been killed and millions have been displaced since the conflict broke out."
    ));
    // A hyphenated cue in the table ("multi-front conflict") matches the text's three tokens.
    assert!(cumulative("At least 230000 people have been killed in the country's multi-front conflict."));
    // "the deadliest … since", "the first … in the war": a comparison, not a total.
    assert!(!cumulative(
        "The helicopter was shot down, killing all five people on board in the single deadliest incident \
         for Moscow since it intervened in the war."
    ));
    // The superlative may stand a long way before its "since".
    assert!(!cumulative(
        "The attack, the first explosion to hit the heart of the western town since the outbreak of the \
         civil war in 2011, killed a nurse."
    ));
}

#[test]
fn a_country_name_is_the_country() {
    // GeoNames also lists towns called Lebanon (Tennessee) and Turkey (North Carolina).
    for (text, code) in [
        ("Shelling killed 3 civilians in Lebanon.", "LB"),
        ("Fifteen wounded victims were brought to Turkey for treatment.", "TR"),
        ("Militias from Lebanon and Iraq killed 30 people.", "LB"),
    ] {
        let place = one(text, None).place.expect("place");
        assert_eq!((place.country.as_str(), place.precision), (code, PlacePrecision::Country), "{text}");
    }
}

#[test]
fn a_headline_capitalises_ordinary_words_that_are_no_place() {
    // "Kill" is a village in Ireland; "Suspected Gas Attack" follows "in" like a name.
    let c = one("US-led Coalition Strikes Kill 21 Civilians in Northern Syria. Such strikes kill often.", None);
    assert_eq!(c.place.map(|p| p.text).as_deref(), Some("Syria"));
    let c = one("58 Killed in Suspected Gas Attack in Idlib. The attack was suspected to be gas.", None);
    assert_eq!(c.place.map(|p| p.text).as_deref(), Some("Idlib"));
}

#[test]
fn a_part_of_a_town_is_a_point_in_that_town() {
    let c = one("Three children were killed in the Shahba neighbourhood of Aleppo in Syria.", None);
    let place = c.place.expect("place");
    assert_eq!(
        (place.text.as_str(), place.name.as_str(), place.country.as_str(), place.precision),
        ("Shahba neighbourhood of Aleppo", "Aleppo", "SY", PlacePrecision::Point)
    );
    // The outer place may come with its own type.
    let c = one("Two people were killed in the Sulaymaniyah neighborhood of the Syrian city of Aleppo.", None);
    let place = c.place.expect("place");
    assert_eq!(
        (place.text.as_str(), place.name.as_str(), place.precision),
        ("Sulaymaniyah neighborhood of the Syrian city of Aleppo", "Aleppo", PlacePrecision::Point)
    );
}

#[test]
fn names_that_only_look_like_places_abroad_are_not_resolved_there() {
    let place = |text: &str| one(text, None).place.map(|p| (p.text, p.country));
    // Al-Quds is also Jerusalem's name, but "Al-Quds hospital" in Aleppo is a building.
    let p = place("At least four people died at the Al-Quds hospital in Aleppo in Syria on Wednesday.");
    assert_eq!(p, Some(("Aleppo".to_string(), "SY".to_string())));
    // Ørum is a Danish village: a bare "on" does not make it the place of a story in Syria.
    let c = one("In Syria, a Red Crescent official on Orum died of his injuries, one of 12 killed.", None);
    assert!(c.place.as_ref().is_none_or(|p| p.country != "DK"), "{:?}", c.place);
    // A lone "Al" is an article (Halle, Germany, has it among its names).
    let c = one("In Syria, 19 people were injured in Al Kalassa region of Damascus.", None);
    assert!(c.place.as_ref().is_none_or(|p| p.country == "SY"), "{:?}", c.place);
}

#[test]
fn a_name_before_town_of_is_an_adjective_and_a_longer_unknown_name_is_kept_whole() {
    let c = one("A blast near a convoy from the besieged Shiite towns of Fua and Kefraya in Syria killed 20.", None);
    assert_ne!(c.place.as_ref().map(|p| p.text.as_str()), Some("Shiite"));
    let c = one("The bomber killed 32 people in the village of Tall Tawil in Syria.", None);
    let place = c.place.expect("place");
    assert_eq!((place.text.as_str(), place.geonames_id), ("Tall Tawil", None));
}

#[test]
fn the_day_a_statement_was_made_does_not_date_the_figures() {
    let c = one("Over 500 people were injured, UNICEF said in a statement on Thursday.", Some("2017-04-06"));
    assert_eq!(c.time, None);
}

#[test]
fn a_figure_joined_by_and_to_a_running_total_is_one_too() {
    let flags: Vec<(String, bool)> = figures("The conflict has killed more than 280000 people and displaced millions.")
        .map(|c| (c.count.unwrap().text, c.cumulative))
        .collect();
    assert_eq!(flags, [("more than 280000".to_string(), true), ("millions".to_string(), true)]);
    // A part of an incident's toll is no running total, and neither is a figure of its own clause.
    let flags: Vec<bool> = figures("The strike killed 12 people while the war has killed more than 300000.")
        .map(|c| c.cumulative)
        .collect();
    assert_eq!(flags, [false, true]);
}

#[test]
fn a_described_place_that_points_back_keeps_its_words_and_the_place_it_names() {
    let claims = claims_of(
        "Jets pounded Idlib province on Monday. Strikes across the northwestern province killed 75 civilians.",
        None,
    );
    let place = claims.iter().find_map(|c| c.place.clone()).expect("place");
    assert_eq!(
        (place.text.as_str(), place.country.as_str(), place.geonames_id.is_some() || place.name != place.text),
        ("the northwestern province", "SY", true)
    );
    assert!(place.name.contains("Idlib"), "{place:?}");
}

#[test]
fn what_was_hit_before_a_reporting_verb_is_not_its_speaker() {
    let c = one(
        "Regime planes fired rockets on several parts of Douma said Rami Abdel Rahman director of the \
         Syrian Observatory for Human Rights. Four civilians were killed he said.",
        None,
    );
    let source = c.source.expect("source");
    assert!(source.text.starts_with("Rami Abdel Rahman"), "{source:?}");
}

#[test]
fn a_place_described_by_who_holds_it_is_no_perpetrator() {
    let c = one("Air strikes on a rebel-held Syrian town killed at least 61 people, a monitor said.", None);
    assert_ne!(c.perpetrator.map(|p| p.text).as_deref(), Some("a rebel-held Syrian town"));
    let c = one("Twin car bombs in the Syrian city of Homs killed at least 18 people.", None);
    assert!(c.perpetrator.is_none(), "{:?}", c.perpetrator);
    // The party itself still is one.
    let c = one("Rebel fighters killed 12 soldiers in Homs.", None);
    assert_eq!(c.perpetrator.map(|p| p.text).as_deref(), Some("Rebel fighters"));
}

#[test]
fn days_of_fighting_yesterdays_and_in_may_are_times() {
    let time = |text: &str| one(text, Some("2016-07-07")).time.map(|t| (t.text, t.start, t.end, t.precision));
    assert_eq!(
        time("Seven days of airstrikes across the province had left more than 75 civilians dead."),
        Some(("Seven days".into(), Some("2016-06-30".into()), Some("2016-07-07".into()), TimePrecision::Range))
    );
    assert_eq!(
        time("8 killed in yesterdays tragedy."),
        Some(("yesterdays".into(), Some("2016-07-06".into()), Some("2016-07-06".into()), TimePrecision::Day))
    );
    assert_eq!(
        time("In May more than 60 civilians were killed by barrel bombs.").map(|t| t.1),
        Some(Some("2016-05-01".into()))
    );
    // The war's age is no period of an incident, and "may" the verb is no month.
    assert_eq!(time("Five years of war have killed 300000 people."), None);
    assert_eq!(time("Officials said 12 people may have been killed."), None);
}

#[test]
fn a_war_sized_figure_is_a_running_total_without_a_cue() {
    let all: Vec<Claim> = figures("More than 300000 people have been killed and millions forced to flee.").collect();
    assert_eq!(all.len(), 2);
    for c in &all {
        assert!(c.cumulative && c.why.iter().any(|w| w == "cumulative:at-least-10000"), "{:?}", c.why);
    }
    assert!(!one("At least 9000 people fled the town on Monday.", None).cumulative);
}

#[test]
fn a_title_after_the_verb_leads_on_to_its_party() {
    assert_eq!(
        source_of("Fifteen of the wounded were in critical condition said the head of the Britain-based group.")
            .map(|s| s.0),
        Some("the head of the Britain-based group".into())
    );
    assert_eq!(source_of("Fifteen of the wounded were in critical condition said the rest of them."), None);
}

#[test]
fn a_centre_that_speaks_is_a_party() {
    assert_eq!(
        source_of("In all 40 people were killed, the center said."),
        Some(("the center".into(), SourceType::Unknown))
    );
    assert_eq!(
        source_of("The Violations Documentation Centre said 40 people were killed."),
        Some(("The Violations Documentation Centre".into(), SourceType::Ngo))
    );
}
