#include "term/color.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>

namespace shift::term {

std::optional<ColorMode> parseColorMode(std::string_view text) {
    if (text == "auto") return ColorMode::Auto;
    if (text == "always") return ColorMode::Always;
    if (text == "never") return ColorMode::Never;
    return std::nullopt;
}

bool useColor(ColorMode mode, const ColorEnv& env) {
    switch (mode) {
        case ColorMode::Always:
            // An explicit flag overrides NO_COLOR, as https://no-color.org asks.
            return true;
        case ColorMode::Never:
            return false;
        case ColorMode::Auto:
            break;
    }
    // NO_COLOR disables colour only when set to a non-empty value (https://no-color.org).
    return env.terminal && env.noColor.empty() && env.term != "dumb";
}

static std::string_view envOrEmpty(const char* name) {
    const char* value = std::getenv(name);
    return value ? std::string_view(value) : std::string_view();
}

bool useColor(ColorMode mode, int fd) {
    if (mode != ColorMode::Auto) return useColor(mode, ColorEnv{});
    return useColor(mode, ColorEnv{isTerminal(fd), envOrEmpty("NO_COLOR"), envOrEmpty("TERM")});
}

bool isTerminal(int fd) { return ::isatty(fd) == 1; }

}  // namespace shift::term
