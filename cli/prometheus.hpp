#pragma once
// Prometheus for `rollout --analysis/--verify` and `verify`: the flags that say where it is, the
// connection (its own HTTP client for a URL, or the cluster's through the API server's service proxy),
// and the version label Istio's metrics give a DestinationRule subset.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "core/duration.hpp"
#include "kube/client.hpp"
#include "kube/istio_api.hpp"
#include "prom/client.hpp"

namespace shift::cli {

// Where Prometheus is: the flags `rollout` and `verify` share.
struct PrometheusFlags {
    std::string url;  // --prometheus, else SHIFT_PROMETHEUS_URL
    std::string tokenFile, caFile, service;
    std::string timeout = "10s";
};
void declarePrometheus(CLI::App& app, PrometheusFlags& f);
// Which way to reach Prometheus; an Error when neither --prometheus nor --prometheus-service is set.
Result<prom::Access> prometheusAccess(const PrometheusFlags& f);

// The connection to Prometheus: its own HTTP client for a URL, or the cluster's through the proxy.
class Prometheus {
   public:
    static Result<std::unique_ptr<Prometheus>> open(const PrometheusFlags& f, kube::Client& cluster,
                                                    int verbosity);
    prom::Client& client() { return *client_; }
    // Refuses a window shorter than two scrapes (rate() has nothing to work on); warns when the
    // scrape interval cannot be read.
    Status checkWindow(core::Duration window, const std::string& flag);

   private:
    std::unique_ptr<kube::Client> own_;
    std::unique_ptr<prom::Client> client_;
};

// The version label Istio puts on the canary's requests: the DestinationRule subset's `version`
// label (or app.kubernetes.io/version), else the subset's name.
std::string versionLabel(kube::Api& api, const std::string& ns, const std::string& host,
                         const std::string& subset);

}  // namespace shift::cli
