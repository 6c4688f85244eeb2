#pragma once
// User input quoted in a one-line message: control characters (a newline in an argument or a file
// name) are escaped as Go's %q does, so an error is always one line and shows what was typed.
#include <cstdio>
#include <string>
#include <string_view>

namespace shift {

inline std::string printable(std::string_view text) {
    std::string out;
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else if (u < 0x20 || u == 0x7f) {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", u);
            out += hex;
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace shift
