#include <doctest/doctest.h>

#include "core/split_view.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {
core::VirtualService read(const std::string& text) {
    auto s = test::yaml(text);
    auto vs = core::readVirtualService(s.docs.at(0));
    REQUIRE(vs.ok());
    return *vs;
}
}  // namespace

TEST_SUITE("core::split_view") {
    TEST_CASE("a lone destination without weight carries 100; keys are subsets; ports are read") {
        auto vs =
            read(test::reviews("    - destination: {host: reviews, subset: v1, port: {number: 9080}}\n"));
        auto split = core::splitOf(vs, {0});
        REQUIRE(split.size() == 1);
        CHECK(split[0].rule == "http[0]");
        REQUIRE(split[0].destinations.size() == 1);
        const auto& d = split[0].destinations[0];
        CHECK(d.key == "v1");
        CHECK(d.host == "reviews");
        CHECK(d.port == 9080);
        CHECK(d.weight == 100);
        CHECK(core::describeSplit(split[0]) == "v1=100");
    }
    TEST_CASE("host-keyed routes name destinations by host") {
        auto vs =
            read(test::reviews("    - destination: {host: reviews-v1}\n      weight: 70\n"
                               "    - destination: {host: reviews-v2}\n      weight: 30\n"));
        auto split = core::splitOf(vs, {0});
        CHECK(core::describeSplit(split[0]) == "reviews-v1=70,reviews-v2=30");
        CHECK_FALSE(split[0].destinations[0].port.has_value());
    }
    TEST_CASE("--expect matches the exact split; zero-weight destinations may be left out") {
        auto vs = read(test::reviews(test::kHalf));
        auto split = core::splitOf(vs, {0})[0];
        CHECK(core::splitMatches(split, test::request({"v1=50", "v3=50"})));
        CHECK(core::splitMatches(split, test::request({"v3=50", "v1=50", "v2=0"})));
        CHECK(core::splitMatches(split, test::request({"reviews/v3=50", "v1=50"})));
        CHECK_FALSE(core::splitMatches(split, test::request({"v1=60", "v3=40"})));
        CHECK_FALSE(core::splitMatches(split, test::request({"v1=50"})));
        CHECK_FALSE(core::splitMatches(split, test::request({"v1=50", "v3=25", "v2=25"})));
    }
}
