"""Benchmark of synthesis: wall clock and peak memory, compared with jsii's start-up.

    python tools/bench.py [--runs N] [--python-flags FLAGS] [--no-markdown]

Cases, each run as a fresh ``python`` process (``sys.executable``):

* ``floor``: a bare cdktf app synthesizing one empty ``TerraformStack``. It
  imports cdktf through ``alicloud_privatelink._runtime``, so jsii starts the
  same Node; this is the cost of starting jsii, below which no synth can go.
* ``default``: ``main.py --out TMP``, the built-in default scenario.
* ``consumers-10`` and ``consumers-100``: ``main.py --config F --out TMP``
  with a scenario generated from the default one (see
  :func:`scenario_with_consumers`).

Every case first runs once untimed (warm file cache), then ``--runs`` times,
the cases interleaved so that a noisy neighbour slows all of them alike.
Wall clock is measured around the child process, from start to exit. Peak
memory is the sum of the peak resident set (``VmHWM``) of the Python process
and of each of its jsii Node processes, read from ``/proc`` just before the
app exits; elsewhere ``getrusage`` gives Python's peak plus the largest Node
process's.

The children run with the Python options of cdktf.json's ``app`` command
(e.g. ``-O``), so the benchmark measures the app as ``cdktf synth`` and
``make synth`` run it; ``--python-flags`` overrides them.

The table is printed and written to docs/benchmark.md, which carries no date,
so the file changes only when the numbers (or the machine) do.
"""

from __future__ import annotations

import argparse
import atexit
import importlib.metadata
import json
import os
import platform
import resource
import runpy
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "main.py"
MARKDOWN = ROOT / "docs" / "benchmark.md"
DEFAULT_RUNS = 7
MIN_RUNS = 5
CONSUMER_COUNTS = (10, 100)
#: Every CLIENT_EVERY-th generated consumer (c1, c11, c21, ...) gets a demo client.
CLIENT_EVERY = 10

# Internal commands: the parent runs this same file in its children.
CHILD = "_child"
WRITE_SCENARIO = "_write_scenario"
FLOOR = "floor"

# -- targets ------------------------------------------------------------------

MAX_DEFAULT_VS_FLOOR = 1.35
MAX_100_CONSUMERS_VS_FLOOR = 4.0
#: No slower than before the service modes, ALB, many listeners, cross-region and dual-stack came: the ratios
#: measured then, which those changes had to keep.
NO_REGRESSION_DEFAULT_VS_FLOOR = 1.60
NO_REGRESSION_100_CONSUMERS_VS_FLOOR = 5.31
MAX_PEAK_MIB = 400.0
MAX_BINDINGS_IMPORT_MS = 50.0
BINDINGS = "alicloud_privatelink.bindings"
IMPORT_TIMES = "_import_times"
PROFILE = "_profile"


# -- in the child: run the app, report peak memory ---------------------------


def run_child(report_path: str, target: str, args: Sequence[str]) -> None:
    """Run ``target`` (``floor`` or a script) with ``args``, then write its peak memory to ``report_path``."""
    report: dict[str, Any] = {}

    def write_report() -> None:
        # Registered before jsii starts, so it runs after jsii's own exit
        # handler has stopped Node: RUSAGE_CHILDREN then covers Node too.
        report["rusage_python_kib"] = _rusage_kib(resource.RUSAGE_SELF)
        report["rusage_node_kib"] = _rusage_kib(resource.RUSAGE_CHILDREN)
        report["jsii_node"] = os.environ.get("JSII_NODE", "node")
        Path(report_path).write_text(json.dumps(report), encoding="utf-8")

    atexit.register(write_report)
    try:
        if target == FLOOR:
            _floor_app(args[0])
        else:
            sys.argv = [target, *args]
            sys.path.insert(0, str(Path(target).resolve().parent))
            runpy.run_path(target, run_name="__main__")
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            raise
    # Node is still running here, at its peak or close to it.
    report["proc_peaks_kib"] = _process_tree_peaks_kib()


def _floor_app(outdir: str) -> None:
    from alicloud_privatelink._runtime import App, TerraformStack

    app = App(outdir=outdir, stack_traces=False)
    TerraformStack(app, "empty")
    app.synth()


def _rusage_kib(who: int) -> int:
    peak = resource.getrusage(who).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KiB elsewhere


def _process_tree_peaks_kib() -> list[int] | None:
    """Peak resident set (``VmHWM``) of this process, then of each descendant; None without /proc."""
    proc = Path("/proc")
    if not (proc / "self" / "status").is_file():
        return None
    children: dict[int, list[int]] = {}
    for stat in proc.glob("[0-9]*/stat"):
        try:
            # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            parent = int(stat.read_text().rpartition(")")[2].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    peaks = []
    pending = [os.getpid()]
    while pending:
        pid = pending.pop(0)
        pending.extend(children.get(pid, []))
        try:
            status = (proc / str(pid) / "status").read_text()
        except OSError:
            continue
        peaks += [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")]
    return peaks


# -- generated scenarios -------------------------------------------------------


def scenario_with_consumers(default: Mapping[str, Any], count: int) -> dict[str, Any]:
    """The default scenario with ``count`` consumers ``c1`` .. ``c<count>`` instead of its one.

    Each is the default consumer moved to its own network: VPC ``10.<i>.0.0/16``,
    vSwitch ``10.<i>.0.0/24`` in eu-central-1b, endpoint ``ep-c<i>``. Only every
    tenth (c1, c11, ...) keeps a demo client (``client_ip`` ``10.<i>.0.182``), so
    both shapes of consumer stack are measured and most are the lean kind.
    """
    template = dict(default["consumers"][0])
    template.pop("client_ip", None)
    consumers = []
    for i in range(1, count + 1):
        consumer = {
            **template,
            "name": f"c{i}",
            "vpc_cidr": f"10.{i}.0.0/16",
            "vswitch_cidr": f"10.{i}.0.0/24",
            "zone": "eu-central-1b",
            "endpoint_name": f"ep-c{i}",
        }
        if i % CLIENT_EVERY == 1:
            consumer["client_ip"] = f"10.{i}.0.182"
        consumers.append(consumer)
    # 101 VPCs in one account: over the default VPC quota. A benchmark scenario is never deployed.
    return {**default, "consumers": consumers, "accepted_quotas": ["vpc_quota_instances_num"]}


def to_toml(table: Mapping[str, Any], path: str = "") -> str:
    """TOML for plain settings: strings, numbers, booleans, lists, tables and arrays of tables."""
    lines = [f"{key} = {_toml_value(value)}" for key, value in table.items() if not _is_table_like(value)]
    for key, value in table.items():
        dotted = f"{path}.{key}" if path else key
        if isinstance(value, Mapping):
            lines += ["", f"[{dotted}]", to_toml(value, dotted)]
        elif _is_table_like(value):
            for item in value:
                lines += ["", f"[[{dotted}]]", to_toml(item, dotted)]
    return "\n".join(lines).strip("\n")


def _is_table_like(value: Any) -> bool:
    return isinstance(value, Mapping) or (
        isinstance(value, list) and bool(value) and all(isinstance(item, Mapping) for item in value)
    )


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def write_scenario(count: int, path: str) -> None:
    """Write the generated scenario with ``count`` consumers, checked like any scenario file."""
    sys.path.insert(0, str(ROOT))
    from stacks.scenario import DEFAULT_SCENARIO, load_scenario, parse_scenario

    raw = scenario_with_consumers(DEFAULT_SCENARIO, count)
    Path(path).write_text(f"# {count} consumers generated by tools/bench.py\n" + to_toml(raw) + "\n", encoding="utf-8")
    if load_scenario(path) != parse_scenario(raw):
        raise SystemExit(f"{path}: the TOML does not read back as the generated scenario")


# -- in the parent: run the cases ---------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    #: Target and arguments for the child; "{out}" becomes a fresh output folder.
    command: tuple[str, ...]


@dataclass
class Result:
    case: Case
    walls: list[float]
    peaks_mib: list[float]
    #: jsii round trips of one profiled run (see profile_child); empty for the floor.
    profile: dict[str, Any]

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def peak_mib(self) -> float:
        return max(self.peaks_mib)


@dataclass(frozen=True)
class Target:
    description: str
    measured: Callable[[dict[str, Result]], float]
    limit: float
    unit: str

    def passes(self, results: dict[str, Result]) -> bool:
        return self.measured(results) <= self.limit


def _vs_floor(case: str) -> Callable[[dict[str, Result]], float]:
    return lambda r: r[case].median / r[FLOOR].median


TARGETS = (
    Target(f"default scenario <= {MAX_DEFAULT_VS_FLOOR}x the floor", _vs_floor("default"), MAX_DEFAULT_VS_FLOOR, "x"),
    Target(
        f"100 consumers <= {MAX_100_CONSUMERS_VS_FLOOR}x the floor",
        _vs_floor("consumers-100"),
        MAX_100_CONSUMERS_VS_FLOOR,
        "x",
    ),
    Target(
        f"no regression: default scenario <= {NO_REGRESSION_DEFAULT_VS_FLOOR}x the floor",
        _vs_floor("default"),
        NO_REGRESSION_DEFAULT_VS_FLOOR,
        "x",
    ),
    Target(
        f"no regression: 100 consumers <= {NO_REGRESSION_100_CONSUMERS_VS_FLOOR}x the floor",
        _vs_floor("consumers-100"),
        NO_REGRESSION_100_CONSUMERS_VS_FLOOR,
        "x",
    ),
    Target(
        f"peak memory <= {MAX_PEAK_MIB:g} MiB",
        lambda r: max(result.peak_mib for result in r.values()),
        MAX_PEAK_MIB,
        " MiB",
    ),
)


def app_python_flags() -> list[str]:
    """The Python options in cdktf.json's ``app`` command (between the interpreter and main.py)."""
    app = shlex.split(json.loads((ROOT / "cdktf.json").read_text(encoding="utf-8"))["app"])
    return [word for word in app[1:] if word.startswith("-")]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("PRIVATELINK_CONFIG", "CDKTF_OUTDIR"):  # would change what the cases synthesize
        env.pop(name, None)
    # Measure the app as it normally runs: with Python's bytecode cache, which the warm-up run
    # fills. Without it every run would compile the project's modules again (the generated
    # bindings alone take about 60 ms to compile).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


# -- in a child: the bindings modules' own import time ---------------------------


def import_times(report_path: str) -> None:
    """Each bindings module's own import time (ms): the self times ``python -X importtime`` reports.

    The child imports the library, which loads cdktf, constructs and jsii (not
    counted) and every bindings module.
    """
    found = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import alicloud_privatelink"],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    times: dict[str, float] = {}
    for line in found.splitlines():
        # "import time:  self [us] | cumulative | imported package"
        if not line.startswith("import time:") or "|" not in line:
            continue
        own, _, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        if name == BINDINGS or name.startswith(BINDINGS + "."):
            times[name] = int(own) / 1000
    Path(report_path).write_text(json.dumps(times), encoding="utf-8")


# -- in a child: jsii round trips by kind ------------------------------------------


def profile_child(report_path: str, args: Sequence[str]) -> None:
    """Run main.py counting jsii round trips by kind, Node's callbacks into Python by member,
    and the time spent waiting for Node."""
    from jsii import _kernel
    from jsii._kernel.providers import process

    calls: dict[str, int] = {}
    callbacks: dict[str, int] = {}
    waited = [0.0]
    send = process._NodeProcess.send
    handle = _kernel._handle_callback

    def counting_send(self: Any, request: Any, response_type: Any) -> Any:
        kind = type(request).__name__.removesuffix("Request").lstrip("_")
        kind = "Complete (a callback's result)" if kind == "Complete" else kind
        calls[kind] = calls.get(kind, 0) + 1
        start = time.perf_counter()
        try:
            return send(self, request, response_type)
        finally:
            waited[0] += time.perf_counter() - start

    def counting_handle(kernel: Any, callback: Any) -> Any:
        member = (
            callback.invoke.method if callback.invoke else f"get {callback.get.property}" if callback.get else "set"
        )
        callbacks[member] = callbacks.get(member, 0) + 1
        return handle(kernel, callback)

    process._NodeProcess.send = counting_send  # type: ignore[method-assign]
    _kernel._handle_callback = counting_handle
    start = time.perf_counter()
    sys.argv = [str(MAIN), *args]
    sys.path.insert(0, str(ROOT))
    try:
        runpy.run_path(str(MAIN), run_name="__main__")
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            raise
    report = {"calls": calls, "callbacks": callbacks, "waited": waited[0], "total": time.perf_counter() - start}
    Path(report_path).write_text(json.dumps(report), encoding="utf-8")


def run_once(python: list[str], case: Case, scratch: Path, run: str) -> tuple[float, float, str]:
    """One fresh process: wall seconds, peak MiB, and the Node jsii used."""
    out = scratch / f"out-{case.name}-{run}"
    report = scratch / f"report-{case.name}-{run}.json"
    args = [arg.replace("{out}", str(out)) for arg in case.command]
    command = [*python, __file__, CHILD, str(report), *args]
    start = time.perf_counter()
    finished = subprocess.run(
        command, cwd=ROOT, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    wall = time.perf_counter() - start
    if finished.returncode != 0:
        raise SystemExit(f"{case.name} failed (exit {finished.returncode}):\n{finished.stderr}")
    measured = json.loads(report.read_text(encoding="utf-8"))
    peaks = measured.get("proc_peaks_kib") or [measured["rusage_python_kib"], measured["rusage_node_kib"]]
    shutil.rmtree(out, ignore_errors=True)
    report.unlink()
    return wall, sum(peaks) / 1024, measured["jsii_node"]


def benchmark(python: list[str], runs: int, scratch: Path) -> tuple[dict[str, Result], str]:
    cases = [
        Case(FLOOR, "bare app, one empty TerraformStack (jsii start-up)", (FLOOR, "{out}")),
        Case("default", "`main.py`, the default scenario", (str(MAIN), "--out", "{out}")),
    ]
    for count in CONSUMER_COUNTS:
        config = scratch / f"consumers-{count}.toml"
        subprocess.run([*python, __file__, WRITE_SCENARIO, str(count), str(config)], cwd=ROOT, check=True)
        cases.append(
            Case(
                f"consumers-{count}",
                f"`main.py --config`, {count} consumers",
                (str(MAIN), "--config", str(config), "--out", "{out}"),
            )
        )
    results = {case.name: Result(case, [], [], {}) for case in cases}
    node = "node"
    for run in ["warm-up", *map(str, range(1, runs + 1))]:
        print(f"run {run}: " + " ".join(case.name for case in cases), file=sys.stderr, flush=True)
        for case in cases:
            wall, peak, node = run_once(python, case, scratch, run)
            if run != "warm-up":
                results[case.name].walls.append(wall)
                results[case.name].peaks_mib.append(peak)
    for case in cases[1:]:
        report = scratch / f"profile-{case.name}.json"
        args = [arg.replace("{out}", str(scratch / f"out-profile-{case.name}")) for arg in case.command[1:]]
        subprocess.run([*python, __file__, PROFILE, str(report), *args], cwd=ROOT, env=child_env(), check=True)
        results[case.name].profile = json.loads(report.read_text(encoding="utf-8"))
    return results, node


def measure_import_times(python: list[str], scratch: Path) -> dict[str, float]:
    report = scratch / "import-times.json"
    subprocess.run([*python, __file__, IMPORT_TIMES, str(report)], cwd=ROOT, env=child_env(), check=True)
    times: dict[str, float] = json.loads(report.read_text(encoding="utf-8"))
    return times


# -- report ---------------------------------------------------------------------


def machine_info(python: list[str], jsii_node: str) -> list[str]:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 0
    node = subprocess.run([jsii_node, "--version"], capture_output=True, text=True).stdout.strip() or "unknown"
    packages = ", ".join(f"{name} {importlib.metadata.version(name)}" for name in ("cdktf", "jsii", "constructs"))
    flags = " ".join(python[1:]) or "none"
    return [
        f"- CPUs (nproc): {cpus}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), options: {flags}",
        f"- Node {node} (the Node jsii runs)",
        f"- {packages}",
    ]


def table(results: dict[str, Result]) -> list[str]:
    floor = results[FLOOR].median
    lines = [
        "| Case | What | Median (s) | Min (s) | Max (s) | Peak RSS (MiB) | Median / floor |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, result in results.items():
        lines.append(
            f"| {name} | {result.case.description} | {result.median:.2f} | {min(result.walls):.2f} "
            f"| {max(result.walls):.2f} | {result.peak_mib:.0f} | {result.median / floor:.2f} |"
        )
    return lines


def verdicts(results: dict[str, Result], imports: dict[str, float]) -> list[str]:
    total = sum(imports.values())
    return [
        f"- {'PASS' if target.passes(results) else 'MISS'}: {target.description} "
        f"(measured {target.measured(results):.2f}{target.unit})"
        for target in TARGETS
    ] + [
        f"- {'PASS' if total <= MAX_BINDINGS_IMPORT_MS else 'MISS'}: the bindings modules' own import time "
        f"<= {MAX_BINDINGS_IMPORT_MS:g} ms (measured {total:.1f} ms, all {len(imports)} modules)"
    ]


def profile_table(results: dict[str, Result]) -> list[str]:
    profiled = [result for result in results.values() if result.profile]
    kinds = sorted({kind for result in profiled for kind in result.profile["calls"]})
    members = sorted({member for result in profiled for member in result.profile["callbacks"]})
    lines = ["| jsii round trip | " + " | ".join(r.case.name for r in profiled) + " |"]
    lines.append("|---|" + "---:|" * len(profiled))
    for kind in kinds:
        lines.append(f"| {kind} | " + " | ".join(str(r.profile["calls"].get(kind, 0)) for r in profiled) + " |")
    lines.append("| **all** | " + " | ".join(str(sum(r.profile["calls"].values())) for r in profiled) + " |")
    for member in members:
        counts = " | ".join(str(r.profile["callbacks"].get(member, 0)) for r in profiled)
        lines.append(f"| callback `{member}` | {counts} |")
    waited = " | ".join(f"{r.profile['waited']:.2f} of {r.profile['total']:.2f}" for r in profiled)
    lines.append(f"| seconds waiting for Node, of the run | {waited} |")
    return lines


def import_table(imports: dict[str, float]) -> list[str]:
    lines = ["| Module | Own import (ms) |", "|---|---:|"]
    lines += [f"| `{name}` | {ms:.1f} |" for name, ms in imports.items()]
    lines.append(f"| **all** | {sum(imports.values()):.1f} |")
    return lines


def markdown(results: dict[str, Result], runs: int, info: list[str], imports: dict[str, float]) -> str:
    return "\n".join(
        [
            "# Benchmark",
            "",
            "Written by `make bench` (tools/bench.py); the numbers vary from run to run and machine to machine.",
            "",
            *info,
            "",
            f"Each case: {runs} runs after one warm-up run, each a fresh `python` process; wall clock from",
            "start to exit. Peak RSS: the largest, over the runs, of the Python process's peak resident set",
            "plus that of each of its jsii Node processes.",
            "",
            *table(results),
            "",
            "Targets:",
            "",
            *verdicts(results, imports),
            "",
            "## Where the time goes",
            "",
            "jsii round trips of one run of each case (`tools/bench.py`'s profile child counts them):",
            "requests by kind, and the callbacks Node makes into Python by member. A callback costs a",
            "round trip of its own (its result goes back as a Complete request).",
            "",
            *profile_table(results),
            "",
            "Each binding is asked for its attributes (`synthesizeAttributes`) once per synth, when",
            "the stack's `toTerraform` writes the output. cdktf's own `prepareStack` would ask a second",
            "time, resolving every element only to find cross-stack references; the app's stacks use",
            "none (consumers read the provider's named outputs through `terraform_remote_state`), so",
            "they override it (`stacks/common.py` `ScenarioStack`), at one `prepareStack` callback per",
            "stack. Token tests on strings run in Python with cdktf's own pattern, not through jsii.",
            "The rest of a run, beyond waiting for Node, is Python: under cProfile most of it is jsii's",
            "own work per round trip (serialising; its runtime argument checks with typeguard and",
            "`typing.get_type_hints` are off under `python -O`, which cdktf.json's app command uses),",
            "then imports and building the constructs.",
            "",
            "The bindings modules' own import time: the self times of `python -X importtime -c 'import",
            "alicloud_privatelink'` (with the bytecode cache; cdktf, constructs and jsii not counted):",
            "",
            *import_table(imports),
            "",
            "The 10- and 100-consumer scenarios are the default scenario with consumers `c1` .. `cN`",
            "(VPC `10.<i>.0.0/16`, vSwitch `10.<i>.0.0/24`, all in eu-central-1b); only every tenth",
            "(`c1`, `c11`, ...) keeps the demo client, so 1 of 10 and 10 of 100 consumer stacks have one.",
            "",
        ]
    )


def main(argv: Sequence[str]) -> int:
    if argv[:1] == [CHILD]:
        run_child(argv[1], argv[2], argv[3:])
        return 0
    if argv[:1] == [WRITE_SCENARIO]:
        write_scenario(int(argv[1]), argv[2])
        return 0
    if argv[:1] == [IMPORT_TIMES]:
        import_times(argv[1])
        return 0
    if argv[:1] == [PROFILE]:
        profile_child(argv[1], argv[2:])
        return 0

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help=f"timed runs per case (default {DEFAULT_RUNS})")
    parser.add_argument(
        "--python-flags",
        help="Python options for the children, e.g. '-O' or '' (default: those of cdktf.json's app command)",
    )
    parser.add_argument("--no-markdown", action="store_true", help=f"do not write {MARKDOWN.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    if args.runs < MIN_RUNS:
        parser.error(f"--runs must be at least {MIN_RUNS}")
    flags = app_python_flags() if args.python_flags is None else shlex.split(args.python_flags)
    python = [sys.executable, *flags]

    with tempfile.TemporaryDirectory(prefix="privatelink-bench-") as scratch:
        results, jsii_node = benchmark(python, args.runs, Path(scratch))
        imports = measure_import_times(python, Path(scratch))
    info = machine_info(python, jsii_node)
    print("\n".join(["", *info, "", *table(results), "", *verdicts(results, imports), "", *profile_table(results)]))
    if not args.no_markdown:
        MARKDOWN.parent.mkdir(exist_ok=True)
        MARKDOWN.write_text(markdown(results, args.runs, info, imports), encoding="utf-8")
        print(f"\nwrote {MARKDOWN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
