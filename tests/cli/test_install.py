"""Installing shift: `cmake --install` into a DESTDIR makes a working kubectl plugin; the .deb and the
tarball CPack builds hold the same files, and the .deb depends on the packages of the linked libraries."""
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shiftcli import BIN, TESTS, destination_rule, run, virtual_service  # noqa: E402

sys.path.insert(0, os.path.join(TESTS, "server"))
from testserver import TestServer  # noqa: E402

TOP = os.path.dirname(os.path.abspath(TESTS))
BUILD = os.path.dirname(os.path.dirname(os.path.abspath(BIN)))  # BUILD/cli/shift
PREFIX = "/usr"
INSTALLED = {
    "bin/shift", "bin/kubectl-shift", "bin/kubectl_complete-shift",
    "share/bash-completion/completions/shift", "share/zsh/site-functions/_shift",
    "share/fish/vendor_completions.d/shift.fish", "share/man/man1/shift.1",
}


def sh(*cmd, env=None, cwd=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=120)
    return p.returncode, p.stdout, p.stderr


def files_under(root):
    out = set()
    for d, dirs, files in os.walk(root):
        for name in files + [x for x in dirs if os.path.islink(os.path.join(d, x))]:
            out.add(os.path.relpath(os.path.join(d, name), root))
    return out


def weights(obj):
    return {d["destination"].get("subset"): d.get("weight") for d in obj["spec"]["http"][0]["route"]}


@unittest.skipUnless(os.path.exists(os.path.join(BUILD, "CMakeCache.txt")), "SHIFT_BIN is not in a CMake build tree")
class Install(unittest.TestCase):
    """cmake --install with DESTDIR, then kubectl finds the plugin on PATH."""

    @classmethod
    def setUpClass(cls):
        cls.dest = tempfile.mkdtemp(prefix="shift-destdir-")
        env = dict(os.environ, DESTDIR=cls.dest)
        code, out, err = sh("cmake", "--install", BUILD, "--prefix", PREFIX, env=env)
        assert code == 0, out + err
        cls.root = cls.dest + PREFIX
        cls.env = dict(os.environ, PATH=os.path.join(cls.root, "bin") + os.pathsep + os.environ["PATH"])
        cls.env.pop("KUBECONFIG", None)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dest, True)

    def test_layout(self):
        self.assertEqual(files_under(self.root), INSTALLED)
        self.assertEqual(os.readlink(os.path.join(self.root, "bin/kubectl-shift")), "shift")
        for name in ("shift", "kubectl_complete-shift"):
            self.assertTrue(os.access(os.path.join(self.root, "bin", name), os.X_OK), name)
        for shell, path in (("bash", "share/bash-completion/completions/shift"),
                            ("zsh", "share/zsh/site-functions/_shift"),
                            ("fish", "share/fish/vendor_completions.d/shift.fish")):
            with open(os.path.join(self.root, path), encoding="utf-8") as f:
                self.assertEqual(f.read(), run("completion", shell)[1], shell)

    def test_version_names_the_commit(self):
        code, out, _ = sh(os.path.join(self.root, "bin/shift"), "--version")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^shift \d+\.\d+\.\d+ \(([0-9a-f]{12}|unknown)\)\n$")

    def kubectl(self, *args):
        if shutil.which("kubectl") is None:
            self.skipTest("kubectl is not installed")
        return sh("kubectl", *args, env=self.env)

    def test_kubectl_finds_the_plugin(self):
        code, out, err = self.kubectl("shift", "--help")
        self.assertEqual(code, 0, err)
        self.assertIn("Usage: shift [OPTIONS] [NAME] [KEY=WEIGHT...]", out)
        code, out, err = self.kubectl("plugin", "list", "--name-only")
        self.assertIn("kubectl-shift", out)

    def test_kubectl_shift_against_the_test_server(self):
        with TestServer() as srv:
            srv.create("istio-demo", "virtualservices", virtual_service("reviews", "reviews"))
            srv.create("istio-demo", "destinationrules", destination_rule("reviews", "v1", "v2", "v3"))
            srv.create("other", "virtualservices", virtual_service("productpage", "productpage"))
            srv.create("other", "destinationrules", destination_rule("productpage", "v1", "v2"))

            code, out, err = self.kubectl("shift", "reviews", "v1=50", "v3=50", "--kubeconfig", srv.kubeconfig)
            self.assertEqual(code, 0, err)
            self.assertIn("virtualservice.networking.istio.io/reviews shifted", out)
            self.assertEqual(weights(srv.get("istio-demo", "virtualservices", "reviews")), {"v1": 50, "v3": 50})

            # kubectl's own flags, put after the plugin name, reach shift as they were typed.
            code, out, err = self.kubectl("shift", "--kubeconfig=" + srv.kubeconfig, "--context", "admin-cert",
                                          "-n", "other", "productpage", "v2=100")
            self.assertEqual(code, 0, err)
            self.assertEqual(weights(srv.get("other", "virtualservices", "productpage")), {"v2": None})
            self.assertEqual({r["user"] for r in srv.requests() if "productpage" in r["path"]}, {"admin"})

            code, out, err = self.kubectl("shift", "--kubeconfig", srv.kubeconfig, "--context", "nobody",
                                          "reviews", "v3=100")
            self.assertEqual(code, 3, err)  # shift's exit code comes through kubectl

            # kubectl 1.26+ completes `kubectl shift <TAB>` through the installed kubectl_complete-shift.
            env = dict(self.env, KUBECONFIG=srv.kubeconfig)
            code, out, err = sh("kubectl", "__complete", "shift", "reviews", "", env=env)
            self.assertEqual(code, 0, err)
            self.assertEqual(sorted(out.splitlines()), [":6", "v1=", "v2=", "v3="])


@unittest.skipUnless(os.path.exists(os.path.join(BUILD, "CPackConfig.cmake")), "no CPackConfig.cmake in the build")
class Packages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.mkdtemp(prefix="shift-cpack-")
        cls.made = {}
        for gen in ("DEB", "TGZ"):
            if gen == "DEB" and shutil.which("dpkg-deb") is None:
                continue
            code, out, err = sh("cpack", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-G", gen,
                                "-B", cls.out, cwd=cls.out)
            assert code == 0, out + err
        for name in os.listdir(cls.out):
            if name.endswith(".deb"):
                cls.made["DEB"] = os.path.join(cls.out, name)
            if name.endswith(".tar.gz"):
                cls.made["TGZ"] = os.path.join(cls.out, name)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.out, True)

    def scratch(self):
        d = tempfile.mkdtemp(prefix="shift-unpacked-")
        self.addCleanup(shutil.rmtree, d, True)
        return d

    def deb(self):
        if "DEB" not in self.made:
            self.skipTest("dpkg-deb is not installed")
        return self.made["DEB"]

    def test_deb_installs_and_runs(self):
        root = self.scratch()
        code, out, err = sh("dpkg-deb", "-x", self.deb(), root)
        self.assertEqual(code, 0, err)
        self.assertEqual(files_under(os.path.join(root, "usr")), INSTALLED)
        code, out, err = sh(os.path.join(root, "usr/bin/shift"), "--version")
        self.assertEqual((code, out), (0, run("--version")[1]))
        code, out, err = sh(os.path.join(root, "usr/bin/kubectl-shift"), "completion", "fish")
        self.assertEqual((code, out), (0, run("completion", "fish")[1]))

    def test_deb_depends_on_the_packages_of_the_linked_libraries(self):
        code, fields, err = sh("dpkg-deb", "-f", self.deb(), "Package", "Version", "Architecture", "Depends")
        self.assertEqual(code, 0, err)
        self.assertIn("Package: shift\n", fields)
        depends = {re.sub(r"\s*\(.*\)", "", d).strip()
                   for d in re.search(r"(?m)^Depends: (.*)$", fields).group(1).split(",")}
        # The libraries shift links directly (NEEDED), where the loader finds them.
        code, dyn, err = sh("readelf", "-d", BIN)
        self.assertEqual(code, 0, err)
        needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[(.*?)\]", dyn))
        code, ldd, _ = sh("ldd", BIN)
        libs = [path for name, path in re.findall(r"(\S+) => (/\S+)", ldd) if name in needed]
        self.assertTrue(any("libyaml" in lib for lib in libs), ldd)
        wanted = set()
        for lib in libs:
            code, owner, _ = sh("dpkg", "-S", os.path.realpath(lib))
            if code != 0:  # merged /usr: dpkg knows the /lib path
                code, owner, _ = sh("dpkg", "-S", lib.replace("/usr/lib/", "/lib/", 1))
            if code == 0:
                wanted.add(owner.split(":")[0])
        self.assertTrue({p for p in wanted if re.match(r"lib(yaml|fmt)", p)}, wanted)
        self.assertEqual(wanted - depends, set(), "Depends: " + ", ".join(sorted(depends)))
        # libcurl is loaded with dlopen on the first cluster request, so no NEEDED entry names it.
        self.assertNotIn("libcurl.so.4", needed)
        self.assertIn("libcurl4", depends)

    def test_tarball_holds_the_same_tree(self):
        root = self.scratch()
        with tarfile.open(self.made["TGZ"]) as t:
            t.extractall(root)
        (top,) = os.listdir(root)
        self.assertEqual(files_under(os.path.join(root, top)), INSTALLED)
        self.assertEqual(os.readlink(os.path.join(root, top, "bin/kubectl-shift")), "shift")
        code, out, _ = sh(os.path.join(root, top, "bin/kubectl-shift"), "--version")
        self.assertEqual((code, out), (0, run("--version")[1]))

    def test_krew_manifest_fits_the_tarball(self):
        try:
            import yaml
        except ImportError:
            self.skipTest("PyYAML is not installed (apt-get install python3-yaml)")
        import fnmatch
        with open(os.path.join(TOP, "plugins", "shift.yaml"), encoding="utf-8") as f:
            template = f.read()
        version = re.search(r"shift (\S+) ", run("--version")[1]).group(1)
        # As the release job fills it: envsubst of these three names only.
        values = {"VERSION": version, "TARBALL_SHA256": "0" * 64,
                  "TARBALL_URI": "https://example.invalid/" + os.path.basename(self.made["TGZ"])}
        filled = re.sub(r"\$\{(VERSION|TARBALL_URI|TARBALL_SHA256)\}", lambda m: values[m.group(1)], template)
        plugin = yaml.safe_load(filled)
        self.assertEqual((plugin["apiVersion"], plugin["kind"]), ("krew.googlecontainertools.github.com/v1alpha2", "Plugin"))
        self.assertEqual(plugin["metadata"]["name"], "shift")
        self.assertEqual(plugin["spec"]["version"], "v" + version)
        with tarfile.open(self.made["TGZ"]) as t:
            members = [m.name for m in t.getmembers()]
        for platform in plugin["spec"]["platforms"]:
            self.assertTrue(platform["uri"].endswith(".tar.gz"))
            self.assertRegex(platform["sha256"], r"^[0-9a-f]{64}$")
            for entry in platform["files"]:
                self.assertTrue(fnmatch.filter(members, entry["from"]), entry["from"])
            self.assertEqual(platform["bin"], "shift")

    def test_krew_caveat_names_the_runtime_libraries(self):
        """The caveat's apt-get line lists the package of every shared library shift needs, and only those."""
        with open(os.path.join(TOP, "plugins", "shift.yaml"), encoding="utf-8") as f:
            caveat = re.search(r"apt-get install ([^\n]+)", f.read()).group(1).split()
        needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]",
                            subprocess.run(["readelf", "-d", BIN], capture_output=True, text=True, check=True).stdout)
        if any(lib.startswith(("libasan", "libubsan", "libstdc++")) for lib in needed):
            self.skipTest("a sanitizer or non-lean build: the package is the lean release build")
        packages = {"libcurl4"}  # loaded with dlopen, so not a NEEDED entry
        for lib in needed:
            if lib.startswith(("libc.so", "ld-linux", "libm.so", "libdl.so", "libpthread.so")):
                continue  # libc6: on every system
            path = subprocess.run(["sh", "-c", f"ldconfig -p | grep -m1 '{lib} ' | sed 's/.*=> //'"],
                                  capture_output=True, text=True).stdout.strip()
            owner = subprocess.run(["dpkg", "-S", os.path.realpath(path)], capture_output=True, text=True).stdout
            packages.add(owner.split(":")[0])
        self.assertEqual(set(caveat), packages)


if __name__ == "__main__":
    unittest.main()
