// The names shell completion offers, from the -f files, the kubeconfig or the cluster.
#include "complete_names.hpp"

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "core/mesh.hpp"
#include "core/virtual_service.hpp"
#include "doc/parse.hpp"
#include "files/files.hpp"
#include "kube/istio_api.hpp"

namespace shift::cli::completion {

namespace {

// The cluster the flags name, with completion's short timeout.
struct Connection {
    kube::Cluster cluster;
    std::unique_ptr<kube::Client> client;
};
std::optional<Connection> connectTo(kube::ConfigFlags flags) {
    flags.timeoutSeconds = kRequestSeconds;
    auto cluster = kube::loadCluster(flags);
    if (!cluster) return std::nullopt;
    auto client = kube::connect(*cluster, 0);
    return Connection{std::move(*cluster), std::move(client)};
}

// The objects of the files -f names (never standard input: it belongs to the shell).
std::vector<doc::Stream> fileStreams(const Scope& scope) {
    std::vector<doc::Stream> out;
    if (scope.filename == "-") return out;
    auto files = files::manifestFiles(scope.filename);
    if (!files) return out;
    for (const auto& path : *files) {
        auto text = files::readInput(path);
        if (!text) continue;
        if (auto s = doc::parse(std::move(*text), path)) out.push_back(std::move(*s));
    }
    return out;
}

// Subsets a weight can name: those of the DestinationRules Istio applies to the hosts the
// VirtualService routes to, and those it already routes to (all there is when DestinationRules
// cannot be read).
std::vector<std::string> subsets(const doc::Node& vsObject, core::Mesh mesh, const std::string& defaultNs) {
    auto vs = core::readVirtualService(vsObject);
    if (!vs) return {};
    std::string ns = vs->ns.empty() ? defaultNs : vs->ns;
    std::set<std::string> hosts;
    std::vector<std::string> out;
    for (const auto& rule : vs->rules) {
        for (const auto& d : rule.route) {
            hosts.insert(core::fqdn(d.host, ns));
            // A destination without a subset is named by its host (host-keyed routes).
            out.push_back(d.subset.empty() ? d.host : d.subset);
        }
    }
    for (const auto& host : hosts) {
        auto rule = core::destinationRuleFor(mesh, host, core::serviceNamespace(host), ns);
        if (rule) out.insert(out.end(), rule->subsets.begin(), rule->subsets.end());
    }
    return out;
}

}  // namespace

std::vector<std::string> namespaces(const Scope& scope) {
    auto c = connectTo(scope.cluster);
    if (!c) return {};
    kube::Api api(*c->client, c->cluster.contextName);
    auto names = api.listNamespaces();
    return names ? *names : std::vector<std::string>{};
}

std::vector<std::string> contexts(const Scope& scope) {
    std::vector<kube::Kubeconfig> files;
    for (const auto& path : kube::kubeconfigSource(scope.cluster, kube::Env::fromProcess()).files) {
        auto text = kube::readFile(path, "kubeconfig");
        if (!text) continue;
        if (auto cfg = kube::parseKubeconfig(*text, path)) files.push_back(std::move(*cfg));
    }
    std::vector<std::string> out;
    for (const auto& [name, ctx] : kube::mergeKubeconfigs(files).contexts) out.push_back(name);
    return out;
}

std::vector<std::string> virtualServiceNames(const Scope& scope) {
    if (!scope.filename.empty()) {
        std::vector<std::string> out;
        for (const auto& s : fileStreams(scope)) {
            for (const auto* o : doc::objects(s)) {
                const auto* name = o->at({"metadata", "name"});
                if (core::isKind(*o, "VirtualService") && name != nullptr) out.push_back(name->str());
            }
        }
        return out;
    }
    auto c = connectTo(scope.cluster);
    if (!c) return {};
    kube::Api api(*c->client, c->cluster.contextName);
    auto names = api.listVirtualServiceNames(c->cluster.ns);
    return names ? *names : std::vector<std::string>{};
}

std::vector<std::string> subsetsOf(const Scope& scope, const std::string& name) {
    core::Mesh mesh;
    if (!scope.filename.empty()) {
        auto streams = fileStreams(scope);
        const doc::Node* vs = nullptr;
        for (const auto& s : streams) {
            core::collectKind(s, "DestinationRule", mesh.destinationRules);
            for (const auto* o : doc::objects(s)) {
                const auto* n = o->at({"metadata", "name"});
                if (core::isKind(*o, "VirtualService") && n != nullptr && n->str() == name && vs == nullptr)
                    vs = o;
            }
        }
        return vs != nullptr ? subsets(*vs, mesh, "default") : std::vector<std::string>{};
    }
    auto c = connectTo(scope.cluster);
    if (!c) return {};
    kube::Api api(*c->client, c->cluster.contextName);
    auto object = api.getVirtualService(c->cluster.ns, name);
    if (!object) return {};
    auto vs = doc::parseJson(std::move(object->json), "VirtualService");
    if (!vs || vs->docs.empty()) return {};
    // The VirtualService's namespace, and that of each FQDN host it routes to (its DestinationRule
    // lives there): one list each, completion must answer quickly.
    std::set<std::string> namespaces{c->cluster.ns};
    if (auto parsed = core::readVirtualService(vs->docs[0])) {
        for (const auto& rule : parsed->rules) {
            for (const auto& d : rule.route) {
                auto ns = core::serviceNamespace(core::fqdn(d.host, c->cluster.ns));
                if (!ns.empty()) namespaces.insert(ns);
            }
        }
    }
    std::vector<doc::Stream> lists;
    for (const auto& ns : namespaces) {
        auto body = api.listDestinationRules(ns);
        if (!body) continue;
        if (auto parsed = doc::parseJson(std::move(*body), "DestinationRule list"))
            lists.push_back(std::move(*parsed));
    }
    for (const auto& list : lists) core::collectKind(list, "DestinationRule", mesh.destinationRules);
    return subsets(vs->docs[0], mesh, c->cluster.ns);
}

std::vector<std::string> routesOf(const Scope& scope, const std::string& name) {
    std::optional<doc::Stream> found;
    if (!scope.filename.empty()) {
        for (auto& s : fileStreams(scope)) {
            for (const auto* o : doc::objects(s)) {
                const auto* n = o->at({"metadata", "name"});
                if (!found && core::isKind(*o, "VirtualService") && n != nullptr && n->str() == name) {
                    doc::Stream one;
                    one.docs.push_back(*o);
                    found = std::move(one);
                }
            }
        }
    } else if (auto c = connectTo(scope.cluster)) {
        kube::Api api(*c->client, c->cluster.contextName);
        if (auto object = api.getVirtualService(c->cluster.ns, name)) {
            if (auto parsed = doc::parseJson(std::move(object->json), "VirtualService"))
                found = std::move(*parsed);
        }
    }
    std::vector<std::string> out;
    if (!found || found->docs.empty()) return out;
    auto vs = core::readVirtualService(found->docs[0]);
    if (!vs) return out;
    // Each rule by name when it has one, and by position (LIST:INDEX), as --route takes them.
    for (const auto& rule : vs->rules) {
        if (!rule.name.empty()) out.push_back(rule.name);
        out.push_back(fmt::format("{}:{}", core::listName(rule.list), rule.index));
    }
    return out;
}

}  // namespace shift::cli::completion
