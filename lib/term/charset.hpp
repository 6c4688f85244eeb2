#pragma once
// Whether the terminal can show the summary's arrows and bars: a UTF-8 locale and a terminal that is
// not TERM=dumb. Otherwise they fall back to ASCII ("->", "#" and "."), as under LC_ALL=C.
#include <string_view>

namespace shift::term {

// What the decision looks at, gathered so it is pure.
struct CharsetEnv {
    std::string_view lcAll, lcCtype, lang;  // $LC_ALL, $LC_CTYPE, $LANG; empty when unset
    std::string_view term;                  // $TERM
};

bool unicodeOutput(const CharsetEnv& env);

// Reads the variables of this process.
bool unicodeOutput();

}  // namespace shift::term
