#pragma once
// The PromQL shift runs, built without I/O: the analysis gates of a rollout (success rate and latency
// as Flagger's built-in Istio checks compute them, or the user's own query) and the observed split.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "core/duration.hpp"

namespace shift::prom {

// Which requests a gate looks at: the version being rolled out, as Istio's destination side labels it.
struct Workload {
    std::string ns;       // destination_workload_namespace
    std::string version;  // destination_version (the DestinationRule subset's `version` label), "" for
                          // a host-keyed route, whose destinations are told apart by their service
    std::string service;  // destination_service_name, "" to leave it out
};

enum class Op { Ge, Gt, Le, Lt, Eq, Ne };

// `success-rate>=99`, `latency-p99<=500ms` or `QUERY>=X`.
struct Gate {
    enum class Kind { SuccessRate, Latency, Custom } kind = Kind::Custom;
    std::string text;     // as given, for messages
    double quantile = 0;  // Latency: 0.5, 0.9, 0.95, 0.99
    std::string query;    // Custom: the PromQL
    Op op = Op::Ge;
    double threshold = 0;  // SuccessRate: percent; Latency: milliseconds
};

// One-line errors (kExitInput) that show the accepted forms.
Result<Gate> parseGate(std::string_view text);

// A Prometheus range duration: "3s", "1500ms".
std::string window(core::Duration d);

// The gate's query over the window; a custom query is returned as given.
std::string gateQuery(const Gate& gate, const Workload& w, core::Duration window);

// The requests the workload served over the window: below --min-requests, no gate is judged.
std::string requestCountQuery(const Workload& w, core::Duration window);

bool holds(Op op, double value, double threshold);
std::string opText(Op op);

// Which service's traffic `shift verify` splits, as the client side (reporter="source") labels it.
struct Service {
    std::vector<std::string> names;  // destination_service_name: one, or several (a regex of them)
    std::string ns;                  // destination_service_namespace
    std::string byLabel;             // destination_version (subsets) or destination_service_name (hosts)
};

// Requests per second to each destination of the service over the window, by byLabel.
std::string observedSplitQuery(const Service& s, core::Duration window);

// The value of a PromQL label matcher: `"` and `\` escaped.
std::string quoted(std::string_view value);

}  // namespace shift::prom
