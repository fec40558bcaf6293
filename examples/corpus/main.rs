//! Corpus evaluation: how well extraction and detection do on saved pages.
//!
//! ```text
//! cargo run --release --example corpus -- DIR [--mode reference|detect|all] [--check]
//! ```
//!
//! `DIR` holds a `corpus.yaml` (see `set.rs`): `../shared/corpus`, the generated
//! pages in `tests/fixtures/detection`, or any set of saved pages laid out alike.
//! For every page, *reference* mode builds a feed from the page's reference selectors
//! and compares the items with the expected ones (and the link lists in `gold/`): link
//! recall and precision, title agreement, the share of items with a parsed date (on
//! pages whose cards show one) and with a usable image (on pages that have them).
//! *detect* mode gives the page URL only, as a one-line feed would, and measures
//! automatic detection's links against `gold/` (else the expected items), its titles,
//! dates, authors and images against the expected items of the same links, and
//! checks that the entry `suggest` prints gives exactly the one-line feed's items.
//! With `--check` the exit status is 1 when a target is missed. `CORPUS_VERBOSE=1`
//! lists every missed and extra link and every differing title.

mod measure;
mod set;

use std::path::PathBuf;
use std::process::ExitCode;

use measure::Score;
use set::Set;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args
        .iter()
        .position(|a| a == "--mode")
        .and_then(|i| args.get(i + 1))
        .map_or("all", String::as_str);
    let dir = PathBuf::from(
        args.iter()
            .enumerate()
            .find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--mode"))
            .map_or("../shared/corpus", |(_, a)| a.as_str()),
    );
    let check = args.iter().any(|a| a == "--check");
    let set = match Set::read(&dir) {
        Ok(set) => set,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut ok = true;
    if matches!(mode, "reference" | "all") {
        let scores: Vec<Score> = set
            .pages
            .iter()
            .map(|p| measure::reference(&dir, p))
            .collect();
        print_reference(&scores);
        ok &= reference_targets_met(&scores);
    }
    if matches!(mode, "detect" | "all") {
        let scores: Vec<Score> = set
            .pages
            .iter()
            .map(|p| measure::detection(&dir, p))
            .collect();
        ok &= print_detection(&scores);
    }
    if check && !ok {
        eprintln!("corpus evaluation: a target was missed");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn pct(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{:.0}%", v * 100.0))
}

fn print_reference(scores: &[Score]) {
    println!(
        "Extraction with reference selectors (against expected/; gold/ links where published)"
    );
    println!(
        "{:<40} {:>5} {:>6} {:>6} {:>7} {:>6} {:>7} {:>13}",
        "page", "items", "prec", "recall", "titles", "dates", "images", "gold P/R"
    );
    for s in scores {
        let gold = s
            .gold
            .map_or_else(|| "-".to_owned(), |(p, r)| format!("{p:.2}/{r:.2}"));
        println!(
            "{:<40} {:>5} {:>6.2} {:>6.2} {:>7} {:>6} {:>7} {:>13}{}",
            s.id,
            s.items,
            s.precision,
            s.recall,
            pct(s.titles),
            pct(s.dates),
            pct(s.images),
            gold,
            if s.items == 0 {
                format!("  ({})", s.note)
            } else {
                String::new()
            }
        );
    }
}

fn reference_targets_met(scores: &[Score]) -> bool {
    let mut ok = true;
    for s in scores {
        let misses: Vec<&str> = [
            (s.precision < 1.0, "precision"),
            (s.recall < 1.0, "recall"),
            (s.titles.is_some_and(|t| t < 1.0), "titles"),
            (s.dates.is_some_and(|d| d < 0.95), "dates"),
            (s.images.is_some_and(|i| i < 1.0), "images"),
        ]
        .iter()
        .filter_map(|(missed, what)| missed.then_some(*what))
        .collect();
        if !misses.is_empty() {
            println!("  below target on {}: {}", s.id, misses.join(", "));
            ok = false;
        }
    }
    ok
}

/// Prints the detection table; true when the targets are met: mean precision ≥ 0.95,
/// mean recall ≥ 0.90, no page below 0.60, and `suggest`'s entry giving the one-line
/// feed's items on every page.
fn print_detection(scores: &[Score]) -> bool {
    println!();
    println!(
        "Automatic detection, page URL only (links against gold/, else the expected items; fields against the expected items)"
    );
    println!(
        "{:<40} {:>5} {:>6} {:>6} {:>7} {:>6} {:>7} {:>7} {:>6}  chosen",
        "page", "items", "prec", "recall", "titles", "dates", "authors", "images", "entry"
    );
    for s in scores {
        let entry = match &s.entry_matches {
            Some(Ok(())) => "same",
            Some(Err(_)) => "DIFFERS",
            None => "-",
        };
        println!(
            "{:<40} {:>5} {:>6.2} {:>6.2} {:>7} {:>6} {:>7} {:>7} {:>6}  {}",
            s.id,
            s.items,
            s.precision,
            s.recall,
            pct(s.titles),
            pct(s.dates),
            pct(s.authors),
            pct(s.images),
            entry,
            s.note
        );
        if let Some(Err(why)) = &s.entry_matches {
            println!("  suggest's entry on {}: {why}", s.id);
        }
    }
    let n = scores.len().max(1) as f64;
    let mean = |f: fn(&Score) -> Option<f64>| {
        let known: Vec<f64> = scores.iter().filter_map(f).collect();
        (!known.is_empty()).then(|| known.iter().sum::<f64>() / known.len() as f64)
    };
    let mean_p = scores.iter().map(|s| s.precision).sum::<f64>() / n;
    let mean_r = scores.iter().map(|s| s.recall).sum::<f64>() / n;
    let worst = scores
        .iter()
        .map(|s| s.precision.min(s.recall))
        .fold(1.0, f64::min);
    let entries_differ = scores
        .iter()
        .filter(|s| matches!(s.entry_matches, Some(Err(_))))
        .count();
    println!(
        "mean precision {mean_p:.3}, mean recall {mean_r:.3}, lowest page score {worst:.2} (targets: ≥ 0.95, ≥ 0.90, ≥ 0.60)"
    );
    println!(
        "mean titles {}, dates {}, authors {}, images {}; suggest's entry differs from the one-line feed on {entries_differ} page(s) (target: 0)",
        pct(mean(|s| s.titles)),
        pct(mean(|s| s.dates)),
        pct(mean(|s| s.authors)),
        pct(mean(|s| s.images)),
    );
    mean_p >= 0.95 && mean_r >= 0.90 && worst >= 0.6 && entries_differ == 0
}
