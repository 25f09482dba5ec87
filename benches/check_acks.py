#!/usr/bin/env python3
"""Checks that every acknowledged survey page and completion is in the database.

Usage: check_acks.py ACK_LOG DUMP_CSV
ACK_LOG is what respondents.py wrote; DUMP_CSV is the database dumped as CSV rows of
(resume_token_hash, status, comment, brand code, indicator code, value) by crash-test.sh.
Prints counts and a PASS or FAIL line; exits 1 on FAIL.
"""

import csv
import hashlib
import json
import sys


def main():
    ack_path, dump_path = sys.argv[1:3]
    stored = {}
    with open(dump_path, newline="") as f:
        for token_hash, status, comment, brand, code, value in csv.reader(f):
            row = stored.setdefault(
                token_hash, {"status": status, "comment": comment, "brand": brand, "answers": {}}
            )
            if code:
                row["answers"][code] = int(value) if value != "" else None
    pages = completions = 0
    problems = []
    with open(ack_path) as f:
        for line in f:
            ack = json.loads(line)
            token_hash = hashlib.sha256(ack["token"].encode()).hexdigest()
            row = stored.get(token_hash)
            if row is None:
                problems.append(f"response of acknowledged {ack['kind']} missing: {line.strip()}")
                continue
            if ack["kind"] == "page":
                pages += 1
                if ack["brand"] is not None and row["brand"] != ack["brand"]:
                    problems.append(f"brand {row['brand']!r} instead of {ack['brand']!r}")
                for code, value in ack["answers"].items():
                    if row["answers"].get(code) != value:
                        problems.append(
                            f"answer {code} of page {ack['page']} is "
                            f"{row['answers'].get(code)!r}, acknowledged {value!r}"
                        )
            else:
                completions += 1
                if row["status"] != "complete" or row["comment"] != ack["comment"]:
                    problems.append(
                        f"acknowledged completion stored as {row['status']!r} with comment "
                        f"{row['comment']!r}"
                    )
    print(
        f"acknowledged pages: {pages}, acknowledged completions: {completions}, "
        f"responses in the database: {len(stored)}, "
        f"complete in the database: {sum(r['status'] == 'complete' for r in stored.values())}"
    )
    for problem in problems[:20]:
        print("  LOST:", problem)
    if problems or pages == 0:
        print(f"FAIL: {len(problems)} acknowledged items missing or wrong" if problems
              else "FAIL: nothing was acknowledged before the kill")
        sys.exit(1)
    print("PASS: every acknowledged page and completion survived SIGKILL")


if __name__ == "__main__":
    main()
