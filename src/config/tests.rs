//! Configuration tests that span modules: the documented example stays valid and
//! complete, and errors point at the right place.

use std::path::Path;

use super::*;

const EXAMPLE: &str = include_str!("../../examples/feeds.yaml");
const README: &str = include_str!("../../README.md");
const DEFAULT: &str = include_str!("../../feeds.yaml");

/// Every level of feeds.yaml and the keys it accepts, as the raw structs declare them.
fn levels() -> Vec<(&'static str, &'static [&'static str])> {
    use super::decode::keys_of;
    use super::raw::*;
    vec![
        ("top level", keys_of::<RawConfig>()),
        ("settings", keys_of::<RawSettings>()),
        ("feed", keys_of::<RawFeed>()),
        ("fields", keys_of::<RawFields>()),
        ("field mapping", keys_of::<RawFieldFull>()),
        ("replace", keys_of::<RawReplace>()),
        ("include/exclude", keys_of::<RawFilter>()),
    ]
}

#[test]
fn example_config_is_valid_and_uses_every_key() {
    let config =
        parse(EXAMPLE, Path::new("examples/feeds.yaml")).expect("examples/feeds.yaml is valid");
    assert!(config.feeds.len() >= 3);
    assert!(config.warnings.is_empty(), "{:?}", config.warnings);
    for (level, keys) in levels() {
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
            .starts_with("feeds.yaml:2:13: settings.timezone: unknown time zone `Mars/Olympus`"),
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

/// The errors for `yaml`, one `line:column: message` string each, in order.
fn errors(yaml: &str) -> Vec<String> {
    parse(yaml, Path::new("f.yaml"))
        .expect_err("the config is invalid")
        .0
        .iter()
        .map(|e| e.to_string().trim_start_matches("f.yaml:").to_owned())
        .collect()
}

#[test]
fn every_unknown_key_and_bad_value_is_reported_at_once_in_line_order() {
    let yaml = "\
feeds:
  harbour:
    url: https://example.com/
    titel: Harbour
    max_items: lots
    itmes: article
settings:
  timout: 5s
  run_at_start: yes
";
    assert_eq!(
        errors(yaml),
        [
            "4:5: feed `harbour`: unknown key `titel` — did you mean `title`?",
            "5:16: feed `harbour`: max_items: expected a whole number, not `lots`",
            "6:5: feed `harbour`: unknown key `itmes` — did you mean `items`?",
            "8:3: unknown key `timout` in `settings` — did you mean `timeout`?",
            "9:17: settings.run_at_start: expected true or false, not `yes`",
        ]
    );
}

#[test]
fn expectations_are_plain_words() {
    let case = |key_and_value: &str| {
        errors(&format!(
            "feeds:\n  a:\n    url: https://a.example/\n    {key_and_value}\n"
        ))
        .join("\n")
    };
    assert!(
        case("keep: forever").contains("keep: invalid duration `forever`"),
        "{}",
        case("keep: forever")
    );
    assert!(case("keep: [1d]").contains("keep: expected a duration like 30m or 2h, not a list"));
    assert!(case("summary_length: -3").contains("expected a whole number, not `-3`"));
    assert!(case("title: [a, b]").contains("title: expected text, not a list"));
    assert!(case("formats: atom").contains("(for a list of one, write [atom])"));
    assert!(case("include: {regex: x}").contains("include: expected a list, not a mapping"));
    assert!(case("fields: h2").contains("fields: expected a mapping of fields"));
    assert!(case("max_items: 0").contains("max_items: must be at least 1"));
}

#[test]
fn a_regex_is_reported_at_its_own_line_and_only_once() {
    let yaml = "feeds:\n  a:\n    url: https://a.example/\n    exclude:\n      - field: link\n        regex: \"(open\"\n";
    assert_eq!(
        errors(yaml),
        ["6:16: feed `a`: exclude[1].regex: invalid regex `(open`: unclosed group"]
    );
    let yaml = "feeds:\n  a:\n    url: https://a.example/\n    fields:\n      author:\n        select: .by\n        replace: {pattern: \"[\", with: x}\n";
    let errors = errors(yaml);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("7:28: feed `a`: fields.author.replace.pattern: invalid regex `[`"),
        "{errors:?}"
    );
}

#[test]
fn a_required_key_left_out_is_named() {
    let yaml = "feeds:\n  a:\n    url: https://a.example/\n    include:\n      - field: title\n";
    assert_eq!(errors(yaml), ["5:9: feed `a`: include[1]: missing `regex`"]);
}

#[test]
fn repeated_keys_are_each_reported() {
    let yaml = "feeds:\n  a: https://a.example/\n  b:\n    url: https://b.example/\n    url: https://c.example/\n  a: https://d.example/\n";
    assert_eq!(
        errors(yaml),
        [
            "5:5: feed `b`: duplicate key `url`: already given at line 4; each key may appear once",
            "6:3: feed `a`: duplicate feed name: `a` is already defined at line 2",
        ]
    );
}

#[test]
fn feeds_written_as_a_list_or_left_empty_say_how_to_fix_it() {
    let list = errors("feeds:\n  - a: https://a.example/\n");
    assert_eq!(list.len(), 1, "{list:?}");
    assert!(list[0].starts_with("2:3: feeds: expected a mapping of feed names to pages, not a list: write each feed as `name: URL`"), "{list:?}");
    assert_eq!(
        errors("settings:\n  base_url: https://f.example/\nfeeds:\n"),
        ["3:1: `feeds` is empty: add a feed below it, e.g. `  my-news: https://example.com/news/`"]
    );
    assert!(errors("settings: {}\n")[0].contains("no feeds: add a `feeds:` mapping"));
    assert!(errors("# nothing yet\n")[0].contains("no feeds"));
    assert!(
        errors("- a\n- b\n")[0]
            .contains("the file must be a mapping with `settings:` and `feeds:`, not a list")
    );
}

#[test]
fn values_keep_their_spelling_and_quotes_do_not_change_numbers() {
    let yaml = "feeds:\n  a:\n    url: https://a.example/\n    title: 1.10\n    description: 0x1F\n    max_items: \"7\"\n    summary_length: 010\n";
    let config = parse(yaml, Path::new("f.yaml")).unwrap();
    let feed = &config.feeds[0];
    assert_eq!(feed.title.as_deref(), Some("1.10"));
    assert_eq!(feed.description.as_deref(), Some("0x1F"));
    assert_eq!((feed.max_items, feed.summary_length), (7, 10));
}

#[test]
fn empty_sections_and_anchors_are_fine() {
    let yaml = "settings:\ndefaults: &common\n  max_items: 9\nfeeds:\n  a:\n    url: https://a.example/\n    fields:\n    include:\n";
    // `defaults` is not a key: anchors live inside the keys scrapefeed knows.
    assert!(errors(yaml)[0].contains("unknown key `defaults` at the top level"));
    let yaml = "settings:\nfeeds:\n  a: &page\n    url: https://a.example/\n    max_items: 9\n  b:\n    <<: *page\n    url: https://b.example/\n";
    let config = parse(yaml, Path::new("f.yaml")).unwrap();
    assert_eq!(config.feeds[1].max_items, 9);
    assert_eq!(config.feeds[1].url.as_str(), "https://b.example/");
}

#[test]
fn a_flood_of_errors_is_bounded() {
    let mut yaml = String::from("feeds:\n");
    for i in 0..1000 {
        yaml.push_str(&format!(
            "  f{i}:\n    url: https://a.example/\n    max_items: x{i}\n"
        ));
    }
    let errors = errors(&yaml);
    assert!(
        errors.len() >= super::decode::MAX_FAULTS && errors.len() < 2 * super::decode::MAX_FAULTS,
        "{}",
        errors.len()
    );
    assert!(
        errors[0].starts_with("4:16: feed `f0`: max_items"),
        "{}",
        errors[0]
    );
    assert!(
        errors
            .last()
            .unwrap()
            .contains("stopped reading after 100 problems")
    );
}

#[test]
fn a_feed_that_cannot_be_read_at_all_leaves_the_others_checked() {
    let yaml = "feeds:\n  a: [https://a.example/]\n  b:\n    url: https://b.example/\n    keep: soon\n  c: https://c.example/\n";
    assert_eq!(
        errors(yaml),
        [
            "2:6: feed `a`: expected a page URL or a mapping with `url`, `items`, `fields`, …, not a list",
            "5:11: feed `b`: keep: invalid duration `soon`: expected a number before `soon`",
        ]
    );
}

/// A config with one feed `a` that has `extra` (indented lines) among its keys.
fn feed_with(extra: &str) -> String {
    format!("feeds:\n  a:\n    url: https://a.example/\n{extra}")
}

#[test]
fn date_formats_with_unknown_items_are_refused() {
    let errors = errors(&feed_with("    date_format: \"%Q %d\"\n"));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "4:18: feed `a`: date_format: `%Q` in the date format `%Q %d` is not a strftime item"
        ),
        "{errors:?}"
    );
    for good in [
        "%d.%m.%Y %H:%M",
        "%-d %B %Y",
        "%Y-%m-%dT%H:%M:%S%.3f%:z",
        "100%% %d",
    ] {
        let yaml = feed_with(&format!("    date_format: \"{good}\"\n"));
        assert!(parse(&yaml, Path::new("f.yaml")).is_ok(), "{good}");
    }
}

#[test]
fn schedules_warn_when_a_step_does_not_mean_what_it_says() {
    let yaml = "settings:\n  schedule: \"*/90 * * * *\"\nfeeds:\n  a: https://a.example/\n  b: https://b.example/\n  c:\n    url: https://c.example/\n    schedule: \"*/45 * * * *\"\n";
    let config = parse(yaml, Path::new("f.yaml")).unwrap();
    let warnings: Vec<String> = config.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings.len(),
        2,
        "once for the default, once for c: {warnings:?}"
    );
    assert!(
        warnings[0].starts_with(
            "f.yaml:2:13: warning: settings.schedule: `*/90` in the minute field selects only 0"
        ),
        "{warnings:?}"
    );
    assert!(warnings[0].contains("runs once every hour, not every 90 minutes"));
    assert!(
        warnings[1].starts_with("f.yaml:8:15: warning: feed `c`: schedule: `*/45`"),
        "{warnings:?}"
    );
    let errors = errors(&feed_with("    schedule: \"0 0 0 1 1 * 2020\"\n"));
    assert!(errors[0].contains("has no time left to run"), "{errors:?}");
}

#[test]
fn what_check_accepts_run_can_do() {
    let settings = |line: &str| {
        errors(&format!(
            "settings:\n  {line}\nfeeds:\n  a: https://a.example/\n"
        ))
        .join("\n")
    };
    assert!(
        settings("user_agent: \"bot\\r\\nX-Evil: 1\"")
            .contains("settings.user_agent: contains a control character (a carriage return)")
    );
    assert!(settings("user_agent: \"bot\\u0001\"").contains("U+0001"));
    assert!(settings("timeout: 0s").contains("settings.timeout: must be longer than 0s"));
    assert!(settings("connect_timeout: 0ms").contains("must be longer than 0s"));
    assert!(settings("max_body: 0").contains("settings.max_body: must be more than 0 bytes"));
    assert!(settings("concurrency: 100000000000000000000").contains("settings.concurrency"));
    assert!(settings("concurrency: 1000").contains("must be at most 256"));
    assert!(settings("output_dir: \"\"").contains("output_dir is empty"));
    let field = |rule: &str| errors(&feed_with(&format!("    fields:\n      {rule}\n"))).join("\n");
    assert!(field("link: {select: a, html: true}").contains(
        "fields.link: `html: true` keeps markup, which only `summary`, `title` and `author` can use"
    ));
    assert!(
        field("date: {select: time, template: \"{date}\"}")
            .contains("`template` applies to title, summary, author, id only")
    );
    assert!(
        field("summary: {select: p, template: \"{titel}\"}").contains("did you mean `{title}`")
    );
    assert!(
        field("title: {select: a, attr: title, skip: span}").contains(
            "`skip` leaves elements out of the text, so it cannot be combined with `attr`"
        )
    );
    assert!(field("title: {select: h2, skip: \"span[\"}").contains("invalid CSS selector `span[`"));
    assert!(field("title: {select: h2, skip: \":scope\"}").contains("`skip` needs a selector"));
    let url = |url: &str| errors(&format!("feeds:\n  a: {url}\n")).join("\n");
    assert!(url("file://page.html").contains("a file URL has three slashes"));
    assert!(
        url("https://").contains("empty host") || url("https://").contains("no host"),
        "{}",
        url("https://")
    );
    assert!(
        errors("feeds:\n  url: https://a.example/\n")[0]
            .contains("`url` is one of a feed's keys, so it cannot be a feed name")
    );
}

#[test]
fn folders_must_be_folders_and_names_must_fit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("out"), "a file").unwrap();
    let path = dir.path().join("feeds.yaml");
    let errors = parse(
        "settings:\n  output_dir: out\n  state_dir: out/state\nfeeds:\n  a: https://a.example/\n",
        &path,
    )
    .unwrap_err()
    .to_string();
    assert!(
        errors.contains(":2:15: output_dir ") && errors.contains("/out is a file, not a folder"),
        "{errors}"
    );
    assert!(
        errors.contains(":3:14: state_dir ") && errors.contains("cannot be created"),
        "{errors}"
    );

    let name = |n: usize| "n".repeat(n);
    let yaml = |n: usize| format!("feeds:\n  {}: https://a.example/\n", name(n));
    assert!(parse(&yaml(226), &path).is_ok());
    let errors = parse(&yaml(227), &path).unwrap_err().to_string();
    assert!(
        errors.contains("the feed name is 227 characters long; at most 226 fit"),
        "{errors}"
    );
    assert!(
        errors.contains("`.<name>.atom.<pid>.scrapefeed-tmp`") && errors.contains("255 bytes"),
        "{errors}"
    );
    let rss_only = format!(
        "feeds:\n  {}:\n    url: https://a.example/\n    formats: [rss]\n",
        name(227)
    );
    assert!(
        parse(&rss_only, &path).is_ok(),
        "`.xml` is one byte shorter than `.atom`"
    );

    let yaml =
        "settings:\n  output_dir: www\n  state_dir: www/state\nfeeds:\n  a: https://a.example/\n";
    let warnings = parse(yaml, &path).unwrap().warnings;
    assert!(
        warnings[0]
            .to_string()
            .contains("a web server serving output_dir would publish the item store"),
        "{warnings:?}"
    );
    assert!(!dir.path().join("www").exists(), "checking creates nothing");
}

#[test]
fn the_fingerprint_covers_what_the_files_show_and_nothing_else() {
    let base = "settings:\n  base_url: https://f.example/\nfeeds:\n  a:\n    url: https://a.example/\n    items: article\n";
    let fingerprint = |yaml: &str| {
        parse(yaml, Path::new("f.yaml")).unwrap().feeds[0]
            .fingerprint
            .clone()
    };
    let original = fingerprint(base);
    assert_eq!(original.len(), 16);
    assert_eq!(original, fingerprint(base), "stable");
    for change in [
        "    fields:\n      title: h2\n",
        "    fields:\n      title: {select: h2, regex: \"(.+)\"}\n",
        "    title: Another title\n",
        "    date_format: \"%d.%m.%Y\"\n",
        "    exclude:\n      - regex: ad\n",
        "    max_items: 10\n",
        "    timezone: Europe/Berlin\n",
        "    formats: [atom]\n",
        "    summary_length: 80\n",
    ] {
        assert_ne!(
            original,
            fingerprint(&format!("{base}{change}")),
            "{change}"
        );
    }
    assert_ne!(
        original,
        fingerprint(&base.replace("f.example", "g.example"))
    );
    for same in [
        "    schedule: \"@hourly\"\n",
        "    keep: 2d\n",
        "    max_history: 9000\n",
    ] {
        assert_eq!(original, fingerprint(&format!("{base}{same}")), "{same}");
    }
}

#[test]
fn docs_point_at_what_exists() {
    let is_heading = |name: &str| {
        README
            .lines()
            .any(|l| l.starts_with('#') && l.trim_start_matches('#').trim() == name)
    };
    for (file, text) in [("feeds.yaml", DEFAULT), ("examples/feeds.yaml", EXAMPLE)] {
        let section = text
            .split("section \"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{file} names no README section"));
        assert!(
            is_heading(section),
            "{file} points at README section {section:?}, which does not exist"
        );
    }
    let manifest = include_str!("../../Cargo.toml");
    let description = manifest
        .lines()
        .find(|l| l.starts_with("description"))
        .unwrap()
        .to_lowercase();
    for format in ["rss", "atom", "json"] {
        if description.contains(format) {
            assert!(
                Format::ALL.contains(&format),
                "Cargo.toml promises {format} feeds"
            );
        }
    }
    let unit = include_str!("../../systemd/scrapefeed.service");
    let docs = unit
        .lines()
        .find_map(|l| l.strip_prefix("Documentation="))
        .expect("the unit names its documentation");
    let files: Vec<&str> = docs
        .split_whitespace()
        .filter_map(|d| d.strip_prefix("file://"))
        .collect();
    assert!(!files.is_empty(), "Documentation= points at this project");
    for file in files {
        assert!(
            README.contains(&format!(" {file}")),
            "the README installs {file}"
        );
    }
}
