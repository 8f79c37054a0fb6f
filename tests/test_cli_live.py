"""`negosim classroom` from the command line: the install hint, what the CLI imports, the printed
addresses and QR code, serving over real HTTP on loopback, and a clean stop on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from negosim.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = str(ROOT / "scenarios" / "ceasefire_2025.yaml")


def test_without_the_extra_the_command_prints_an_install_hint(monkeypatch, capsys, tmp_path):
    import negosim.classroom as classroom

    monkeypatch.setattr(classroom, "missing_requirements", lambda: ["starlette", "uvicorn"])
    assert main(["classroom", SEED, "--state", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["negosim: error: the classroom needs starlette, uvicorn: pip install 'negosim[classroom]'"]


def test_the_cli_imports_no_web_stack():
    code = ("import sys, negosim.cli; negosim.cli._parser(); "
            "print(sorted(m for m in ('starlette', 'uvicorn', 'qrcode', 'negosim.classroom.web') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == "[]", out.stderr


@pytest.mark.parametrize("argv, message", [
    (["--port", "0"], "--port must be between 1 and 65535"),
    (["--seed", "-1"], "--seed must be between 0"),
])
def test_bad_options_are_usage_errors(argv, message, capsys, tmp_path):
    pytest.importorskip("starlette")
    assert main(["classroom", SEED, "--state", str(tmp_path), *argv]) == 2
    assert message in capsys.readouterr().err


def test_a_bad_scenario_is_invalid_input(capsys, tmp_path):
    pytest.importorskip("starlette")
    assert main(["classroom", str(tmp_path / "missing.yaml"), "--state", str(tmp_path)]) == 3
    assert "no such file" in capsys.readouterr().err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_server_serves_on_loopback_and_stops_cleanly_on_ctrl_c(tmp_path):
    pytest.importorskip("uvicorn")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "negosim.cli", "classroom", SEED, "--port", str(port), "--state", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read().decode()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert "negosim classroom" in page
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert f"Students join at:  http://127.0.0.1:{port}/" in err
    assert f"Teacher's page:    http://127.0.0.1:{port}/teacher#token=" in err
    assert "\u2584" in err or "\u2580" in err  # the QR code, drawn in half blocks
    assert "add --host 0.0.0.0" in err
    assert "classroom stopped" in err and "Traceback" not in err
    assert (tmp_path / "classroom.sqlite3").exists()


def start_server(port: int, state: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "negosim.cli", "classroom", SEED, "--port", str(port), "--state", str(state)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return proc
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


def test_a_killed_server_restarts_with_every_acknowledged_choice(tmp_path):
    import http.cookiejar
    import json
    import sqlite3

    pytest.importorskip("uvicorn")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(port, tmp_path)
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

        def call(path, body=None, headers=None):
            data = None if body is None else json.dumps(body).encode()
            req = urllib.request.Request(base + path, data=data, headers={
                "Content-Type": "application/json", **(headers or {})})
            return json.loads(opener.open(req, timeout=10).read())

        call("/api/join", {"nickname": "solo"})
        token = sqlite3.connect(tmp_path / "classroom.sqlite3").execute(
            "SELECT value FROM meta WHERE key = 'teacher_token'").fetchone()[0]
        call("/api/teacher/start", {}, {"X-Teacher-Token": json.loads(token)})
        view = call("/api/me")
        answer = call("/api/move", {"round": 1, "node": view["turn"]["node"], "role": "UA", "action": "reject",
                                    "key": "kill-test-key"})
        assert answer["ok"]
        proc.kill()  # SIGKILL: no clean shutdown, no chance to flush anything
        proc.wait(10)
        proc = start_server(port, tmp_path)
        view = call("/api/me")  # the same cookie, the new process
        assert view["history"] == [{"role": "UA", "name": "Ukraine", "action": "reject"},
                                   {"role": "US", "name": "United States", "action": "freeze"}]
        assert view["result"]["outcome"] == "war_frozen"
    finally:
        proc.kill()
        proc.wait(10)
