#pragma once
// Which object a command names: `reviews`, `vs/reviews`, `httproute/reviews`, as kubectl writes
// TYPE/NAME. The kinds shift shifts traffic on, and how users spell them.
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace shift::core {

enum class RouteKind { VirtualService, HTTPRoute };

// "VirtualService", "HTTPRoute": the object's kind as manifests write it.
const char* kindName(RouteKind kind);
// "virtualservice", "httproute": the TYPE of TYPE/NAME as shift prints it back.
const char* typeName(RouteKind kind);

struct ObjectRef {
    RouteKind kind = RouteKind::VirtualService;
    std::string name;
    bool typed = false;  // TYPE/ was written (a bare NAME is a VirtualService)
};

// The TYPE of TYPE/NAME, case-insensitive as kubectl's: virtualservice, virtualservices, vs,
// virtualservice.networking.istio.io; httproute, httproutes, httproute.gateway.networking.k8s.io.
Result<RouteKind> parseType(std::string_view type);

// NAME or TYPE/NAME. A bad TYPE or an empty NAME is a one-line error naming the fix (exit 2).
Result<ObjectRef> parseObjectRef(std::string_view word);

// "httproute/reviews", or "reviews" for an untyped VirtualService: how the user wrote it, for messages
// and recorded commands.
std::string describe(const ObjectRef& ref);

}  // namespace shift::core
