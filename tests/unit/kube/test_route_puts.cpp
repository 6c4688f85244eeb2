#include <doctest/doctest.h>

#include "fake_client.hpp"
#include "kube/istio_api.hpp"

using namespace shift::kube;

namespace {

std::string object(const std::string& name, const std::string& rv, int weight) {
    return R"({"metadata":{"name":")" + name + R"(","resourceVersion":")" + rv +
           R"("},"spec":{"http":[{"route":[{"weight":)" + std::to_string(weight) + "}]}]}}";
}

std::vector<Api::Put> threePuts() {
    std::vector<Api::Put> puts;
    for (const char* name : {"a", "b", "c"})
        puts.push_back(Api::Put{&httpRoutes(), "istio-demo", name, "v1", object(name, "7", 50), false});
    return puts;
}

// A client that sends every request of a batch whatever the answers, as one HTTP/2 batch does.
struct TogetherClient final : Client {
    FakeClient inner;
    int batches = 0;
    shift::Result<Response> request(std::string_view m, const std::string& p, const std::string& b) override {
        return inner.request(m, p, b);
    }
    Answers requestMany(const std::vector<Call>& calls, const StopAfter&) override {
        ++batches;
        Answers out;
        for (const auto& c : calls) out.emplace_back(inner.request(c.method, c.path, c.body));
        return out;
    }
};

}  // namespace

TEST_SUITE("kube::route_puts") {
    TEST_CASE(
        "one after another: paths as putRoute's, a 409 is an answer, the first failure stops the rest") {
        FakeClient fake;
        fake.json(200, object("a", "8", 50))
            .status(409, "Conflict", "the object has been modified")
            .status(422, "Invalid", "spec.rules: Invalid value")
            .json(200, object("c", "8", 50));
        Api api(fake);
        auto out = api.putRoutes(threePuts(), [] { return false; });
        REQUIRE(out.size() == 3);
        REQUIRE(out[0]);
        REQUIRE(out[0]->ok());
        CHECK((*out[0])->json == object("a", "8", 50));
        REQUIRE(out[1]);
        CHECK((*out[1])->conflict);
        // The third is sent: a conflict does not stop the batch.
        REQUIRE(fake.calls.size() == 3);
        CHECK(fake.calls[0].method == "PUT");
        CHECK(fake.calls[0].path ==
              "/apis/gateway.networking.k8s.io/v1/namespaces/istio-demo/httproutes/a?fieldManager=shift");
        CHECK(fake.calls[0].body == object("a", "7", 50));
        REQUIRE(out[2]);
        REQUIRE_FALSE(out[2]->ok());
        CHECK(out[2]->error().message.find("spec.rules: Invalid value") != std::string::npos);

        FakeClient refused;
        refused.status(500, "InternalError", "etcd is away").json(200, "{}");
        Api api2(refused);
        auto stopped = api2.putRoutes(threePuts(), [] { return false; });
        CHECK_FALSE(stopped[0]->ok());
        CHECK_FALSE(stopped[1]);
        CHECK_FALSE(stopped[2]);
        CHECK(refused.calls.size() == 1);
    }

    TEST_CASE("without stopped (restores) every PUT is sent; stopped() stops those not yet sent") {
        FakeClient fake;
        fake.status(500, "InternalError", "etcd is away").json(200, "{}").json(200, "{}");
        Api api(fake);
        auto out = api.putRoutes(threePuts(), nullptr);
        CHECK_FALSE(out[0]->ok());
        CHECK(out[1]->ok());
        CHECK(out[2]->ok());

        FakeClient later;
        later.json(200, "{}").json(200, "{}");
        Api api2(later);
        bool otherClusterFailed = false;
        auto halted = api2.putRoutes(threePuts(), [&] { return std::exchange(otherClusterFailed, true); });
        CHECK(halted[0]->ok());
        CHECK(halted[1]->ok());
        CHECK_FALSE(halted[2]);
    }

    TEST_CASE("sent together: every answer judged as putRoute judges it, a lost one checked with a GET") {
        TogetherClient client;
        client.inner.answers.push_back(shift::fail("PUT failed: connection reset", shift::kExitApi));
        client.inner.status(500, "InternalError", "etcd is away");
        client.inner.json(200, object("c", "8", 50));
        client.inner.json(200, object("a", "9", 50));  // the GET after a's lost answer: it landed
        Api api(client);
        auto out = api.putRoutes(threePuts(), [] { return false; });
        CHECK(client.batches == 1);
        REQUIRE(out[0]->ok());
        CHECK((*out[0])->recovered);
        CHECK_FALSE(out[1]->ok());
        CHECK(out[1]->error().message.find("etcd is away") != std::string::npos);
        CHECK(out[2]->ok());
        REQUIRE(client.inner.calls.size() == 4);
        CHECK(client.inner.calls[3].method == "GET");
        CHECK(client.inner.calls[3].path ==
              "/apis/gateway.networking.k8s.io/v1/namespaces/istio-demo/httproutes/a");

        TogetherClient unsure;
        unsure.inner.answers.push_back([] {
            shift::Error e{"PUT failed; the server may have applied it", shift::kExitApi};
            e.maybeApplied = true;
            return shift::Result<Response>(e);
        }());
        unsure.inner.json(200, "{}").json(200, "{}");
        unsure.inner.json(200, object("a", "7", 50));  // the GET: not landed (same version)
        Api api2(unsure);
        auto lost = api2.putRoutes(threePuts(), [] { return false; });
        REQUIRE_FALSE(lost[0]->ok());
        CHECK(lost[0]->error().maybeApplied);
    }
}
