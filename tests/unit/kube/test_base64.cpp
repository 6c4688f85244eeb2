#include <doctest/doctest.h>

#include "kube/base64.hpp"

using namespace shift::kube;

TEST_SUITE("kube::base64") {
    TEST_CASE("round trips every padding length") {
        for (std::string s :
             std::initializer_list<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)})
            CHECK(base64Decode(base64Encode(s)) == s);
        CHECK(base64Encode("hello") == "aGVsbG8=");
    }
    TEST_CASE("decoding skips line breaks and rejects foreign characters") {
        CHECK(base64Decode("aGVs\nbG8=") == std::string("hello"));
        CHECK_FALSE(base64Decode("aGVs*bG8=").has_value());
    }
}
