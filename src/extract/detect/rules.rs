//! Field rules for a chosen card group, checked with extraction's own readers.
//!
//! For every field, `fields` finds the intended element in each card (the headline,
//! the story link, the date…) and `selector::relative_selector` proposes one rule in
//! the feeds.yaml grammar that picks those elements. A proposal is only a guess, so
//! it is then run through the very functions extraction uses (`card::title`,
//! `card::link`, `card::date_text` and the date parser, `card::image`…) on every
//! card, and so is the field's default finder (no rule at all). The rule is kept when
//! it gives the intended values at least as often as the default does; otherwise the
//! field is left to the default. What detection reports is therefore exactly what a
//! feed with these rules extracts: there is no second extractor.

use chrono::{DateTime, Utc};
use scraper::Selector;
use url::Url;

use super::DetectedFields;
use super::dom::Dom;
use super::fields::{
    TitleInfo, Titles, find_author, find_date, find_image, find_summary, is_heading, kicker_in,
    meta_sibling,
};
use super::links::Links;
use super::selector::{relative_selector, stable_classes};
use crate::config::FieldRule;
use crate::extract::{card, image};

/// A value a field should have in one card.
#[derive(PartialEq)]
enum Value {
    Text(String),
    Link(Url),
    Date(DateTime<Utc>),
    Image(Url),
}

/// The fields extraction reads, with or without a rule.
#[derive(Clone, Copy)]
enum Field {
    Title,
    Link,
    Date,
    Summary,
    Author,
    Image,
}

impl Field {
    /// Fields whose default finder reads something when no rule is given.
    fn has_default(self) -> bool {
        matches!(
            self,
            Field::Title | Field::Link | Field::Date | Field::Image
        )
    }
}

/// Cards that must show a byline before an author rule is looked for.
const MIN_AUTHORS: usize = 2;

/// Share of the wanted values a rule must give to be used at all.
const MIN_AGREEMENT: f64 = 0.6;

/// Detects field rules for a verified card group.
pub(crate) fn detect_fields(
    dom: &Dom<'_>,
    links: &Links,
    titles: &Titles,
    cards: &[usize],
) -> DetectedFields {
    let infos: Vec<&TitleInfo> = cards.iter().map(|&c| titles.get(dom, links, c)).collect();
    let siblings: Vec<Option<usize>> = cards
        .iter()
        .map(|&c| meta_sibling(dom, links, c, cards))
        .collect();
    let checker = Checker { dom, cards };

    // title: the heading, or the story link when a title-classed wrapper
    // (`td.title`) holds it: the link itself is the tighter title.
    let title_targets: Vec<Option<usize>> = infos
        .iter()
        .map(|ti| {
            let link = ti.primary.map(|p| links.all[p].node);
            match (ti.heading, link) {
                (Some(h), Some(l)) if !is_heading(dom.nodes[h].tag) && dom.contains(h, l) => {
                    Some(l)
                }
                (h, l) => h.or(l),
            }
        })
        .collect();
    // A kicker before the headline is left out of the title (`skip`).
    let kickers: Vec<Option<usize>> = title_targets
        .iter()
        .map(|t| t.and_then(|t| kicker_in(dom, t)))
        .collect();
    let proposal = field_selector(dom, cards, &title_targets, &[], None);
    let (title, title_skip) = match kicker_rule(dom, &checker, &title_targets, &kickers, &proposal)
    {
        Some((select, skip)) => (Some(select), Some(skip)),
        None => {
            let wanted = texts(dom, &title_targets);
            (checker.choose(Field::Title, proposal, &wanted), None)
        }
    };

    // link
    let link_targets: Vec<Option<usize>> = infos
        .iter()
        .map(|ti| ti.primary.map(|p| links.all[p].node))
        .collect();
    let wanted: Vec<Option<Value>> = infos
        .iter()
        .map(|ti| ti.primary.map(|p| Value::Link(links.all[p].url.clone())))
        .collect();
    let proposal = field_selector(dom, cards, &link_targets, &[], Some("href"));
    let link = checker.choose(Field::Link, proposal, &wanted);

    // date: in the card, or in its metadata sibling row
    let dates_in: Vec<Option<usize>> = cards.iter().map(|&c| find_date(dom, c)).collect();
    let dates_sib: Vec<Option<(usize, usize)>> = siblings
        .iter()
        .map(|s| s.and_then(|s| find_date(dom, s).filter(|&d| d != s).map(|d| (s, d))))
        .collect();
    let date_attr = datetime_attr(dom, &dates_in, &dates_sib);
    let wanted: Vec<Option<Value>> = dates_in
        .iter()
        .zip(&dates_sib)
        .map(|(inside, sib)| {
            let at = inside.or(sib.map(|(_, d)| d))?;
            dom.date_of(at).map(Value::Date)
        })
        .collect();
    let proposal = field_selector(dom, cards, &dates_in, &dates_sib, date_attr);
    let date = checker.choose(Field::Date, proposal, &wanted);

    // summary
    let summary_targets: Vec<Option<usize>> = cards
        .iter()
        .zip(&infos)
        .map(|(&c, ti)| find_summary(dom, c, ti.heading, &ti.text))
        .collect();
    let summary = if summary_targets.iter().flatten().count() * 3 >= cards.len() {
        let wanted = texts(dom, &summary_targets);
        let proposal = field_selector(dom, cards, &summary_targets, &[], None);
        checker.choose(Field::Summary, proposal, &wanted)
    } else {
        None
    };

    // author: in the card, or in its metadata sibling row
    let authors_in: Vec<Option<usize>> = cards.iter().map(|&c| find_author(dom, c)).collect();
    let authors_sib: Vec<Option<(usize, usize)>> = siblings
        .iter()
        .map(|s| s.and_then(|s| find_author(dom, s).map(|a| (s, a))))
        .collect();
    // A byline is marked as one (a class, `<address>`, a profile link), so a few
    // cards showing one are enough: the rule reads nothing on the others.
    let found = authors_in.iter().flatten().count() + authors_sib.iter().flatten().count();
    let author = if found >= MIN_AUTHORS {
        let at: Vec<Option<usize>> = authors_in
            .iter()
            .zip(&authors_sib)
            .map(|(inside, sib)| inside.or(sib.map(|(_, a)| a)))
            .collect();
        let wanted = texts(dom, &at);
        let proposal = field_selector(dom, cards, &authors_in, &authors_sib, None);
        checker.choose(Field::Author, proposal, &wanted)
    } else {
        None
    };

    // image
    let images: Vec<Option<usize>> = cards.iter().map(|&c| find_image(dom, c)).collect();
    let image = if images.iter().flatten().count() * 3 >= cards.len() {
        let wanted: Vec<Option<Value>> = images
            .iter()
            .map(|t| {
                t.and_then(|t| image::element_image(dom.nodes[t].el, &dom.base).map(Value::Image))
            })
            .collect();
        let proposal = field_selector(dom, cards, &images, &[], None);
        checker.choose(Field::Image, proposal, &wanted)
    } else {
        None
    };

    DetectedFields {
        title,
        title_skip,
        link,
        date,
        summary,
        author,
        image,
    }
}

/// Cards of a group that must show a kicker before the title rule leaves kickers
/// out (a share of the titled cards).
const KICKER_SHARE: f64 = 0.3;

/// The title rule (`select`, `skip`) that leaves the kickers out, when enough
/// titles have one and a `skip` selector gives the headlines on every card at
/// least as well as any other rule.
fn kicker_rule(
    dom: &Dom<'_>,
    checker: &Checker<'_, '_>,
    targets: &[Option<usize>],
    kickers: &[Option<usize>],
    proposal: &Option<String>,
) -> Option<(String, String)> {
    let titled = targets.iter().flatten().count();
    let with_kicker = kickers.iter().flatten().count();
    if with_kicker < 2 || (with_kicker as f64) < KICKER_SHARE * titled as f64 {
        return None;
    }
    let select = proposal.clone()?;
    let wanted: Vec<Option<Value>> = targets
        .iter()
        .zip(kickers)
        .map(|(t, k)| {
            let t = (*t)?;
            let whole = dom.text(t);
            Some(Value::Text(match k {
                Some(k) => {
                    let kicker = dom.text(*k);
                    whole
                        .strip_prefix(kicker.as_str())
                        .unwrap_or(&whole)
                        .to_owned()
                }
                None => whole,
            }))
        })
        .collect();
    // Selectors for the kickers: a class they share (preferred), else their place.
    let mut skips: Vec<(u8, String)> = Vec::new();
    for &k in kickers.iter().flatten() {
        let tag = dom.nodes[k].tag;
        for class in stable_classes(dom, k) {
            skips.push((0, format!("{tag}.{class}")));
        }
        skips.push((1, format!("{tag}:first-child")));
    }
    skips.sort();
    skips.dedup();
    let want = wanted.iter().flatten().count() as f64;
    let plain = FieldRule::parse(&select).ok()?;
    let without = checker.agreement(Field::Title, Some(&plain), &wanted);
    let by_default = checker.agreement(Field::Title, None, &wanted);
    let mut best: Option<(f64, String)> = None;
    for (_, skip) in skips {
        let Ok(selector) = Selector::parse(&skip) else {
            continue;
        };
        let rule = FieldRule {
            skip: Some(selector),
            ..plain.clone()
        };
        let score = checker.agreement(Field::Title, Some(&rule), &wanted);
        // Strictly better only: of equals, the first (a class before a place).
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, skip));
        }
    }
    best.filter(|(score, _)| *score >= MIN_AGREEMENT * want && *score > without.max(by_default))
        .map(|(_, skip)| (select, skip))
}

fn texts(dom: &Dom<'_>, targets: &[Option<usize>]) -> Vec<Option<Value>> {
    targets
        .iter()
        .map(|t| t.map(|t| Value::Text(dom.text(t))))
        .collect()
}

/// `@datetime` when most of the date elements in use carry one.
fn datetime_attr(
    dom: &Dom<'_>,
    inside: &[Option<usize>],
    sibling: &[Option<(usize, usize)>],
) -> Option<&'static str> {
    let n_in = inside.iter().flatten().count();
    let n_sib = sibling.iter().flatten().count();
    let used: Vec<usize> = if n_in >= n_sib {
        inside.iter().flatten().copied().collect()
    } else {
        sibling.iter().flatten().map(|&(_, d)| d).collect()
    };
    let with_attr = used
        .iter()
        .filter(|&&d| dom.nodes[d].tag == "time" && dom.nodes[d].el.attr("datetime").is_some())
        .count();
    (!used.is_empty() && with_attr * 2 > used.len()).then_some("datetime")
}

/// Runs rules on the cards with extraction's readers.
struct Checker<'d, 'a> {
    dom: &'d Dom<'a>,
    cards: &'d [usize],
}

impl Checker<'_, '_> {
    /// The proposed rule when it gives the wanted values at least as often as the
    /// field's default finder (and often enough to be worth a rule); else none.
    fn choose(
        &self,
        field: Field,
        proposal: Option<String>,
        wanted: &[Option<Value>],
    ) -> Option<String> {
        let want = wanted.iter().flatten().count();
        let rule = proposal.as_deref().and_then(|p| FieldRule::parse(p).ok())?;
        let with_rule = self.agreement(field, Some(&rule), wanted);
        if with_rule < MIN_AGREEMENT * want as f64 {
            return None;
        }
        let by_default = if field.has_default() {
            self.agreement(field, None, wanted)
        } else {
            f64::NEG_INFINITY
        };
        (with_rule >= by_default).then_some(proposal).flatten()
    }

    /// Cards where the rule gives the wanted value, less half of those where it
    /// gives another one. An author found where the card shows no byline is
    /// another one too (a rule reading bylines on a few cards must not read
    /// something else on the rest).
    fn agreement(&self, field: Field, rule: Option<&FieldRule>, wanted: &[Option<Value>]) -> f64 {
        let mut score = 0.0;
        for (&c, want) in self.cards.iter().zip(wanted) {
            let got = match (want, field) {
                (None, Field::Author) => self.read(field, c, rule),
                (None, _) => continue,
                (Some(_), _) => self.read(field, c, rule),
            };
            match (got, want) {
                (Some(got), Some(want)) if same(&got, want) => score += 1.0,
                (Some(_), _) => score -= 0.5,
                (None, _) => {}
            }
        }
        score
    }

    /// What extraction reads for `field` in card `c` with `rule` (or its default).
    fn read(&self, field: Field, c: usize, rule: Option<&FieldRule>) -> Option<Value> {
        let el = self.dom.nodes[c].el;
        let base = &self.dom.base;
        match field {
            Field::Title => card::title(el, rule).map(Value::Text),
            Field::Link => card::link(el, rule, base).map(Value::Link),
            Field::Date => {
                card::date_text(el, rule).and_then(|t| self.dom.parse_date(&t).map(Value::Date))
            }
            Field::Summary | Field::Author => {
                rule.and_then(|r| card::read_string(el, r)).map(Value::Text)
            }
            Field::Image => card::image(el, rule, base).map(Value::Image),
        }
    }
}

/// Values compared as a reader sees them: texts regardless of whitespace, links
/// regardless of fragment.
fn same(got: &Value, want: &Value) -> bool {
    let compact = |s: &str| s.split_whitespace().collect::<String>();
    match (got, want) {
        (Value::Text(a), Value::Text(b)) => compact(a) == compact(b),
        (Value::Link(a), Value::Link(b)) => {
            let (mut a, mut b) = (a.clone(), b.clone());
            a.set_fragment(None);
            b.set_fragment(None);
            a == b
        }
        (a, b) => a == b,
    }
}

/// A field selector for targets that may sit in the card itself, inside it, or
/// in its metadata sibling (`+ …`).
fn field_selector(
    dom: &Dom<'_>,
    cards: &[usize],
    inside: &[Option<usize>],
    sibling: &[Option<(usize, usize)>],
    attr: Option<&str>,
) -> Option<String> {
    let n_inside = inside.iter().filter(|t| t.is_some()).count();
    let n_sib = sibling.iter().filter(|t| t.is_some()).count();
    if n_inside == 0 && n_sib == 0 {
        return None;
    }
    let suffix = attr.map(|a| format!("@{a}")).unwrap_or_default();
    if n_inside >= n_sib {
        let self_hits = cards
            .iter()
            .zip(inside)
            .filter(|(c, t)| **t == Some(**c))
            .count();
        if self_hits * 2 > n_inside {
            return Some(if suffix.is_empty() {
                ":scope".to_string()
            } else {
                suffix
            });
        }
        let sel = relative_selector(dom, cards, inside)?;
        Some(format!("{sel}{suffix}"))
    } else {
        let sibs: Vec<usize> = sibling
            .iter()
            .map(|s| s.map_or(usize::MAX, |x| x.0))
            .collect();
        let targets: Vec<Option<usize>> = sibling.iter().map(|s| s.map(|x| x.1)).collect();
        // Cards without a sibling cannot vote; keep indices aligned.
        let (sc, st): (Vec<usize>, Vec<Option<usize>>) = sibs
            .iter()
            .zip(&targets)
            .filter(|(s, _)| **s != usize::MAX)
            .map(|(s, t)| (*s, *t))
            .unzip();
        let sel = relative_selector(dom, &sc, &st)?;
        Some(format!("+ {sel}{suffix}"))
    }
}
