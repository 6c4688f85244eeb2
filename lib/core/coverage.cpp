#include "core/coverage.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace shift::core {

std::vector<std::string> coverageNotes(const doc::Node& object) {
    const auto* kind = object.get("kind");
    const auto* gateways = object.at({"spec", "gateways"});
    if (!kind || kind->str() != "VirtualService" || !gateways || !gateways->isSeq() ||
        gateways->items.empty())
        return {};
    std::vector<std::string> names;
    for (const auto& g : gateways->items) names.push_back(g.str());
    if (std::find(names.begin(), names.end(), "mesh") != names.end()) return {};
    const auto* ns = object.at({"metadata", "namespace"});
    const auto* name = object.at({"metadata", "name"});
    return {fmt::format(
        "VirtualService {}{} is bound only to gateway{} {}: this change moves the traffic entering "
        "through {}, not the mesh's own calls to its hosts (add \"mesh\" to its gateways, or shift "
        "the VirtualService that routes them)",
        ns ? ns->str() + "/" : std::string(), name ? name->str() : std::string(), names.size() > 1 ? "s" : "",
        fmt::join(names, ", "), names.size() > 1 ? "them" : "it")};
}

}  // namespace shift::core
