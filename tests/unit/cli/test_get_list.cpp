#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "doc/emit.hpp"
#include "get_list.hpp"

using namespace shift;

namespace {

core::SplitReport report(const std::string& name, bool rollout) {
    core::SplitReport r;
    r.ns = "demo";
    r.name = name;
    r.apiVersion = "networking.istio.io/v1";
    r.resourceVersion = "42";
    r.rules = {core::RuleSplit{
        "http[0]", "", {{"v1", "reviews", "v1", std::nullopt, 75}, {"v3", "reviews", "v3", 9080, 25}}}};
    // A holder long enough for the YAML emitter to fold it: folding depends on the column.
    if (rollout)
        r.rollout = core::RolloutMark{
            "ana on a laptop with a very long description of who holds this rollout and why it is held pid "
            "42",
            "shift rollout",
            2,
            4,
            {},
            {}};
    return r;
}

std::string written(const std::vector<core::SplitReport>& reports, app::Output output) {
    std::FILE* f = std::tmpfile();
    REQUIRE(f);
    cli::SplitListWriter w(f, output);
    for (const auto& r : reports) w.add(r);
    w.finish();
    std::string text;
    std::rewind(f);
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
    std::fclose(f);
    return text;
}

}  // namespace

TEST_CASE("SplitList written item by item is byte for byte the list printed whole") {
    std::vector<std::vector<core::SplitReport>> cases = {
        {}, {report("a", false)}, {report("a", true), report("b", false), report("c", true)}};
    for (const auto& reports : cases) {
        CAPTURE(reports.size());
        doc::Node whole = core::toListNode(reports);
        CHECK(written(reports, app::Output::Json) == doc::toJson(whole) + "\n");
        CHECK(written(reports, app::Output::Yaml) == doc::toYaml(whole));
    }
}

TEST_CASE("the list chunk: kubectl's 500, or the test knob") {
    unsetenv("SHIFT_TEST_LIST_CHUNK");
    CHECK(cli::listChunk() == 500);
    setenv("SHIFT_TEST_LIST_CHUNK", "2", 1);
    CHECK(cli::listChunk() == 2);
    setenv("SHIFT_TEST_LIST_CHUNK", "junk", 1);
    CHECK(cli::listChunk() == 500);
    unsetenv("SHIFT_TEST_LIST_CHUNK");
}
