#pragma once
// What several-object commands share (set, get, rollout): the selection (several NAME words, -l, --kind),
// the clusters (--context repeated, --contexts a,b), a connection per cluster, and the objects a
// selection names in one cluster (one LIST per kind and namespace for -l).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "cli11_fwd.hpp"
#include "command.hpp"
#include "core/label_selector.hpp"
#include "core/object_ref.hpp"
#include "doc/node.hpp"
#include "kube/client.hpp"
#include "kube/cluster.hpp"
#include "kube/istio_api.hpp"

namespace shift::cli {

struct Selection {
    std::vector<std::string> words;  // NAME or TYPE/NAME, as given
    std::string selectorText;        // -l
    std::string kindText;            // --kind
    // complete() fills these:
    std::vector<core::ObjectRef> refs;
    std::optional<core::LabelSelector> selector;
    std::optional<core::RouteKind> kind;

    // More than one object may be meant: several names, or -l.
    bool several() const { return refs.size() > 1 || selector.has_value(); }
};

// -l/--selector and --kind on a command that takes the selection.
void declareSelection(CLI::App& app, Selection& selection, const std::string& what);

// Parses the words, -l and --kind; rejects a selector beside names and a --kind a name contradicts.
Status completeSelection(Selection& selection);

// --context repeated or --contexts: several clusters. set, get, rollout, history and undo take several.
Status checkContexts(std::string_view command, const Globals& globals);

// One cluster: its kubeconfig resolution, its connection and API. label is its context ("" for the
// one current context).
struct Connection {
    std::string label;
    kube::Cluster cluster;
    std::unique_ptr<kube::Client> client;
    std::unique_ptr<kube::Api> api;
};

// A connection per context given (or the current one): every kubeconfig is resolved before any
// request, so a bad context fails before anything is read.
Result<std::vector<Connection>> connectAll(const Globals& globals);

// The objects the selection names in ns: the names as given (not read yet: `listed` is nullopt), or
// those the LISTs with labelSelector= return (one per kind: VirtualServices, then HTTPRoutes where the
// Gateway API is served), sorted, each as the LIST returned it, so a label-selected command reads no
// object twice. A selector matching nothing is an error naming the selector and namespace (exit 2).
struct Selected {
    core::ObjectRef ref;
    std::optional<doc::Node> listed;
};
Result<std::vector<Selected>> listSelection(kube::Api& api, const std::string& ns,
                                            const Selection& selection);
// The same LISTs where a selection matching nothing is no error (get prints an empty table).
Result<std::vector<Selected>> listLabeled(kube::Api& api, const std::string& ns, const Selection& selection);

// "east: istio-demo/reviews" (the context only with several clusters).
std::string targetLabel(const Connection& c, const core::ObjectRef& ref, bool withCluster);

}  // namespace shift::cli
