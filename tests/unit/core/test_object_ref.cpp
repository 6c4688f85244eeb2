#include <doctest/doctest.h>

#include "core/object_ref.hpp"

using shift::core::parseObjectRef;
using shift::core::RouteKind;

TEST_SUITE("core::object_ref") {
    TEST_CASE("a bare NAME is a VirtualService") {
        auto r = parseObjectRef("reviews");
        REQUIRE(r.ok());
        CHECK(r->kind == RouteKind::VirtualService);
        CHECK(r->name == "reviews");
        CHECK_FALSE(r->typed);
        CHECK(shift::core::describe(*r) == "reviews");
    }
    TEST_CASE("TYPE/NAME in kubectl's spellings, any case") {
        for (const char* w : {"vs/reviews", "virtualservice/reviews", "VirtualServices/reviews",
                              "virtualservice.networking.istio.io/reviews"}) {
            auto r = parseObjectRef(w);
            REQUIRE_MESSAGE(r.ok(), w);
            CHECK(r->kind == RouteKind::VirtualService);
            CHECK(r->name == "reviews");
            CHECK(shift::core::describe(*r) == "virtualservice/reviews");
        }
        for (const char* w : {"httproute/reviews", "HTTPRoute/reviews", "httproutes/reviews",
                              "httproute.gateway.networking.k8s.io/reviews"}) {
            auto r = parseObjectRef(w);
            REQUIRE_MESSAGE(r.ok(), w);
            CHECK(r->kind == RouteKind::HTTPRoute);
            CHECK(r->name == "reviews");
            CHECK(shift::core::describe(*r) == "httproute/reviews");
        }
    }
    TEST_CASE("bad TYPE/NAME: one line naming the fix, exit 2") {
        auto svc = parseObjectRef("svc/reviews");
        REQUIRE_FALSE(svc.ok());
        CHECK(svc.error().message ==
              "unknown type \"svc\" in \"svc/reviews\"; shift shifts traffic on virtualservice (vs) and "
              "httproute");
        CHECK(svc.error().exit == shift::kExitInput);
        for (const char* w : {"vs/", "httproute/a/b", ""}) CHECK_FALSE(parseObjectRef(w).ok());
    }
}
