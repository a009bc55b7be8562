"""Input nobody on the team wrote: what ``check`` must see, names that would collide, text a reviewer
reads, files from common editors, huge values, the OSS state prefix and operating-system errors.

The output folder's ownership and Ctrl-C are in ``test_output_folder.py``.
"""

from __future__ import annotations

import copy
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Run
from test_hostile_input import problems

from alicloud_privatelink.checks import one_line, text_problem, unsafe_character
from stacks.scenario import DEFAULT_SCENARIO

MAIN = str(ROOT / "main.py")
PROVIDER = "stacks/privatelink-provider"


def default() -> dict[str, Any]:
    return copy.deepcopy(dict(DEFAULT_SCENARIO))


# -- check finds every difference a reviewer must see ------------------------------------


@pytest.fixture
def committed(run_main: Callable[..., Run], tmp_path: Path) -> Path:
    out = tmp_path / "infra"
    assert run_main("--quiet", "--out", str(out)).status == 0
    assert run_main("check", "--out", str(out)).status == 0
    return out


@pytest.mark.parametrize(
    "added",
    [
        f"{PROVIDER}/override.tf",
        f"{PROVIDER}/main_override.tf.json",
        f"{PROVIDER}/extra.tf",
        f"{PROVIDER}/terraform.tfvars",
        f"{PROVIDER}/x.auto.tfvars.json",
        "stacks/privatelink-consumer-rogue/cdk.tf.json",
    ],
)
def test_check_reports_a_file_terraform_would_read(run_main: Callable[..., Run], committed: Path, added: str) -> None:
    path = committed / added
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('resource "alicloud_vpc" "x" {}\n')
    run = run_main("check", "--out", str(committed))
    assert run.status == 1
    assert f"unexpected: {added} (in {committed}, not written by the synth, and Terraform reads it)" in run.stdout


def test_check_ignores_files_terraform_does_not_read(run_main: Callable[..., Run], committed: Path) -> None:
    (committed / "NOTES.md").write_text("notes")
    (committed / PROVIDER / ".terraform").mkdir()
    (committed / PROVIDER / ".terraform" / "plugin").write_text("cached")
    (committed / PROVIDER / "plan.out").write_text("a plan")
    assert run_main("check", "--out", str(committed)).status == 0


@pytest.mark.parametrize("change", ["edit", "delete", "empty"])
def test_check_reports_an_edited_or_deleted_file(run_main: Callable[..., Run], committed: Path, change: str) -> None:
    path = committed / PROVIDER / "cdk.tf.json"
    if change == "edit":
        path.write_text(path.read_text().replace('"eu-central-1"', '"eu-west-1"', 1))
    elif change == "delete":
        path.unlink()
    else:
        path.write_text("")
    run = run_main("check", "--out", str(committed))
    assert run.status == 1
    expected = "added" if change == "delete" else "changed"
    assert f"{expected}: {PROVIDER}/cdk.tf.json" in run.stdout


@pytest.mark.parametrize("kind", ["fifo", "fifo-override", "fifo-marker", "device", "symlink"])
def test_check_reports_a_fifo_or_device_without_reading_it(committed: Path, kind: str) -> None:
    names = {"fifo-override": f"{PROVIDER}/override.tf", "fifo-marker": ".alicloud-privatelink-output.json"}
    name = names.get(kind, f"{PROVIDER}/cdk.tf.json")
    path = committed / name
    path.unlink(missing_ok=True)
    if kind.startswith("fifo"):
        os.mkfifo(path)
    elif kind == "device" and os.geteuid() == 0:
        os.mknod(path, stat.S_IFCHR | 0o644, os.makedev(1, 5))  # a /dev/zero of its own: endless to a reader
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.symlink_to(committed / "manifest.json")
    # In a process of its own: a check that opened the FIFO would wait for a writer for ever.
    result = subprocess.run(
        [sys.executable, MAIN, "check", "--out", str(committed)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1, result.stderr
    assert f"{name} (in {committed}" in result.stdout


# -- names cannot collide -------------------------------------------------------------


def _with_consumer(name: str, **settings: Any) -> dict[str, Any]:
    raw = default()
    second = {**copy.deepcopy(raw["consumers"][0]), "name": name, "endpoint_name": f"ep-{name}x", **settings}
    second.update(vpc_cidr="10.20.0.0/16", vswitch_cidr="10.20.0.0/24", client_ip="10.20.0.5")
    raw["consumers"].append(second)
    return raw


@pytest.mark.parametrize(
    ("raw", "path", "what"),
    [
        (_with_consumer("service"), "consumers[1].name", "VPC and vSwitch names 'privatelink-demo-service'"),
        (_with_consumer("other", endpoint_name="ep-vpc1"), "consumers[1].endpoint_name", "endpoint 'ep-vpc1'"),
        (_with_consumer("vpc1"), "consumers[1].name", "stack 'privatelink-consumer-vpc1'"),
    ],
)
def test_a_name_another_side_makes_is_refused_with_its_path(raw: dict[str, Any], path: str, what: str) -> None:
    found = problems(raw)
    assert any(line.startswith(f"{path}: makes the {what}") for line in found), found


def test_names_that_only_look_alike_are_accepted() -> None:
    assert problems(_with_consumer("services")) == []
    assert problems(_with_consumer("backends")) == []  # a VPC name, not the backends' security group


# -- text that reaches a reviewer is safe to read -------------------------------------

UNSAFE = ["\x00", "\x1b[31m", "\x7f", "\u202e", "\u2066", "\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad"]


def _place(raw: dict[str, Any], where: str, char: str) -> str:
    """Put text holding ``char`` at ``where`` in ``raw``; the dotted path a problem must name."""
    if where == "tag key":
        raw["tags"] = {f"team{char}": "payments"}
        return f"tags.team{char}"
    if where == "tags.team":
        raw["tags"] = {"team": f"pay{char}ments"}
    elif where == "service.description":
        raw["service"]["description"] = f"Payments {char}service"
    else:
        raw["consumers"][0]["endpoint_name"] = f"ep-vpc1{char}"
    return where


@pytest.mark.parametrize("char", UNSAFE)
@pytest.mark.parametrize("where", ["service.description", "tags.team", "tag key", "consumers[0].endpoint_name"])
def test_unsafe_characters_are_refused_with_the_settings_path(char: str, where: str) -> None:
    raw = default()
    path = _place(raw, where, char)
    found = problems(raw)
    assert found and found[0].startswith(f"{one_line(path)}: "), found
    assert "Trojan Source" in found[0]
    assert all(line.isprintable() for line in found)


def test_ordinary_unicode_is_kept() -> None:
    raw = default()
    raw["service"]["description"] = "Zahlungsdienst für Kunden, 支付服务, emoji 👍"
    raw["tags"] = {"équipe": "paiements"}
    assert problems(raw) == []
    assert not any(unsafe_character(c) for c in "für 支付 👍 é\u0301")


def test_every_ascii_character_is_judged_as_the_character_rule_says() -> None:
    """Printable ASCII is passed without the per-character rule: it must agree, one character at a time."""
    for code in range(0x80):
        char = chr(code)
        assert (text_problem(f"a{char}b") is None) is not unsafe_character(char), repr(char)


# -- valid files from common editors are read -----------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: "\ufeff" + text,
        lambda text: text.replace("\n", "\r\n"),
        lambda text: "\ufeff" + text.replace("\n", "\r\n"),
    ],
    ids=["bom", "crlf", "bom-crlf"],
)
def test_a_bom_and_crlf_line_ends_give_the_same_output(
    run_main: Callable[..., Run], tmp_path: Path, encode: Callable[[str], str]
) -> None:
    text = (ROOT / "examples" / "default.toml").read_text(encoding="utf-8")
    text = text.replace('description = "PrivateLink', 'description = """\nPrivateLink', 1).replace(
        'internal CLB"', 'internal CLB"""', 1
    )
    plain, edited = tmp_path / "plain.toml", tmp_path / "edited.toml"
    plain.write_text(text, encoding="utf-8", newline="")
    edited.write_text(encode(text), encoding="utf-8", newline="")
    assert run_main("--quiet", "--config", str(plain), "--out", str(tmp_path / "a")).status == 0
    run = run_main("--quiet", "--config", str(edited), "--out", str(tmp_path / "b"))
    assert run.status == 0, run.stderr
    for name in (f"{PROVIDER}/cdk.tf.json", "stacks/privatelink-consumer-vpc1/cdk.tf.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


# -- huge input gets short errors -----------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "value", "start", "end"),
    [
        (("service", "description"), "x" * 400_000, "service.description: 'xxxx", "give at most 1024 characters"),
        (("service", "clb_name"), "y" * 400_000, "service.clb_name: 'yyyy", "give at most 1024 characters"),
        (("service", "frontend_port"), 10**5000, "service.frontend_port: a 5001-digit number", "use 1 to 65535"),
        (("service", "backend_port"), -(10**4999), "service.backend_port: a 5000-digit number", "use 1 to 65535"),
    ],
    ids=["long-description", "long-name", "5001-digits", "negative-5000-digits"],
)
def test_huge_values_get_short_errors(keys: tuple[str, str], value: Any, start: str, end: str) -> None:
    raw = default()
    raw[keys[0]][keys[1]] = value
    found = problems(raw)
    assert len(found) == 1, found
    assert found[0].startswith(start) and found[0].endswith(end), found
    assert len(found[0]) < 300


@pytest.mark.parametrize("digits", [4301, 5000, 20_000])
def test_a_huge_integer_in_a_file_names_its_setting(
    run_main: Callable[..., Run], write_config: Callable[[str], str], digits: int
) -> None:
    text = (ROOT / "examples" / "default.toml").read_text(encoding="utf-8")
    text = text.replace("frontend_port = 80", f"frontend_port = {'9' * digits}", 1)
    run = run_main("check", "--config", write_config(text))
    assert run.status == 2
    assert run.lines == [f"service.frontend_port: a {digits}-digit number is out of range; use 1 to 65535"]


# -- the OSS state prefix -------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/", "/state", "./state", ".", "./"])
def test_a_prefix_terraforms_oss_backend_refuses_is_refused(prefix: str) -> None:
    raw = default()
    raw["state"] = {"backend": "oss", "bucket": "tf-state-bucket", "region": "eu-central-1", "prefix": prefix}
    found = problems(raw)
    assert len(found) == 1 and found[0].startswith(f"state.prefix: {prefix!r} makes the OSS state prefix"), found


@pytest.mark.parametrize("prefix", ["state", "team/state", ".state", "..state"])
def test_a_prefix_it_accepts_is_accepted(prefix: str) -> None:
    raw = default()
    raw["state"] = {"backend": "oss", "bucket": "tf-state-bucket", "region": "eu-central-1", "prefix": prefix}
    assert problems(raw) == []


# -- operating-system errors are one --out line ---------------------------------------


def test_a_name_too_long_is_an_out_line(run_main: Callable[..., Run], tmp_path: Path) -> None:
    for out in (tmp_path / ("x" * 300), tmp_path / ("y" * 300) / "out"):
        run = run_main("--quiet", "--out", str(out))
        assert run.status == 2
        assert len(run.lines) == 1 and run.lines[0].startswith("--out: "), run.lines
        assert "File name too long" in run.lines[0]
    assert list(tmp_path.iterdir()) == []


def test_a_file_in_the_way_is_an_out_line(run_main: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    for out in (tmp_path / "file" / "out", tmp_path / "file" / "a" / "out"):
        run = run_main("--quiet", "--out", str(out))
        assert run.status == 2
        assert len(run.lines) == 1 and run.lines[0].startswith("--out: "), run.lines
    assert (tmp_path / "file").read_text() == "not a folder"


@pytest.mark.skipif(os.geteuid() == 0 or shutil.which("true") is None, reason="root may write anywhere")
def test_a_read_only_parent_is_an_out_line(tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        for out in (parent / "out", parent / "a" / "out"):
            result = subprocess.run(
                [sys.executable, MAIN, "--quiet", "--out", str(out)], capture_output=True, text=True, check=False
            )
            assert result.returncode == 2
            assert result.stderr.startswith("--out: ") and result.stderr.count("\n") == 1, result.stderr
    finally:
        parent.chmod(0o755)
