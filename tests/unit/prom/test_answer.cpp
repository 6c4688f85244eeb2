#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "prom/answer.hpp"

using namespace std::chrono_literals;
using shift::prom::decodeAnswer;
using shift::prom::decodeScrapeInterval;
using shift::prom::singleValue;

namespace {

// tests/data/prom/: answers recorded from Debian 12's Prometheus 2.42 scraping tests/prom's exporter.
std::string recorded(const std::string& name) {
    std::ifstream in(std::string(SHIFT_TEST_DATA) + "/prom/" + name);
    std::stringstream text;
    text << in.rdbuf();
    REQUIRE_FALSE(text.str().empty());
    return text.str();
}

}  // namespace

TEST_SUITE("prom::answer recorded") {
    TEST_CASE("a vector by version") {
        auto a = decodeAnswer(200, recorded("vector-by-version.json"), "q");
        REQUIRE(a);
        REQUIRE(a->samples.size() == 3);
        CHECK(a->samples[0].labels.at("destination_version") == "v1");
        CHECK(a->samples[0].value == doctest::Approx(89.9481245));
        CHECK(a->samples[1].value == 0);  // v2: its series exist, without traffic
    }
    TEST_CASE("one number, a scalar, nothing and NaN") {
        CHECK(**singleValue(*decodeAnswer(200, recorded("vector-one.json"), "q"), "q") == 100);
        CHECK(**singleValue(*decodeAnswer(200, recorded("scalar.json"), "q"), "q") == 1);
        CHECK_FALSE(singleValue(*decodeAnswer(200, recorded("empty.json"), "q"), "q")->has_value());
        CHECK_FALSE(singleValue(*decodeAnswer(200, recorded("nan.json"), "q"), "q")->has_value());
    }
    TEST_CASE("an error") {
        auto a = decodeAnswer(400, recorded("error-bad-data.json"), "sum(rate(nope[3s])");
        REQUIRE_FALSE(a);
        CHECK(
            a.error().message ==
            "Prometheus refused the query `sum(rate(nope[3s])`: bad_data: invalid parameter \"query\": 1:19: "
            "parse error: unclosed left parenthesis");
    }
    TEST_CASE("the configuration") { CHECK(*decodeScrapeInterval(recorded("status-config.json")) == 1s); }
}

// Answers written in Prometheus's format, for the cases a recording does not cover.
TEST_SUITE("prom::answer") {
    TEST_CASE("a vector of one series is its number") {
        auto a = decodeAnswer(200,
                              R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},)"
                              R"("value":[1764638400.123,"99.5"]}]}})",
                              "q");
        REQUIRE(a);
        REQUIRE(a->samples.size() == 1);
        auto v = singleValue(*a, "q");
        REQUIRE(v);
        CHECK(**v == doctest::Approx(99.5));
    }
    TEST_CASE("a vector by label keeps each series' labels") {
        auto a = decodeAnswer(200,
                              R"({"status":"success","data":{"resultType":"vector","result":[)"
                              R"({"metric":{"destination_version":"v1"},"value":[1,"9"]},)"
                              R"({"metric":{"destination_version":"v3"},"value":[1,"1"]}]}})",
                              "q");
        REQUIRE(a);
        REQUIRE(a->samples.size() == 2);
        CHECK(a->samples[1].labels.at("destination_version") == "v3");
        CHECK(a->samples[1].value == 1);
        auto v = singleValue(*a, "sum by (x) (y)");
        REQUIRE_FALSE(v);
        CHECK(v.error().message.find("returned 2 series") != std::string::npos);
    }
    TEST_CASE("a scalar is one sample without labels") {
        auto a = decodeAnswer(200, R"({"status":"success","data":{"resultType":"scalar","result":[1,"42"]}})",
                              "q");
        REQUIRE(a);
        CHECK(**singleValue(*a, "q") == 42);
    }
    TEST_CASE("empty results and NaN are no value") {
        auto empty =
            decodeAnswer(200, R"({"status":"success","data":{"resultType":"vector","result":[]}})", "q");
        REQUIRE(empty);
        CHECK_FALSE(singleValue(*empty, "q")->has_value());
        auto nan = decodeAnswer(
            200,
            R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"NaN"]}]}})",
            "q");
        REQUIRE(nan);
        CHECK(std::isnan(nan->samples[0].value));
        CHECK_FALSE(singleValue(*nan, "q")->has_value());
        auto inf = decodeAnswer(
            200,
            R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"+Inf"]}]}})",
            "q");
        REQUIRE(inf);
        CHECK(std::isinf(**singleValue(*inf, "q")));
    }
    TEST_CASE("Prometheus's error names the query and its own text") {
        auto a = decodeAnswer(400,
                              R"({"status":"error","errorType":"bad_data","error":"1:5: parse error: )"
                              R"(unexpected end of input"})",
                              "sum(");
        REQUIRE_FALSE(a);
        CHECK(a.error().message ==
              "Prometheus refused the query `sum(`: bad_data: 1:5: parse error: unexpected end of input");
        CHECK(a.error().exit == shift::kExitApi);
    }
    TEST_CASE("an answer that is not the API's JSON says what came back") {
        auto a = decodeAnswer(404, "404 page not found\n", "up");
        REQUIRE_FALSE(a);
        CHECK(a.error().message.find("HTTP 404") != std::string::npos);
        CHECK(a.error().message.find("404 page not found") != std::string::npos);
        auto matrix =
            decodeAnswer(200, R"({"status":"success","data":{"resultType":"matrix","result":[]}})", "up[1m]");
        REQUIRE_FALSE(matrix);
        CHECK(matrix.error().message.find("a matrix result") != std::string::npos);
    }
    TEST_CASE("the API server's Status, when its service proxy could not reach Prometheus") {
        const char* status = R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
                             R"("message":"services \"nothere\" not found","reason":"NotFound","code":404})";
        auto a = decodeAnswer(404, status, "up");
        REQUIRE_FALSE(a);
        CHECK(a.error().message ==
              "the API server's service proxy answered HTTP 404 to the query `up`: services \"nothere\" not "
              "found");
        auto d = decodeScrapeInterval(status);
        REQUIRE_FALSE(d);
        CHECK(d.error().message == "the API server's service proxy: services \"nothere\" not found");
    }
    TEST_CASE("the scrape interval from the configuration's YAML") {
        auto d = decodeScrapeInterval(
            R"({"status":"success","data":{"yaml":"global:\n  scrape_interval: 15s\n  scrape_timeout: 10s\n)"
            R"(scrape_configs:\n- job_name: x\n  scrape_interval: 1s\n"}})");
        REQUIRE(d);
        CHECK(*d == 15s);
        auto unset = decodeScrapeInterval(R"({"status":"success","data":{"yaml":"scrape_configs: []\n"}})");
        REQUIRE(unset);
        CHECK(*unset == 1min);
        CHECK_FALSE(decodeScrapeInterval("forbidden"));
    }
}
