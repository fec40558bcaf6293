#!/usr/bin/env python3
"""Writes the generated evaluation pages for card detection.

    python3 tools/detection_fixtures.py tests/fixtures/detection

Each page is a section or front page in one of the shapes that automatic detection
finds hard (several teaser kinds, one kind in many section blocks, lists with ad
rows, kicker + headline titles, dates outside the cards, dates in other languages,
hashed class names), with the boilerplate real pages have around them: navigation,
a "most read" rail, a footer. The script knows what the page's article list is, so
it writes the expected items (`expected/<id>.json`) beside the page and a
`corpus.yaml` that `cargo run --example corpus -- tests/fixtures/detection --mode
detect` reads. Output is deterministic.
"""

import json
import os
import sys
from datetime import date, datetime, timedelta, timezone
from html import escape

SUBJECTS = [
    "Stadtrat", "Regierung", "Bahn", "Hafen", "Klinik", "Universität", "Polizei",
    "Feuerwehr", "Museum", "Theater", "Bundestag", "Gericht", "Zoo", "Flughafen",
    "Bäckerei", "Verein", "Schule", "Bibliothek", "Brauerei", "Kanzlerin",
]
VERBS = [
    "plant", "stoppt", "eröffnet", "prüft", "verschiebt", "feiert", "verliert",
    "gewinnt", "sucht", "baut", "schließt", "kauft", "startet", "beendet",
]
OBJECTS = [
    "neues Konzept für die Innenstadt", "den Umbau am Nordufer",
    "eine Reform der Gebühren", "Pläne für ein zweites Werk",
    "den Streit um die Brücke", "ein Festival im Sommer",
    "die Sanierung des Altbaus", "einen Rekord bei den Besuchern",
    "neue Regeln für Radfahrer", "den Vertrag mit dem Investor",
    "die Suche nach einem Nachfolger", "ein Programm für Familien",
]
EN_SUBJECTS = [
    "Council", "Harbour board", "University", "Local bakery", "City museum",
    "Rail operator", "Hospital", "Library", "Football club", "School district",
]
EN_VERBS = ["approves", "delays", "opens", "rejects", "announces", "reviews", "wins"]
EN_OBJECTS = [
    "a new budget for public parks", "plans for the old shipyard",
    "a record number of visitors", "changes to the summer timetable",
    "an award for its sourdough bread", "a study of the river's health",
    "longer opening hours during exams", "the first phase of the tram line",
]
FR_TITLES = [
    "La mairie présente son budget pour les parcs", "Un nouveau musée ouvre ses portes",
    "Grève des transports ce jeudi", "Le port accueille un record de visiteurs",
    "La bibliothèque prolonge ses horaires", "Un festival de jazz au bord du lac",
    "Les travaux du tramway commencent", "Une boulangerie récompensée à Paris",
    "Le conseil vote la réforme des tarifs", "La piscine municipale rouvre enfin",
]
KICKERS = [
    "Nach Beinahe-Crash", "Exklusiv", "Ukraine-Krieg", "Bundesliga", "Wetter",
    "Verkehr", "Kommunalwahl", "Analyse", "Kommentar", "Hochwasser",
]
FR_MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre",
]
DE_MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
    "September", "Oktober", "November", "Dezember",
]
DE_WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]


def headlines_de(n, offset=0):
    out = []
    for k in range(n):
        i = k + offset
        out.append(
            f"{SUBJECTS[i % len(SUBJECTS)]} {VERBS[(i * 3) % len(VERBS)]} "
            f"{OBJECTS[(i * 5) % len(OBJECTS)]}"
        )
    return out


def headlines_en(n, offset=0):
    return [
        f"{EN_SUBJECTS[(k + offset) % len(EN_SUBJECTS)]} {EN_VERBS[(k + offset) % len(EN_VERBS)]} "
        f"{EN_OBJECTS[(k * 3 + offset) % len(EN_OBJECTS)]}"
        for k in range(n)
    ]


def slug(text, k):
    keep = "".join(c.lower() if c.isalnum() else "-" for c in text)
    keep = "-".join(p for p in keep.split("-") if p)
    return f"{keep[:48].strip('-')}-{100200 + k}"


def page(title, body, lang="de", head=""):
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{head}</head>\n<body>\n{body}\n</body></html>\n"
    )


def site_nav(sections):
    links = "".join(
        f'<li class="nav__item"><a href="/{s.lower()}/">{escape(s)}</a></li>' for s in sections
    )
    return (
        '<header class="site-header"><a class="logo" href="/">Tagesblatt</a>'
        f'<nav class="main-nav"><ul class="nav">{links}</ul></nav></header>'
    )


def footer():
    links = ["Impressum", "Datenschutz", "Kontakt", "Abo", "Jobs", "Werbung", "Archiv", "Hilfe"]
    items = "".join(f'<li><a href="/{l.lower()}/">{l}</a></li>' for l in links)
    return f'<footer class="site-footer"><ul class="footer-links">{items}</ul><p>© Tagesblatt</p></footer>'


def most_read(base, titles):
    items = "".join(
        f'<li><a href="/{base}/{slug(t, 900 + k)}.html">{escape(t)}</a></li>'
        for k, t in enumerate(titles)
    )
    return f'<aside class="sidebar"><h2>Meistgelesen</h2><ol class="ranking">{items}</ol></aside>'


def item(title, link, date_=None, author=None, image=None, category=None):
    out = {"title": title, "link": link}
    if date_ is not None:
        out["date"] = date_
    if author is not None:
        out["author"] = author
    if image is not None:
        out["image"] = image
    if category is not None:
        out["category"] = category
    return out


def front_mixed_kinds(origin):
    """Lead stories, a teaser grid (the page's list) and a compact "more news" list,
    all `article.teaser`, told apart by their shape only."""
    sections = ["Politik", "Wirtschaft", "Kultur", "Sport", "Wissen", "Panorama"]
    lead = headlines_de(3, 40)
    grid = headlines_de(19, 0)
    more = headlines_de(26, 60)
    day = datetime(2025, 3, 12, 6, 0, tzinfo=timezone.utc)
    body = [site_nav(sections), '<main id="content">', '<section class="stage">']
    for k, h in enumerate(lead):
        link = f"/politik/{slug(h, k)}.html"
        body.append(
            f'<article class="teaser teaser--lead"><a class="teaser__link" href="{link}">'
            f'<figure class="teaser__media"><img src="/img/lead-{k}.jpg" width="960" height="540" alt=""></figure>'
            f'<h2 class="teaser__headline">{escape(h)}</h2></a>'
            f'<p class="teaser__text">Was bisher bekannt ist und wie es nun weitergeht: die wichtigsten Fragen und Antworten.</p></article>'
        )
    body.append('</section><section class="grid">')
    expected = []
    for k, h in enumerate(grid):
        link = f"/{sections[k % 6].lower()}/{slug(h, 10 + k)}.html"
        when = day - timedelta(hours=k)
        body.append(
            f'<article class="teaser"><a class="teaser__link" href="{link}">'
            f'<img class="teaser__image" src="/img/t{k}.jpg" width="480" height="270" alt="">'
            f'<h3 class="teaser__headline">{escape(h)}</h3></a>'
            f'<p class="teaser__text">Eine kurze Zusammenfassung der Meldung, ein oder zwei Sätze lang, mit den wichtigsten Fakten.</p>'
            f'<time class="teaser__date" datetime="{when.isoformat()}">{when:%d.%m.%Y, %H:%M} Uhr</time></article>'
        )
        expected.append(item(h, origin + link, when.isoformat(), image=f"{origin}/img/t{k}.jpg"))
    body.append('</section><section class="more-news"><h2 class="section-title">Weitere Nachrichten</h2>')
    for k, h in enumerate(more):
        link = f"/{sections[(k + 2) % 6].lower()}/{slug(h, 60 + k)}.html"
        body.append(
            f'<article class="teaser teaser--compact"><a class="teaser__link" href="{link}">'
            f'<h4 class="teaser__headline">{escape(h)}</h4></a></article>'
        )
    body.append("</section></main>")
    body.append(most_read("panorama", headlines_de(6, 90)))
    body.append(footer())
    return page("Tagesblatt – Nachrichten aus der Region", "\n".join(body)), expected


def front_section_blocks(origin):
    """A newspaper front page: one block per section, every block holding the same
    teaser markup; class names are CSS-module hashes, so only structure is stable."""
    sections = ["Politik", "Wirtschaft", "Kultur", "Sport", "Wissen", "Panorama", "Reise", "Auto"]
    counts = [31, 27, 22, 25, 20, 24, 19, 19]  # 187 teasers
    body = [site_nav(sections), '<div class="Layout_page__Xq3Lk"><main>']
    expected = []
    n = 0
    for s, count in zip(sections, counts):
        body.append(
            f'<section class="Block_block__p7QmZ" id="{s.lower()}">'
            f'<h2 class="Block_title__Ab9Rt"><a href="/{s.lower()}/">{s}</a></h2>'
            f'<div class="Block_items__Zr82c">'
        )
        for h in headlines_de(count, n * 7):
            link = f"/{s.lower()}/{slug(h, 300 + n)}.html"
            body.append(
                f'<div class="Teaser_teaser__k2LpQ"><a class="Teaser_link__h8sKe" href="{link}">'
                f'<img src="/bilder/{n}.jpg" width="320" height="180" alt="">'
                f'<h3 class="Teaser_title__Mn4Vb">{escape(h)}</h3></a>'
                f'<p class="Teaser_lead__q1XsW">Kurz erklärt: worum es geht und was die Beteiligten sagen.</p></div>'
            )
            expected.append(item(h, origin + link, image=f"{origin}/bilder/{n}.jpg"))
            n += 1
        body.append(f'</div><a class="Block_more__Rt5Yu" href="/{s.lower()}/">Mehr aus {s}</a></section>')
    body.append("</main></div>")
    body.append(footer())
    return page("Tagesblatt – Startseite", "\n".join(body)), expected


def list_with_ad_rows(origin):
    """A news list whose rows include two sponsored rows and a "show all" row of the
    same markup."""
    titles = headlines_de(10, 20)
    start = datetime(2025, 2, 3, 18, 30, tzinfo=timezone.utc)
    rows = []
    expected = []
    for k, h in enumerate(titles):
        link = f"/nachrichten/2025/02/{slug(h, 500 + k)}"
        when = start - timedelta(minutes=37 * k)
        rows.append(
            f'<li class="news-list__item"><a class="news-list__link" href="{link}">'
            f'<span class="news-list__title">{escape(h)}</span></a>'
            f'<time datetime="{when.isoformat()}">{when:%H:%M}</time></li>'
        )
        expected.append(item(h, origin + link, when.isoformat()))
        if k in (2, 6):
            rows.append(
                f'<li class="news-list__item news-list__item--ad"><a class="news-list__link" '
                f'href="https://track.adnetwork.example/click?c={k}&amp;u=offer">'
                f'<span class="news-list__title">Anzeige: So sparen Hausbesitzer jetzt bei der Heizung</span></a></li>'
            )
    rows.append(
        '<li class="news-list__item news-list__item--more"><a class="news-list__link" href="/nachrichten/">'
        '<span class="news-list__title">Alle Nachrichten</span></a></li>'
    )
    body = [
        site_nav(["Nachrichten", "Sport", "Kultur", "Service"]),
        '<main><h1>Nachrichten</h1><ul class="news-list">' + "".join(rows) + "</ul></main>",
        most_read("nachrichten", headlines_de(5, 70)),
        footer(),
    ]
    return page("Nachrichten – Tagesblatt", "\n".join(body)), expected


def kicker_headlines(origin):
    """Headlines with a kicker inside the headline link: a named span followed by the
    headline as bare text, so no selector picks the headline alone."""
    titles = headlines_de(12, 33)
    expected = []
    cards = []
    for k, h in enumerate(titles):
        kicker = KICKERS[k % len(KICKERS)]
        link = f"/regional/{slug(h, 700 + k)}.html"
        d = date(2025, 5, 20) - timedelta(days=k // 3)
        cards.append(
            f'<div class="story"><h2 class="story__title"><a href="{link}">'
            f'<span class="story__kicker">{escape(kicker)}</span> {escape(h)}</a></h2>'
            f'<p class="story__teaser">Der Überblick über den Stand der Dinge und die nächsten Schritte in der Region.</p>'
            f'<span class="story__date">{d:%d.%m.%Y}</span></div>'
        )
        expected.append(item(h, origin + link, f"{d.isoformat()}T00:00:00+00:00", category=kicker))
    body = [
        site_nav(["Regional", "Sport", "Kultur"]),
        '<main><div class="stories">' + "".join(cards) + "</div></main>",
        footer(),
    ]
    return page("Regional – Tagesblatt", "\n".join(body)), expected


def kicker_spans(origin):
    """Cards that are one link: a classless first span (the topic) and the headline
    in a second span, both inside the heading."""
    titles = headlines_en(9, 2)
    topics = ["Politics", "Transport", "Culture", "Education", "Health", "Sport", "Weather", "Business", "Science"]
    expected = []
    cards = []
    for k, h in enumerate(titles):
        link = f"/news/2025/06/{slug(h, 800 + k)}"
        cards.append(
            f'<li><a class="card" href="{link}"><h3><span>{topics[k]}</span><span>{escape(h)}</span></h3>'
            f'<img src="/pics/{k}.webp" width="400" height="225" alt=""></a></li>'
        )
        expected.append(item(h, origin + link, image=f"{origin}/pics/{k}.webp", category=topics[k]))
    nav = (
        '<nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/sport/">Sport</a> '
        '<a href="/weather/">Weather</a></nav>'
    )
    body = [nav, '<main><ul class="cards">' + "".join(cards) + "</ul></main>", footer()]
    return page("Latest news – The Courier", "\n".join(body), lang="en"), expected


def dates_outside_cards(origin):
    """A blog whose posts are grouped by day: the date is the day's heading, outside
    every card."""
    start = date(2025, 3, 14)
    n = 0
    expected = []
    days = []
    for d in range(5):
        day = start - timedelta(days=d)
        label = f"{DE_WEEKDAYS[day.weekday()]}, {day.day}. {DE_MONTHS[day.month - 1]} {day.year}"
        entries = []
        for h in headlines_de(4, 11 * d + 3):
            link = f"/blog/{day:%Y/%m/%d}/{slug(h, 600 + n)}/"
            entries.append(
                f'<div class="entry"><h3 class="entry__title"><a href="{link}">{escape(h)}</a></h3>'
                f'<p>Ein paar Gedanken dazu, was das für die Stadt bedeutet und warum es sich lohnt, genauer hinzusehen.</p></div>'
            )
            expected.append(item(h, origin + link, f"{day.isoformat()}T00:00:00+00:00"))
            n += 1
        days.append(f'<section class="day"><h2 class="day__date">{label}</h2>{"".join(entries)}</section>')
    body = [
        '<div id="header"><a href="/">Stadtnotizen</a></div>',
        '<div id="posts">' + "".join(days) + "</div>",
        '<div id="sidebar"><h3>Archiv</h3><ul><li><a href="/archiv/2025/02/">Februar 2025</a></li>'
        '<li><a href="/archiv/2025/01/">Januar 2025</a></li></ul></div>',
        footer(),
    ]
    return page("Stadtnotizen", "\n".join(body)), expected


def french_dates(origin):
    """A French blog index: written dates ("12 décembre 2025") in a meta line."""
    expected = []
    cards = []
    for k, h in enumerate(FR_TITLES):
        d = date(2025, 12, 12) - timedelta(days=9 * k)
        link = f"/actualites/{slug(h, 1000 + k)}/"
        author = ["Claire Martin", "Luc Bernard", "Inès Moreau"][k % 3]
        cards.append(
            f'<article class="post"><h2 class="post-title"><a href="{link}">{escape(h)}</a></h2>'
            f'<p class="post-meta">Publié le {d.day} {FR_MONTHS[d.month - 1]} {d.year} par '
            f'<a class="author" href="/auteur/{author.split()[0].lower()}/">{author}</a></p>'
            f'<p>Un résumé de l’article en quelques phrases, pour donner envie de lire la suite.</p></article>'
        )
        expected.append(item(h, origin + link, f"{d.isoformat()}T00:00:00+00:00", author=author))
    nav = '<nav class="menu"><a href="/">Accueil</a> <a href="/actualites/">Actualités</a> <a href="/contact/">Contact</a></nav>'
    body = [nav, '<main class="content">' + "".join(cards) + "</main>", footer()]
    return page("Actualités – La Gazette du Lac", "\n".join(body), lang="fr"), expected


def link_blog(origin):
    """A link blog: link posts (a "Linked by" column with the permalink, the title
    linking another site) interleaved with the author's own articles (a title
    linking the article, a picture), all `div.post` in one column."""
    titles = headlines_en(12, 4)
    start = datetime(2025, 4, 9, 15, 20, tzinfo=timezone.utc)
    posts = []
    expected = []
    for k, h in enumerate(titles):
        when = start - timedelta(hours=7 * k)
        stamp = f"{when:%B} {when.day}, {when.year} {when:%H:%M} UTC"
        if k % 3 == 2:
            link = f"/post/{when:%Y/%m}/{slug(h, 1100 + k)}/"
            posts.append(
                f'<div class="post"><h1><a href="{link}">{escape(h)}</a></h1>'
                f'<p class="dateline"><a href="{link}">{stamp}</a> by Alex Reed</p>'
                f'<img src="/images/{k}.jpg" width="640" height="360" alt="">'
                f'<p>A longer piece of our own, with the details and the background the news left out.</p></div>'
            )
        else:
            link = f"https://news-{k}.example.net/{when:%Y/%m}/{slug(h, 1100 + k)}"
            permalink = f"/link/{when:%Y/%m}/{slug(h, 1100 + k)}/"
            posts.append(
                f'<div class="post"><div class="linked"><div class="column1"><h3>Linked by Alex Reed</h3>'
                f'<p class="dateline"><a href="{permalink}">{stamp}</a></p></div>'
                f'<div class="column2"><h1><a href="{link}">{escape(h)}</a></h1>'
                f'<p>Worth reading: a short comment on why this matters, with a quote from the piece.</p></div></div></div>'
            )
        expected.append(item(h, link if link.startswith("http") else origin + link, when.isoformat()))
    body = [
        '<div class="header"><a href="/">Four Shades</a> <a href="/about/">About</a> <a href="/podcast/">Podcast</a></div>',
        '<div class="main">' + '<hr class="separator">'.join(posts) + "</div>",
        '<div class="sidebar"><h4>Sponsor</h4><p><a href="/subscribe/">Subscribe</a></p></div>',
        footer(),
    ]
    return page("Four Shades", "\n".join(body), lang="en"), expected


PAGES = [
    ("front-mixed-kinds", "https://www.tagesblatt.example/", front_mixed_kinds,
     "front page: lead stories, a teaser grid and a compact list, all article.teaser; the grid is the list"),
    ("front-section-blocks", "https://www.tagesblatt.example/", front_section_blocks,
     "front page: 8 section blocks of the same teaser markup, hashed class names; 187 teasers"),
    ("list-with-ad-rows", "https://www.tagesblatt.example/nachrichten/", list_with_ad_rows,
     "news list with two sponsored rows and a 'show all' row of the same markup"),
    ("kicker-headlines", "https://www.tagesblatt.example/regional/", kicker_headlines,
     "kicker span inside the headline link, headline as bare text"),
    ("kicker-spans", "https://courier.example/news/", kicker_spans,
     "cards that are one link; a classless first span (the topic) before the headline span"),
    ("dates-outside-cards", "https://stadtnotizen.example/", dates_outside_cards,
     "blog grouped by day: the date is the day's heading, outside the cards"),
    ("french-dates", "https://gazette-du-lac.example/actualites/", french_dates,
     "French written dates in a meta line, author links"),
    ("link-blog", "https://fourshades.example/", link_blog,
     "link posts (off-site title links) interleaved with own articles, one div.post list"),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/detection"
    os.makedirs(os.path.join(out, "pages"), exist_ok=True)
    os.makedirs(os.path.join(out, "expected"), exist_ok=True)
    lines = [
        "# Generated by tools/detection_fixtures.py: pages in the shapes automatic",
        "# detection finds hard, with the items a reader wants from them (expected/).",
        "pages:",
    ]
    for pid, url, build, kind in PAGES:
        origin = url.split("/", 3)
        origin = f"{origin[0]}//{origin[2]}"
        html, expected = build(origin)
        with open(os.path.join(out, "pages", f"{pid}.html"), "w", encoding="utf-8") as f:
            f.write(html)
        with open(os.path.join(out, "expected", f"{pid}.json"), "w", encoding="utf-8") as f:
            json.dump({"items": expected}, f, ensure_ascii=False, indent=1)
            f.write("\n")
        lines += [f"- id: {pid}", f"  file: pages/{pid}.html", f"  page_url: {url}", f"  kind: {json.dumps(kind)}"]
    with open(os.path.join(out, "corpus.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
