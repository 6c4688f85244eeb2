#include "prom/answer.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

namespace shift::prom {

namespace {

using nlohmann::json;

// The first line of a non-JSON answer, short enough for a one-line error.
std::string firstLine(const std::string& body) {
    std::string line = body.substr(0, body.find('\n'));
    if (line.size() > 160) line = line.substr(0, 160) + "...";
    return line;
}

// Prometheus writes sample values as strings: "0.5", "NaN", "+Inf".
Result<double> number(const json& v) {
    if (!v.is_string()) return fail("a sample value is not a string", kExitApi);
    const std::string& s = v.get_ref<const std::string&>();
    if (s == "NaN") return std::nan("");
    if (s == "+Inf") return HUGE_VAL;
    if (s == "-Inf") return -HUGE_VAL;
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0') return fail("a sample value is not a number", kExitApi);
    return d;
}

// [time, "value"]
Result<double> pointValue(const json& point) {
    if (!point.is_array() || point.size() != 2) return fail("a sample is not [time, value]", kExitApi);
    return number(point[1]);
}

Result<Answer> decodeData(const json& data) {
    Answer a;
    const std::string type = data.value("resultType", "");
    const json& result = data.contains("result") ? data["result"] : json();
    if (type == "scalar") {
        auto v = pointValue(result);
        if (!v) return v.error();
        a.samples.push_back({{}, *v});
        return a;
    }
    if (type != "vector") return fail(fmt::format("a {} result, not a number", type), kExitApi);
    if (!result.is_array()) return fail("the vector result is not a list", kExitApi);
    for (const json& s : result) {
        Sample sample;
        if (s.contains("metric") && s["metric"].is_object())
            for (const auto& [k, v] : s["metric"].items())
                if (v.is_string()) sample.labels[k] = v.get<std::string>();
        auto v = pointValue(s.value("value", json()));
        if (!v) return v.error();
        sample.value = *v;
        a.samples.push_back(std::move(sample));
    }
    return a;
}

}  // namespace

Result<Answer> decodeAnswer(long status, const std::string& body, const std::string& query) {
    json doc = json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        return fail(
            fmt::format("Prometheus answered HTTP {} to the query `{}` with something that is not its "
                        "API's JSON: {}; check the Prometheus address",
                        status, query, firstLine(body)),
            kExitApi);
    }
    // The API server's own answer, when the service proxy could not reach Prometheus.
    if (doc.value("kind", "") == "Status") {
        return fail(fmt::format("the API server's service proxy answered HTTP {} to the query `{}`: {}",
                                status, query, doc.value("message", "")),
                    kExitApi);
    }
    if (doc.value("status", "") != "success") {
        return fail(
            fmt::format("Prometheus refused the query `{}`: {}: {}", query, doc.value("errorType", "error"),
                        doc.value("error", fmt::format("HTTP {}", status))),
            kExitApi);
    }
    auto a = doc.contains("data") ? decodeData(doc["data"]) : fail("no data", kExitApi);
    if (!a)
        return fail(fmt::format("Prometheus's answer to the query `{}`: {}", query, a.error().message),
                    kExitApi);
    return a;
}

Result<std::optional<double>> singleValue(const Answer& answer, const std::string& query) {
    if (answer.samples.empty()) return std::optional<double>();
    if (answer.samples.size() > 1) {
        return fail(
            fmt::format("the query `{}` returned {} series, not one number: aggregate them (sum, max...)",
                        query, answer.samples.size()),
            kExitInput);
    }
    double v = answer.samples[0].value;
    if (std::isnan(v)) return std::optional<double>();
    return std::optional<double>(v);
}

Result<core::Duration> decodeScrapeInterval(const std::string& body) {
    json doc = json::parse(body, nullptr, false);
    if (doc.is_object() && doc.value("kind", "") == "Status")
        return fail(fmt::format("the API server's service proxy: {}", doc.value("message", "")), kExitApi);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("data") || !doc["data"].contains("yaml") ||
        !doc["data"]["yaml"].is_string())
        return fail("not an answer of /api/v1/status/config", kExitApi);
    // Prometheus writes its configuration back in one layout: "global:" then two-space indented keys.
    std::istringstream lines(doc["data"]["yaml"].get<std::string>());
    std::string line;
    bool inGlobal = false;
    while (std::getline(lines, line)) {
        if (!line.empty() && line[0] != ' ') inGlobal = line.rfind("global:", 0) == 0;
        static const std::string kKey = "  scrape_interval:";
        if (inGlobal && line.rfind(kKey, 0) == 0) {
            std::string value = line.substr(kKey.size());
            value.erase(0, value.find_first_not_of(' '));
            return core::parseDuration(value, "scrape_interval");
        }
    }
    return core::Duration(std::chrono::minutes(1));
}

}  // namespace shift::prom
