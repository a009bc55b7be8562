"""The output folder is owned, swapped atomically and never lost (issue 9 items 3, 5 and 6)."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, Run

from alicloud_privatelink.checks import ValidationError
from app import output
from app.output import MARKER, replace_atomically

MAIN = str(ROOT / "main.py")
APP_FILES = [f"stacks/s{i}/cdk.tf.json" for i in range(60)] + ["manifest.json"]
USER_FILES = [f"stacks/s{i}/.terraform/plugin-{j}" for i in range(60) for j in range(5)] + ["NOTES.md"]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def write_version(staging: Path, version: str) -> None:
    for name in APP_FILES:
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{version}:{name}\n" * 50)


def synth_version(out: Path, version: str) -> None:
    """One version of one scenario's output (a new scenario over initialised stacks would be refused)."""
    with replace_atomically(out, "swap-test") as staging:
        write_version(staging, version)


def assert_complete(out: Path) -> str:
    """``out`` holds one whole version of the app's files; returns which."""
    marker = json.loads((out / MARKER).read_text())
    version = (out / "manifest.json").read_text().partition(":")[0]
    assert sorted(marker["files"]) == sorted(APP_FILES)
    for name in APP_FILES:
        assert (out / name).read_text() == f"{version}:{name}\n" * 50, name
    return str(version)


# -- ownership (item 3) ---------------------------------------------------------


def test_a_foreign_manifest_does_not_make_a_folder_ours(run_main: Callable[..., Run], tmp_path: Path) -> None:
    extension = tmp_path / "extension"
    (extension / "src").mkdir(parents=True)
    (extension / "manifest.json").write_text('{"manifest_version": 3}')
    (extension / "background.js").write_text("chrome.runtime")
    (extension / "src" / "popup.js").write_text("popup")
    before = tree(tmp_path)
    run = run_main("--out", str(extension))
    assert run.status == 2
    assert run.lines == [
        f"--out: {extension} holds what this app did not write (background.js, manifest.json, src/; it has no "
        f"{MARKER}); give a new or empty folder, so nothing of yours is replaced"
    ]
    assert tree(tmp_path) == before


def test_a_folder_of_empty_folders_is_refused_naming_what_it_holds(
    run_main: Callable[..., Run], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    for name in ("a", "b", "c", "stacks"):
        (out / name).mkdir(parents=True)
    run = run_main("--out", str(out))
    assert run.status == 2
    assert run.lines == [
        f"--out: {out} holds what this app did not write (a/, b/, c/ and 1 more; it has no {MARKER}); "
        "give a new or empty folder, so nothing of yours is replaced"
    ]
    assert sorted(p.name for p in out.iterdir()) == ["a", "b", "c", "stacks"]


def test_user_files_in_an_owned_output_are_kept(run_main: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_main("--out", str(out)).status == 0
    (out / "NOTES.md").write_text("my notes")
    (out / "terraform.tfvars").write_text("x = 1")
    stack = out / "stacks" / "privatelink-provider"
    (stack / ".terraform").mkdir()
    (stack / ".terraform" / "plugin").write_text("cached provider")
    (stack / "plan.out").write_text("a plan")
    assert run_main("--out", str(out)).status == 0
    assert (out / "NOTES.md").read_text() == "my notes"
    assert (out / "terraform.tfvars").read_text() == "x = 1"
    assert (stack / ".terraform" / "plugin").read_text() == "cached provider"
    assert (stack / "plan.out").read_text() == "a plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "no staging folder or lock file left"


SECOND_CONSUMER = """
[[consumers]]
name = "vpc2"
vpc_cidr = "10.20.0.0/16"
vswitch_cidr = "10.20.0.0/24"
zone = "eu-central-1b"
"""


@pytest.mark.parametrize("mine", ["stacks/privatelink-consumer-vpc2/cdk.tf.json", "stacks/privatelink-consumer-vpc2"])
def test_a_user_file_where_the_new_output_writes_is_refused_and_nothing_changes(
    run_main: Callable[..., Run], write_config: Callable[[str], str], tmp_path: Path, mine: str
) -> None:
    """A file of the user's where the new output writes a file or a folder: neither is replaced nor lost."""
    out = tmp_path / "out"
    assert run_main("--quiet", "--out", str(out)).status == 0
    (out / mine).parent.mkdir(parents=True, exist_ok=True)
    (out / mine).write_text("mine")
    config = write_config((ROOT / "examples" / "default.toml").read_text(encoding="utf-8") + SECOND_CONSUMER)
    before = tree(tmp_path)
    run = run_main("--quiet", "--config", config, "--out", str(out))
    assert run.status == 2
    assert run.lines == [
        f"--out: {out / mine} was not written by this app, and the new output writes {mine}; "
        "move it away, then run again (nothing was changed)"
    ]
    assert tree(tmp_path) == before


def test_another_scenario_is_refused_where_terraform_initialised_the_first(
    run_main: Callable[..., Run], tmp_path: Path
) -> None:
    """Its stacks would meet the first deployment's cached backend; `init -migrate-state` would merge their states."""
    out = tmp_path / "out"
    other = str(Path(__file__).resolve().parents[1] / "examples" / "private-dns.toml")
    assert run_main("--out", str(out)).status == 0
    assert run_main("--config", other, "--out", str(out)).status == 0, "not initialised yet: a new scenario may go here"
    assert run_main("--out", str(out)).status == 0
    (out / "stacks" / "privatelink-provider" / ".terraform").mkdir()
    before = tree(out)
    run = run_main("--config", other, "--out", str(out))
    assert run.status == 2
    assert run.lines == [
        f"--out: {out} holds scenario 'privatelink-demo', which Terraform has initialised "
        "(stacks/privatelink-provider/.terraform); synthesizing scenario 'orders' there would point that "
        "deployment's Terraform at another state. Give this scenario its own --out"
    ]
    assert tree(out) == before
    assert run_main("--out", str(out)).status == 0, "the same scenario may always be synthesized again"


def test_the_marker_is_deterministic(run_main: Callable[..., Run], tmp_path: Path) -> None:
    assert run_main("--out", str(tmp_path / "a")).status == 0
    assert run_main("--out", str(tmp_path / "b")).status == 0
    marker = (tmp_path / "a" / MARKER).read_text()
    assert marker == (tmp_path / "b" / MARKER).read_text()
    assert json.loads(marker) == {
        "app": "alicloud-privatelink",
        "scenario": "privatelink-demo",
        "files": [
            "manifest.json",
            "stacks/privatelink-consumer-vpc1/cdk.tf.json",
            "stacks/privatelink-provider/cdk.tf.json",
        ],
    }


# -- --out problems (item 6) -----------------------------------------------------


def test_a_dangling_symlink_is_an_out_line(run_main: Callable[..., Run], tmp_path: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "nowhere")
    run = run_main("--out", str(link))
    assert run.status == 2
    assert run.lines == [f"--out: {link} is a symbolic link; give a real folder (the output is meant to be committed)"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("below", ["out", "a/b/out"])
def test_an_out_through_a_dangling_symlink_is_an_out_line(
    run_main: Callable[..., Run], tmp_path: Path, below: str
) -> None:
    """Creating the folders would create them wherever the link points, outside what the user gave."""
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere" / "gone")
    run = run_main("--out", str(link / below))
    assert run.status == 2
    assert run.lines == [
        f"--out: {link / below} runs through the symbolic link {link}, which points to {tmp_path}/elsewhere/gone, "
        "which does not exist; create that folder or give another path"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link"]


def test_a_path_inside_the_output_is_an_out_line(run_main: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_main("--out", str(out)).status == 0
    before = tree(tmp_path)
    run = run_main("--out", str(out / "stacks" / "privatelink-provider"))
    assert run.status == 2
    assert run.lines[0].startswith(f"--out: {out / 'stacks' / 'privatelink-provider'} is inside the synth output")
    assert tree(tmp_path) == before


def test_dot_dot_names_the_folder_itself_and_leaves_nothing_stray(run_main: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_main("--out", str(out)).status == 0
    assert run_main("--out", f"{out}/stacks/..").status == 0
    assert sorted(p.name for p in (out / "stacks").iterdir()) == [
        "privatelink-consumer-vpc1",
        "privatelink-provider",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize(
    "error",
    [PermissionError(errno.EACCES, "Permission denied"), OSError(errno.EROFS, "Read-only file system")],
    ids=["unwritable", "read-only"],
)
def test_an_unwritable_parent_is_an_out_line(
    run_main: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError
) -> None:
    """Tests run as root here, which may write anywhere: the error is what the kernel would return."""

    def read_only(*args: object, **kwargs: object) -> str:
        raise error

    monkeypatch.setattr(output.intents, "create", read_only)  # the first thing written beside --out
    run = run_main("--out", str(tmp_path / "out"))
    assert run.status == 2
    assert run.lines == [f"--out: cannot write beside {tmp_path / 'out'}: {error.strerror}"]


def test_a_full_disk_is_an_out_line_and_keeps_the_old_output(
    run_main: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert run_main("--out", str(out)).status == 0
    before = tree(out)

    class FakeApp:
        def synth(self) -> None:
            raise RuntimeError("Error: ENOSPC: no space left on device, write\n    at Object.writeFileSync ...")

    monkeypatch.setattr("app.cli.build_app", lambda *args: FakeApp())
    run = run_main("--out", str(out))
    assert run.status == 2
    assert run.lines == [
        f"--out: cannot write {out}: No space left on device (ENOSPC); the previous output is unchanged"
    ]
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# -- the swap (item 5) ------------------------------------------------------------


def test_the_swap_is_one_exchange_on_linux(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "f").write_text("a")
    assert output._exchange(a, b)
    assert (b / "f").read_text() == "a" and not (a / "f").exists()


def test_without_exchange_it_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    synth_version(out, "A")
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    synth_version(out, "B")
    assert assert_complete(out) == "B"
    assert capsys.readouterr().err == f"--out: cannot swap folders atomically here; replacing {out} in two steps\n"


def _killed_at(out: Path, step: str, version: str) -> None:
    """A run of :func:`synth_version` in a forked child, killed (``os._exit``) when it reaches ``step`` of the swap."""
    pid = os.fork()
    if pid == 0:
        try:
            setattr(output, step, lambda *args: os._exit(0))
            synth_version(out, version)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


@pytest.mark.parametrize("step", ["_write_marker", "_exchange", "_finish_swap"])
def test_leftovers_of_killed_runs_are_removed_and_user_files_recovered(tmp_path: Path, step: str) -> None:
    """A run killed before, at or after the exchange: the next one recovers the user's files and cleans up."""
    out = tmp_path / "out"
    synth_version(out, "A")
    (out / "NOTES.md").write_text("notes")
    (out / "stacks" / "s1" / ".terraform").mkdir()
    (out / "stacks" / "s1" / ".terraform" / "plugin").write_text("cached")
    _killed_at(out, step, "Z")
    assert sorted(p.name for p in tmp_path.iterdir()) != ["out"], "the killed run left its folder"
    synth_version(out, "B")
    assert assert_complete(out) == "B"
    assert (out / "NOTES.md").read_text() == "notes"
    assert (out / "stacks" / "s1" / ".terraform" / "plugin").read_text() == "cached"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert not (out / output.STAGING_RECORD).exists()


def test_folders_named_like_staging_folders_are_not_ours(tmp_path: Path) -> None:
    """Ownership comes from what the app recorded, never from a name: look-alikes and copies stay as they are."""
    out = tmp_path / "out"
    synth_version(out, "A")
    (tmp_path / ".out.new-backup").mkdir()
    (tmp_path / ".out.new-backup" / "NOTES.md").write_text("mine")
    (tmp_path / ".out.old-2024").write_text("a file, not a folder")
    shutil.copytree(out, tmp_path / ".out.new-copy")  # a copy of the output, marker and all
    _killed_at(out, "_write_marker", "Z")  # a real leftover to clean up beside them
    copied = tmp_path / ".out.new-staged"
    staged = [p for p in tmp_path.glob(".out.new-*") if (p / output.STAGING_RECORD).exists()]
    assert staged, "the killed run recorded its staging folder"
    shutil.copytree(staged[0], copied)  # a copy of a staging folder, record and all
    before = {name: tree(tmp_path / name) for name in (".out.new-backup", ".out.new-copy", ".out.new-staged")}
    synth_version(out, "B")
    assert assert_complete(out) == "B"
    assert {name: tree(tmp_path / name) for name in before} == before
    assert (tmp_path / ".out.old-2024").read_text() == "a file, not a folder"
    assert not staged[0].exists(), "the app's own leftover is removed"


def _die(*args: object, **kwargs: object) -> None:
    os._exit(0)


def _die_after(function: Callable[..., object]) -> Callable[..., None]:
    def call_then_die(*args: object, **kwargs: object) -> None:
        function(*args, **kwargs)
        os._exit(0)

    return call_then_die


def _die_for(kind: str, function: Callable[..., object]) -> Callable[..., object]:
    """``function``, except that a call for a folder ``.out.<kind>-*`` kills the run."""

    def maybe_die(folder: Path, *args: object, **kwargs: object) -> object:
        if Path(folder).name.startswith(f".out.{kind}-"):
            os._exit(0)
        return function(folder, *args, **kwargs)

    return maybe_die


#: Moments at which a run has made a folder beside --out that has no whole record yet, or no longer has one.
UNRECORDED_MOMENTS: dict[str, Callable[[], None]] = {
    "intent written, staging folder not made": lambda: setattr(
        output.intents, "create", _die_after(output.intents.create)
    ),
    "staging folder made, no record": lambda: setattr(output, "_write_record", _die),
    "record drafted, not renamed": lambda: setattr(output.os, "replace", _die),
    "record in place, intent not removed": lambda: setattr(output, "_write_record", _die_after(output._write_record)),
    "holder folder made, no record": lambda: (
        setattr(output, "_exchange", lambda a, b: False),
        setattr(output, "_write_record", _die_for("old", output._write_record)),
    ),
    "leftover emptied, record removed, not yet rmdir-ed": lambda: setattr(output.Path, "rmdir", _die),
}


@pytest.mark.parametrize("moment", list(UNRECORDED_MOMENTS))
def test_a_run_killed_while_its_folder_has_no_record_is_cleaned_up(tmp_path: Path, moment: str) -> None:
    """The intent file claims the folder: the next run removes both; look-alikes and copies of either stay."""
    out = tmp_path / "out"
    synth_version(out, "A")
    (out / "NOTES.md").write_text("notes")
    (tmp_path / ".out.new-mine").mkdir()  # the user's, empty, named like a staging folder
    (tmp_path / ".out.old-mine").mkdir()
    (tmp_path / ".out.intent-mine").write_text('{"app": "alicloud-privatelink", "folder": ".out.new-mine"}')
    mine = {p.name for p in tmp_path.iterdir()}
    if moment.startswith("leftover"):
        _killed_at(out, "_write_marker", "Z")  # a staging folder with its record, for the killed run to remove
        assert [p for p in tmp_path.glob(".out.new-*") if (p / output.STAGING_RECORD).exists()]
    pid = os.fork()
    if pid == 0:
        try:
            UNRECORDED_MOMENTS[moment]()
            synth_version(out, "Z")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    left = {p.name for p in tmp_path.iterdir()} - mine
    assert any(name.startswith(".out.intent-") for name in left), f"killed {moment}: no intent was left"
    for intent in [tmp_path / name for name in left if name.startswith(".out.intent-")]:
        shutil.copy(intent, tmp_path / f".out.intent-copy-of-{intent.name}")  # a copy is not the app's
    copies = {p.name: p.read_bytes() for p in tmp_path.glob(".out.intent-copy-of-*")}
    assert assert_complete(out) == "A"
    synth_version(out, "B")
    assert assert_complete(out) == "B"
    assert (out / "NOTES.md").read_text() == "notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({*mine, *copies})
    assert not any((tmp_path / ".out.new-mine").iterdir()) and not any((tmp_path / ".out.old-mine").iterdir())
    assert {name: (tmp_path / name).read_bytes() for name in copies} == copies
    assert not (out / output.STAGING_RECORD).exists()


def test_without_o_tmpfile_intents_are_written_in_place_and_still_recognised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(output.intents.os, "O_TMPFILE", 0)  # opening the folder for writing fails: EISDIR
    intent = output.intents.create(out, ".out.new-x")
    assert output.intents.found(out) == [(intent, ".out.new-x")]
    shutil.copy(intent, tmp_path / ".out.intent-copy")
    assert output.intents.found(out) == [(intent, ".out.new-x")], "a copy has another inode: not the app's"
    intent.unlink()
    synth_version(out, "A")
    assert assert_complete(out) == "A"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.intent-copy", "out"]


def test_a_concurrent_run_waits_for_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDONLY); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        monkeypatch.setattr(output, "LOCK_WAIT_SECONDS", 0.3)
        with pytest.raises(ValidationError) as caught:
            synth_version(out, "A")
        assert str(caught.value).startswith(f"--out: another run has been writing in {tmp_path}")
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()
    synth_version(out, "A")
    assert assert_complete(out) == "A"


def _forked_synth(out: Path, version: str) -> int:
    """Run :func:`synth_version` in a forked child (no interpreter start-up); returns its pid."""
    pid = os.fork()
    if pid == 0:  # the child: only file operations, then leave without running any cleanup of the parent
        try:
            synth_version(out, version)
        finally:
            os._exit(0)
    return pid


def test_a_kill_at_any_moment_leaves_a_complete_output(tmp_path: Path) -> None:
    """SIGKILL at random moments of a swap (with many user files to carry): never neither, nothing lost."""
    out = tmp_path / "out"
    synth_version(out, "A")
    for name in USER_FILES:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text("user")
    started = time.monotonic()
    os.waitpid(_forked_synth(out, "B"), 0)
    window = time.monotonic() - started
    assert assert_complete(out) == "B"
    rng = random.Random(9)
    for attempt in range(30):
        pid = _forked_synth(out, "AB"[attempt % 2])
        time.sleep(rng.uniform(0, window))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        assert assert_complete(out) in ("A", "B")
    synth_version(out, "C")  # the next run cleans up and recovers the user's files
    assert assert_complete(out) == "C"
    for name in USER_FILES:
        assert (out / name).read_text() == "user", name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_killing_a_real_synth_leaves_the_old_or_new_output(tmp_path: Path) -> None:
    """The acceptance check, end to end: main.py killed late in its run (where the swap is)."""
    out = tmp_path / "out"
    many = ROOT / "examples" / "many-consumers.toml"
    assert subprocess.run([sys.executable, MAIN, "--out", str(out)], capture_output=True).returncode == 0
    old = tree(out)
    started = time.monotonic()
    subprocess.run([sys.executable, MAIN, "--config", str(many), "--out", str(tmp_path / "ref")], check=True)
    duration = time.monotonic() - started
    new = tree(tmp_path / "ref")
    for share in (0.5, 0.8, 0.9, 0.95, 1.0):
        child = subprocess.Popen([sys.executable, MAIN, "--config", str(many), "--out", str(out)])
        time.sleep(duration * share)
        child.kill()
        child.wait()
        assert tree(out) in (old, new), share
        if tree(out) == new:
            break


def _interrupt(out: Path, after: float, sent: signal.Signals = signal.SIGINT) -> tuple[int, str]:
    """main.py synthesizing into ``out``, sent ``sent`` ``after`` seconds in; its exit status and stderr."""
    child = subprocess.Popen(
        [sys.executable, MAIN, "--quiet", "--out", str(out)],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(after)
    if sent == signal.SIGINT:
        os.killpg(child.pid, sent)  # like Ctrl-C in a terminal: the whole group, jsii's Node included
    else:
        child.send_signal(sent)  # like kill(1) or a service manager
    _, stderr = child.communicate(timeout=60)
    return child.returncode, stderr


def test_ctrl_c_at_any_moment_is_one_line_and_leaves_the_output_whole(tmp_path: Path) -> None:
    """Ctrl-C while the app's modules load, while jsii starts, while synthesizing and around the swap: exit 130 and one
    line that says truthfully what ``--out`` holds, which is the whole old output or the whole new one."""
    out = tmp_path / "out"
    reference = tmp_path / "reference"
    started = time.monotonic()
    subprocess.run([sys.executable, MAIN, "--quiet", "--out", str(reference)], check=True)
    duration = time.monotonic() - started
    new = tree(reference)
    out.mkdir()  # the previous output: an empty folder, which a synth may replace
    seen = set()
    # From main.py's first line on (Python's own start-up, about 20 ms before it, prints its own traceback).
    for moment in (0.1, 0.25, duration * 0.35, duration * 0.6, duration * 0.8, duration * 0.9, duration * 0.97):
        before = tree(out)
        status, stderr = _interrupt(out, moment)
        if status == 0:
            continue  # finished before the signal: nothing to check at this moment
        assert status == 130, (moment, stderr)
        assert "Traceback" not in stderr and stderr.count("\n") == 1, (moment, stderr)
        line = stderr.strip()
        seen.add(line.partition(":")[0].split(" ")[0])
        if line == f"interrupted after the output was replaced: {out} holds the complete new output":
            assert tree(out) == new, moment
        else:
            assert line in ("interrupted: nothing was written", f"interrupted: {out} is unchanged"), line
            assert tree(out) == before, moment
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "reference"], moment
    assert seen, "every run finished before its signal: the machine is too fast for these moments"


@pytest.mark.parametrize(("sent", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_and_sigterm_during_synthesis_exit_with_one_line(
    tmp_path: Path, sent: signal.Signals, status: int
) -> None:
    out = tmp_path / "out"
    child = subprocess.Popen(
        [sys.executable, MAIN, "--out", str(out)], stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.new-*")) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # wait until synthesis is under way
    if sent == signal.SIGINT:
        os.killpg(child.pid, sent)
    else:
        child.send_signal(sent)
    _, stderr = child.communicate(timeout=30)
    if child.returncode == 0:
        pytest.skip("the synth finished before the signal arrived")
    assert child.returncode == status, stderr
    assert stderr == f"interrupted: {out} is unchanged\n"
    assert not out.exists()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "out"]
    assert leftovers == []


@pytest.mark.parametrize("status", [130, 143])
def test_a_signal_while_main_returns_is_still_one_line(status: int) -> None:
    """A signal that lands as main restores its handlers escapes main's own handling; run reports it."""
    program = (
        f"from app import cli\ndef main(argv):\n    raise cli.Interrupted({status})\ncli.main = main\ncli.run([])\n"
    )
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stderr) == (status, "interrupted: nothing was written\n")
