#!/usr/bin/env python3
"""Concurrent respondents that complete a public survey page by page, without JavaScript.

Each respondent keeps its own cookies, reads the CSRF token from every page, picks an answer for
every item the page asks and posts it. Every page whose POST got the success redirect (303) is
written to the acknowledgement log (one JSON object a line, flushed at once):

  {"kind": "page", "token": <resume token>, "page": N, "brand": code|null, "answers": {code: value}}
  {"kind": "complete", "token": <resume token>, "comment": <unique comment>}

Usage: respondents.py BASE_URL SLUG WORKERS SECONDS ACK_LOG
Runs until SECONDS have passed or the server stops answering (for instance after SIGKILL).
"""

import http.client
import http.cookiejar
import json
import random
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
RADIO = re.compile(r'<input type="radio" name="([^"]+)" value="([^"]+)"')
SELECT = re.compile(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]*)"')
COMMENT = re.compile(r'<textarea[^>]*name="comment"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Respondent:
    def __init__(self, base, slug):
        self.base = base
        self.slug = slug
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as r:
                return r.status, r.headers.get("Location"), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Location"), e.read().decode(errors="replace")

    def token(self):
        for cookie in self.jar:
            if cookie.name == "yardstick_resume":
                return cookie.value
        return None


def answers_for(html):
    """The form a person would send for this page: one value per radio group and select."""
    groups = {}
    for name, value in RADIO.findall(html):
        groups.setdefault(name, []).append(value)
    form = {}
    for name, values in groups.items():
        numeric = [v for v in values if v.isdigit()]
        form[name] = random.choice(numeric or values)
    for name, options in SELECT.findall(html):
        values = [v for v in OPTION.findall(options) if v]
        if values:
            form[name] = random.choice(values)
    return form


def complete_one(base, slug, number, log):
    """Walks one respondent through the survey; returns False when the server stopped answering."""
    r = Respondent(base, slug)
    start = f"/s/{slug}"
    status, _, html = r.request(start)
    if status != 200:
        raise RuntimeError(f"welcome page: {status}")
    status, location, html = r.request(start, {"csrf": CSRF.search(html).group(1), "website": ""})
    if status != 303:
        raise RuntimeError(f"start: {status} {html[:300]}")
    token = r.token()
    while True:
        if location.endswith("/thanks"):
            return True
        page = int(location.rsplit("/", 1)[1])
        status, _, html = r.request(location)
        if status != 200:
            raise RuntimeError(f"GET {location}: {status}")
        form = answers_for(html)
        comment = None
        if COMMENT.search(html):
            comment = f"crash-test respondent {number} {token[:12]}"
            form["comment"] = comment
        form["csrf"] = CSRF.search(html).group(1)
        form["website"] = ""
        status, target, body = r.request(location, form)
        if status != 303:
            raise RuntimeError(f"POST {location}: {status} {body[:300]}")
        brand = form.pop("brand", None)
        answers = {k[2:]: int(v) for k, v in form.items() if k.startswith("q_")}
        log(
            {"kind": "page", "token": token, "page": page, "brand": brand, "answers": answers}
        )
        if target.endswith("/thanks"):
            log({"kind": "complete", "token": token, "comment": comment})
        location = target


def main():
    base, slug, workers, seconds, ack_path = sys.argv[1:6]
    deadline = time.time() + float(seconds)
    lock = threading.Lock()
    out = open(ack_path, "a")
    counter = iter(range(10**9))
    errors = []

    def log(entry):
        with lock:
            out.write(json.dumps(entry) + "\n")
            out.flush()

    def worker():
        while time.time() < deadline:
            with lock:
                number = next(counter)
            try:
                complete_one(base, slug, number, log)
            except (urllib.error.URLError, http.client.HTTPException, OSError):
                return  # the server is gone
            except RuntimeError as e:
                with lock:
                    errors.append(str(e))
                return

    threads = [threading.Thread(target=worker) for _ in range(int(workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.close()
    for e in errors[:5]:
        print("respondent error:", e, file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
