#!/usr/bin/env python3
"""Publishes the load benchmark's 25-item questionnaire through the designer pages, as the demo
admin: a questionnaire from benches/load-25.toml with our brand, two competitors and brand
screening, published under the given slug.

Usage: publish_load_survey.py BASE_URL SLUG
"""

import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from respondents import CSRF, Respondent  # noqa: E402


def main():
    base, slug = sys.argv[1:3]
    admin = Respondent(base, slug)
    _, _, html = admin.request("/login")
    status, _, _ = admin.request("/login", {
        "csrf": CSRF.search(html).group(1),
        "email": "admin@demo.yardstick",
        "password": "demo-admin",
    })
    assert status == 303, f"sign-in: {status}"
    _, _, html = admin.request("/design")
    csrf = CSRF.search(html).group(1)
    with open(os.path.join(os.path.dirname(__file__), "load-25.toml"), encoding="utf-8") as f:
        model = f.read()
    status, location, body = admin.request("/design/questionnaires", {
        "csrf": csrf, "template": "blank", "model_file": model, "slug": slug,
        "title_zh": "满意度调查（负载测试）", "title_en": "Satisfaction survey (load test)",
        "own_brand": "Our Brand", "competitors": "North Pasture\nFreshPlus", "screening": "on",
    })
    assert status == 303, f"create: {status} {re.sub(r'<[^>]+>', ' ', body)[:600]}"
    questionnaire = location.rsplit("/", 1)[1]
    status, _, body = admin.request(f"/design/questionnaires/{questionnaire}/publish", {"csrf": csrf})
    assert status == 303, f"publish: {status} {body[:300]}"
    print(f"published {base}/s/{urllib.parse.quote(slug)}")


if __name__ == "__main__":
    main()
