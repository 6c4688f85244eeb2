#pragma once
// The names shell completion offers: namespaces, contexts, VirtualServices and subsets, read from
// the files -f names, the kubeconfig or the cluster. Each gives up quietly: no names, never an error.
#include <string>
#include <vector>

#include "kube/cluster.hpp"

namespace shift::cli::completion {

// A TAB must never wait on a slow or unreachable cluster: each request gets 1 s.
inline constexpr double kRequestSeconds = 1;

// Where names come from: the words before the cursor that name a cluster or files.
struct Scope {
    kube::ConfigFlags cluster;  // -n, --context, --kubeconfig
    std::string filename;       // -f, "" when not given
};

// The cluster's namespaces.
std::vector<std::string> namespaces(const Scope& scope);
// The contexts of the kubeconfig files in use, merged as kubectl merges them.
std::vector<std::string> contexts(const Scope& scope);
// The VirtualServices of the -f files, else of the cluster's namespace.
std::vector<std::string> virtualServiceNames(const Scope& scope);
// The subsets a weight for VirtualService `name` can name, from the -f files, else the cluster.
std::vector<std::string> subsetsOf(const Scope& scope, const std::string& name);

// The values --route takes for the VirtualService `name`: rule names and LIST:INDEX.
std::vector<std::string> routesOf(const Scope& scope, const std::string& name);

}  // namespace shift::cli::completion
