#pragma once
// Prometheus for `rollout --analysis/--verify` and `verify`: the flags that say where it is, the
// connection (its own HTTP client for a URL, or the cluster's through the API server's service proxy),
// and the version label Istio's metrics give a DestinationRule subset.
#include <map>
#include <memory>
#include <string>

#include "cli11_fwd.hpp"
#include "core/duration.hpp"
#include "core/split_view.hpp"
#include "kube/client.hpp"
#include "kube/istio_api.hpp"
#include "prom/client.hpp"
#include "prom/queries.hpp"

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

// How Istio's metrics tell a route's destinations apart: subsets of one host by their version label,
// hosts (HTTPRoute backends) by their service name. `labels` maps each destination key, and `extraKey`
// (a key the route may not name yet, "" for none), to its label.
struct ObservedRoute {
    prom::Service service;
    std::map<std::string, std::string> labels;
    std::string host;  // the subsets' host, "" when the keys are hosts
};
ObservedRoute observedRoute(kube::Api& api, const std::string& ns, const core::RuleSplit& split,
                            const std::string& extraKey = {});

}  // namespace shift::cli
