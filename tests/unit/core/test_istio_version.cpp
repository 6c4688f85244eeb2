#include <doctest/doctest.h>

#include "core/istio_version.hpp"

using namespace shift;

namespace {

std::string deployments(const std::vector<std::pair<std::string, std::string>>& named) {
    std::string items;
    for (const auto& [name, image] : named) {
        if (!items.empty()) items += ",";
        items += R"({"metadata":{"name":")" + name +
                 R"("},"spec":{"template":{"spec":{"containers":[{"name":"discovery","image":")" + image +
                 R"("}]}}}})";
    }
    return R"({"kind":"DeploymentList","items":[)" + items + "]}";
}

}  // namespace

TEST_SUITE("core::istio_version") {
    TEST_CASE("the version of an image tag") {
        auto v = core::versionOfImage("docker.io/istio/pilot:1.20.3");
        REQUIRE(v);
        CHECK(v->major == 1);
        CHECK(v->minor == 20);
        CHECK(core::versionOfImage("gcr.io/istio-release/pilot:1.22.0-distroless")->minor == 22);
        CHECK(core::versionOfImage("localhost:5000/istio/pilot:1.14.6")->minor == 14);
        CHECK(core::versionOfImage("istio/pilot:1.9.0@sha256:abcd")->minor == 9);
        CHECK_FALSE(core::versionOfImage("istio/pilot"));
        CHECK_FALSE(core::versionOfImage("localhost:5000/istio/pilot"));
        CHECK_FALSE(core::versionOfImage("istio/pilot:latest"));
        CHECK_FALSE(core::versionOfImage("istio/pilot@sha256:abcd"));
    }
    TEST_CASE("1.15 and newer take any total; 1.14 and older need 100; the oldest istiod decides") {
        auto newer = core::weightSumOfDeployments(deployments({{"istiod", "docker.io/istio/pilot:1.20.3"}}),
                                                  "istio-system");
        CHECK(newer.sum == core::WeightSum::AnyTotal);
        CHECK(newer.why == "istiod runs 1.20 in istio-system");
        CHECK(core::weightSumOfDeployments(deployments({{"istiod", "istio/pilot:1.15.0"}}), "x").sum ==
              core::WeightSum::AnyTotal);
        auto old =
            core::weightSumOfDeployments(deployments({{"istiod", "istio/pilot:1.14.6"}}), "istio-system");
        CHECK(old.sum == core::WeightSum::Sum100);
        CHECK(old.why == "istiod in istio-system runs 1.14");
        // Two revisions during a canary upgrade: the older still validates.
        auto both =
            core::weightSumOfDeployments(deployments({{"istiod-1-20", "istio/pilot:1.20.1"},
                                                      {"istiod-1-13", "istio/pilot:1.13.9-distroless"}}),
                                         "istio-system");
        CHECK(both.sum == core::WeightSum::Sum100);
        CHECK(both.why == "istiod-1-13 in istio-system runs 1.13");
    }
    TEST_CASE("what cannot be told is Unknown with the reason") {
        auto none = core::weightSumOfDeployments(R"({"items":[]})", "istio-system");
        CHECK(none.sum == core::WeightSum::Unknown);
        CHECK(none.why == "no istiod Deployment in istio-system");
        auto latest =
            core::weightSumOfDeployments(deployments({{"istiod", "istio/pilot:latest"}}), "istio-system");
        CHECK(latest.sum == core::WeightSum::Unknown);
        CHECK(latest.why == "the image of istiod in istio-system (\"istio/pilot:latest\") names no version");
    }
    TEST_CASE("--weights") {
        CHECK(*core::parseWeightSum("any-total") == core::WeightSum::AnyTotal);
        CHECK(*core::parseWeightSum("sum-100") == core::WeightSum::Sum100);
        CHECK(core::parseWeightSum("100").error().message.find("write any-total") != std::string::npos);
    }
}
