#pragma once
// Builds VirtualServices for the core tests from YAML text.
#include <doctest/doctest.h>

#include <string>

#include "core/plan.hpp"
#include "doc/parse.hpp"

namespace shift::test {

inline doc::Stream yaml(const std::string& text) {
    auto s = doc::parse(text, "test.yaml");
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
    return *s;
}

// A VirtualService `reviews` in istio-demo whose one http rule routes to `route`
// (YAML list items indented for that position).
inline std::string reviews(const std::string& route) {
    return "apiVersion: networking.istio.io/v1\n"
           "kind: VirtualService\n"
           "metadata:\n"
           "  name: reviews\n"
           "  namespace: istio-demo\n"
           "spec:\n"
           "  hosts:\n"
           "  - reviews\n"
           "  http:\n"
           "  - route:\n" +
           route;
}

inline const std::string kAllV1 =
    "    - destination:\n"
    "        host: reviews\n"
    "        subset: v1\n";

inline const std::string kHalf =
    "    - destination:\n"
    "        host: reviews\n"
    "        subset: v1\n"
    "      weight: 50\n"
    "    - destination:\n"
    "        host: reviews\n"
    "        subset: v3\n"
    "      weight: 50\n";

inline core::Request request(std::vector<std::string> args) {
    auto r = core::parseRequest(args);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return *r;
}

}  // namespace shift::test
