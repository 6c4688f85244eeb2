#!/usr/bin/env python3
"""`shift rollout`'s progress on a terminal: run on a pseudo-terminal against the local test server, the
output is replayed as a terminal would show it. On a terminal a status line is redrawn in place (carriage
return, erase line) at least once a second during a wait, never wider than the terminal, and erased
before the last lines and on a signal; with --no-progress, TERM=dumb or a pipe, one timestamped line per
event and no escape sequence."""
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402

STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def replay(raw):
    """What a terminal makes of `raw`: (lines, draws). lines are those that scrolled up (ended by a
    newline) plus the last one; draws are the line's contents each time a carriage return went back over
    it (the status line, redrawn in place). Colours are dropped; any other escape is kept, to be seen."""
    text = SGR.sub("", raw).replace("\r\n", "\n")  # the pty turns each \n into \r\n (ONLCR)
    lines, draws, cur, col = [], [], [], 0
    for token in re.split(r"(\r|\n|\x1b\[K)", text):
        if token == "\r":
            if cur:
                draws.append("".join(cur))
            col = 0
        elif token == "\n":
            lines.append("".join(cur))
            cur, col = [], 0
        elif token == "\x1b[K":
            del cur[col:]
        else:
            for ch in token:
                if col < len(cur):
                    cur[col] = ch
                else:
                    cur.append(ch)
                col += 1
    if cur:
        lines.append("".join(cur))
    return lines, draws


class Terminal:
    """shift on a pseudo-terminal of `cols` columns; stdin, stdout and stderr are the terminal."""

    def __init__(self, args, env, cols=100, rows=30):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.t0 = time.monotonic()
        self.p = subprocess.Popen([cluster.BIN, *args], stdin=slave, stdout=slave, stderr=slave, env=env)
        os.close(slave)
        self.master, self.raw = master, b""

    def read_until(self, predicate, timeout=cluster.RUN_TIMEOUT):
        """Reads until predicate(text so far) holds or the program closes the terminal."""
        deadline = time.monotonic() + timeout
        while not predicate(self.text()):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("timed out; output so far:\n%r" % self.text())
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: every copy of the slave side is closed
                data = b""
            if not data:
                break
            self.raw += data

    def finish(self):
        self.read_until(lambda _: False)
        code = self.p.wait(timeout=cluster.RUN_TIMEOUT)
        os.close(self.master)
        return code, self.text()

    def text(self):
        return self.raw.decode("utf-8", "replace")


class Progress(cluster.ClusterCase):
    def start(self):
        ns = self.namespace()
        self.bookinfo(ns, subsets=(("v1", None),))
        return ns

    def args(self, ns, *extra):
        return ["rollout", "reviews", "--to", "v3", "-n", ns, "--steps", "50,100", *extra]

    def on_terminal(self, args, cols=100, **env):
        t = Terminal(args, self.env(**dict({"TERM": "xterm"}, **env)), cols=cols)
        code, out = t.finish()
        return code, out, t

    def test_a_status_line_redrawn_in_place_each_second_under_the_lines_that_stay(self):
        ns = self.start()
        code, out, _ = self.on_terminal(self.args(ns, "--interval", "2500ms", "--check", "true"))
        self.assertEqual(code, 0, out)
        self.assertIn("\r\x1b[K", out)  # carriage return and erase line: redrawn, not scrolled
        lines, draws = replay(out)
        first = [d for d in draws if d.startswith("step 1/2  v1=50 v3=50  ")]
        countdowns = {m.group(1) for d in first for m in [re.search(r"next step in (\d+s)", d)] if m}
        # A 2.5 s wait shows 3s, 2s, 1s: redrawn at least once a second (two figures even if slowed down).
        self.assertGreaterEqual(len(countdowns), 2, draws)
        self.assertTrue(any("  █████░░░░░  next step in " in d for d in first), first)
        self.assertTrue(any("last check: passed" in d for d in draws), draws)
        self.assertTrue(any(d.startswith("step 2/2  v3=100  ██████████  final check in") for d in draws), draws)
        # The story stays in the scrollback, the status line never does.
        kept = [line for line in lines if line]
        # The retire note (stderr, the same terminal) comes after the last event, before the report.
        self.assertEqual(kept.pop(-2), self.retire(ns))
        self.assertTrue(all(STAMP.match(line) for line in kept[:-1]), kept)
        self.assertIn("plan: %s/reviews http[0]: v3 to 100 in 2 steps: 50%% → 100%%" % ns, kept[0])
        self.assertTrue(kept[3].endswith("step 1/2 applied: v1=50,v3=50"), kept)
        self.assertTrue(kept[4].endswith("step 2/2 applied: v3=100"), kept)
        self.assertTrue(kept[5].endswith("done: v3=100"), kept)
        self.assertEqual(kept[6], "rollout of v3 complete: %s/reviews http[0] is at v3=100" % ns)
        self.assertEqual(len(kept), 7, kept)
        self.assertFalse([line for line in kept if "next step" in line or "last check" in line], kept)
        self.assertTrue(all(len(line) < 100 for line in kept + draws), kept + draws)  # status lines only: the note is a wrapped stderr line

    def test_never_wider_than_the_terminal(self):
        ns = self.start()
        code, out, _ = self.on_terminal(self.args(ns, "--interval", "1200ms", "--check", "true"), cols=30)
        self.assertEqual(code, 0, out)
        _, draws = replay(out)
        live = [d for d in draws if d.startswith("step ")]
        self.assertTrue(live, draws)
        self.assertTrue(all(len(d) < 30 for d in live), live)  # cut, never wrapped
        self.assertIn("step 1/2  v1=50 v3=50  next s", live)

    def test_ascii_bars_without_a_utf8_locale(self):
        ns = self.start()
        code, out, _ = self.on_terminal(self.args(ns, "--interval", "1200ms"), LC_ALL="C")
        self.assertEqual(code, 0, out)
        _, draws = replay(out)
        self.assertTrue(any(d.startswith("step 1/2  v1=50 v3=50  #####.....  next step in") for d in draws), draws)
        self.assertNotIn("█", out)

    def test_colour_on_a_terminal_unless_no_color(self):
        ns = self.start()
        code, out, _ = self.on_terminal(self.args(ns, "--interval", "1ms"))
        self.assertEqual(code, 0, out)
        self.assertIn("\x1b[1mstep 1/2\x1b[0m", out)
        ns = self.start()
        code, out, _ = self.on_terminal(self.args(ns, "--interval", "1ms"), NO_COLOR="1")
        self.assertEqual(code, 0, out)
        self.assertIsNone(SGR.search(out), out)
        self.assertIn("\r\x1b[Kstep 1/2", out)

    def test_a_signal_erases_the_status_line_before_the_rollback(self):
        ns = self.start()
        t = Terminal(self.args(ns, "--interval", "30s"), self.env(TERM="xterm"))
        t.read_until(lambda text: "next step in" in text, timeout=30)
        t.p.send_signal(signal.SIGINT)
        code, out = t.finish()
        self.assertEqual(code, 6, out)
        lines, _ = replay(out)
        kept = [line for line in lines if line]
        self.assertTrue(kept[-2].endswith("rolled back to v1=100"), kept)
        self.assertTrue(kept[-1].startswith("error: interrupted at step 1 of 2; rolled back"), kept)
        self.assertFalse([line for line in kept if "next step" in line], kept)
        self.assertEqual(cluster.weights(self.backend.get(ns, "virtualservices", "reviews")), {"v1": 100})

    def retire(self, ns):
        return ("warning: subset v1 of reviews.%s.svc.cluster.local gets no traffic from VirtualService %s/reviews "
                "now: it can be retired once its connections drain" % (ns, ns))

    def assertPlain(self, out, ns):
        self.assertNotIn("\x1b", out)
        self.assertNotIn("next step", out)
        lines = out.replace("\r\n", "\n").split("\n")
        if self.retire(ns) in lines:  # on a terminal, stderr's note after the last event, before the report
            self.assertEqual(lines.pop(-3), self.retire(ns))
        self.assertNotIn("\r", "".join(lines))  # no redraw
        self.assertEqual(lines[-1], "")
        self.assertTrue(all(STAMP.match(line) for line in lines[:-2]), lines)
        self.assertEqual(lines[-2], "rollout of v3 complete: %s/reviews http[0] is at v3=100" % ns)
        self.assertTrue(lines[3].endswith("step 1/2 applied: v1=50,v3=50"), lines)
        self.assertTrue(lines[4].endswith("check passed: `true`"), lines)

    def test_no_progress_on_a_terminal_gives_timestamped_lines_only(self):
        ns = self.start()
        code, out, _ = self.on_terminal(self.args(ns, "--interval", "1200ms", "--check", "true", "--no-progress"))
        self.assertEqual(code, 0, out)
        self.assertPlain(out, ns)

    def test_a_dumb_terminal_or_a_pipe_gives_timestamped_lines_only(self):
        ns = self.start()
        code, out, _ = self.on_terminal(self.args(ns, "--interval", "1200ms", "--check", "true"), TERM="dumb")
        self.assertEqual(code, 0, out)
        self.assertPlain(out, ns)
        ns = self.start()
        r = self.shift(*self.args(ns, "--interval", "1200ms", "--check", "true"), env=self.env(TERM="xterm"))
        self.assertEqual(r.code, 0, r)
        self.assertPlain(r.out, ns)


cluster.parameterize(globals(), Progress, backends=("testserver",), eras=("current",))

if __name__ == "__main__":
    unittest.main()
