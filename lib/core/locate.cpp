#include "core/locate.hpp"

#include <fmt/format.h>

#include "core/mesh.hpp"

namespace shift::core {

namespace {

bool isList(const doc::Node& object) {
    const auto* k = object.get("kind");
    const auto* items = object.get("items");
    return k && items && items->isSeq() && k->str().size() >= 4 &&
           k->str().compare(k->str().size() - 4, 4, "List") == 0;
}

std::string field(const doc::Node& object, std::string_view key) {
    const auto* v = object.at({"metadata", key});
    return v ? v->str() : std::string();
}

}  // namespace

const doc::Node& objectAt(const std::vector<doc::Node>& docs, const Location& at) {
    const auto& d = docs.at(at.doc);
    return at.item ? d.get("items")->items.at(*at.item) : d;
}

doc::Node& objectAt(std::vector<doc::Node>& docs, const Location& at) {
    auto& d = docs.at(at.doc);
    return at.item ? d.get("items")->items.at(*at.item) : d;
}

std::vector<Location> findKind(const std::vector<doc::Node>& docs, const std::string& kind) {
    std::vector<Location> out;
    for (std::size_t i = 0; i < docs.size(); ++i) {
        const auto& d = docs[i];
        if (!d.isMap()) continue;
        if (isList(d)) {
            const auto& items = d.get("items")->items;
            for (std::size_t j = 0; j < items.size(); ++j) {
                if (items[j].isMap() && isKind(items[j], kind)) out.push_back({i, j});
            }
        } else if (isKind(d, kind)) {
            out.push_back({i, std::nullopt});
        }
    }
    return out;
}

Result<Location> findVirtualService(const std::vector<doc::Node>& docs, const std::string& name,
                                    const std::string& ns, const std::string& source) {
    return findRoute(docs, RouteKind::VirtualService, name, ns, source);
}

Result<Location> findRoute(const std::vector<doc::Node>& docs, RouteKind routeKind, const std::string& name,
                           const std::string& ns, const std::string& source) {
    std::string kind = kindName(routeKind);
    std::vector<Location> hits;
    std::vector<std::string> present;
    for (const auto& at : findKind(docs, kind)) {
        const auto& object = objectAt(docs, at);
        auto n = field(object, "name");
        auto objectNs = field(object, "namespace");
        if (n.empty())
            present.push_back("a " + kind + " without metadata.name");
        else
            present.push_back(objectNs.empty() ? n : objectNs + "/" + n);
        if (n == name && (ns.empty() || objectNs.empty() || objectNs == ns)) hits.push_back(at);
    }
    if (hits.size() == 1) return hits[0];
    if (hits.size() > 1) {
        return fail(fmt::format("{} holds {} {}s named \"{}\"; choose one with -n NAMESPACE", source,
                                hits.size(), kind, name));
    }
    if (present.empty()) {
        return fail(
            fmt::format("{} holds no {}; point -f at the manifest that defines \"{}\"", source, kind, name));
    }
    return fail(
        fmt::format("no {} named \"{}\" in {}; it holds: {}", kind, name, source, fmt::join(present, ", ")));
}

}  // namespace shift::core
