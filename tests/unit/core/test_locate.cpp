#include <doctest/doctest.h>

#include "core/locate.hpp"
#include "helpers.hpp"

using namespace shift;

TEST_SUITE("core::locate") {
    TEST_CASE("finds a VirtualService among documents and in a List") {
        auto s = test::yaml(
            "kind: DestinationRule\nmetadata: {name: reviews}\n---\n"
            "apiVersion: v1\nkind: List\nitems:\n- kind: VirtualService\n  metadata: {name: ratings}\n"
            "- kind: VirtualService\n  metadata: {name: reviews, namespace: demo}\n");
        auto at = core::findVirtualService(s.docs, "reviews", "", "all.yaml");
        REQUIRE(at.ok());
        CHECK(at->doc == 1);
        CHECK(at->item == std::optional<std::size_t>(1));
        CHECK(core::objectAt(s.docs, *at).at({"metadata", "namespace"})->str() == "demo");
        CHECK(core::findKind(s.docs, "DestinationRule").size() == 1);
    }
    TEST_CASE("a missing name lists the names present") {
        auto s = test::yaml("kind: VirtualService\nmetadata: {name: ratings, namespace: demo}\n");
        auto at = core::findVirtualService(s.docs, "reviews", "", "all.yaml");
        REQUIRE_FALSE(at.ok());
        CHECK(at.error().message ==
              "no VirtualService named \"reviews\" in all.yaml; it holds: demo/ratings");
    }
    TEST_CASE("an object without metadata.name is listed as such, not as an empty name") {
        auto s = test::yaml("kind: VirtualService\nspec: {}\n");
        auto at = core::findVirtualService(s.docs, "reviews", "", "m.yaml");
        REQUIRE_FALSE(at.ok());
        CHECK(at.error().message ==
              "no VirtualService named \"reviews\" in m.yaml; it holds: a VirtualService without "
              "metadata.name");
    }
    TEST_CASE("-n tells same-named objects apart") {
        auto s = test::yaml(
            "kind: VirtualService\nmetadata: {name: r, namespace: a}\n---\n"
            "kind: VirtualService\nmetadata: {name: r, namespace: b}\n");
        CHECK_FALSE(core::findVirtualService(s.docs, "r", "", "x").ok());
        auto b = core::findVirtualService(s.docs, "r", "b", "x");
        REQUIRE(b.ok());
        CHECK(b->doc == 1);
    }
}
