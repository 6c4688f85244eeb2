#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "../stderr_capture.hpp"
#include "../temp_dir.hpp"
#include "kube/client.hpp"
#include "loopback_server.hpp"

using namespace shift::kube;

namespace {

Cluster clusterFor(const LoopbackServer& s) {
    Cluster c;
    c.server = s.url();
    c.contextName = "test";
    c.origin = "context \"test\"";
    c.token = "s3cret-token";
    c.timeoutSeconds = 5;
    return c;
}

}  // namespace

TEST_SUITE("kube::client") {
    TEST_CASE("the server is told the request timeout, as kubectl tells it") {
        CHECK(withServerTimeout("/apis/x/v1/ns/a/vs/r", 30) == "/apis/x/v1/ns/a/vs/r?timeout=30s");
        CHECK(withServerTimeout("/apis/x?fieldManager=shift", 1.5) ==
              "/apis/x?fieldManager=shift&timeout=1500ms");
        CHECK(withServerTimeout("/apis/x", 0) == "/apis/x");
    }

    TEST_CASE("GET retries a 503 on the same connection and logs without credentials") {
        LoopbackServer server(
            {{503, R"({"kind":"Status"})", {"Retry-After: 0"}}, {200, R"({"ok":true})", {"X-Seen: yes"}}});
        auto client = connect(clusterFor(server), 1);
        StderrCapture err;
        auto r = client->request("GET", "/apis/x");
        std::string log = err.finish();
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        CHECK(r->status == 200);
        CHECK(r->body == R"({"ok":true})");
        CHECK(r->contentType == "application/json");
        CHECK(r->headers["x-seen"] == "yes");
        CHECK(server.connections() == 1);
        auto reqs = server.requests();
        REQUIRE(reqs.size() == 2);
        CHECK(reqs[0].find("GET /apis/x?timeout=5s HTTP/1.1\r\n") == 0);
        CHECK(reqs[0].find("Authorization: Bearer s3cret-token\r\n") != std::string::npos);
        CHECK(reqs[0].find("Accept: application/json\r\n") != std::string::npos);
        CHECK(log.find("GET " + server.url() + "/apis/x 503 Service Unavailable in ") == 0);
        CHECK(log.find("retrying in 0ms") != std::string::npos);
        CHECK(log.find("GET " + server.url() + "/apis/x 200 OK in ") != std::string::npos);
        CHECK(log.find("s3cret") == std::string::npos);
    }

    TEST_CASE("PUT sends its body once and is not retried on a 503, but is on a 429") {
        LoopbackServer server({{503, "{}", {}}, {429, "{}", {"Retry-After: 0"}}, {200, "{}", {}}});
        auto client = connect(clusterFor(server));
        auto r = client->request("PUT", "/apis/y?fieldManager=shift", R"({"a":1})");
        REQUIRE(r.ok());
        CHECK(r->status == 503);
        auto reqs = server.requests();
        REQUIRE(reqs.size() == 1);
        CHECK(reqs[0].find("PUT /apis/y?fieldManager=shift&timeout=5s HTTP/1.1\r\n") == 0);
        CHECK(reqs[0].find("Content-Type: application/json\r\n") != std::string::npos);
        CHECK(reqs[0].substr(reqs[0].size() - 7) == R"({"a":1})");

        r = client->request("PUT", "/apis/y", "{}");
        REQUIRE(r.ok());
        CHECK(r->status == 200);
        CHECK(server.requests().size() == 3);
        SUBCASE("and a GET after a PUT is a GET again") {
            LoopbackServer s2({{200, "{}", {}}, {200, "{}", {}}});
            auto c2 = connect(clusterFor(s2));
            REQUIRE(c2->request("PUT", "/a", "{}").ok());
            REQUIRE(c2->request("GET", "/b").ok());
            CHECK(s2.requests()[1].find("GET /b?timeout=5s HTTP/1.1\r\n") == 0);
        }
    }

    TEST_CASE("-vv adds headers and -vvv bodies, credentials masked at every level") {
        const std::string secretBody =
            R"({"kind":"Secret","data":{"key":"UzNjcmV0"},"status":{"token":"t0k3n"}})";
        std::string logs[4];
        for (int level : {1, 2, 3}) {
            LoopbackServer server({{200, secretBody, {"Set-Cookie: session=c00kie"}}});
            Cluster c = clusterFor(server);
            c.impersonate.user = "jane";
            auto client = connect(c, level);
            StderrCapture err;
            auto r = client->request("PUT", "/apis/x", R"({"spec":{"password":"pw-in-body"}})");
            logs[level] = err.finish();
            REQUIRE(r.ok());
            CHECK(logs[level].find("PUT " + server.url() + "/apis/x 200 X") == std::string::npos);
            CHECK(logs[level].find("PUT " + server.url() + "/apis/x 200 OK in ") == 0);
            for (const char* secret : {"s3cret", "UzNjcmV0", "t0k3n", "c00kie", "pw-in-body", "jane"})
                CHECK_MESSAGE(logs[level].find(secret) == std::string::npos, secret);
        }
        CHECK(logs[1].find("  >") == std::string::npos);
        for (int level : {2, 3}) {
            CHECK(logs[level].find("  > Authorization: Bearer xxxxx\n") != std::string::npos);
            CHECK(logs[level].find("  > Impersonate-User: xxxxx\n") != std::string::npos);
            CHECK(logs[level].find("  > Content-Type: application/json\n") != std::string::npos);
            CHECK(logs[level].find("  < set-cookie: xxxxx\n") != std::string::npos);
            CHECK(logs[level].find("  < content-type: application/json\n") != std::string::npos);
        }
        CHECK(logs[2].find("  < {") == std::string::npos);
        CHECK(logs[3].find(R"(  > {"spec":{"password":"xxxxx"}})") != std::string::npos);
        CHECK(logs[3].find(R"(  < {"data":{"key":"xxxxx"},"kind":"Secret","status":{"token":"xxxxx"}})") !=
              std::string::npos);
    }

    TEST_CASE("connection refused names the server and the kubeconfig context") {
        int port;
        {
            LoopbackServer gone({});
            port = gone.port;
        }
        Cluster c;
        c.server = "http://127.0.0.1:" + std::to_string(port);
        c.contextName = "kind";
        c.timeoutSeconds = 5;
        auto r = connect(c)->request("GET", "/version");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              "cannot reach " + c.server +
                  ": connection refused; check the server address in kubeconfig context \"kind\"");
        CHECK(r.error().exit == shift::kExitApi);
    }

    TEST_CASE("a server that never answers times out within the budget") {
        LoopbackServer server({{200, "", {}, true}});
        Cluster c = clusterFor(server);
        c.timeoutSeconds = 0.3;
        auto r = connect(c)->request("GET", "/slow");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              server.url() +
                  " did not answer GET /slow within 0.3s; check the network or raise --request-timeout");
    }

    TEST_CASE("an unreadable token file surfaces on the first request") {
        LoopbackServer server({});
        Cluster c = clusterFor(server);
        c.token.clear();
        c.tokenFile = "/nonexistent/token";
        auto r = connect(c)->request("GET", "/x");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message.find("cannot read token file /nonexistent/token") == 0);
    }

    TEST_CASE("exec plugin credentials: used as bearer, re-fetched once after a 401") {
        TempDir dir;
        std::string plugin = dir.write("plugin.sh", R"(#!/bin/sh
echo run >> "$(dirname "$0")/runs"
n=$(wc -l < "$(dirname "$0")/runs" | tr -d ' ')
printf '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"exec-%s"}}' "$n"
)",
                                       true);
        LoopbackServer server({{401, "{}", {}}, {200, "{}", {}}, {200, "{}", {}}});
        Cluster c = clusterFor(server);
        c.token.clear();
        c.exec = ExecConfig{plugin, {}, {}, "client.authentication.k8s.io/v1", "", false, "Never"};
        auto client = connect(c);
        auto r = client->request("GET", "/a");
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        CHECK(r->status == 200);
        REQUIRE(client->request("GET", "/b").ok());
        auto reqs = server.requests();
        REQUIRE(reqs.size() == 3);
        CHECK(reqs[0].find("Authorization: Bearer exec-1\r\n") != std::string::npos);
        CHECK(reqs[1].find("Authorization: Bearer exec-2\r\n") != std::string::npos);
        CHECK(reqs[2].find("Authorization: Bearer exec-2\r\n") != std::string::npos);  // cached for the run
    }
}
