//! Configuration tests that span modules: the documented example stays valid and
//! complete, and errors point at the right place.

use std::path::Path;

use super::*;

const EXAMPLE: &str = include_str!("../../examples/feeds.yaml");
const README: &str = include_str!("../../README.md");
const DEFAULT: &str = include_str!("../../feeds.yaml");

/// The keys serde accepts at one level, read from the error for an unknown key there.
fn keys_at(yaml_with_unknown_key: &str) -> Vec<String> {
    let errors = parse(yaml_with_unknown_key, Path::new("probe.yaml")).unwrap_err();
    let message = &errors.0[0].message;
    let list = message
        .split("expected one of: ")
        .nth(1)
        .unwrap_or_else(|| panic!("no key list in {message:?}"));
    list.trim_end_matches(')')
        .split(", ")
        .map(str::to_owned)
        .collect()
}

#[test]
fn example_config_is_valid_and_uses_every_key() {
    let config =
        parse(EXAMPLE, Path::new("examples/feeds.yaml")).expect("examples/feeds.yaml is valid");
    assert!(config.feeds.len() >= 3);
    let levels = [
        ("top level", "zzqq: 1\n"),
        ("settings", "settings:\n  zzqq: 1\n"),
        (
            "feed",
            "feeds:\n  a:\n    url: https://a.example/\n    zzqq: 1\n",
        ),
        (
            "fields",
            "feeds:\n  a:\n    url: https://a.example/\n    fields:\n      zzqq: 1\n",
        ),
        (
            "field mapping",
            "feeds:\n  a:\n    url: https://a.example/\n    fields:\n      title:\n        zzqq: 1\n",
        ),
        (
            "replace",
            "feeds:\n  a:\n    url: https://a.example/\n    fields:\n      title:\n        replace:\n          zzqq: 1\n",
        ),
        (
            "include",
            "feeds:\n  a:\n    url: https://a.example/\n    include:\n      - zzqq: 1\n",
        ),
    ];
    for (level, probe) in levels {
        let keys = keys_at(probe);
        assert!(keys.len() > 1, "{level}: {keys:?}");
        for key in keys {
            assert!(
                EXAMPLE.contains(&format!("{key}:")),
                "examples/feeds.yaml lacks the {level} key `{key}`"
            );
            assert!(
                README.contains(&format!("`{key}`")),
                "README.md does not document the {level} key `{key}`"
            );
        }
    }
}

#[test]
fn default_config_uses_detection_for_fortune() {
    let config = parse(DEFAULT, Path::new("feeds.yaml")).expect("feeds.yaml is valid");
    assert!(config.feeds.len() >= 5);
    for feed in &config.feeds {
        assert!(feed.slug.starts_with("fortune-"), "{}", feed.slug);
        assert_eq!(feed.url.host_str(), Some("fortune.com"));
        assert!(feed.items.is_none(), "{} relies on detection", feed.slug);
    }
}

#[test]
fn errors_carry_line_column_and_feed() {
    let yaml = "settings:\n  base_url: https://f.example/\nfeeds:\n  good: https://a.example/\n  bad:\n    url: https://b.example/\n    items: \"div[[\"\n";
    let errors = parse(yaml, Path::new("feeds.yaml")).unwrap_err();
    assert_eq!(errors.0.len(), 1);
    let text = errors.0[0].to_string();
    assert!(
        text.starts_with("feeds.yaml:7:12: feed `bad`: items: invalid CSS selector `div[[`"),
        "{text}"
    );
}

#[test]
fn inherited_bad_default_is_reported_once() {
    let yaml = "settings:\n  timezone: Mars/Olympus\nfeeds:\n  a: https://a.example/\n  b: https://b.example/\n";
    let errors = parse(yaml, Path::new("feeds.yaml")).unwrap_err();
    assert_eq!(errors.0.len(), 1, "{errors}");
    assert!(
        errors.0[0]
            .to_string()
            .starts_with("feeds.yaml:2:13: unknown time zone `Mars/Olympus`"),
        "{errors}"
    );
}

#[test]
fn unknown_key_inside_a_feed_names_the_feed_and_suggests() {
    let yaml = "feeds:\n  first: https://a.example/\n  second:\n    url: https://b.example/\n    itmes: article\n";
    let errors = parse(yaml, Path::new("feeds.yaml")).unwrap_err();
    assert_eq!(
        errors.to_string(),
        "feeds.yaml:5:5: feed `second`: unknown key `itmes` — did you mean `items`?"
    );
}

#[test]
fn feed_settings_override_defaults() {
    let yaml = "settings:\n  max_items: 10\n  keep: 2d\n  timezone: Europe/Berlin\nfeeds:\n  a: https://a.example/\n  b:\n    url: https://b.example/\n    max_items: 3\n    timezone: Asia/Tokyo\n    formats: [atom]\n";
    let config = parse(yaml, Path::new("feeds.yaml")).unwrap();
    let (a, b) = (&config.feeds[0], &config.feeds[1]);
    assert_eq!(
        (a.max_items, a.timezone, a.keep),
        (
            10,
            chrono_tz::Europe::Berlin,
            Duration::from_secs(2 * 86_400)
        )
    );
    assert_eq!(
        (b.max_items, b.timezone, b.formats.as_slice()),
        (3, chrono_tz::Asia::Tokyo, &[Format::Atom][..])
    );
    assert_ne!(a.fingerprint, b.fingerprint);
}

#[test]
fn slugs() {
    for good in ["fortune-tech", "a", "x_1", "9news"] {
        assert!(is_valid_slug(good), "{good}");
    }
    for bad in ["Fortune", "-a", "a b", "a/b", "", "ä"] {
        assert!(!is_valid_slug(bad), "{bad}");
    }
}
