#include <doctest/doctest.h>

#include "prom/queries.hpp"

using namespace std::chrono_literals;
using shift::prom::Gate;
using shift::prom::observedSplitQuery;
using shift::prom::Op;
using shift::prom::parseGate;
using shift::prom::requestCountQuery;

TEST_SUITE("prom::queries") {
    TEST_CASE("the built-in gates") {
        auto s = parseGate("success-rate>=99");
        REQUIRE(s);
        CHECK(s->kind == Gate::Kind::SuccessRate);
        CHECK(s->op == Op::Ge);
        CHECK(s->threshold == 99);
        CHECK(parseGate("success-rate>=99.5%")->threshold == 99.5);
        auto l = parseGate("latency-p99<=500ms");
        REQUIRE(l);
        CHECK(l->kind == Gate::Kind::Latency);
        CHECK(l->quantile == 0.99);
        CHECK(l->op == Op::Le);
        CHECK(l->threshold == 500);
        CHECK(parseGate("latency-p50<1.5s")->threshold == 1500);
        CHECK(parseGate("latency-p95<1.5s")->quantile == 0.95);
    }
    TEST_CASE("a custom query: the last comparison is the gate's") {
        auto g = parseGate("sum(rate(x[1m])) > 0 >= 2.5");
        REQUIRE(g);
        CHECK(g->kind == Gate::Kind::Custom);
        CHECK(g->query == "sum(rate(x[1m])) > 0");
        CHECK(g->op == Op::Ge);
        CHECK(g->threshold == 2.5);
        CHECK(parseGate("up==1")->op == Op::Eq);
        CHECK(parseGate("up!=0")->op == Op::Ne);
        CHECK(parseGate("up<3")->op == Op::Lt);
    }
    TEST_CASE("bad gates are one-line usage errors") {
        for (const char* bad : {"success-rate", "success-rate>=abc", "success-rate>=101", "latency-p98<=1s",
                                "latency-p99<=500", ">=3", "up>=", "sum(x)>=1e999",
                                // a newline in the gate or after the comparison (fuzz_prom's finding)
                                "lat\n500ms", "up>=\n1"}) {
            auto g = parseGate(bad);
            CAPTURE(bad);
            REQUIRE_FALSE(g);
            CHECK(g.error().exit == shift::kExitInput);
            CHECK(g.error().message.find('\n') == std::string::npos);
            CHECK(g.error().message.rfind("invalid --analysis", 0) == 0);
        }
    }
    TEST_CASE("Flagger's Istio queries, on the version being rolled out") {
        shift::prom::Workload w{"istio-demo", "v3", "reviews"};
        CHECK(gateQuery(*parseGate("success-rate>=99"), w, 60s) ==
              "sum(rate(istio_requests_total{reporter=\"destination\",destination_workload_namespace="
              "\"istio-demo\",destination_service_name=\"reviews\",destination_version=\"v3\",response_code!~"
              "\"5.*\"}[60s])) / sum(rate(istio_requests_total{reporter=\"destination\","
              "destination_workload_namespace=\"istio-demo\",destination_service_name=\"reviews\","
              "destination_version=\"v3\"}[60s])) * 100");
        CHECK(gateQuery(*parseGate("latency-p99<=500ms"), w, 3s) ==
              "histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{reporter="
              "\"destination\",destination_workload_namespace=\"istio-demo\",destination_service_name="
              "\"reviews\",destination_version=\"v3\"}[3s])) by (le))");
        CHECK(requestCountQuery({"ns", "v\"3", ""}, 1500ms) ==
              "sum(increase(istio_requests_total{reporter=\"destination\",destination_workload_namespace="
              "\"ns\","
              "destination_version=\"v\\\"3\"}[1500ms]))");
    }
    TEST_CASE("a host-keyed route's destination is its service, without a version") {
        CHECK(requestCountQuery({"ns", "", "reviews-v3"}, 3s) ==
              "sum(increase(istio_requests_total{reporter=\"destination\",destination_workload_namespace="
              "\"ns\","
              "destination_service_name=\"reviews-v3\"}[3s]))");
    }
    TEST_CASE("the observed split, as the clients report it") {
        CHECK(observedSplitQuery({{"reviews"}, "istio-demo", "destination_version"}, 60s) ==
              "sum by (destination_version) (rate(istio_requests_total{reporter=\"source\","
              "destination_service_name=\"reviews\",destination_service_namespace=\"istio-demo\"}[60s]))");
        CHECK(observedSplitQuery({{"reviews-v1", "reviews-v2"}, "ns", "destination_service_name"}, 3s) ==
              "sum by (destination_service_name) (rate(istio_requests_total{reporter=\"source\","
              "destination_service_name=~\"reviews-v1|reviews-v2\",destination_service_namespace=\"ns\"}[3s])"
              ")");
    }
    TEST_CASE("the window is whole seconds or milliseconds") {
        CHECK(shift::prom::window(60s) == "60s");
        CHECK(shift::prom::window(1500ms) == "1500ms");
    }
}
