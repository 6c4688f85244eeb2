#include <doctest/doctest.h>

#include "term/charset.hpp"

using shift::term::CharsetEnv;
using shift::term::unicodeOutput;

TEST_SUITE("term::charset") {
    TEST_CASE("a UTF-8 locale shows arrows and bars, however the codeset is spelled") {
        for (const char* locale : {"C.UTF-8", "en_US.UTF-8", "C.utf8", "de_DE.utf-8@euro"}) {
            CAPTURE(locale);
            CHECK(unicodeOutput(CharsetEnv{"", "", locale, "xterm-256color"}));
        }
    }
    TEST_CASE("the C locale, a non-UTF-8 one, no locale at all, or TERM=dumb fall back to ASCII") {
        CHECK_FALSE(unicodeOutput(CharsetEnv{"C", "", "en_US.UTF-8", "xterm"}));
        CHECK_FALSE(unicodeOutput(CharsetEnv{"", "", "en_US.ISO-8859-1", "xterm"}));
        CHECK_FALSE(unicodeOutput(CharsetEnv{"", "", "POSIX", "xterm"}));
        CHECK_FALSE(unicodeOutput(CharsetEnv{"", "", "", "xterm"}));
        CHECK_FALSE(unicodeOutput(CharsetEnv{"", "", "C.UTF-8", "dumb"}));
    }
    TEST_CASE("LC_ALL wins over LC_CTYPE, which wins over LANG") {
        CHECK(unicodeOutput(CharsetEnv{"C.UTF-8", "C", "C", ""}));
        CHECK(unicodeOutput(CharsetEnv{"", "en_GB.UTF-8", "C", ""}));
        CHECK_FALSE(unicodeOutput(CharsetEnv{"", "C", "C.UTF-8", ""}));
    }
}
