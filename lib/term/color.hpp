#pragma once
// When to colour output: --color=auto|always|never, the NO_COLOR convention and TERM=dumb.
#include <optional>
#include <string_view>

namespace shift::term {

enum class ColorMode { Auto, Always, Never };

// Parses a --color value: "auto", "always" or "never" (nullopt for anything else; the caller words
// the error, so term stands alone).
std::optional<ColorMode> parseColorMode(std::string_view text);

// What Auto looks at, gathered so the decision itself is pure.
struct ColorEnv {
    bool terminal = false;     // the output is a TTY
    std::string_view noColor;  // $NO_COLOR, empty when unset
    std::string_view term;     // $TERM, empty when unset
};

bool useColor(ColorMode mode, const ColorEnv& env);

// Reads isatty(fd), $NO_COLOR and $TERM.
bool useColor(ColorMode mode, int fd);

bool isTerminal(int fd);

}  // namespace shift::term
