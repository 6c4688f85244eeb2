#include <doctest/doctest.h>

#include "doc/scalar.hpp"

using namespace shift::doc;

namespace {
std::string yamlString(std::string_view s, bool key = false) {
    std::string out;
    scalar::writeYamlString(out, s, 0, 2, key);
    return out;
}
}  // namespace

TEST_SUITE("doc::scalar") {
    TEST_CASE("parseInt: int64 first, then uint64, as go-yaml") {
        CHECK(scalar::parseInt("42").signedValue == 42);
        CHECK(scalar::parseInt("-7").signedValue == -7);
        auto big = scalar::parseInt("18446744073709551615");
        CHECK_FALSE(big.signedValue.has_value());
        CHECK(big.unsignedValue == 18446744073709551615ULL);
    }

    TEST_CASE("jsonNumber keeps the digits in the form JSON requires") {
        CHECK(scalar::jsonNumber(".5") == "0.5");
        CHECK(scalar::jsonNumber("+1") == "1");
        CHECK(scalar::jsonNumber("0x1F") == "31");
        CHECK(scalar::jsonNumber("1_000") == "1000");
        CHECK(scalar::jsonNumber("1e3") == "1e3");
        CHECK(scalar::jsonNumber("12345678901234567890123") == "12345678901234567890123");
        CHECK_FALSE(scalar::jsonNumber(".inf").has_value());
        CHECK_FALSE(scalar::jsonNumber(".nan").has_value());
    }

    TEST_CASE("YAML 1.1 spellings of true") {
        for (const char* t : {"true", "True", "yes", "on", "y"}) CHECK_MESSAGE(scalar::isTrue(t), t);
        for (const char* f : {"false", "no", "off", "n", "maybe"}) CHECK_FALSE_MESSAGE(scalar::isTrue(f), f);
    }

    TEST_CASE("timestamps and base 60 numbers, which go-yaml quotes") {
        CHECK(scalar::looksLikeTimestamp("2001-12-14"));
        CHECK(scalar::looksLikeTimestamp("2001-12-14t21:59:43.10-05:00"));
        CHECK_FALSE(scalar::looksLikeTimestamp("reviews"));
        CHECK(scalar::isBase60Float("1:20"));
        CHECK_FALSE(scalar::isBase60Float("1:2x"));
    }

    TEST_CASE("strings are written plain when they read back as themselves, else quoted") {
        CHECK(yamlString("reviews") == "reviews");
        CHECK(yamlString("yes") == "\"yes\"");
        CHECK(yamlString("123") == "\"123\"");
        CHECK(yamlString("") == "\"\"");
        CHECK(yamlString("a: b") == "'a: b'");
        CHECK(yamlString("2001-12-14") == "\"2001-12-14\"");
    }
}
