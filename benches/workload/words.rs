//! The random text of the synthetic pages: a small deterministic random stream, and the
//! words, names and sections it picks from, so that every page differs from the others
//! yet is the same on every run.

use std::sync::LazyLock;

/// SplitMix64: small, fast and deterministic across platforms.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// The vocabulary of headlines, summaries and link labels.
const VOCABULARY: &str = "\
    market growth policy rates inflation bank central jobs report energy prices global \
    trade tariffs supply chain workers union strike budget deficit election senate \
    housing mortgage loans startup funding venture capital chips software cloud data \
    privacy court ruling appeal climate storm drought harvest wheat oil pipeline \
    electric battery factory robots automation investors shares earnings quarter \
    forecast outlook recession consumers spending retail holiday travel airline airport \
    rail freight port shipping insurance pension savings tax reform minister summit \
    talks deal merger lawsuit regulators antitrust platform users network outage \
    security breach hackers vaccine hospital doctors nurses schools teachers students \
    tuition city council mayor transit bridge highway housing rents tenants landlords \
    café résumé naïve über señor façade quietly sharply slowly record surprise warning \
    plan crisis boom slump rally rebound gains losses cuts hikes new first biggest \
    latest why how what after before amid despite over under";

pub static WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| VOCABULARY.split_whitespace().collect());

pub const FIRST_NAMES: &[&str] = &[
    "Ana", "Ben", "Chloé", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Kasia",
    "Liam", "Maya", "Noor", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tariq",
];
pub const LAST_NAMES: &[&str] = &[
    "Alvarez",
    "Brennan",
    "Chen",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Haddad",
    "Ito",
    "Jones",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "O'Neill",
    "Petrov",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Weber",
];
pub const SECTIONS: &[&str] = &[
    "economy", "tech", "finance", "politics", "world", "health", "science", "climate", "business",
    "markets", "culture", "sports",
];

pub fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

pub fn slug(text: &str) -> String {
    text.split(' ')
        .take(7)
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}
