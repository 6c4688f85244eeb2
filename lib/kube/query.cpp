#include "kube/query.hpp"

#include <fmt/format.h>

#include <cctype>

namespace shift::kube {

std::string queryValue(std::string_view text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
            out += static_cast<char>(c);
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

}  // namespace shift::kube
