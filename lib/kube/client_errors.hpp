#pragma once
// The libcurl client's own failures, each one line naming the problem and the fix: a transfer that
// failed, and an answer that came from something other than a Kubernetes API server.
#include <curl/curl.h>

#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "kube/client.hpp"

namespace shift::kube {

// Where requests go, as messages may print it: URLs already redacted.
struct Endpoint {
    std::string server;        // the server URL
    std::string proxy;         // the proxy in use, "" for none
    std::string proxySource;   // what set it: "proxy-url in kubeconfig context \"x\"", "HTTPS_PROXY"
    std::string proxyHost;     // its host, to tell from libcurl's text whether the proxy failed
    bool proxyForAll = false;  // proxy-url: every request goes through it, NO_PROXY aside
    std::string where;         // "kubeconfig context \"x\"" or "in-cluster config"
    double timeoutSeconds = 0;
    bool plainHttp = false;  // the server URL is http://
};

struct TransportFailure {
    CURLcode code = CURLE_OK;
    std::string detail;  // libcurl's error text
    long osErrno = 0;
};

// kExitApi; a write that may have reached the server says so (see CurlClient::request).
Error transportError(const Endpoint& to, const TransportFailure& f, std::string_view method,
                     const std::string& path);

// An error when the answer cannot be from a Kubernetes API server: an HTML page (a web server or
// login portal at the server URL), a 2xx answer that is not JSON, or Go's "Client sent an HTTP
// request to an HTTPS server" to an http:// URL.
std::optional<Error> foreignAnswer(const Endpoint& to, const Response& r, std::string_view method,
                                   const std::string& path);

}  // namespace shift::kube
