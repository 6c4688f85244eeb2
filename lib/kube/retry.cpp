#include <algorithm>
#include <cstdlib>

#include "kube/client.hpp"

namespace shift::kube {

std::optional<double> parseRetryAfter(const std::string& value) {
    if (value.empty()) return std::nullopt;
    char* end = nullptr;
    double v = std::strtod(value.c_str(), &end);
    while (end && (*end == ' ' || *end == '\t')) ++end;
    if (!end || *end != '\0' || !(v >= 0)) return std::nullopt;
    return v;
}

std::optional<double> retryDelay(std::string_view method, int retry, const Attempt& a) {
    if (retry >= kMaxRetries) return std::nullopt;
    const bool idempotent = method == "GET" || method == "HEAD";
    // 2^retry by shifting: the only use of libm, which would be one more library to load per run.
    const double backoff = kBackoffBaseSeconds * static_cast<double>(1u << retry);
    auto serverSaid = [&] { return std::min(a.retryAfterSeconds.value_or(backoff), kMaxRetryAfterSeconds); };
    switch (a.transport) {
        case Transport::kNotSent:
            return backoff;
        case Transport::kInterrupted:
            // A write may have been applied before the connection broke; only reads are safe to repeat.
            if (idempotent) return backoff;
            return std::nullopt;
        case Transport::kFatal:
            return std::nullopt;
        case Transport::kOk:
            break;
    }
    // 429 means the server's priority and fairness rejected the request before handling it.
    if (a.status == 429) return serverSaid();
    if (idempotent && (a.status == 500 || a.status == 502 || a.status == 503 || a.status == 504))
        return serverSaid();
    return std::nullopt;
}

}  // namespace shift::kube
