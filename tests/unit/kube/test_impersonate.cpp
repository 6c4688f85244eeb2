#include <doctest/doctest.h>

#include "kube/impersonate.hpp"

using namespace shift::kube;

TEST_SUITE("kube::impersonate") {
    TEST_CASE("no user, no headers") { CHECK(impersonationHeaders({}).empty()); }

    TEST_CASE("user, uid, each group and each extra value get a header, as client-go sends them") {
        Impersonation as{"system:serviceaccount:ci:deployer",
                         "42",
                         {"ops", "system:authenticated"},
                         {{"scopes", {"view", "edit"}}}};
        CHECK(impersonationHeaders(as) == std::vector<std::string>{
                                              "Impersonate-User: system:serviceaccount:ci:deployer",
                                              "Impersonate-Uid: 42",
                                              "Impersonate-Group: ops",
                                              "Impersonate-Group: system:authenticated",
                                              "Impersonate-Extra-scopes: view",
                                              "Impersonate-Extra-scopes: edit",
                                          });
    }

    TEST_CASE("an extra's key is percent-encoded where it is not an HTTP token, and % itself") {
        Impersonation as{
            "jane", "", {}, {{"example.com/team name%", {"mesh"}}, {"a!#$&'*+-.^_`|~Z9", {"x"}}}};
        auto headers = impersonationHeaders(as);
        REQUIRE(headers.size() == 3);
        CHECK(headers[1] == "Impersonate-Extra-a!#$&'*+-.^_`|~Z9: x");
        CHECK(headers[2] == "Impersonate-Extra-example.com%2Fteam%20name%25: mesh");
    }
}
