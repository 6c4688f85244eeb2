#include <doctest/doctest.h>

#include <string>

#include "kube/client.hpp"
#include "kube/client_errors.hpp"
#include "loopback_server.hpp"

using namespace shift::kube;

namespace {

Cluster clusterAt(const std::string& server) {
    Cluster c;
    c.server = server;
    c.contextName = "kind";
    c.origin = "context \"kind\"";
    c.token = "s3cret-token";
    c.timeoutSeconds = 5;
    return c;
}

int closedPort() {
    LoopbackServer gone({});
    return gone.port;
}

}  // namespace

TEST_SUITE("kube::client_errors") {
    TEST_CASE("a web page where the API should be is not a Kubernetes API response") {
        for (int status : {200, 401, 404}) {
            CAPTURE(status);
            LoopbackServer server({{status, "<html>Welcome</html>", {}, false, "text/html; charset=utf-8"}});
            auto r = connect(clusterAt(server.url()))->request("GET", "/apis/x");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message ==
                  "the answer to GET /apis/x is not a Kubernetes API response (got text/html "
                  "from " +
                      server.url() + "); check the server URL in kubeconfig context \"kind\"");
            CHECK(r.error().exit == shift::kExitApi);
        }
        SUBCASE("a 2xx answer that is not JSON either") {
            LoopbackServer server({{200, "hello", {}, false, "text/plain"}});
            auto r = connect(clusterAt(server.url()))->request("GET", "/apis/x");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message.find("is not a Kubernetes API response (got text/plain from") !=
                  std::string::npos);
        }
        SUBCASE("kube-apiserver's own text/plain 404 still reaches the caller") {
            LoopbackServer server({{404, "404 page not found", {}, false, "text/plain; charset=utf-8"}});
            auto r = connect(clusterAt(server.url()))->request("GET", "/apis/x");
            REQUIRE(r.ok());
            CHECK(r->status == 404);
        }
    }

    TEST_CASE("an http:// URL to Go's TLS server says the server speaks HTTPS") {
        LoopbackServer server(
            {{400, "Client sent an HTTP request to an HTTPS server.\n", {}, false, "text/plain"}});
        auto r = connect(clusterAt(server.url()))->request("GET", "/apis/x");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              server.url() +
                  " answered plain HTTP with \"400 Bad Request: Client sent an HTTP request to "
                  "an HTTPS server\": the server speaks HTTPS; change the server URL to "
                  "https://127.0.0.1:" +
                  std::to_string(server.port) + " in kubeconfig context \"kind\"");
        CHECK(r.error().exit == shift::kExitApi);
    }

    TEST_CASE("credentials in the server URL never reach a message") {
        const std::string port = std::to_string(closedPort());
        auto r = connect(clusterAt("http://alice:S3cretPW@127.0.0.1:" + port))->request("GET", "/version");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message == "cannot reach http://alice:xxxxx@127.0.0.1:" + port +
                                       ": connection refused; check the server address in kubeconfig context "
                                       "\"kind\"");
    }

    TEST_CASE("a dead proxy is named, not the server") {
        LoopbackServer server({});
        Cluster c = clusterAt(server.url());
        const std::string port = std::to_string(closedPort());
        c.proxyUrl = "http://bob:Pr0xyPW@127.0.0.1:" + port;
        auto r = connect(c)->request("GET", "/version");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              "cannot reach the proxy http://bob:xxxxx@127.0.0.1:" + port + " for " + server.url() +
                  ": connection refused; check proxy-url in kubeconfig context \"kind\"");
        CHECK(r.error().exit == shift::kExitApi);
    }

    TEST_CASE("a proxy refusing the tunnel is named, with what to check") {
        Endpoint to;
        to.server = "https://10.0.0.1:6443";
        to.proxy = "http://bob:xxxxx@proxy:3128";
        to.proxySource = "proxy-url in kubeconfig context \"kind\"";
        auto e =
            transportError(to, {CURLE_RECV_ERROR, "CONNECT tunnel failed, response 407", 0}, "GET", "/x");
        CHECK(e.message ==
              "the proxy http://bob:xxxxx@proxy:3128 refused the connection to https://10.0.0.1:6443: 407 "
              "Proxy "
              "Authentication Required; check the user and password in proxy-url in kubeconfig context "
              "\"kind\"");
        CHECK(e.exit == shift::kExitApi);
        e = transportError(to, {CURLE_COULDNT_CONNECT, "CONNECT tunnel failed, response 403", 0}, "GET",
                           "/x");
        CHECK(
            e.message ==
            "the proxy http://bob:xxxxx@proxy:3128 refused the connection to https://10.0.0.1:6443 (CONNECT "
            "answered 403); check proxy-url in kubeconfig context \"kind\" and whether the proxy allows that "
            "address");
    }

    TEST_CASE("a missing certificate file names its kubeconfig field, exit 2") {
        LoopbackServer server({});
        struct Case {
            const char* field;
            std::string Cluster::*path;
        };
        for (Case k : {Case{"certificate-authority", &Cluster::caFile},
                       Case{"client-certificate", &Cluster::clientCertFile},
                       Case{"client-key", &Cluster::clientKeyFile}}) {
            CAPTURE(k.field);
            Cluster c = clusterAt(server.url());
            c.caFile = c.clientCertFile = c.clientKeyFile = "/dev/null";
            c.*k.path = "/nonexistent/x.pem";
            auto r = connect(c)->request("GET", "/version");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message == std::string("cannot read ") + k.field +
                                           " /nonexistent/x.pem: No such file or directory; fix " + k.field +
                                           " in kubeconfig context \"kind\"");
            CHECK(r.error().exit == shift::kExitInput);
        }
    }
}
