#include "term/charset.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

namespace shift::term {

namespace {

std::string_view envOrEmpty(const char* name) {
    const char* value = std::getenv(name);
    return value ? std::string_view(value) : std::string_view();
}

// "en_US.UTF-8", "C.utf8", "de_DE.UTF-8@euro": the codeset after the dot, any case, dash optional.
bool namesUtf8(std::string_view locale) {
    auto dot = locale.find('.');
    if (dot == std::string_view::npos) return false;
    std::string codeset;
    for (char c : locale.substr(dot + 1)) {
        if (c == '@') break;
        if (c != '-') codeset += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return codeset == "utf8";
}

}  // namespace

bool unicodeOutput(const CharsetEnv& env) {
    if (env.term == "dumb") return false;
    // POSIX precedence for the character set: LC_ALL, then LC_CTYPE, then LANG; none set is the C locale.
    std::string_view locale = !env.lcAll.empty() ? env.lcAll : !env.lcCtype.empty() ? env.lcCtype : env.lang;
    return namesUtf8(locale);
}

bool unicodeOutput() {
    return unicodeOutput(
        CharsetEnv{envOrEmpty("LC_ALL"), envOrEmpty("LC_CTYPE"), envOrEmpty("LANG"), envOrEmpty("TERM")});
}

}  // namespace shift::term
