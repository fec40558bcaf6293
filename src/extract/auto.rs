//! Cards found automatically, and remembered per feed so the choice does not churn.
//!
//! A feed without `items` asks `detect` for the page's article list. The choice (the
//! card selector and field rules, or "structured data") is stored with the feed and
//! reused on later runs while it still matches the page; it is detected afresh only
//! when it matches nothing or far fewer cards than when it was chosen (a redesign).

use scraper::{ElementRef, Html};
use serde::{Deserialize, Serialize};
use url::Url;

use super::budget::{Budget, Exhausted};
use super::card_selector;
use super::date::DateContext;
use super::detect::{self, Candidate, Declared, DetectedFields, StructuredItem};
use crate::config::{FieldRule, Fields};

/// What detection chose for a feed, as remembered in the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Choice {
    Cards {
        items: String,
        fields: DetectedFields,
        confidence: f64,
        cards: usize,
    },
    Structured {
        source: String,
    },
}

impl Choice {
    pub fn from_json(text: &str) -> Option<Choice> {
        serde_json::from_str(text).ok()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a choice serialises")
    }

    /// A card group detected below [`detect::CONFIDENCE_FLOOR`]: a guess, not
    /// published.
    pub fn unsure(&self) -> bool {
        matches!(self, Choice::Cards { confidence, .. } if *confidence < detect::CONFIDENCE_FLOOR)
    }

    /// A short description for summaries and `preview`.
    pub fn describe(&self) -> String {
        match self {
            Choice::Cards {
                items, confidence, ..
            } => format!("detected `{items}` (confidence {confidence:.2})"),
            Choice::Structured { source } => {
                let what = match source.as_str() {
                    "json-ld" => "JSON-LD",
                    "next-data" => "__NEXT_DATA__ state",
                    other => other,
                };
                format!("detected from the page's {what}")
            }
        }
    }
}

/// The cards (or declared items) to read, and the choice behind them.
pub enum Found<'a> {
    Cards {
        cards: Vec<ElementRef<'a>>,
        fields: Box<Fields>,
        choice: Choice,
    },
    Structured {
        items: Vec<StructuredItem>,
        choice: Choice,
    },
}

/// Uses the remembered choice while it holds, else detects (reading dates as
/// `dates` says, within `budget`). A remembered choice below the confidence floor
/// (stored before the floor existed) is detected afresh.
pub fn find<'a>(
    doc: &'a Html,
    page_url: &Url,
    dates: DateContext<'_>,
    remembered: Option<&Choice>,
    budget: &Budget,
) -> Result<Option<Found<'a>>, Exhausted> {
    if let Some(Choice::Cards {
        items,
        fields,
        cards: chosen_with,
        confidence,
    }) = remembered
        && *confidence >= detect::CONFIDENCE_FLOOR
        && let Some(selector) = card_selector(items)
    {
        let cards: Vec<_> = doc.select(&selector.selector).collect();
        if !cards.is_empty() && cards.len() * 2 >= *chosen_with {
            let choice = Choice::Cards {
                items: items.clone(),
                fields: fields.clone(),
                confidence: *confidence,
                cards: *chosen_with,
            };
            return Ok(Some(Found::Cards {
                cards,
                fields: Box::new(compile_fields(fields)),
                choice,
            }));
        }
        tracing::info!("the remembered cards `{items}` no longer match the page; detecting again");
    }
    let detection = detect::detect(doc, page_url, dates, budget)?;
    Ok(match detection.declared {
        Some(Declared { source, items }) => Some(Found::Structured {
            items,
            choice: Choice::Structured {
                source: source.to_owned(),
            },
        }),
        None => detection
            .candidates
            .into_iter()
            .find_map(|candidate| cards_of(doc, candidate)),
    })
}

fn cards_of(doc: &Html, candidate: Candidate) -> Option<Found<'_>> {
    let selector = card_selector(&candidate.items)?;
    let cards: Vec<_> = doc.select(&selector.selector).collect();
    if cards.is_empty() {
        return None;
    }
    let choice = Choice::Cards {
        items: candidate.items.clone(),
        fields: candidate.fields.clone(),
        confidence: candidate.confidence,
        cards: cards.len(),
    };
    Some(Found::Cards {
        cards,
        fields: Box::new(compile_fields(&candidate.fields)),
        choice,
    })
}

/// Detected field rules in the feeds.yaml grammar, compiled; a rule that does not
/// compile is left to the default finder. These are the rules `suggest` prints:
/// a feed with them extracts exactly what the one-line feed does.
pub fn compile_fields(detected: &DetectedFields) -> Fields {
    let rule = |text: &Option<String>| text.as_deref().and_then(|t| FieldRule::parse(t).ok());
    let skip = detected
        .title_skip
        .as_deref()
        .and_then(|s| scraper::Selector::parse(s).ok());
    Fields {
        id: None,
        title: rule(&detected.title).map(|title| FieldRule { skip, ..title }),
        link: rule(&detected.link),
        date: rule(&detected.date),
        summary: rule(&detected.summary),
        author: rule(&detected.author),
        image: rule(&detected.image),
    }
}
