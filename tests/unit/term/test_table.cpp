#include <doctest/doctest.h>

#include "term/table.hpp"

using shift::term::bar;
using shift::term::table;

TEST_SUITE("term::table") {
    TEST_CASE("columns line up three spaces apart, with no trailing spaces") {
        CHECK(table({"NAME", "KEY", "WEIGHT"}, {{"reviews", "v1", "90"}, {"ratings", "v10", ""}}) ==
              "NAME      KEY   WEIGHT\n"
              "reviews   v1    90\n"
              "ratings   v10\n");
    }
    TEST_CASE("unicode bars count as one column per cell") {
        CHECK(table({"KEY", "BAR", "W"}, {{"v1", bar(50, 4, true), "50"}, {"v3", bar(50, 4, false), "50"}}) ==
              "KEY   BAR    W\n"
              "v1    ██░░   50\n"
              "v3    ##..   50\n");
    }
    TEST_CASE("a bar never hides some or not all of the traffic") {
        CHECK(bar(1, 20, false) == "#...................");
        CHECK(bar(99, 20, false) == "###################.");
        CHECK(bar(0, 4, false) == "....");
        CHECK(bar(100, 4, false) == "####");
    }
}
