#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../temp_dir.hpp"
#include "files/files.hpp"

using namespace shift;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// read -> modify -> writeIfUnchanged, again on each conflict: what a shift run does.
void appendLine(const std::string& path, const std::string& line) {
    for (;;) {
        auto before = files::readInput(path);
        REQUIRE(before.ok());
        auto out = files::writeIfUnchanged(path, *before, *before + line + "\n");
        REQUIRE(out.ok());
        if (!out->conflict) return;
    }
}

}  // namespace

TEST_SUITE("files::writeIfUnchanged") {
    TEST_CASE("writes when the file still holds what was read, and reports a conflict when not") {
        TempDir dir;
        auto f = dir.write("vs.yaml", "a: 1\n");
        auto out = files::writeIfUnchanged(f, "a: 1\n", "a: 2\n");
        REQUIRE(out.ok());
        CHECK_FALSE(out->conflict);
        CHECK(out->written == f);
        CHECK(slurp(f) == "a: 2\n");

        out = files::writeIfUnchanged(f, "a: 1\n", "a: 3\n");
        REQUIRE(out.ok());
        CHECK(out->conflict);
        CHECK(slurp(f) == "a: 2\n");
        CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) ==
              1);  // no temp left
    }

    TEST_CASE("removes the temporary files a killed writer left, and only those") {
        TempDir dir;
        auto f = dir.write("vs.yaml", "a: 1\n");
        dir.write(".vs.yaml.shift-Ab12Cd", "a: half-writ");  // SIGKILL before the rename
        dir.write(".vs.yaml.shift-keep", "not mkstemp's six");
        dir.write(".other.yaml.shift-Ab12Cd", "another file's");
        auto out = files::writeIfUnchanged(f, "a: 1\n", "a: 2\n");
        REQUIRE(out.ok());
        CHECK(slurp(f) == "a: 2\n");
        CHECK_FALSE(fs::exists(dir / ".vs.yaml.shift-Ab12Cd"));
        CHECK(fs::exists(dir / ".vs.yaml.shift-keep"));
        CHECK(fs::exists(dir / ".other.yaml.shift-Ab12Cd"));
    }

    TEST_CASE("concurrent writers in separate processes lose no update") {
        TempDir dir;
        auto f = dir.write("vs.yaml", "");
        constexpr int kWriters = 12, kLines = 8;
        std::vector<pid_t> children;
        for (int w = 0; w < kWriters; ++w) {
            pid_t pid = ::fork();
            REQUIRE(pid >= 0);
            if (pid == 0) {
                for (int i = 0; i < kLines; ++i)
                    appendLine(f, "w" + std::to_string(w) + "-" + std::to_string(i));
                ::_exit(0);
            }
            children.push_back(pid);
        }
        for (auto pid : children) {
            int status = 0;
            ::waitpid(pid, &status, 0);
            CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
        }
        auto text = slurp(f);
        CHECK(std::count(text.begin(), text.end(), '\n') == kWriters * kLines);
        for (int w = 0; w < kWriters; ++w) {
            for (int i = 0; i < kLines; ++i) {
                CHECK(text.find("w" + std::to_string(w) + "-" + std::to_string(i) + "\n") !=
                      std::string::npos);
            }
        }
    }

    TEST_CASE("writes through a chain of symlinks to the real file and keeps the links") {
        TempDir dir;
        auto real = dir.write("k8s/reviews.yaml", "a: 1\n");
        fs::create_directories(dir.path / "links");
        fs::create_symlink("../k8s/reviews.yaml", dir.path / "links/mid.yaml");  // relative to its directory
        fs::create_symlink(dir.path / "links/mid.yaml", dir.path / "vs.yaml");   // absolute
        auto out = files::writeIfUnchanged(dir / "vs.yaml", "a: 1\n", "a: 2\n");
        REQUIRE(out.ok());
        CHECK(out->written == real);
        CHECK(slurp(real) == "a: 2\n");
        CHECK(fs::is_symlink(dir.path / "vs.yaml"));
        CHECK(fs::is_symlink(dir.path / "links/mid.yaml"));
    }

    TEST_CASE("a symlink loop is an error, not a hang") {
        TempDir dir;
        fs::create_symlink("b.yaml", dir.path / "a.yaml");
        fs::create_symlink("a.yaml", dir.path / "b.yaml");
        auto out = files::writeIfUnchanged(dir / "a.yaml", "", "x");
        REQUIRE_FALSE(out.ok());
        CHECK(out.error().message.find("too many levels") != std::string::npos);
    }

    TEST_CASE("keeps the owner, group and mode") {
        TempDir dir;
        auto f = dir.write("vs.yaml", "a: 1\n");
        ::chmod(f.c_str(), 0640);
        bool root = ::geteuid() == 0;
        if (root) REQUIRE(::chown(f.c_str(), 4321, 8765) == 0);
        auto out = files::writeIfUnchanged(f, "a: 1\n", "a: 2\n");
        REQUIRE(out.ok());
        struct stat st {};
        REQUIRE(::stat(f.c_str(), &st) == 0);
        CHECK((st.st_mode & 07777) == 0640);
        if (root) {
            CHECK(st.st_uid == 4321u);
            CHECK(st.st_gid == 8765u);
        }
    }
}

TEST_SUITE("files::writeAtomically") {
    TEST_CASE("writes through a symlink and keeps the owner") {
        TempDir dir;
        auto real = dir.write("real.yaml", "a: 1\n");
        if (::geteuid() == 0) REQUIRE(::chown(real.c_str(), 4321, 8765) == 0);
        fs::create_symlink("real.yaml", dir.path / "vs.yaml");
        REQUIRE(files::writeAtomically(dir / "vs.yaml", "a: 2\n").ok());
        CHECK(fs::is_symlink(dir.path / "vs.yaml"));
        CHECK(slurp(real) == "a: 2\n");
        struct stat st {};
        REQUIRE(::stat(real.c_str(), &st) == 0);
        if (::geteuid() == 0) CHECK(st.st_uid == 4321u);
    }
}
