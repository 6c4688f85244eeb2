#include "core/object_ref.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace shift::core {

const char* kindName(RouteKind kind) { return kind == RouteKind::HTTPRoute ? "HTTPRoute" : "VirtualService"; }

const char* typeName(RouteKind kind) { return kind == RouteKind::HTTPRoute ? "httproute" : "virtualservice"; }

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

struct Spelling {
    std::string_view type;
    RouteKind kind;
};

// kubectl accepts the singular, the plural, the short name and the name qualified by its group.
constexpr std::array<Spelling, 8> kSpellings{{
    {"virtualservice", RouteKind::VirtualService},
    {"virtualservices", RouteKind::VirtualService},
    {"vs", RouteKind::VirtualService},
    {"virtualservice.networking.istio.io", RouteKind::VirtualService},
    {"virtualservices.networking.istio.io", RouteKind::VirtualService},
    {"httproute", RouteKind::HTTPRoute},
    {"httproutes", RouteKind::HTTPRoute},
    {"httproute.gateway.networking.k8s.io", RouteKind::HTTPRoute},
}};

}  // namespace

Result<RouteKind> parseType(std::string_view type) {
    auto t = lower(type);
    if (t == "httproutes.gateway.networking.k8s.io") return RouteKind::HTTPRoute;
    for (const auto& s : kSpellings) {
        if (s.type == t) return s.kind;
    }
    return fail(
        fmt::format("unknown type \"{}\"; shift shifts traffic on virtualservice (vs) and httproute", type));
}

Result<ObjectRef> parseObjectRef(std::string_view word) {
    auto slash = word.find('/');
    if (slash == std::string_view::npos) {
        if (word.empty()) return fail("empty object name; name a VirtualService or TYPE/NAME");
        return ObjectRef{RouteKind::VirtualService, std::string(word), false};
    }
    auto type = parseType(word.substr(0, slash));
    if (!type) {
        return fail(fmt::format(
            "unknown type \"{}\" in \"{}\"; shift shifts traffic on virtualservice (vs) and httproute",
            word.substr(0, slash), word));
    }
    auto name = word.substr(slash + 1);
    if (name.empty() || name.find('/') != std::string_view::npos) {
        return fail(fmt::format("\"{}\" is not TYPE/NAME; write e.g. httproute/reviews", word));
    }
    return ObjectRef{*type, std::string(name), true};
}

std::string describe(const ObjectRef& ref) {
    return ref.typed || ref.kind != RouteKind::VirtualService
               ? fmt::format("{}/{}", typeName(ref.kind), ref.name)
               : ref.name;
}

}  // namespace shift::core
