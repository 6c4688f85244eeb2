// Client::requestMany with the libcurl client against a scripted HTTP/1.1 server (one connection at a
// time: a second connection would wait for the first to close), and the default of fakes.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "../stderr_capture.hpp"
#include "../temp_dir.hpp"
#include "fake_client.hpp"
#include "kube/client.hpp"
#include "loopback_server.hpp"

using namespace shift::kube;

namespace {

Cluster clusterFor(const LoopbackServer& s, double timeout = 5) {
    Cluster c;
    c.server = s.url();
    c.contextName = "test";
    c.origin = "context \"test\"";
    c.token = "s3cret-token";
    c.timeoutSeconds = timeout;
    return c;
}

std::vector<Call> puts(int n) {
    std::vector<Call> calls;
    for (int i = 0; i < n; ++i)
        calls.push_back(Call{"PUT", "/apis/x/o" + std::to_string(i), R"({"n":)" + std::to_string(i) + "}"});
    return calls;
}

long statusOf(const std::optional<shift::Result<Response>>& a) { return a && a->ok() ? (*a)->status : -1; }

}  // namespace

TEST_SUITE("kube::client_batch") {
    TEST_CASE("over HTTP/1.1 a batch goes one request after another on the run's one connection") {
        LoopbackServer server({{200, "{}", {}},
                               {200, R"({"i":0})", {}},
                               {429, "{}", {"Retry-After: 0"}},
                               {200, R"({"i":1})", {}},
                               {409, R"({"kind":"Status"})", {}}});
        auto client = connect(clusterFor(server), 1);
        StderrCapture err;
        REQUIRE(client->request("GET", "/apis/x").ok());
        Answers out = client->requestMany(puts(3), nullptr);
        std::string log = err.finish();
        REQUIRE(out.size() == 3);
        CHECK(statusOf(out[0]) == 200);
        CHECK((*out[0])->body == R"({"i":0})");
        CHECK(statusOf(out[1]) == 200);  // the 429 retried, as request() retries it
        CHECK((*out[1])->body == R"({"i":1})");
        CHECK(statusOf(out[2]) == 409);
        CHECK(server.connections() == 1);
        auto reqs = server.requests();
        REQUIRE(reqs.size() == 5);
        CHECK(reqs[1].find("PUT /apis/x/o0?timeout=5s HTTP/1.1\r\n") == 0);
        CHECK(reqs[1].find("Authorization: Bearer s3cret-token\r\n") != std::string::npos);
        CHECK(reqs[1].substr(reqs[1].size() - 7) == R"({"n":0})");
        CHECK(reqs[2].find("PUT /apis/x/o1?") == 0);
        CHECK(reqs[3].find("PUT /apis/x/o1?") == 0);
        CHECK(reqs[4].find("PUT /apis/x/o2?") == 0);
        // Each request is traced as request() traces it; no HTTP/2 batch line.
        CHECK(log.find("PUT " + server.url() + "/apis/x/o1 429 Too Many Requests in ") != std::string::npos);
        CHECK(log.find("retrying in 0ms") != std::string::npos);
        CHECK(log.find("PUT " + server.url() + "/apis/x/o2 409 Conflict in ") != std::string::npos);
        CHECK(log.find("together over HTTP/2") == std::string::npos);
        CHECK(log.find("s3cret") == std::string::npos);
    }

    TEST_CASE("one after another, stopAfter leaves the rest unsent") {
        LoopbackServer server({{200, "{}", {}}, {200, "{}", {}}, {500, "{}", {}}, {200, "{}", {}}});
        auto client = connect(clusterFor(server));
        REQUIRE(client->request("GET", "/apis/x").ok());
        std::vector<std::size_t> asked;
        Answers out = client->requestMany(puts(4), [&](std::size_t i, const shift::Result<Response>& r) {
            asked.push_back(i);
            return !r.ok() || r->status >= 500;
        });
        CHECK(statusOf(out[0]) == 200);
        CHECK(statusOf(out[1]) == 500);  // a PUT's 500 is not retried
        CHECK_FALSE(out[2]);
        CHECK_FALSE(out[3]);
        CHECK(asked == std::vector<std::size_t>{0, 1});
        CHECK(server.requests().size() == 3);
    }

    TEST_CASE("a batched write whose answer never comes may have been applied") {
        LoopbackServer server({{200, "{}", {}}, {200, "{}", {}, true}});
        auto client = connect(clusterFor(server, 0.5));
        REQUIRE(client->request("GET", "/apis/x").ok());
        Answers out = client->requestMany(puts(2), nullptr);
        REQUIRE(out[0]);
        REQUIRE_FALSE(out[0]->ok());
        CHECK(out[0]->error().maybeApplied);
        CHECK(out[0]->error().exit == shift::kExitApi);
        CHECK(out[0]->error().message.find("did not answer PUT /apis/x/o0 within 0.5s") != std::string::npos);
        CHECK(out[0]->error().message.find("the server may have applied it") != std::string::npos);
    }

    TEST_CASE("before any answer, and for fakes, requests go one at a time through request()") {
        FakeClient fake;
        fake.json(200, "{}").json(503, "{}").json(200, "{}");
        Answers out = fake.requestMany(
            puts(3), [](std::size_t, const shift::Result<Response>& r) { return r->status == 503; });
        CHECK(fake.calls.size() == 2);
        CHECK(fake.calls[1].path == "/apis/x/o1");
        CHECK(fake.calls[1].body == R"({"n":1})");
        CHECK(statusOf(out[1]) == 503);
        CHECK_FALSE(out[2]);

        LoopbackServer server({{200, "{}", {}}, {200, "{}", {}}});
        auto client = connect(clusterFor(server));
        out = client->requestMany(puts(2), nullptr);
        CHECK(statusOf(out[0]) == 200);
        CHECK(statusOf(out[1]) == 200);
        CHECK(server.connections() == 1);
    }
}
