#include "core/apply.hpp"

namespace shift::core {

namespace {

doc::Node* routeOf(doc::Node& object, const Rule& rule) {
    auto* list = object.get("spec") ? object.get("spec")->get(listName(rule.list)) : nullptr;
    if (!list || !list->isSeq() || rule.index >= list->items.size()) return nullptr;
    return list->items[rule.index].get(routeField(rule.list));
}

void setWeight(doc::Node& item, const std::optional<long long>& weight) {
    if (weight) {
        item.set("weight", doc::Node::integer(*weight));
    } else {
        item.erase("weight");
    }
}

}  // namespace

namespace {

// A new backendRef copies the one it is modelled on (port, filters, group of the same kind) with its
// name, namespace and kind replaced; an absent namespace or kind is the route's namespace, Service.
doc::Node addedBackendRef(const doc::Node& copied, const DestinationPlan& d) {
    doc::Node ref = copied.isMap() ? copied : doc::Node::map();
    ref.set("name", doc::Node::string(d.host));
    // The API server writes the defaults (group "", kind Service) into every ref: a copy of such a
    // ref keeps them; one of another kind loses them.
    const auto* kind = ref.get("kind");
    auto was = kind && kind->isScalar() ? kind->str() : std::string();
    bool toService = d.backendKind.empty() || d.backendKind == "Service";
    if (toService && !was.empty() && was != "Service") {
        ref.erase("kind");
        ref.erase("group");
    } else if (!toService && was != d.backendKind) {
        ref.set("kind", doc::Node::string(d.backendKind));
    }
    if (d.ns.empty()) {
        ref.erase("namespace");
    } else {
        ref.set("namespace", doc::Node::string(d.ns));
    }
    setWeight(ref, d.after);
    return ref;
}

}  // namespace

doc::Node addedDestination(const doc::Node& copied, const DestinationPlan& d) {
    if (d.backendRef) return addedBackendRef(copied, d);
    doc::Node dest = doc::Node::map();
    dest.set("host", doc::Node::string(d.host));
    if (!d.subset.empty()) dest.set("subset", doc::Node::string(d.subset));
    const auto* from = copied.get("destination");
    if (const auto* port = from ? from->get("port") : nullptr) dest.set("port", *port);
    doc::Node item = doc::Node::map();
    item.set("destination", std::move(dest));
    setWeight(item, d.after);
    return item;
}

doc::Node applyToRoute(const doc::Node& route, const RulePlan& plan) {
    doc::Node out = route;
    out.items.clear();
    for (const auto& d : plan.destinations) {
        if (d.action == DestinationPlan::Action::Remove) continue;
        if (d.action == DestinationPlan::Action::Add) {
            out.items.push_back(addedDestination(route.items.at(d.from), d));
            continue;
        }
        doc::Node item = route.items.at(d.from);
        setWeight(item, d.after);
        out.items.push_back(std::move(item));
    }
    return out;
}

doc::Node applyToTree(const doc::Node& object, const VirtualService& vs, const std::vector<RulePlan>& plans) {
    doc::Node out = object;
    for (const auto& plan : plans) {
        if (!plan.changed) continue;
        auto* route = routeOf(out, vs.rules.at(plan.rule));
        if (route) *route = applyToRoute(*route, plan);
    }
    return out;
}

}  // namespace shift::core
