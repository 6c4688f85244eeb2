#include <doctest/doctest.h>

#include "core/apply.hpp"
#include "core/apply_check.hpp"
#include "helpers.hpp"

using namespace shift;

TEST_SUITE("core::readsBackAs") {
    TEST_CASE("an edited route must read back as the planned one, value for value") {
        auto s = test::yaml(test::reviews(test::kHalf));
        const auto& route = s.docs.at(0).at({"spec", "http"})->items.at(0).items.at(0);
        // Layout and quoting aside: flow, block and JSON text of the same route all pass.
        CHECK(core::readsBackAs(test::kHalf, doc::Format::Yaml, route));
        CHECK(
            core::readsBackAs("[{destination: {host: \"reviews\", subset: v1}, weight: 50}, "
                              "{destination: {host: reviews, subset: v3}, weight: 50}]",
                              doc::Format::Yaml, route));
        CHECK(core::readsBackAs(R"([{"destination":{"host":"reviews","subset":"v1"},"weight":50},)"
                                R"({"destination":{"host":"reviews","subset":"v3"},"weight":50}])",
                                doc::Format::Json, route));
        // A different value, a string for a number, a key out of place or broken text do not.
        CHECK_FALSE(core::readsBackAs(test::kHalf.substr(0, test::kHalf.size() - 3) + "51\n",
                                      doc::Format::Yaml, route));
        CHECK_FALSE(core::readsBackAs(test::kHalf.substr(0, test::kHalf.size() - 3) + "\"50\"\n",
                                      doc::Format::Yaml, route));
        CHECK_FALSE(
            core::readsBackAs("[{weight: 50, destination: {host: reviews, subset: v1}}, "
                              "{destination: {host: reviews, subset: v3}, weight: 50}]",
                              doc::Format::Yaml, route));
        CHECK_FALSE(core::readsBackAs("[{destination: {host: reviews", doc::Format::Yaml, route));
    }
}
