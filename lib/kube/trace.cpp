#include "kube/trace.hpp"

#include <fmt/format.h>

#include "kube/redact.hpp"

namespace shift::kube {

void trace(int verbosity, const Exchange& e) {
    if (verbosity < 1) return;
    const double ms = e.response ? e.response->seconds * 1000 : 0;
    fmt::print(stderr, "{} {} {} in {:.1f}ms{}\n", e.method, e.url, e.outcome, ms, e.retry);
    if (verbosity < 2) return;
    for (const std::string& line : e.requestHeaders) {
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos || colon + 1 == line.size()) continue;  // "Expect:" removes one
        std::string_view value = std::string_view(line).substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        fmt::print(stderr, "  > {}: {}\n", line.substr(0, colon), redactHeader(line.substr(0, colon), value));
    }
    if (verbosity >= 3 && !e.requestBody.empty()) fmt::print(stderr, "  > {}\n", redactBody(e.requestBody));
    if (!e.response) return;
    for (const auto& [name, value] : e.response->headers)
        fmt::print(stderr, "  < {}: {}\n", name, redactHeader(name, value));
    if (verbosity >= 3 && !e.response->body.empty())
        fmt::print(stderr, "  < {}\n", redactBody(e.response->body));
}

}  // namespace shift::kube
