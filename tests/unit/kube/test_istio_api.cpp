#include <doctest/doctest.h>

#include <algorithm>

#include "fake_client.hpp"
#include "kube/istio_api.hpp"

using namespace shift::kube;

namespace {

const std::string kVs = R"({"kind":"VirtualService","metadata":{"name":"reviews","resourceVersion":"7"}})";
const std::string kV1Path = "/apis/networking.istio.io/v1/namespaces/istio-demo/virtualservices/reviews";
const std::string kV1beta1Path =
    "/apis/networking.istio.io/v1beta1/namespaces/istio-demo/virtualservices/reviews";
const std::string kV1alpha3Path =
    "/apis/networking.istio.io/v1alpha3/namespaces/istio-demo/virtualservices/reviews";

std::string notFound(const std::string& name) {
    return R"(virtualservices.networking.istio.io \")" + name + R"(\" not found)";
}

}  // namespace

TEST_SUITE("kube::api") {
    TEST_CASE("a cluster serving v1 costs one GET") {
        FakeClient fake;
        fake.json(200, kVs);
        Api api(fake);
        auto r = api.getVirtualService("istio-demo", "reviews");
        REQUIRE(r.ok());
        CHECK(r->version == "v1");
        CHECK(r->json == kVs);
        REQUIRE(fake.calls.size() == 1);
        CHECK(fake.calls[0].method == "GET");
        CHECK(fake.calls[0].path == kV1Path);
    }

    TEST_CASE("a name that is no DNS-1123 subdomain is refused before any request (exit 2)") {
        for (const char* name : {"Bad Name", "reviews/x", "-reviews", "rev?iews", ""}) {
            FakeClient fake;
            Api api(fake);
            auto r = api.getVirtualService("istio-demo", name);
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message.rfind("invalid VirtualService name \"" + std::string(name) + "\"", 0) ==
                  0);
            CHECK(r.error().exit == shift::kExitInput);
            CHECK(fake.calls.empty());
        }
    }

    TEST_CASE(
        "an unserved version (404 text/plain) falls back to v1beta1, then v1alpha3, and is remembered") {
        FakeClient fake;
        fake.unserved().unserved().json(200, kVs);
        Api api(fake);
        auto r = api.getVirtualService("istio-demo", "reviews");
        REQUIRE(r.ok());
        CHECK(r->version == "v1alpha3");
        REQUIRE(fake.calls.size() == 3);
        CHECK(fake.calls[1].path == kV1beta1Path);
        CHECK(fake.calls[2].path == kV1alpha3Path);

        fake.json(200, vsList({"a"}));
        CHECK(api.listVirtualServiceNames("istio-demo").ok());
        CHECK(fake.calls.back().path ==
              "/apis/networking.istio.io/v1alpha3/namespaces/istio-demo/virtualservices");
        CHECK(api.servedVersion() == "v1alpha3");
    }

    TEST_CASE("no version served: the group discovery tells whether Istio is there") {
        FakeClient fake;
        fake.unserved().unserved().unserved().text(404, "404 page not found");
        Api api(fake);
        auto r = api.getVirtualService("istio-demo", "reviews");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              "the cluster serves no networking.istio.io VirtualService API; is Istio installed?");
        CHECK(r.error().exit == shift::kExitApi);
        CHECK(fake.calls.back().path == "/apis/networking.istio.io");

        FakeClient odd;
        odd.unserved().unserved().unserved().json(200,
                                                  R"({"kind":"APIGroup","versions":[{"version":"v2"}]})");
        Api api2(odd);
        CHECK(api2.getVirtualService("istio-demo", "reviews")
                  .error()
                  .message.find("networking.istio.io v2 but no VirtualService") != std::string::npos);
    }

    TEST_CASE("a 404 Status is 'not found', naming what is there when few") {
        FakeClient fake;
        fake.status(404, "NotFound", notFound("reviw")).json(200, vsList({"reviews", "ratings"}));
        Api api(fake);
        auto r = api.getVirtualService("istio-demo", "reviw");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              "virtualservice \"reviw\" not found in namespace \"istio-demo\"; virtualservices there: "
              "ratings, reviews");
        CHECK(r.error().exit == shift::kExitApi);
        CHECK(fake.calls.size() == 2);  // the 404 Status proves v1 is served: no fallback

        SUBCASE("none there") {
            FakeClient f;
            f.status(404, "NotFound", notFound("x")).json(200, vsList({}));
            Api a(f);
            CHECK(a.getVirtualService("istio-demo", "x").error().message ==
                  "virtualservice \"x\" not found in namespace \"istio-demo\"; there are none");
        }
        SUBCASE("too many to list, or the list fails: the plain message") {
            FakeClient f;
            f.status(404, "NotFound", notFound("x"))
                .json(200, vsList({"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}));
            Api a(f);
            CHECK(a.getVirtualService("istio-demo", "x").error().message ==
                  "virtualservice \"x\" not found in namespace \"istio-demo\"");
            FakeClient g;
            g.status(404, "NotFound", notFound("x")).status(403, "Forbidden", "no list");
            Api b(g);
            CHECK(b.getVirtualService("istio-demo", "x").error().message ==
                  "virtualservice \"x\" not found in namespace \"istio-demo\"");
        }
    }

    TEST_CASE("401 names the context; 403 names the verb and resource RBAC denies") {
        FakeClient fake;
        fake.status(401, "Unauthorized", "Unauthorized");
        Api api(fake, "prod");
        CHECK(api.getVirtualService("istio-demo", "reviews").error().message ==
              "the server rejected the credentials of context \"prod\" (401 Unauthorized); check the token "
              "or certificate");

        fake.status(
            403, "Forbidden",
            R"(virtualservices.networking.istio.io \"reviews\" is forbidden: User \"nobody\" cannot get resource \"virtualservices\" in API group \"networking.istio.io\" in the namespace \"istio-demo\")");
        CHECK(api.getVirtualService("istio-demo", "reviews").error().message ==
              "forbidden: User \"nobody\" cannot get virtualservices.networking.istio.io in namespace "
              "\"istio-demo\"; ask for RBAC get "
              "on virtualservices");
    }

    TEST_CASE("PUT: path, field manager, dry run, conflict and rejected changes") {
        FakeClient fake;
        Api api(fake);
        fake.json(200, kVs);
        auto r = api.putVirtualService("istio-demo", "reviews", "v1beta1", kVs, false);
        REQUIRE(r.ok());
        CHECK_FALSE(r->conflict);
        CHECK(fake.calls.back().method == "PUT");
        CHECK(fake.calls.back().path == kV1beta1Path + "?fieldManager=shift");
        CHECK(fake.calls.back().body == kVs);

        fake.json(200, kVs);
        REQUIRE(api.putVirtualService("istio-demo", "reviews", "v1", kVs, true).ok());
        CHECK(fake.calls.back().path == kV1Path + "?fieldManager=shift&dryRun=All");

        api.setFieldManager("ci bot/1");  // encoded: a space or slash must not break the query
        fake.json(200, kVs);
        REQUIRE(api.putVirtualService("istio-demo", "reviews", "v1", kVs, false).ok());
        CHECK(fake.calls.back().path == kV1Path + "?fieldManager=ci%20bot%2F1");

        fake.status(
            409, "Conflict",
            "the object has been modified; please apply your changes to the latest version and try again");
        r = api.putVirtualService("istio-demo", "reviews", "v1", kVs, false);
        REQUIRE(r.ok());
        CHECK(r->conflict);

        fake.status(422, "Invalid", R"(VirtualService.networking.istio.io \"reviews\" is invalid: ...)",
                    R"({"name":"reviews","kind":"VirtualService","causes":[
                        {"reason":"FieldValueInvalid","message":"Invalid value: 150: must be at most 100","field":"spec.http[0].route[0].weight"},
                        {"reason":"FieldValueRequired","message":"Required value","field":"spec.hosts"}]})");
        r = api.putVirtualService("istio-demo", "reviews", "v1", kVs, false);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              "the server rejected the change: spec.http[0].route[0].weight: Invalid value: 150: must be at "
              "most 100; spec.hosts: Required value");

        fake.status(
            400, "BadRequest",
            R"(admission webhook \"validation.istio.io\" denied the request: configuration is invalid: total weight 90 != 100)");
        CHECK(api.putVirtualService("istio-demo", "reviews", "v1", kVs, false).error().message ==
              "the server rejected the change: admission webhook \"validation.istio.io\" denied the request: "
              "configuration is invalid: "
              "total weight 90 != 100");

        fake.status(
            403, "Forbidden",
            R"(virtualservices.networking.istio.io \"reviews\" is forbidden: User \"dev\" cannot update resource \"virtualservices\" in API group \"networking.istio.io\" in the namespace \"istio-demo\")");
        CHECK(api.putVirtualService("istio-demo", "reviews", "v1", kVs, false)
                  .error()
                  .message.find("ask for RBAC update on virtualservices") != std::string::npos);
    }

    TEST_CASE("DestinationRules: the list body, or an error the caller may downgrade") {
        FakeClient fake;
        Api api(fake);
        fake.json(200, R"({"items":[]})");
        auto r = api.listDestinationRules("istio-demo");
        REQUIRE(r.ok());
        CHECK(*r == R"({"items":[]})");
        CHECK(fake.calls.back().path ==
              "/apis/networking.istio.io/v1/namespaces/istio-demo/destinationrules");
        fake.status(403, "Forbidden", "nope");
        CHECK_FALSE(api.listDestinationRules("istio-demo").ok());
    }

    TEST_CASE("a LIST in pages: limit, the continue token escaped, a 410 on a token said plainly") {
        FakeClient fake;
        Api api(fake);
        fake.json(200, R"({"items":[]})");
        REQUIRE(api.listVirtualServicesPage("", 500, "").ok());
        CHECK(fake.calls.back().path == "/apis/networking.istio.io/v1/virtualservices?limit=500");
        fake.json(200, R"({"items":[]})");
        REQUIRE(api.listVirtualServicesPage("istio-demo", 2, "eyJ2Ijo+/=").ok());
        CHECK(fake.calls.back().path ==
              "/apis/networking.istio.io/v1/namespaces/istio-demo/"
              "virtualservices?limit=2&continue=eyJ2Ijo%2B%2F%3D");
        fake.status(410, "Expired", "The provided continue parameter is too old");
        auto gone = api.listVirtualServicesPage("", 2, "tok");
        REQUIRE_FALSE(gone.ok());
        CHECK(gone.error().exit == shift::kExitApi);
        CHECK(gone.error().message.find("changed too much while they were listed in pages") !=
              std::string::npos);
        CHECK(gone.error().message.find("run the command again") != std::string::npos);
        fake.status(403, "Forbidden", "nope");
        auto denied = api.listVirtualServicesPage("istio-demo", 2, "");
        REQUIRE_FALSE(denied.ok());
        CHECK(denied.error().message.find("410") == std::string::npos);
    }

    TEST_CASE("a transport error passes through unchanged") {
        FakeClient fake;
        fake.answers.push_back(
            shift::fail("cannot reach https://127.0.0.1:6443: connection refused", shift::kExitApi));
        Api api(fake);
        CHECK(api.getVirtualService("istio-demo", "reviews").error().message ==
              "cannot reach https://127.0.0.1:6443: connection refused");
    }

    TEST_CASE("a PUT whose answer was lost is checked with one GET, never sent twice") {
        const std::string sent =
            R"({"metadata":{"name":"reviews"},"spec":{"http":[{"route":[{"weight":50}]}]}})";
        auto broken = [] { return shift::fail("PUT failed: connection reset", shift::kExitApi); };
        FakeClient landed;
        landed.answers.push_back(broken());
        landed.json(200,
                    R"({"metadata":{"resourceVersion":"9"},"spec":{"http":[{"route":[{"weight":50}]}]}})");
        Api api(landed);
        auto r = api.putVirtualService("istio-demo", "reviews", "v1", sent, false);
        REQUIRE(r.ok());
        CHECK(r->recovered);
        CHECK_FALSE(r->conflict);
        REQUIRE(landed.calls.size() == 2);
        CHECK(landed.calls[1].method == "GET");

        FakeClient lost;
        lost.answers.push_back(broken());
        lost.json(200,
                  R"({"metadata":{"resourceVersion":"8"},"spec":{"http":[{"route":[{"weight":100}]}]}})");
        Api api2(lost);
        auto e = api2.putVirtualService("istio-demo", "reviews", "v1", sent, false);
        REQUIRE_FALSE(e.ok());
        CHECK(e.error().message == "PUT failed: connection reset");
        CHECK(lost.calls.size() == 2);
        CHECK(std::count_if(lost.calls.begin(), lost.calls.end(),
                            [](auto& c) { return c.method == "PUT"; }) == 1);
    }

    TEST_CASE("an answer that is not JSON (cut short, garbled) is asked again, then named") {
        const std::string vs = R"({"metadata":{"name":"reviews","resourceVersion":"7"},"spec":{}})";
        SUBCASE("a GET: the second attempt is whole") {
            FakeClient fake;
            fake.json(200, vs.substr(0, 20)).json(200, vs);
            Api api(fake);
            auto r = api.getVirtualService("istio-demo", "reviews");
            REQUIRE(r.ok());
            CHECK(fake.calls.size() == 2);
        }
        SUBCASE("a GET: three times garbled") {
            FakeClient fake;
            fake.json(200, "<html>").json(200, "<html>").json(200, "<html>");
            Api api(fake);
            auto r = api.getVirtualService("istio-demo", "reviews");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message ==
                  "the answer to GET "
                  "/apis/networking.istio.io/v1/namespaces/istio-demo/virtualservices/reviews is "
                  "not valid JSON: cut short or garbled on the way (a proxy in between?); run again, and "
                  "check the "
                  "network if it persists");
            CHECK(r.error().exit == shift::kExitApi);
        }
        SUBCASE("a PUT: carried out, its answer unreadable; one GET shows it landed") {
            const std::string sent =
                R"({"metadata":{"name":"reviews","resourceVersion":"7"},"spec":{"x":1}})";
            const std::string now = R"({"metadata":{"name":"reviews","resourceVersion":"8"},"spec":{"x":1}})";
            FakeClient fake;
            fake.json(200, now.substr(0, 30)).json(200, now);
            Api api(fake);
            auto r = api.putVirtualService("istio-demo", "reviews", "v1", sent, false);
            REQUIRE(r.ok());
            CHECK(r->recovered);
            CHECK(r->json == now);
        }
        SUBCASE("a PUT whose outcome cannot be told says it may have been applied") {
            const std::string sent =
                R"({"metadata":{"name":"reviews","resourceVersion":"7"},"spec":{"x":1}})";
            FakeClient fake;
            fake.json(200, "{").json(200, R"({"metadata":{"resourceVersion":"7"},"spec":{"x":0}})");
            Api api(fake);
            auto r = api.putVirtualService("istio-demo", "reviews", "v1", sent, false);
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message.find("is not valid JSON") != std::string::npos);
            CHECK(r.error().message.find("the server may have applied it") != std::string::npos);
        }
    }

    TEST_CASE("a lost PUT counts as landed only with a newer version, its spec and its annotations") {
        auto broken = [] { return shift::fail("PUT failed: timeout", shift::kExitApi); };
        // A rollout's last write removes only its mark: the spec alone cannot tell it landed.
        const std::string sent =
            R"({"metadata":{"resourceVersion":"8","annotations":{"a":"1"}},"spec":{"x":1}})";
        auto attempt = [&](const std::string& now) {
            FakeClient fake;
            fake.answers.push_back(broken());
            fake.json(200, now);
            Api api(fake);
            return api.putVirtualService("istio-demo", "reviews", "v1", sent, false);
        };
        SUBCASE("the same version: not landed (yet), whatever the spec says") {
            auto r =
                attempt(R"({"metadata":{"resourceVersion":"8","annotations":{"a":"1"}},"spec":{"x":1}})");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message == "PUT failed: timeout");
        }
        SUBCASE("a newer version with other annotations: someone else's write") {
            auto r =
                attempt(R"({"metadata":{"resourceVersion":"9","annotations":{"a":"2"}},"spec":{"x":1}})");
            REQUIRE_FALSE(r.ok());
        }
        SUBCASE("a newer version with what was sent: landed, and the answer is the object read") {
            const std::string now =
                R"({"metadata":{"resourceVersion":"9","annotations":{"a":"1"}},"spec":{"x":1}})";
            auto r = attempt(now);
            REQUIRE(r.ok());
            CHECK(r->recovered);
            CHECK(r->json == now);
        }
    }

    TEST_CASE("namespaces: the names in the order listed, or an error worded as for the other calls") {
        FakeClient fake;
        fake.json(
            200,
            R"({"kind":"NamespaceList","items":[{"metadata":{"name":"kube-system"}},{"metadata":{"name":"default"}},)"
            R"({"metadata":{}},{"metadata":{"name":"istio-demo"}}]})");
        Api api(fake, "prod");
        auto r = api.listNamespaces();
        REQUIRE(r.ok());
        CHECK(*r == std::vector<std::string>{"kube-system", "default", "istio-demo"});
        REQUIRE(fake.calls.size() == 1);
        CHECK(fake.calls[0].method == "GET");
        CHECK(fake.calls[0].path == "/api/v1/namespaces");
        CHECK(api.servedVersion() == "");  // the core API says nothing about Istio's

        fake.json(200, R"({"kind":"NamespaceList","items":[]})");
        auto none = api.listNamespaces();
        REQUIRE(none.ok());
        CHECK(none->empty());

        fake.status(401, "Unauthorized", "Unauthorized");
        CHECK(api.listNamespaces().error().message ==
              "the server rejected the credentials of context \"prod\" (401 Unauthorized); check the token "
              "or certificate");

        fake.status(
            403, "Forbidden",
            R"(namespaces is forbidden: User \"dev\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope)");
        auto denied = api.listNamespaces();
        REQUIRE_FALSE(denied.ok());
        CHECK(denied.error().message ==
              "forbidden: User \"dev\" cannot list namespaces at cluster scope; ask for RBAC list on "
              "namespaces");
        CHECK(denied.error().exit == shift::kExitApi);

        fake.json(200, R"({"kind":"Status"})");
        CHECK(api.listNamespaces().error().message ==
              "the server answered the list of namespaces with something that is not a list");

        fake.answers.push_back(
            shift::fail("cannot reach https://127.0.0.1:6443: connection refused", shift::kExitApi));
        CHECK(api.listNamespaces().error().message ==
              "cannot reach https://127.0.0.1:6443: connection refused");
    }
}
