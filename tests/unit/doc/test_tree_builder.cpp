#include <doctest/doctest.h>

#include <string>

#include "doc/parse.hpp"
#include "doc/tree_builder.hpp"

using namespace shift::doc;

namespace {

// "Billion laughs": each level is a list of ten aliases of the one before, under an unrelated key.
std::string aliasBomb(int levels) {
    std::string y = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\nlols:\n  l0: &l0 [lol]\n";
    for (int i = 1; i <= levels; ++i) {
        y += "  l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
        for (int j = 0; j < 10; ++j) y += (j ? ", *l" : "*l") + std::to_string(i - 1);
        y += "]\n";
    }
    return y;
}

std::string nested(char open, char close, int depth, const std::string& inner) {
    return std::string(std::size_t(depth), open) + inner + std::string(std::size_t(depth), close);
}

}  // namespace

TEST_SUITE("doc::tree_builder") {
    TEST_CASE("alias expansion is bounded by go-yaml's ratio") {
        using detail::excessiveAliasing;
        SUBCASE("small documents may be nearly all aliases, once over 100 aliased and 1,000 nodes") {
            CHECK_FALSE(excessiveAliasing(1000, 999));
            CHECK_FALSE(excessiveAliasing(100000, 100));
            CHECK_FALSE(excessiveAliasing(1001, 990));
            CHECK(excessiveAliasing(1001, 992));
            CHECK(excessiveAliasing(400000, 396001));
            CHECK_FALSE(excessiveAliasing(400000, 396000));
        }
        SUBCASE("the share falls linearly to 10% at 4,000,000 nodes") {
            CHECK(excessiveAliasing(2200000, 1210000));  // allowed: 0.99 - 0.89 * 0.5 = 0.545
            CHECK_FALSE(excessiveAliasing(2200000, 1190000));
            CHECK(excessiveAliasing(4000000, 400001));
            CHECK_FALSE(excessiveAliasing(4000000, 399999));
            CHECK(excessiveAliasing(9000000, 900001));
        }
    }

    TEST_CASE("a billion-laughs document is refused before it is expanded") {
        for (int levels : {7, 10}) {
            auto r = parse(aliasBomb(levels), "bomb.yaml");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().exit == shift::kExitInput);
            CHECK(r.error().message ==
                  "bomb.yaml: invalid YAML: document contains excessive aliasing; fix the file and retry");
        }
    }

    TEST_CASE("ordinary use of anchors and aliases still reads") {
        auto r = parse(aliasBomb(2), "small.yaml");  // 100 aliased scalars
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        CHECK(r->docs[0].at({"lols", "l2"})->items.size() == 10);
        CHECK(r->docs[0].at({"lols", "l2"})->items[9].items[9].items[0].str() == "lol");

        // A large document reusing one block many times stays under the ratio.
        std::string y = "base: &b {a: 1, b: 2, c: 3, d: 4}\nitems:\n";
        for (int i = 0; i < 2000; ++i) y += "- {name: n" + std::to_string(i) + ", <<: *b}\n";
        auto big = parse(y, "big.yaml");
        REQUIRE_MESSAGE(big.ok(), (big.ok() ? "" : big.error().message));
        CHECK(big->docs[0].get("items")->items[1999].get("d")->str() == "4");
    }

    TEST_CASE("each document of a stream has its own alias budget") {
        std::string y;
        for (int i = 0; i < 20; ++i) y += "---\n" + aliasBomb(2);
        auto r = parse(y, "many.yaml");
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        CHECK(r->docs.size() == 20);
    }

    TEST_CASE("nesting deeper than 10,000 is an error, not a stack overflow") {
        for (const char* kind : {"YAML", "JSON"}) {
            CAPTURE(kind);
            auto read = [&](int depth) {
                std::string text = nested('[', ']', depth, "1");
                return std::string(kind) == "YAML" ? parseYaml(text, "deep") : parseJson(text, "deep");
            };
            CHECK(read(10000).ok());
            for (int depth : {10001, 100000}) {
                auto r = read(depth);
                REQUIRE_FALSE(r.ok());
                CHECK(r.error().exit == shift::kExitInput);
                CHECK(r.error().message.find("invalid " + std::string(kind) +
                                             ": nesting exceeds the maximum depth of 10000; fix the file") !=
                      std::string::npos);
            }
        }
        auto r = parse("{\"a\": " + nested('[', ']', 100000, "") + "}", "deep.json");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              "deep.json: invalid JSON: nesting exceeds the maximum depth of 10000; fix the file and retry");
    }
}
