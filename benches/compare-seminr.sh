#!/usr/bin/env bash
# Times the CSI engine against Python seminr (PyPI `seminr`, the Python port of
# R seminr) on the same three workloads and prints one table with the ratios:
#   1. PLS on the 250-row ECSI satisfaction data
#   2. PLS on 100 000 synthetic rows x 27 items (ECSI structure, same CSV for both)
#   3. 500 bootstrap resamples of the ECSI data (percentile only, as seminr)
# Usage: benches/compare-seminr.sh            (from anywhere; builds in release)
# Env:   CSI_CRATE_DIR  crate to run `cargo bench --bench csi` in (default: this repo)
#        CSI_VENV       throw-away venv (default /tmp/yardstick-seminr-venv)
#        SEMINR_CORES   processes for seminr's bootstrap (default 2 = this machine's cores)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CRATE_DIR=${CSI_CRATE_DIR:-$ROOT}
VENV=${CSI_VENV:-/tmp/yardstick-seminr-venv}
CORES=${SEMINR_CORES:-2}
WORK=$(mktemp -d /tmp/csi-compare.XXXXXX)
ECSI="$ROOT/tests/fixtures/ecsi-satisfaction/satisfaction.csv"

echo "== Python venv with seminr in $VENV" >&2
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q "seminr==0.2.1" >&2

echo "== building and writing the synthetic data ($WORK/synthetic.csv)" >&2
(cd "$CRATE_DIR" && CSI_WRITE_SYNTHETIC="$WORK/synthetic.csv" cargo bench -q --bench csi >&2)

echo "== Rust (criterion)" >&2
(cd "$CRATE_DIR" && cargo bench -q --bench csi) | tee "$WORK/rust.txt" >&2

echo "== Python seminr" >&2
cat > "$WORK/seminr_bench.py" <<'PY'
import csv, json, statistics, sys, time
import numpy as np
import seminr as s

def load(path, skip_first):
    with open(path) as f:
        r = csv.reader(f)
        header = next(r)
        rows = [row for row in r if row]
    if skip_first:  # satisfaction.csv: row names first, gender last
        header, rows = header[1:28], [row[1:28] for row in rows]
    return {h: np.array([float(row[i]) for row in rows]) for i, h in enumerate(header)}

mm = s.constructs(
    s.composite("IMAG", s.multi_items("imag", range(1, 6))),
    s.composite("EXPE", s.multi_items("expe", range(1, 6))),
    s.composite("QUAL", s.multi_items("qual", range(1, 6))),
    s.composite("VAL", s.multi_items("val", range(1, 5))),
    s.composite("SAT", s.multi_items("sat", range(1, 5))),
    s.composite("LOY", s.multi_items("loy", range(1, 5))),
)
sm = s.relationships(
    s.paths("IMAG", ["EXPE", "SAT", "LOY"]),
    s.paths("EXPE", ["QUAL", "VAL", "SAT"]),
    s.paths("QUAL", ["VAL", "SAT"]),
    s.paths("VAL", "SAT"),
    s.paths("SAT", "LOY"),
)

def timed(f, reps):
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        res = f()
        out.append(time.perf_counter() - t)
    return statistics.median(out), res

if __name__ == "__main__":
    ecsi = load(sys.argv[1], True)
    big = load(sys.argv[2], False)
    cores = int(sys.argv[3])
    t_small, m = timed(lambda: s.estimate_pls(ecsi, mm, sm), 20)
    t_big, _ = timed(lambda: s.estimate_pls(big, mm, sm), 3)
    t_boot, _ = timed(lambda: s.bootstrap_model(m, nboot=500, seed=1, cores=cores), 1)
    print(json.dumps({"pls_ecsi_250": t_small, "pls_synthetic_100000": t_big, "bootstrap_ecsi_500": t_boot}))
PY
(cd "$WORK" && "$VENV/bin/python" seminr_bench.py "$ECSI" "$WORK/synthetic.csv" "$CORES") > "$WORK/python.json"

python3 - "$WORK/rust.txt" "$WORK/python.json" "$CORES" <<'PY'
import json, re, sys
rust_txt, py = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
unit = {"ps": 1e-12, "ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
rust = {}
for m in re.finditer(r"csi/(\S+)\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", rust_txt):
    rust[m.group(1)] = float(m.group(2)) * unit[m.group(3)]
def fmt(t):
    return f"{t * 1e3:10.2f} ms" if t < 10 else f"{t:10.2f} s "
rows = [("PLS, ECSI 250 × 27", "pls_ecsi_250", "pls_ecsi_250"),
        ("PLS, 100 000 × 27", "pls_synthetic_100000", "pls_synthetic_100000"),
        ("bootstrap 500, ECSI", "bootstrap_ecsi_500", "bootstrap_ecsi_500")]
print(f"| workload | Python seminr 0.2.1 | Rust csi | speed-up |")
print(f"| --- | ---: | ---: | ---: |")
for label, pk, rk in rows:
    print(f"| {label} | {fmt(py[pk])} | {fmt(rust[rk])} | {py[pk] / rust[rk]:8.0f}× |")
if "bootstrap_ecsi_500_bca" in rust:
    print(f"| bootstrap 500 + BCa (jackknife), ECSI | – | {fmt(rust['bootstrap_ecsi_500_bca'])} | – |")
print(f"\nmedians; Rust: criterion (2 rayon threads), seminr bootstrap with cores={sys.argv[3]}")
PY
