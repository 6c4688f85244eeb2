#pragma once
// What -v prints for each request on stderr: one line at 1; request and response headers at 2;
// bodies too at 3. Credentials are redacted at every level (kube/redact.hpp).
#include <string>
#include <string_view>
#include <vector>

#include "kube/client.hpp"

namespace shift::kube {

struct Exchange {
    std::string_view method;
    std::string url;                          // redacted
    std::vector<std::string> requestHeaders;  // "Name: value", as sent
    std::string_view requestBody;
    const Response* response = nullptr;  // null when no answer came
    std::string outcome;                 // "200 OK", "failed (Couldn't connect to server)"
    std::string retry;                   // "; retrying in 100ms" or ""
};

void trace(int verbosity, const Exchange& e);

}  // namespace shift::kube
