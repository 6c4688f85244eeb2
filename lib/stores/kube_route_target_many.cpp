// One rollout step's writes of several KubeRouteTargets: the PUTs of one cluster as one
// kube::Api::putRoutes, which sends them at once over HTTP/2 and one after another over HTTP/1.1.
#include "stores/kube_route_target.hpp"

namespace shift::stores {

namespace {

std::vector<KubeRouteTarget*> routeTargets(const std::vector<app::TargetWrite>& writes) {
    std::vector<KubeRouteTarget*> out;
    for (const auto& w : writes) {
        auto* k = dynamic_cast<KubeRouteTarget*>(w.target);
        if (!k) return {};
        out.push_back(k);
    }
    return out;
}

}  // namespace

app::TargetWrites KubeRouteTarget::writeMany(const std::vector<app::TargetWrite>& writes,
                                             const std::optional<core::RolloutMark>& mark,
                                             const std::string& record) {
    auto targets = routeTargets(writes);
    if (targets.empty()) return RolloutTarget::writeMany(writes, mark, record);
    app::TargetWrites out(writes.size());
    std::vector<bool> taken(writes.size(), false);
    for (std::size_t first = 0; first < writes.size(); ++first) {
        if (taken[first]) continue;
        kube::Api* api = &targets[first]->api_;
        std::vector<kube::Api::Put> puts;
        std::vector<std::size_t> which;
        for (std::size_t i = first; i < writes.size(); ++i) {
            if (taken[i] || &targets[i]->api_ != api) continue;
            taken[i] = true;
            auto merged = targets[i]->mergedOf(writes[i].request, mark);
            auto put = merged ? targets[i]->putOf(*writes[i].basis, std::move(*merged), record)
                              : Result<kube::Api::Put>(merged.error());
            if (!put) {  // nothing of this cluster is sent: as a first write that failed
                out[i] = put.error();
                return out;
            }
            puts.push_back(std::move(*put));
            which.push_back(i);
        }
        // A stop that never comes: over HTTP/1.1, the PUTs after a failed one are not sent.
        auto answers = api->putRoutes(puts, [] { return false; });
        bool failed = false;
        for (std::size_t k = 0; k < which.size(); ++k) {
            if (!answers[k]) continue;
            out[which[k]] = targets[which[k]]->answered(std::move(*answers[k]));
            failed = failed || !*out[which[k]];
        }
        if (failed) break;
    }
    return out;
}

}  // namespace shift::stores
