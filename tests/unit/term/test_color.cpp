#include <doctest/doctest.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>

#include "term/color.hpp"

using shift::term::ColorEnv;
using shift::term::ColorMode;
using shift::term::isTerminal;
using shift::term::parseColorMode;
using shift::term::useColor;

TEST_SUITE("term::color") {
    TEST_CASE("parseColorMode accepts the three --color values") {
        CHECK(*parseColorMode("auto") == ColorMode::Auto);
        CHECK(*parseColorMode("always") == ColorMode::Always);
        CHECK(*parseColorMode("never") == ColorMode::Never);
    }

    TEST_CASE("parseColorMode rejects anything else") {
        for (const char* bad : {"", "yes", "Always", "auto ", "on"})
            CHECK_FALSE(parseColorMode(bad).has_value());
    }

    TEST_CASE("Auto colours a terminal unless NO_COLOR is non-empty or TERM is dumb") {
        CHECK(useColor(ColorMode::Auto, ColorEnv{true, "", "xterm-256color"}));
        CHECK(useColor(ColorMode::Auto, ColorEnv{true, "", ""}));
        CHECK_FALSE(useColor(ColorMode::Auto, ColorEnv{false, "", "xterm"}));
        CHECK_FALSE(useColor(ColorMode::Auto, ColorEnv{true, "1", "xterm"}));
        CHECK_FALSE(useColor(ColorMode::Auto, ColorEnv{true, "0", "xterm"}));
        CHECK_FALSE(useColor(ColorMode::Auto, ColorEnv{true, "", "dumb"}));
    }

    TEST_CASE("Always and Never ignore the terminal and the environment") {
        CHECK(useColor(ColorMode::Always, ColorEnv{false, "1", "dumb"}));
        CHECK_FALSE(useColor(ColorMode::Never, ColorEnv{true, "", "xterm"}));
    }

    TEST_CASE("isTerminal and useColor(fd) look at the real descriptor and environment") {
        int fds[2];
        REQUIRE(pipe(fds) == 0);
        CHECK_FALSE(isTerminal(fds[1]));
        CHECK_FALSE(isTerminal(-1));

        // A pseudo-terminal is a real TTY without needing one attached to the test run.
        int master = posix_openpt(O_RDWR | O_NOCTTY);
        REQUIRE(master >= 0);
        REQUIRE(grantpt(master) == 0);
        REQUIRE(unlockpt(master) == 0);
        int tty = open(ptsname(master), O_RDWR | O_NOCTTY);
        REQUIRE(tty >= 0);
        CHECK(isTerminal(tty));

        const char* savedNoColor = getenv("NO_COLOR");
        const char* savedTerm = getenv("TERM");
        std::string noColor = savedNoColor ? savedNoColor : "";
        std::string term = savedTerm ? savedTerm : "";

        setenv("TERM", "xterm", 1);
        unsetenv("NO_COLOR");
        CHECK(useColor(ColorMode::Auto, tty));
        CHECK_FALSE(useColor(ColorMode::Auto, fds[1]));
        CHECK(useColor(ColorMode::Always, fds[1]));
        CHECK_FALSE(useColor(ColorMode::Never, tty));
        setenv("NO_COLOR", "", 1);
        CHECK(useColor(ColorMode::Auto, tty));
        setenv("NO_COLOR", "1", 1);
        CHECK_FALSE(useColor(ColorMode::Auto, tty));
        unsetenv("NO_COLOR");
        setenv("TERM", "dumb", 1);
        CHECK_FALSE(useColor(ColorMode::Auto, tty));

        if (savedNoColor) {
            setenv("NO_COLOR", noColor.c_str(), 1);
        } else {
            unsetenv("NO_COLOR");
        }
        if (savedTerm) {
            setenv("TERM", term.c_str(), 1);
        } else {
            unsetenv("TERM");
        }
        close(tty);
        close(master);
        close(fds[0]);
        close(fds[1]);
    }
}
