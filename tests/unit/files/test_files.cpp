#include <doctest/doctest.h>

#include <filesystem>

#include "../temp_dir.hpp"
#include "files/files.hpp"

using namespace shift;
namespace fs = std::filesystem;

TEST_SUITE("files::manifestFiles") {
    TEST_CASE("a directory's manifests, sorted; subdirectories only with recursive") {
        TempDir dir;
        dir.write("b.yaml", "");
        dir.write("a.json", "");
        dir.write("notes.txt", "");
        dir.write("sub/c.yml", "");
        auto flat = files::manifestFiles(dir.path.string());
        REQUIRE(flat.ok());
        CHECK(*flat == std::vector<std::string>{dir / "a.json", dir / "b.yaml"});
        auto deep = files::manifestFiles(dir.path.string(), true);
        REQUIRE(deep.ok());
        CHECK(*deep == std::vector<std::string>{dir / "a.json", dir / "b.yaml", dir / "sub/c.yml"});
    }

    TEST_CASE("a directory whose manifests sit only in subdirectories suggests -R") {
        TempDir dir;
        dir.write("overlays/prod/vs.yaml", "");
        auto flat = files::manifestFiles(dir.path.string());
        REQUIRE_FALSE(flat.ok());
        CHECK(flat.error().message.find("add -R") != std::string::npos);
        auto deep = files::manifestFiles(dir.path.string(), true);
        REQUIRE(deep.ok());
        CHECK(*deep == std::vector<std::string>{dir / "overlays/prod/vs.yaml"});
    }

    TEST_CASE("recursive reads symlinked manifests but does not descend symlinked directories") {
        TempDir dir, outside;
        outside.write("elsewhere.yaml", "");
        dir.write("base/vs.yaml", "");
        fs::create_symlink(outside.path, dir.path / "out");
        fs::create_symlink(outside.path / "elsewhere.yaml", dir.path / "linked.yaml");
        auto deep = files::manifestFiles(dir.path.string(), true);
        REQUIRE(deep.ok());
        CHECK(*deep == std::vector<std::string>{dir / "base/vs.yaml", dir / "linked.yaml"});
    }

    TEST_CASE("an empty tree names the problem") {
        TempDir dir;
        dir.write("sub/readme.txt", "");
        auto none = files::manifestFiles(dir.path.string(), true);
        REQUIRE_FALSE(none.ok());
        CHECK(none.error().message.find("holds no .yaml") != std::string::npos);
    }
}
