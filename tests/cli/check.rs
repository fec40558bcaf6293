//! `check`: a valid file is OK with its feed count; every kind of mistake is exit 2
//! with `feeds.yaml:LINE:COL`, the feed it belongs to, and what is wrong — before
//! anything is fetched.

use crate::support::{Project, Run, TestServer};

/// The 1-based line and column where `marker` first appears in `yaml`.
fn locate(yaml: &str, marker: &str) -> (usize, usize) {
    yaml.lines()
        .enumerate()
        .find_map(|(i, line)| line.find(marker).map(|col| (i + 1, col + 1)))
        .unwrap_or_else(|| panic!("`{marker}` is not in the test's YAML"))
}

/// Runs `check` on `yaml` and asserts exit 2 with an error at `marker` naming `feed`
/// and containing `message`.
#[track_caller]
fn expect_error(yaml: &str, marker: &str, feed: &str, message: &str) -> Run {
    let project = Project::new(yaml);
    let run = project.run(&["check"]);
    run.expect_code(2);
    let (line, column) = locate(yaml, marker);
    let at = format!("feeds.yaml:{line}:{column}: ");
    let error = run
        .stderr
        .lines()
        .find(|l| l.contains(&at))
        .unwrap_or_else(|| panic!("no error located at {at}\n{run}"));
    assert!(
        error.contains(feed),
        "the error names the feed `{feed}`: {error}"
    );
    assert!(
        error.contains(message),
        "the error says `{message}`: {error}"
    );
    assert!(
        !project.root().join("output").exists() && !project.state_dir().exists(),
        "check writes nothing"
    );
    run
}

#[test]
fn a_valid_file_is_ok_and_nothing_is_fetched() {
    let server = TestServer::start();
    let yaml = format!(
        "settings:\n  base_url: https://feeds.example.org/\nfeeds:\n  harbour-economy: {}\n  harbour-tech:\n    url: {}\n    items: article\n    keep: 2w\n    timezone: Europe/Oslo\n    formats: [rss]\n",
        server.url("/economy/"),
        server.url("/tech/"),
    );
    let project = Project::new(&yaml);
    let run = project.run(&["check"]);
    run.expect_code(0);
    assert!(run.stdout.contains("OK, 2 feed(s)"), "{run}");
    assert!(server.all_requests().is_empty(), "check fetches nothing");
}

#[test]
fn unknown_key_with_a_suggestion() {
    let yaml = "feeds:\n  harbour-economy:\n    url: https://example.com/economy/\n    itmes: article.card\n";
    expect_error(yaml, "itmes", "harbour-economy", "did you mean `items`");
}

#[test]
fn unknown_key_in_settings_with_a_suggestion() {
    let yaml =
        "settings:\n  timout: 10s\nfeeds:\n  harbour-economy: https://example.com/economy/\n";
    let run = expect_error(yaml, "timout", "", "did you mean `timeout`");
    assert!(
        !run.stderr.contains("feed `"),
        "a settings key belongs to no feed\n{run}"
    );
}

#[test]
fn invalid_css_selector_in_items() {
    let yaml = "feeds:\n  harbour-economy:\n    url: https://example.com/economy/\n    items: \"article[[\"\n";
    expect_error(
        yaml,
        "\"article[[\"",
        "harbour-economy",
        "invalid CSS selector `article[[`",
    );
}

#[test]
fn invalid_field_selector() {
    let yaml = "feeds:\n  harbour-economy:\n    url: https://example.com/economy/\n    items: article\n    fields:\n      title: h3..headline\n";
    expect_error(
        yaml,
        "h3..headline",
        "harbour-economy",
        "fields.title: invalid CSS selector `h3..headline`",
    );
}

#[test]
fn bad_url() {
    let yaml = "feeds:\n  harbour-economy:\n    url: \"https://harbour ledger.example/economy/\"\n";
    expect_error(yaml, "\"https://harbour", "harbour-economy", "invalid URL");
}

#[test]
fn unsupported_url_scheme() {
    let yaml = "feeds:\n  harbour-economy: ftp://example.com/economy/\n";
    expect_error(
        yaml,
        "ftp://",
        "harbour-economy",
        "unsupported URL `ftp://example.com/economy/`",
    );
}

#[test]
fn bad_feed_name() {
    let yaml = "feeds:\n  Fortune Tech: https://example.com/tech/\n";
    expect_error(yaml, "Fortune Tech", "Fortune Tech", "invalid feed name");
}

#[test]
fn duplicate_feed_name() {
    // The YAML parser rejects a duplicated key itself; its message is located at the
    // second occurrence and names the key.
    let yaml = "feeds:\n  harbour-tech: https://example.com/tech/\n  harbour-economy: https://example.com/economy/\n  harbour-tech: https://example.com/tech/?page=2\n";
    expect_error(
        yaml,
        "harbour-tech: https://example.com/tech/?page=2",
        "harbour-tech",
        "duplicate",
    );
}

#[test]
fn unknown_time_zone() {
    let yaml = "feeds:\n  harbour-economy:\n    url: https://example.com/economy/\n    timezone: Europe/Berlinn\n";
    expect_error(
        yaml,
        "Europe/Berlinn",
        "harbour-economy",
        "unknown time zone `Europe/Berlinn`",
    );
}

#[test]
fn bad_duration_in_keep() {
    let yaml = "feeds:\n  harbour-economy:\n    url: https://example.com/economy/\n    keep: 30x\n";
    expect_error(yaml, "30x", "harbour-economy", "invalid duration `30x`");
}

#[test]
fn unknown_format() {
    let yaml = "feeds:\n  harbour-economy:\n    url: https://example.com/economy/\n    formats: [rss, atm]\n";
    expect_error(yaml, "atm]", "harbour-economy", "unknown format `atm`");
}

#[test]
fn every_semantic_error_in_a_file_is_reported() {
    let yaml = r#"settings:
  base_url: https://feeds.example.org/
feeds:
  harbour-economy: https://example.com/economy/
  harbour-tech:
    url: https://example.com/tech/
    items: "ul.river >"
  harbour-ports:
    url: gopher://example.com/ports/
  harbour-culture:
    url: https://example.com/culture/
    timezone: Atlantis/Capital
    keep: forever
  Harbour Sport: https://example.com/sport/
  harbour-science:
    url: https://example.com/science/
    formats: [rss, rdf]
"#;
    let project = Project::new(yaml);
    let run = project.run(&["check"]);
    run.expect_code(2);
    let expected = [
        ("\"ul.river >\"", "harbour-tech"),
        ("gopher://", "harbour-ports"),
        ("Atlantis/Capital", "harbour-culture"),
        ("forever", "harbour-culture"),
        ("Harbour Sport", "Harbour Sport"),
        ("rdf]", "harbour-science"),
    ];
    for (marker, feed) in expected {
        let (line, column) = locate(yaml, marker);
        let at = format!("feeds.yaml:{line}:{column}: feed `{feed}`: ");
        assert!(run.stderr.contains(&at), "missing the error at {at}\n{run}");
    }
    assert!(
        run.stderr.contains(&format!("{} error(s)", expected.len())),
        "exactly these errors\n{run}"
    );
    assert!(
        !run.stderr.contains("harbour-economy"),
        "the valid feed has no error\n{run}"
    );
}

#[test]
fn every_misspelt_key_and_wrong_value_in_one_run_in_line_order() {
    let yaml = "settings:
  base_url: https://feeds.example.org/
  run_at_start: yes
feeds:
  harbour-economy:
    url: https://example.com/economy/
    titel: Economy
    itmes: article.card
    max_item: 5
    max_items: lots
  harbour-tech:
    url: https://example.com/tech/
    keep: 3 dayz
    include:
      - regex: \"(unclosed\"
";
    let project = Project::new(yaml);
    let run = project.run(&["check"]);
    run.expect_code(2);
    let expected = [
        (
            "yes",
            "",
            "settings.run_at_start: expected true or false, not `yes`",
        ),
        (
            "titel",
            "harbour-economy",
            "unknown key `titel` — did you mean `title`?",
        ),
        (
            "itmes",
            "harbour-economy",
            "unknown key `itmes` — did you mean `items`?",
        ),
        (
            "max_item:",
            "harbour-economy",
            "unknown key `max_item` — did you mean `max_items`?",
        ),
        (
            "lots",
            "harbour-economy",
            "max_items: expected a whole number, not `lots`",
        ),
        (
            "3 dayz",
            "harbour-tech",
            "keep: invalid duration `3 dayz`: unknown unit `dayz`",
        ),
        (
            "\"(unclosed",
            "harbour-tech",
            "include[1].regex: invalid regex `(unclosed`",
        ),
    ];
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines.len(),
        expected.len() + 1,
        "one line per error and a count\n{run}"
    );
    for ((marker, feed, message), line) in expected.iter().zip(&lines) {
        let (at_line, column) = locate(yaml, marker);
        let feed = if feed.is_empty() {
            String::new()
        } else {
            format!("feed `{feed}`: ")
        };
        let want = format!("feeds.yaml:{at_line}:{column}: {feed}{message}");
        assert!(line.contains(&want), "expected `{want}`\n{run}");
    }
    assert!(lines[expected.len()].starts_with("7 error(s) in "), "{run}");
}

#[test]
fn a_config_that_is_not_a_regular_file_is_refused_at_once() {
    let project = Project::new("");
    let config = project.config_path();
    std::fs::remove_file(&config).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &config).unwrap();
    let run = project.run(&["check"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("feeds.yaml: a device, not a regular file"),
        "/dev/zero is not read\n{run}"
    );

    std::fs::remove_file(&config).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&config).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let run = project.run(&["check"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("a named pipe, not a regular file"),
        "{run}"
    );

    std::fs::remove_file(&config).unwrap();
    std::fs::write(&config, vec![b'#'; 5 << 20]).unwrap();
    let run = project.run(&["check"]);
    run.expect_code(2);
    assert!(run.stderr.contains("larger than 4 MiB"), "{run}");
}

#[test]
fn without_feeds_yaml_the_user_is_told_where_to_start() {
    let project = Project::new("");
    std::fs::remove_file(project.config_path()).unwrap();
    let run = project.run_bare(&["check"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("no feeds.yaml here (")
            && run
                .stderr
                .contains("start from examples/feeds.yaml or run `scrapefeed suggest URL`"),
        "{run}"
    );
    let run = project.run(&["check"]);
    assert!(
        run.stderr
            .contains("no such file: start from examples/feeds.yaml"),
        "{run}"
    );
}

#[test]
fn yaml_mistakes_are_explained_in_plain_words() {
    let cases = [
        (
            "feeds:\n  harbour-economy: https://example.com/economy/\n   harbour-tech: https://example.com/tech/\n",
            "harbour-tech:",
            "this line is indented more than the key above it (`harbour-economy:`, which already has a value)",
        ),
        (
            "feeds:\n  harbour-economy:\n    url: https://example.com/economy/\n   items: article\n",
            "items:",
            "this line is indented less than the key above it (`url:` at 4 spaces) but more than `harbour-economy:`",
        ),
        (
            "feeds:\n\tharbour-economy: https://example.com/economy/\n",
            "harbour-economy",
            "a tab in the indentation: YAML indents with spaces only",
        ),
        (
            "feeds:\n  harbour-economy: \"https://example.com/economy/\n",
            "\"https",
            "this quoted text is never closed",
        ),
        (
            "feeds:\n  harbour-economy:\n    url: https://example.com/economy/\n    title: Economy: the week\n",
            ": the week",
            "a `: ` inside the value `Economy: the week`: put the value in quotes",
        ),
        (
            "feeds:\n  harbour-economy: https://example.com/economy/\n  - harbour-tech: https://example.com/tech/\n",
            "harbour-tech",
            "a list item (`- …`) among `key: value` lines: remove the `- `",
        ),
    ];
    for (yaml, marker, message) in cases {
        let run = Project::new(yaml).run(&["check"]);
        run.expect_code(2);
        let (line, _) = locate(yaml, marker);
        assert!(
            run.stderr.contains(&format!("feeds.yaml:{line}:")) && run.stderr.contains(message),
            "expected `{message}` at line {line}\n{run}"
        );
        assert!(
            !run.stderr.contains("while parsing")
                && !run.stderr.contains("not allowed in this context"),
            "no parser jargon\n{run}"
        );
    }
}

#[test]
fn warnings_are_printed_and_the_file_is_still_ok() {
    let server = TestServer::start();
    let yaml = format!(
        "feeds:\n  harbour-economy:\n    url: {}\n    schedule: \"*/90 * * * *\"\n",
        server.url("/economy/")
    );
    let yaml = yaml.as_str();
    let project = Project::new(yaml);
    let logged = project.run(&["run", "--once"]);
    assert!(
        logged.stderr.contains("WARN")
            && logged
                .stderr
                .contains("`*/90` in the minute field selects only 0"),
        "run logs the warning at load\n{logged}"
    );
    let run = project.run(&["check"]);
    run.expect_code(0);
    assert!(run.stdout.contains("OK, 1 feed(s), 1 warning(s)"), "{run}");
    let (line, column) = locate(yaml, "\"*/90");
    assert!(
        run.stderr.contains(&format!(
            "feeds.yaml:{line}:{column}: warning: feed `harbour-economy`: schedule: `*/90` in the minute field selects only 0"
        )) && run.stderr.contains("runs once every hour, not every 90 minutes"),
        "{run}"
    );
}

#[test]
fn preview_of_a_feed_in_a_broken_config_shows_the_config_error() {
    let yaml =
        "feeds:\n  harbour-economy:\n    url: https://example.com/economy/\n    itmes: article\n";
    let project = Project::new(yaml);
    let run = project.run(&["preview", "harbour-economy"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(
            "feeds.yaml:4:5: feed `harbour-economy`: unknown key `itmes` — did you mean `items`?"
        ),
        "{run}"
    );
    assert!(
        run.stderr
            .contains("fix them to preview its feed `harbour-economy`"),
        "{run}"
    );
    assert!(!run.stderr.contains("is not a feed"), "{run}");

    // A URL does not need the file: it is previewed with the default settings.
    let server = TestServer::start();
    let run = project.run(&["preview", &server.url("/economy/")]);
    assert!(
        run.stderr
            .contains("has 1 error(s) (`scrapefeed check` lists them); using the default settings"),
        "{run}"
    );
    assert!(!server.requests().is_empty(), "the page was fetched\n{run}");
}
