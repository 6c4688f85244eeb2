#include <doctest/doctest.h>

#include "kube/client.hpp"

using namespace shift::kube;

namespace {
Attempt status(long s, std::optional<double> retryAfter = std::nullopt) {
    return {Transport::kOk, s, retryAfter};
}
Attempt transport(Transport t) { return {t, 0, std::nullopt}; }
}  // namespace

TEST_SUITE("kube::retry") {
    TEST_CASE("GET retries connection failures and 5xx with exponential backoff, three times") {
        CHECK(retryDelay("GET", 0, transport(Transport::kNotSent)) == doctest::Approx(0.1));
        CHECK(retryDelay("GET", 1, transport(Transport::kInterrupted)) == doctest::Approx(0.2));
        CHECK(retryDelay("GET", 2, status(503)) == doctest::Approx(0.4));
        CHECK_FALSE(retryDelay("GET", 3, status(503)));
        for (long s : {500, 502, 503, 504}) CHECK(retryDelay("GET", 0, status(s)));
        for (long s : {200, 400, 401, 403, 404, 409, 422, 501}) CHECK_FALSE(retryDelay("GET", 0, status(s)));
        CHECK_FALSE(retryDelay("GET", 0, transport(Transport::kFatal)));
    }

    TEST_CASE("PUT and POST retry only what never reached the server, and 429") {
        for (const char* m : {"PUT", "POST"}) {
            CHECK(retryDelay(m, 0, transport(Transport::kNotSent)));
            CHECK_FALSE(retryDelay(m, 0, transport(Transport::kInterrupted)));
            CHECK_FALSE(retryDelay(m, 0, status(503)));
            CHECK_FALSE(retryDelay(m, 0, status(500)));
            CHECK(retryDelay(m, 0, status(429)));
        }
    }

    TEST_CASE("Retry-After is honoured, capped") {
        CHECK(retryDelay("PUT", 0, status(429, 2.0)) == doctest::Approx(2.0));
        CHECK(retryDelay("GET", 0, status(503, 1.0)) == doctest::Approx(1.0));
        CHECK(retryDelay("GET", 0, status(429, 3600.0)) == doctest::Approx(kMaxRetryAfterSeconds));
        CHECK(retryDelay("GET", 1, status(429)) == doctest::Approx(0.2));
    }

    TEST_CASE("Retry-After parsing") {
        CHECK(parseRetryAfter("1") == 1.0);
        CHECK(parseRetryAfter("0") == 0.0);
        CHECK_FALSE(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
        CHECK_FALSE(parseRetryAfter("-1"));
        CHECK_FALSE(parseRetryAfter(""));
    }
}
