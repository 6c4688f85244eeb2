#include <doctest/doctest.h>

#include "core/request.hpp"

using shift::core::parseRequest;

TEST_SUITE("core::request") {
    TEST_CASE("KEY=WEIGHT pairs in order, % allowed") {
        auto r = parseRequest({"v1=50", "v3=50%", "reviews/v2=0"});
        REQUIRE(r.ok());
        REQUIRE(r->weights.size() == 3);
        CHECK(r->weights[0].key == "v1");
        CHECK(r->weights[0].weight == 50);
        CHECK(r->weights[1].key == "v3");
        CHECK(r->weights[1].weight == 50);
        CHECK(r->weights[2].key == "reviews/v2");
        CHECK(r->weights[2].weight == 0);
        CHECK(shift::core::describe(*r) == "v1=50 v3=50 reviews/v2=0");
    }
    TEST_CASE("up to three decimals, kept in thousandths of a percent") {
        auto r = parseRequest({"v3=0.5", "v2=0.125%", "v1=99.375"});
        REQUIRE(r.ok());
        CHECK(shift::core::millisOf(r->weights[0]) == 500);
        CHECK(r->weights[0].weight == 0);
        CHECK(shift::core::millisOf(r->weights[1]) == 125);
        CHECK(shift::core::millisOf(r->weights[2]) == 99375);
        CHECK(shift::core::isFractional(*r));
        CHECK(shift::core::describe(*r) == "v3=0.5 v2=0.125 v1=99.375");
        CHECK_FALSE(shift::core::isFractional(*parseRequest({"v1=50.0", "v3=50.000"})));
        CHECK(shift::core::percentText(-2500) == "-2.5");
    }
    TEST_CASE("bad input is a one-line error naming the fix, exit 2") {
        struct Case {
            std::vector<std::string> args;
            const char* says;
        };
        for (const auto& c : std::vector<Case>{
                 {{}, "no weights given"},
                 {{"v1"}, "\"v1\" is not KEY=WEIGHT"},
                 {{"=50"}, "no destination name"},
                 {{"v1=abc"}, "is not a number"},
                 {{"v1=5."}, "is not a number"},
                 {{"v1=.5"}, "is not a number"},
                 {{"v1=5.1234"}, "has more than three decimals; round it, e.g. 5.123"},
                 {{"v1=100.001"}, "out of range"},
                 {{"v1=-0.5"}, "out of range"},
                 {{"v1="}, "is not a number"},
                 {{"v1=-10"}, "out of range"},
                 {{"v1=101"}, "out of range"},
                 {{"v1=99999999999999999999"}, "out of range"},
                 {{"v1=50", "v1=50"}, "\"v1\" is given twice"},
             }) {
            CAPTURE(c.says);
            auto r = parseRequest(c.args);
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message.find(c.says) != std::string::npos);
            CHECK(r.error().message.find('\n') == std::string::npos);
            CHECK(r.error().exit == shift::kExitInput);
        }
    }
}

TEST_SUITE("core::request control characters") {
    TEST_CASE("an argument with a newline is refused in one line that shows it escaped") {
        auto r = shift::core::parseRequest({"v1=5\n0"});
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message == "\"v1=5\\n0\" holds a control character; write KEY=WEIGHT, e.g. v1=50");
    }
}
