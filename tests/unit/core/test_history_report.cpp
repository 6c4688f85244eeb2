#include <doctest/doctest.h>

#include "core/history_report.hpp"
#include "doc/emit.hpp"

using namespace shift;

TEST_SUITE("core::history_report") {
    TEST_CASE("a History lists the revisions, oldest first, each with its rules") {
        auto t = *core::parseTime("2026-12-01T03:00:00Z");
        std::vector<core::Revision> h{
            {1, t, "jane", "(before shift's first change)", {{"http[0]", "v1=100"}}},
            {2, t, "ci", "set reviews v1=90 v3=10", {{"http[0]", "v1=90,v3=10"}, {"http[1]", "v2=100"}}}};
        CHECK(
            doc::toJson(core::historyNode("istio-demo", "reviews", h), 0) ==
            R"({"kind":"History","namespace":"istio-demo","name":"reviews","revisions":[)"
            R"x({"revision":1,"time":"2026-12-01T03:00:00Z","user":"jane","command":"(before shift's first change)",)x"
            R"("rules":[{"rule":"http[0]","split":"v1=100"}]},)"
            R"({"revision":2,"time":"2026-12-01T03:00:00Z","user":"ci","command":"set reviews v1=90 v3=10",)"
            R"("rules":[{"rule":"http[0]","split":"v1=90,v3=10"},{"rule":"http[1]","split":"v2=100"}]}]})");
        CHECK(core::describeRules(h[1].rules) == "http[0]: v1=90,v3=10; http[1]: v2=100");
    }

    TEST_CASE("no history is an empty list, not a missing one") {
        CHECK(doc::toJson(core::historyNode("istio-demo", "reviews", {}), 0) ==
              R"({"kind":"History","namespace":"istio-demo","name":"reviews","revisions":[]})");
    }
}
