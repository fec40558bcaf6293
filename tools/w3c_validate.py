#!/usr/bin/env python3
"""Run the W3C Feed Validation Service's own code on scrapefeed's output files.

The validator (github.com/w3c/feedvalidator) is not installable from a registry, so
it is not a test dependency: this script is for checking by hand (see
docs/ARCHITECTURE.md, "Measuring"). Each file is validated as if served at
BASE_URL + its file name, with the media type scrapefeed's server gives it, at the
compatibility level of the online service (AA: errors and warnings).

    pip install lxml html5lib rdflib
    python3 tools/w3c_validate.py /path/to/feedvalidator https://feeds.example.org/ output/*.xml output/*.atom

Exit status 0 when every file is clean, 1 otherwise.
"""

import os
import sys


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    validator, base, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    sys.path.insert(0, os.path.join(validator, "src"))
    import feedvalidator
    from feedvalidator import compatibility
    from feedvalidator.formatter.text_plain import Formatter

    types = {".xml": "application/rss+xml", ".atom": "application/atom+xml"}
    dirty = 0
    for path in files:
        name = os.path.basename(path)
        media_type = types.get(os.path.splitext(name)[1])
        if media_type is None:
            continue
        with open(path, "rb") as f:
            try:
                events = feedvalidator.validateStream(
                    f, contentType=media_type + "; charset=utf-8", base=base + name
                )["loggedEvents"]
            except feedvalidator.logging.ValidationFailure as failure:
                events = [failure.event]
        events = compatibility.AA(events)
        if events:
            dirty += 1
            print(f"{path}: {len(events)} problem(s)")
            for line in Formatter(events):
                print("  " + line)
        else:
            print(f"{path}: valid, no errors or warnings")
    print(f"{len(files) - dirty} of {len(files)} file(s) clean at AA")
    return 1 if dirty else 0


if __name__ == "__main__":
    sys.exit(main())
