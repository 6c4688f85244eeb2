#pragma once
// Prometheus's HTTP API answers, decoded without I/O so recorded answers can be tested: an instant
// query's vector or scalar, its error, and the scrape interval in /api/v1/status/config.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/duration.hpp"

namespace shift::prom {

struct Sample {
    std::map<std::string, std::string> labels;  // empty for a scalar
    double value = 0;                           // NaN when Prometheus answered "NaN"
};

// An instant query's result: one sample per series (a scalar is one sample without labels).
struct Answer {
    std::vector<Sample> samples;
};

// Decodes the answer of GET /api/v1/query. An HTTP error or {"status":"error"} is an Error
// (kExitApi) naming the query and Prometheus's own errorType and error text.
Result<Answer> decodeAnswer(long status, const std::string& body, const std::string& query);

// The one number a check compares: nullopt when there is no sample, or it is NaN (no requests in the
// window make 0/0). Several series are an Error: the query must reduce them (sum, max...).
Result<std::optional<double>> singleValue(const Answer& answer, const std::string& query);

// global.scrape_interval from /api/v1/status/config's data.yaml; Prometheus's default 1m when the
// configuration does not set it. An Error when the body is not such an answer.
Result<core::Duration> decodeScrapeInterval(const std::string& body);

}  // namespace shift::prom
