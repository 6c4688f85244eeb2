#pragma once
// Prometheus's instant-query API over shift's one HTTP client (lib/kube's libcurl client): straight to
// a URL (--prometheus), or through the Kubernetes API server's service proxy on the cluster's own
// connection (--prometheus-service NAMESPACE/NAME:PORT).
#include <optional>
#include <string>

#include "base/result.hpp"
#include "core/duration.hpp"
#include "kube/client.hpp"
#include "kube/cluster.hpp"
#include "prom/answer.hpp"

namespace shift::prom {

struct Access {
    std::string url;        // --prometheus / SHIFT_PROMETHEUS_URL: http(s)://host:port[/prefix]
    std::string tokenFile;  // --prometheus-token-file: sent as a bearer token, re-read on each run
    std::string caFile;     // --prometheus-ca-file
    double timeoutSeconds = 10;
};

// The "cluster" the HTTP client connects to for a Prometheus URL: TLS verification stays on.
kube::Cluster directCluster(const Access& access);

// NAMESPACE/NAME:PORT -> /api/v1/namespaces/NAMESPACE/services/NAME:PORT/proxy
Result<std::string> serviceProxyPrefix(const std::string& service);

// %-encodes a query parameter's value.
std::string encode(const std::string& value);

class Client {
   public:
    // prefix: "" for a direct URL, serviceProxyPrefix's path through the API server.
    Client(kube::Client& http, std::string prefix) : http_(http), prefix_(std::move(prefix)) {}

    // GET /api/v1/query?query=...: Errors name the query and Prometheus's own error text.
    Result<Answer> query(const std::string& promql);
    // The configured global scrape interval; nullopt when Prometheus does not show its configuration
    // (403/404: a proxy or a Prometheus-compatible server that hides it).
    Result<std::optional<core::Duration>> scrapeInterval();

   private:
    kube::Client& http_;
    std::string prefix_;
};

}  // namespace shift::prom
