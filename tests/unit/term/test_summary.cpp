#include <doctest/doctest.h>

#include "term/summary.hpp"

using shift::term::summary;
using shift::term::WeightRow;

TEST_SUITE("term::summary") {
    const std::vector<WeightRow> rows = {
        {"v1", 100, 50},
        {"v3", std::nullopt, 50},
        {"v2", 20, std::nullopt},
    };

    TEST_CASE("plain: aligned old → new weights, with added and removed destinations marked") {
        CHECK(summary("istio-demo/reviews http[0]", rows, false, false) ==
              "istio-demo/reviews http[0]:\n"
              "  v1  100 → 50\n"
              "  v3    - → 50  (new)\n"
              "  v2   20 → -   (removed)\n");
    }

    TEST_CASE("without unicode: an ASCII arrow and bar") {
        CHECK(summary("istio-demo/reviews http[0]", rows, true, false, false) ==
              "istio-demo/reviews http[0]:\n"
              "  v1  100 -> 50  ##########..........\n"
              "  v3    - -> 50  ##########..........  (new)\n"
              "  v2   20 -> -   ....................  (removed)\n");
    }

    TEST_CASE("bars show the new weight in 20 cells") {
        CHECK(summary("istio-demo/reviews http[0]", rows, true, false) ==
              "istio-demo/reviews http[0]:\n"
              "  v1  100 → 50  ██████████░░░░░░░░░░\n"
              "  v3    - → 50  ██████████░░░░░░░░░░  (new)\n"
              "  v2   20 → -   ░░░░░░░░░░░░░░░░░░░░  (removed)\n");
    }

    TEST_CASE("bars round to the nearest cell but never hide some or all traffic") {
        auto barOf = [](long long w) {
            std::string s = summary("t", {{"v1", w, w}}, true, false);
            return s.substr(s.find("  ", s.find("→")) + 2, 20 * 3);
        };
        CHECK(barOf(0) == "░░░░░░░░░░░░░░░░░░░░");
        CHECK(barOf(1) == "█░░░░░░░░░░░░░░░░░░░");
        CHECK(barOf(33) == "███████░░░░░░░░░░░░░");
        CHECK(barOf(99) == "███████████████████░");
        CHECK(barOf(100) == "████████████████████");
    }

    TEST_CASE("unchanged rows and wide keys") {
        CHECK(summary("prod/ratings http[1]", {{"stable", 90, 90}, {"canary", 10, 10}, {"v2", 0, 0}}, false,
                      false) ==
              "prod/ratings http[1]:\n"
              "  stable  90 → 90\n"
              "  canary  10 → 10\n"
              "  v2       0 → 0\n");
    }

    TEST_CASE("colour: bold title, red where weight goes, green where it comes, plain when equal") {
        CHECK(summary("ns/vs http[0]", {{"v1", 100, 50}, {"v2", std::nullopt, 50}, {"v3", 0, 0}}, false,
                      true) ==
              "\x1b[1mns/vs http[0]:\x1b[0m\n"
              "  v1  100 → \x1b[31m50\x1b[0m\n"
              "  v2    - → \x1b[32m50  (new)\x1b[0m\n"
              "  v3    0 → 0\n");
    }

    TEST_CASE("no rows: just the title") {
        CHECK(summary("ns/vs http[0]", {}, true, true) == "\x1b[1mns/vs http[0]:\x1b[0m\n");
    }
}
