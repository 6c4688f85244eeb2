#include <doctest/doctest.h>

#include <chrono>

#include "fake_client.hpp"
#include "kube/client.hpp"
#include "kube/istio_api.hpp"
#include "loopback_server.hpp"

using namespace shift::kube;

namespace {

Cluster clusterFor(const LoopbackServer& s) {
    Cluster c;
    c.server = s.url();
    c.contextName = "test";
    c.token = "s3cret-token";
    c.timeoutSeconds = 0.5;  // ordinary requests only: a stream has no overall timeout
    return c;
}

}  // namespace

TEST_SUITE("kube::stream") {
    TEST_CASE("each line is handed out, blank ones skipped, a last one without its newline too") {
        LoopbackServer server(
            {{200, "{\"type\":\"ADDED\"}\n\n{\"type\":\"BOOKMARK\"}\r\n{\"type\":\"LAST\"}", {}}});
        auto client = connect(clusterFor(server));
        std::vector<std::string> lines;
        auto r = client->stream(
            "/apis/x?watch=true", [&](std::string_view l) { lines.emplace_back(l); }, [] { return true; });
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        CHECK(r->status == 200);
        CHECK(r->body.empty());
        CHECK(lines == std::vector<std::string>{R"({"type":"ADDED"})", R"({"type":"BOOKMARK"})",
                                                R"({"type":"LAST"})"});
        auto reqs = server.requests();
        REQUIRE(reqs.size() == 1);
        CHECK(reqs[0].find("GET /apis/x?watch=true HTTP/1.1\r\n") == 0);
        CHECK(reqs[0].find("Authorization: Bearer s3cret-token\r\n") != std::string::npos);
        SUBCASE("and an ordinary request on the same handle has its timeout and body again") {
            LoopbackServer s2({{200, "a\nb\n", {}}, {200, R"({"ok":true})", {}}, {200, "", {}, true}});
            auto c2 = connect(clusterFor(s2));
            int n = 0;
            REQUIRE(c2->stream(
                          "/w", [&](std::string_view) { ++n; }, [] { return true; })
                        .ok());
            CHECK(n == 2);
            auto r2 = c2->request("GET", "/b");
            REQUIRE(r2.ok());
            CHECK(r2->body == R"({"ok":true})");
            const auto t0 = std::chrono::steady_clock::now();
            CHECK_FALSE(c2->request("GET", "/silent").ok());
            CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
        }
    }
    TEST_CASE("a non-2xx answer comes back whole, without lines; it is not retried") {
        LoopbackServer server({{410,
                                R"({"kind":"Status","code":410})"
                                "\n",
                                {}},
                               {200, "", {}}});
        auto client = connect(clusterFor(server));
        int lines = 0;
        auto r = client->stream(
            "/w", [&](std::string_view) { ++lines; }, [] { return true; });
        REQUIRE(r.ok());
        CHECK(r->status == 410);
        CHECK(r->body == R"({"kind":"Status","code":410})"
                         "\n");
        CHECK(lines == 0);
        CHECK(server.requests().size() == 1);
    }
    TEST_CASE("a stream that stays silent outlives the request timeout and ends when keepGoing says so") {
        LoopbackServer server({{200, "", {}, true}});
        auto client = connect(clusterFor(server));
        const auto t0 = std::chrono::steady_clock::now();
        int asked = 0;
        auto r = client->stream(
            "/w", [](std::string_view) {},
            [&] {
                return std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(1500) || ++asked < 0;
            });
        const auto took = std::chrono::steady_clock::now() - t0;
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        CHECK(took > std::chrono::milliseconds(1400));  // past the 0.5 s request timeout
        CHECK(took < std::chrono::milliseconds(4000));  // stopped within about a second of being asked
        CHECK(asked == 1);
    }
    TEST_CASE(
        "watchVirtualServices: the served version's collection, from a resourceVersion, with bookmarks") {
        FakeClient fake;
        fake.json(200, R"({"kind":"VirtualServiceList","metadata":{"resourceVersion":"7"},"items":[]})");
        fake.json(200, "{\"type\":\"BOOKMARK\"}\n{\"type\":\"ADDED\"}\n");
        Api api(fake);
        REQUIRE(api.listVirtualServices("prod", "reviews").ok());
        std::vector<std::string> lines;
        auto r = api.watchVirtualServices(
            "prod", "reviews", "7", 300, [&](std::string_view l) { lines.emplace_back(l); },
            [] { return true; });
        REQUIRE(r.ok());
        CHECK(lines.size() == 2);
        REQUIRE(fake.calls.size() == 2);
        CHECK(fake.calls[0].path ==
              "/apis/networking.istio.io/v1/namespaces/prod/"
              "virtualservices?fieldSelector=metadata.name%3Dreviews");
        CHECK(fake.calls[1].path ==
              "/apis/networking.istio.io/v1/namespaces/prod/"
              "virtualservices?watch=true&allowWatchBookmarks=true&"
              "resourceVersion=7&timeoutSeconds=300&fieldSelector=metadata.name%3Dreviews");
        SUBCASE("every namespace, and the error worded for the watch verb") {
            fake.status(
                403, "Forbidden",
                R"(virtualservices.networking.istio.io is forbidden: User \"bob\" cannot watch resource )"
                R"(\"virtualservices\" in API group \"networking.istio.io\" at the cluster scope)");
            auto all = api.watchVirtualServices(
                "", "", "9", 60, [](std::string_view) {}, [] { return true; });
            REQUIRE(all.ok());
            CHECK(fake.calls.back().path ==
                  "/apis/networking.istio.io/v1/virtualservices?watch=true&allowWatchBookmarks=true&"
                  "resourceVersion=9&timeoutSeconds=60");
            CHECK(all->status == 403);
            CHECK(api.watchError(*all, "", "").message ==
                  "forbidden: User \"bob\" cannot watch virtualservices.networking.istio.io at cluster "
                  "scope; ask "
                  "for RBAC watch on virtualservices");
        }
    }
}
