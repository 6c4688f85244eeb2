"""Process timing and peak-RSS measurement for shift's benchmarks.

Wall time: the child is started with posix_spawn (glibc's vfork-style clone, so the size of this
Python process does not matter) and reaped with wait4; the clock runs from just before the spawn to
just after the reap. `harness_floor()` measures that overhead on /bin/true.

Peak RSS: NOT taken from this process's wait4. On Linux a child's ru_maxrss starts at the RSS of the
process it was forked from (the old mm's high-water mark is kept across exec), so every child of a
~20 MiB Python would report >= 20 MiB. Instead each RSS sample runs the command under GNU time
(`/usr/bin/time -f %M`, Debian package `time`), a ~1 MiB process, in separate runs from the timed ones.
"""
import os
import shutil
import statistics
import tempfile
import time

GNU_TIME = "/usr/bin/time"


class CommandFailed(RuntimeError):
    pass


def _resolve(argv0):
    path = argv0 if os.sep in argv0 else shutil.which(argv0)
    if not path:
        raise CommandFailed(f"{argv0}: not found on PATH")
    return path


class Runner:
    """Spawns commands with stdin from /dev/null, stdout to a file or /dev/null, stderr kept
    in a scratch file that is shown when the command fails."""

    def __init__(self, scratch=None):
        self.scratch = scratch or tempfile.mkdtemp(prefix="shift-bench-")
        self.stderr_path = os.path.join(self.scratch, "stderr")
        self.rss_path = os.path.join(self.scratch, "rss")
        self.have_gnu_time = os.access(GNU_TIME, os.X_OK)
        self._paths = {}

    def _path(self, argv0):
        if argv0 not in self._paths:
            self._paths[argv0] = _resolve(argv0)
        return self._paths[argv0]

    def _spawn(self, argv, env, stdout):
        actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, stdout or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
                   (os.POSIX_SPAWN_OPEN, 2, self.stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
        return os.posix_spawn(self._path(argv[0]), argv, env, file_actions=actions)

    def _check(self, argv, status):
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            with open(self.stderr_path, errors="replace") as f:
                err = f.read()[-2000:]
            raise CommandFailed(f"exit {code}: {' '.join(argv)}\n{err}")

    def timed(self, argv, env, stdout=None):
        """Wall seconds of one run (raises CommandFailed on a non-zero exit)."""
        t0 = time.perf_counter()
        pid = self._spawn(argv, env, stdout)
        _, status, _ = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
        self._check(argv, status)
        return wall

    def peak_rss(self, argv, env, stdout=None):
        """Peak RSS of one run in KiB (GNU time's %M: the child's ru_maxrss), or None without GNU time."""
        if not self.have_gnu_time:
            self.timed(argv, env, stdout)
            return None
        wrapped = [GNU_TIME, "-f", "%M", "-o", self.rss_path, self._path(argv[0])] + list(argv[1:])
        pid = self._spawn(wrapped, env, stdout)
        _, status, _ = os.wait4(pid, 0)
        self._check(argv, status)
        with open(self.rss_path) as f:
            return int(f.read().split()[-1])

    def harness_floor(self, runs=100):
        """Median wall seconds of spawning and reaping /bin/true: the harness's own share of every figure."""
        env = {"PATH": "/usr/bin:/bin"}
        return statistics.median(self.timed(["/bin/true"], env) for _ in range(runs))


class Series:
    """Samples of one command: wall seconds and peak RSS KiB."""

    def __init__(self, name):
        self.name = name
        self.walls = []
        self.rss = []

    @property
    def ms(self):
        return statistics.median(self.walls) * 1000 if self.walls else float("nan")

    @property
    def mib(self):
        vals = [r for r in self.rss if r is not None]
        return statistics.median(vals) / 1024 if vals else float("nan")

    def noise(self):
        """Spread as 'p25-p75' in ms plus the interquartile range relative to the median."""
        if len(self.walls) < 4:
            return "n/a"
        q = statistics.quantiles(self.walls, n=4)
        med = statistics.median(self.walls)
        return f"{q[0]*1000:.1f}-{q[2]*1000:.1f} (IQR {100*(q[2]-q[0])/med:.0f}%)"

    def as_dict(self):
        return {"name": self.name, "median_ms": self.ms, "peak_rss_mib": self.mib,
                "walls_ms": [w * 1000 for w in self.walls], "rss_kib": self.rss}


def combine(name, parts):
    """A series whose i-th wall is the sum of the parts' i-th walls and whose RSS is the larger of
    theirs (for the curl floor: GET process + PUT process)."""
    s = Series(name)
    s.walls = [sum(ws) for ws in zip(*(p.walls for p in parts))]
    s.rss = [max(rs) if None not in rs else None for rs in zip(*(p.rss for p in parts))]
    return s
