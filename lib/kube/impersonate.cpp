#include "kube/impersonate.hpp"

#include <fmt/format.h>

#include <string_view>

namespace shift::kube {

namespace {

// An extra's key becomes part of a header name: bytes that are not HTTP token characters, and
// '%' itself, are percent-encoded (client-go's headerKeyEscape; the API server unescapes them).
std::string headerKeyEscape(std::string_view key) {
    constexpr std::string_view kTokenPunct = "!#$&'*+-.^_`|~";
    std::string out;
    for (unsigned char b : key) {
        bool token = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
                     kTokenPunct.find(static_cast<char>(b)) != std::string_view::npos;
        out += token ? std::string(1, static_cast<char>(b)) : fmt::format("%{:02X}", b);
    }
    return out;
}

}  // namespace

std::vector<std::string> impersonationHeaders(const Impersonation& as) {
    std::vector<std::string> out;
    if (as.user.empty()) return out;
    out.push_back("Impersonate-User: " + as.user);
    if (!as.uid.empty()) out.push_back("Impersonate-Uid: " + as.uid);
    for (const auto& g : as.groups) out.push_back("Impersonate-Group: " + g);
    for (const auto& [key, values] : as.extra) {
        for (const auto& v : values) out.push_back("Impersonate-Extra-" + headerKeyEscape(key) + ": " + v);
    }
    return out;
}

}  // namespace shift::kube
