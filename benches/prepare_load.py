#!/usr/bin/env python3
"""Starts in-progress survey responses for the load benchmark and writes, one a line,
the page-2 POST each can replay: path, Cookie header and a valid form body, tab-separated.

Usage: prepare_load.py BASE_URL SLUG COUNT OUT
"""

import sys
import urllib.parse

sys.path.insert(0, __import__("os").path.dirname(__file__))
from respondents import CSRF, Respondent, answers_for  # noqa: E402


def prepare(base, slug, out):
    r = Respondent(base, slug)
    start = f"/s/{slug}"
    _, _, html = r.request(start)
    status, location, _ = r.request(start, {"csrf": CSRF.search(html).group(1), "website": ""})
    assert status == 303, status
    # Answer pages until the first page of items, which the benchmark then posts again and again
    # (a page's answers replace its earlier answers, as when a respondent goes back).
    while True:
        _, _, html = r.request(location)
        form = answers_for(html)
        form["csrf"] = CSRF.search(html).group(1)
        form["website"] = ""
        if any(name.startswith("q_") for name in form):
            break
        status, location, _ = r.request(location, form)
        assert status == 303, status
    cookie = "; ".join(f"{c.name}={c.value}" for c in r.jar)
    out.write(f"{location}\t{cookie}\t{urllib.parse.urlencode(form)}\n")


def main():
    base, slug, count, path = sys.argv[1:5]
    with open(path, "w") as out:
        for _ in range(int(count)):
            prepare(base, slug, out)


if __name__ == "__main__":
    main()
