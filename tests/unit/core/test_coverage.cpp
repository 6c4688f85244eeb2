#include <doctest/doctest.h>

#include "core/coverage.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {

std::vector<std::string> notes(const std::string& gateways) {
    auto s = test::yaml(
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, "
        "namespace: demo}\nspec:\n  hosts: [reviews]\n" +
        gateways + "  http: [{route: [{destination: {host: reviews}}]}]\n");
    return core::coverageNotes(s.docs.at(0));
}

}  // namespace

TEST_SUITE("core::coverage") {
    TEST_CASE("no gateways field (mesh only) or mesh listed: no note") {
        CHECK(notes("").empty());
        CHECK(notes("  gateways: [mesh]\n").empty());
        CHECK(notes("  gateways: [istio-system/edge, mesh]\n").empty());
    }
    TEST_CASE("gateways only: the mesh's own traffic is not moved") {
        auto n = notes("  gateways: [istio-system/edge]\n");
        REQUIRE(n.size() == 1);
        CHECK(n[0] ==
              "VirtualService demo/reviews is bound only to gateway istio-system/edge: this change moves the "
              "traffic entering through it, not the mesh's own calls to its hosts (add \"mesh\" to its "
              "gateways, "
              "or shift the VirtualService that routes them)");
        CHECK(notes("  gateways: [a, b]\n")
                  .at(0)
                  .find("only to gateways a, b: this change moves the traffic "
                        "entering through them") != std::string::npos);
    }
}
