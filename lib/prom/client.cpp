#include "prom/client.hpp"

#include <fmt/format.h>

#include "kube/query.hpp"

namespace shift::prom {

kube::Cluster directCluster(const Access& access) {
    kube::Cluster c;
    c.server = access.url;
    while (!c.server.empty() && c.server.back() == '/') c.server.pop_back();
    c.origin = "--prometheus";
    c.caFile = access.caFile;
    c.tokenFile = access.tokenFile;
    c.timeoutSeconds = access.timeoutSeconds;
    return c;
}

Result<std::string> serviceProxyPrefix(const std::string& service) {
    auto slash = service.find('/');
    auto colon = service.rfind(':');
    if (slash == std::string::npos || colon == std::string::npos || colon < slash || slash == 0 ||
        colon == slash + 1 || colon + 1 == service.size())
        return fail(
            fmt::format("invalid --prometheus-service \"{}\": use NAMESPACE/NAME:PORT, e.g. "
                        "istio-system/prometheus:9090",
                        service));
    return fmt::format("/api/v1/namespaces/{}/services/{}:{}/proxy", service.substr(0, slash),
                       service.substr(slash + 1, colon - slash - 1), service.substr(colon + 1));
}

std::string encode(const std::string& value) { return kube::queryValue(value); }

namespace {

// The HTTP client words its fixes for a kubeconfig ("check certificate-authority in WHERE"); a
// Prometheus URL's CA comes from a flag.
Error reworded(Error e) {
    const std::string kubeconfigFix = "check certificate-authority in --prometheus";
    if (auto at = e.message.find(kubeconfigFix); at != std::string::npos)
        e.message.replace(at, kubeconfigFix.size(), "give the CA that signed it with --prometheus-ca-file");
    return e;
}

}  // namespace

Result<Answer> Client::query(const std::string& promql) {
    auto r = http_.request("GET", prefix_ + "/api/v1/query?query=" + encode(promql));
    if (!r)
        return fail(fmt::format("the query `{}`: {}", promql, reworded(r.error()).message), r.error().exit);
    return decodeAnswer(r->status, r->body, promql);
}

Result<std::optional<core::Duration>> Client::scrapeInterval() {
    auto r = http_.request("GET", prefix_ + "/api/v1/status/config");
    if (!r) return reworded(r.error());
    auto d = decodeScrapeInterval(r->body);
    // A Status from the API server: the service proxy failed (no such service, no endpoints, RBAC).
    if (!d && d.error().message.rfind("the API server's", 0) == 0) return d.error();
    if (!d) return std::optional<core::Duration>();  // 401/403/404: hidden by a proxy or the server
    return std::optional<core::Duration>(*d);
}

}  // namespace shift::prom
