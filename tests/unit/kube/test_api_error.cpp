#include <doctest/doctest.h>

#include "kube/api_error.hpp"

using namespace shift::kube;

namespace {
Response make(long status, std::string body, std::string type = "application/json") {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.contentType = std::move(type);
    return r;
}
const RequestInfo kGet{"get", "virtualservices", "networking.istio.io", "istio-demo", "reviews", "dev"};
}  // namespace

TEST_SUITE("kube::api_error") {
    TEST_CASE("parseStatus reads metav1.Status and ignores other bodies") {
        auto st = parseStatus(make(422, R"({"kind":"Status","code":422,"reason":"Invalid","message":"bad",
            "details":{"name":"r","group":"networking.istio.io","kind":"VirtualService","causes":[{"field":"f","message":"m","reason":"x"}]}})"));
        REQUIRE(st);
        CHECK(st->code == 422);
        CHECK(st->reason == "Invalid");
        CHECK(st->name == "r");
        REQUIRE(st->causes.size() == 1);
        CHECK(st->causes[0].field == "f");
        CHECK_FALSE(parseStatus(make(404, "404 page not found", "text/plain")));
        CHECK_FALSE(parseStatus(make(200, R"({"kind":"VirtualService"})")));
        CHECK_FALSE(parseStatus(make(500, "{not json")));
    }

    TEST_CASE("403 that is not RBAC's wording is shown as the server said it") {
        auto e = responseError(
            make(403, R"({"kind":"Status","message":"namespace istio-demo is terminating"})"), kGet);
        CHECK(e.message == "forbidden: namespace istio-demo is terminating");
        e = responseError(
            make(
                403,
                R"({"kind":"Status","message":"User \"system:serviceaccount:ci:deployer\" cannot list resource \"virtualservices\" in API group \"networking.istio.io\" at the cluster scope"})"),
            kGet);
        CHECK(e.message ==
              "forbidden: User \"system:serviceaccount:ci:deployer\" cannot list "
              "virtualservices.networking.istio.io at cluster "
              "scope; ask for RBAC list on virtualservices");
    }

    TEST_CASE("422: kube's trailing field-less cause is dropped when there are real ones") {
        auto e = responseError(make(422, R"({"kind":"Status","message":"x","details":{"causes":[
            {"field":"spec.http[0].route[0].weight","message":"Invalid value: \"string\": must be of type integer"},
            {"field":"<nil>","message":"Invalid value: \"null\": some validation rules were not checked"}]}})"),
                               kGet);
        CHECK(e.message ==
              "the server rejected the change: spec.http[0].route[0].weight: Invalid value: \"string\": must "
              "be of type integer");
    }

    TEST_CASE("server errors and odd bodies stay on one line") {
        auto e = responseError(make(503, "upstream\nconnect error", "text/plain"), kGet);
        CHECK(e.message ==
              "get virtualservice \"reviews\" failed: 503 Service Unavailable: upstream connect error");
        CHECK(e.exit == shift::kExitApi);
        CHECK(responseError(make(429, ""), kGet).message ==
              "the server is too busy (429 Too Many Requests) to get virtualservices; try again shortly");
        RequestInfo inCluster = kGet;
        inCluster.contextName.clear();
        CHECK(responseError(make(401, ""), inCluster).message ==
              "the server rejected the credentials (401 Unauthorized); check the service account token");
    }

    TEST_CASE("an object etcd will not store says so, and what to do") {
        RequestInfo put{"update", "virtualservices", "networking.istio.io", "istio-demo", "big", "dev"};
        auto e = responseError(
            make(
                500,
                R"({"kind":"Status","status":"Failure","message":"etcdserver: request is too large","code":500})"),
            put);
        CHECK(e.message ==
              "the server cannot store virtualservice \"big\" that large (500 Internal Server Error: "
              "etcdserver: "
              "request is too large); etcd keeps objects under 1.5 MiB by default: split the virtualservice "
              "into "
              "several");
        CHECK(e.exit == shift::kExitApi);
    }
}
