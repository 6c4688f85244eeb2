#include <doctest/doctest.h>

#include <algorithm>

#include "core/apply.hpp"
#include "doc/emit.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {

std::optional<std::string> edit(const std::string& text, std::vector<std::string> args,
                                doc::Node* tree = nullptr) {
    auto s = test::yaml(text);  // parse() reads JSON too
    REQUIRE(s.format == doc::Format::Json);
    auto p = core::planShift(s.docs.at(0), test::request(std::move(args)), {}, nullptr);
    REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message));
    if (tree) *tree = core::applyToTree(s.docs.at(0), p->vs, p->rules);
    return core::applyToJsonText(s.source, s.docs.at(0), core::Location{}, p->vs, p->rules);
}

const std::string kCompact =
    R"({"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"reviews"},)"
    R"("spec":{"hosts":["reviews"],"http":[{"route":[{"destination":{"host":"reviews","subset":"v1"},"weight":90},)"
    R"({"destination":{"host":"reviews","subset":"v2"},"weight":10}]}]}})"
    "\n";

const std::string kIndented =
    "{\n"
    "    \"kind\": \"VirtualService\",\n"
    "    \"metadata\": {\"name\": \"reviews\"},\n"
    "    \"spec\": {\n"
    "        \"http\": [\n"
    "            {\n"
    "                \"route\": [\n"
    "                    {\n"
    "                        \"destination\": {\n"
    "                            \"host\": \"reviews\",\n"
    "                            \"subset\": \"v1\",\n"
    "                            \"port\": {\"number\": 9080}\n"
    "                        },\n"
    "                        \"weight\": 100\n"
    "                    }\n"
    "                ]\n"
    "            }\n"
    "        ]\n"
    "    }\n"
    "}\n";

}  // namespace

TEST_SUITE("core::applyToJsonText") {
    TEST_CASE("a changed weight replaces only its number") {
        auto out = edit(kCompact, {"v1=70", "v2=30"});
        REQUIRE(out);
        auto want = kCompact;
        want.replace(want.find("\"weight\":90"), 11, "\"weight\":70");
        want.replace(want.find("\"weight\":10"), 11, "\"weight\":30");
        CHECK(*out == want);
    }
    TEST_CASE("a removed item goes with its separator, a lone weight with it") {
        auto out = edit(kCompact, {"v2=100"});
        REQUIRE(out);
        CHECK(out->find(R"("route":[{"destination":{"host":"reviews","subset":"v2"}}]})") !=
              std::string::npos);
        CHECK(out->size() < kCompact.size());
    }
    TEST_CASE("an added item in a compact array is compact") {
        auto out = edit(kCompact, {"v1=80", "v2=10", "v3=10"});
        REQUIRE(out);
        CHECK(
            out->find(R"("weight":10},{"destination":{"host":"reviews","subset":"v3"},"weight":10}]}]}})") !=
            std::string::npos);
        CHECK(std::count(out->begin(), out->end(), '\n') == 1);
    }
    TEST_CASE("an added item in an indented array is indented like its sibling, port copied") {
        auto out = edit(kIndented, {"v1=90", "v3=10"});
        REQUIRE(out);
        auto want = kIndented;
        want.replace(want.find("\"weight\": 100"), 13, "\"weight\": 90");
        want.insert(want.find("\n                ]"),
                    ",\n"
                    "                    {\n"
                    "                        \"destination\": {\n"
                    "                            \"host\": \"reviews\",\n"
                    "                            \"subset\": \"v3\",\n"
                    "                            \"port\": {\n"
                    "                                \"number\": 9080\n"
                    "                            }\n"
                    "                        },\n"
                    "                        \"weight\": 10\n"
                    "                    }");
        CHECK(*out == want);
    }
    TEST_CASE("a weight is added after the item's last member, and dropped with its separator") {
        const std::string one =
            "{\"kind\": \"VirtualService\", \"metadata\": {\"name\": \"reviews\"}, \"spec\": {\"http\": "
            "[{\"route\": [{\"destination\": {\"host\": \"reviews\", \"subset\": \"v1\"}}]}]}}";
        auto out = edit(one, {"v1=60", "v2=40"});
        REQUIRE(out);
        CHECK(out->find("[{\"destination\": {\"host\": \"reviews\", \"subset\": \"v1\"}, \"weight\": 60}, "
                        "{\"destination\": {\"host\": \"reviews\", \"subset\": \"v2\"}, \"weight\": 40}]") !=
              std::string::npos);
        auto back = edit(*out, {"v1=100"});
        REQUIRE(back);
        CHECK(*back == one);
    }
    TEST_CASE("property: every edit reads back as the tree's object") {
        for (const auto& source : {kCompact, kIndented}) {
            for (auto args : std::vector<std::vector<std::string>>{{"v1=100"},
                                                                   {"v2=100"},
                                                                   {"v3=100"},
                                                                   {"v1=1", "v2=99"},
                                                                   {"v1=20", "v2=30", "v3=50"},
                                                                   {"v1=5", "v3=95"}}) {
                CAPTURE(args);
                doc::Node tree;
                auto out = edit(source, args, &tree);
                REQUIRE(out);
                auto back = test::yaml(*out);
                CHECK(doc::toJson(back.docs.at(0)) == doc::toJson(tree));
            }
        }
    }
}
