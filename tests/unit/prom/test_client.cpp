#include <doctest/doctest.h>

#include "prom/client.hpp"

TEST_SUITE("prom::client") {
    TEST_CASE("the service proxy path and query encoding") {
        CHECK(*shift::prom::serviceProxyPrefix("istio-system/prometheus:9090") ==
              "/api/v1/namespaces/istio-system/services/prometheus:9090/proxy");
        for (const char* bad : {"prometheus:9090", "istio-system/prometheus", "/p:1", "ns/:1", "ns/p:"})
            CHECK_FALSE(shift::prom::serviceProxyPrefix(bad));
        CHECK(shift::prom::encode("sum(x{a=\"b\"}) >= 1") == "sum%28x%7Ba%3D%22b%22%7D%29%20%3E%3D%201");
    }
    TEST_CASE("a Prometheus URL is a cluster of its own, TLS verified") {
        auto c = shift::prom::directCluster({"https://prom.example:9090/", "/t", "/ca.pem", 5});
        CHECK(c.server == "https://prom.example:9090");
        CHECK(c.tokenFile == "/t");
        CHECK(c.caFile == "/ca.pem");
        CHECK_FALSE(c.insecureSkipTlsVerify);
        CHECK(c.timeoutSeconds == 5);
        CHECK(c.origin == "--prometheus");
    }
}
