// Several KubeStores of one cluster written (or restored) together: their PUTs as one
// kube::Api::putRoutes, which sends them at once over HTTP/2 and one after another over HTTP/1.1.
#include "stores/kube_store.hpp"

namespace shift::stores {

namespace {

// The calls' stores as KubeStores of one Api, or none when any is not.
std::vector<KubeStore*> sameApi(const std::vector<app::Store*>& stores, const kube::Api* api) {
    std::vector<KubeStore*> out;
    for (app::Store* s : stores) {
        auto* k = dynamic_cast<KubeStore*>(s);
        if (!k || k->api() != api) return {};
        out.push_back(k);
    }
    return out;
}

}  // namespace

app::Writes KubeStore::writeMany(const std::vector<app::WriteCall>& calls, app::DryRun dryRun,
                                 const std::function<bool()>& stopped) {
    std::vector<app::Store*> all;
    for (const auto& c : calls) all.push_back(c.store);
    auto stores = sameApi(all, &api_);
    if (stores.empty()) return Store::writeMany(calls, dryRun, stopped);

    app::Writes out(calls.size());
    std::vector<Pending> pending;
    std::vector<kube::Api::Put> puts;
    std::vector<std::size_t> which;
    for (std::size_t i = 0; i < calls.size(); ++i) {
        auto prepared = stores[i]->prepare(*calls[i].read, *calls[i].plan, dryRun);
        if (auto* change = std::get_if<app::Change>(&prepared)) {
            out[i] = std::move(*change);
            continue;
        }
        puts.push_back(stores[i]->putOf(std::get<Pending>(prepared)));
        pending.push_back(std::move(std::get<Pending>(prepared)));
        which.push_back(i);
    }
    auto answers = api_.putRoutes(puts, stopped);
    for (std::size_t k = 0; k < which.size(); ++k) {
        if (!answers[k]) continue;  // never sent
        const std::size_t i = which[k];
        out[i] = stores[i]->finish(*calls[i].read->object, std::move(pending[k]), std::move(*answers[k]));
    }
    return out;
}

std::vector<Status> KubeStore::restoreMany(const std::vector<app::Store*>& all) {
    auto stores = sameApi(all, &api_);
    if (stores.empty()) return Store::restoreMany(all);
    std::vector<Status> out(all.size(), okStatus());
    std::vector<kube::Api::Put> puts;
    std::vector<std::size_t> which;
    for (std::size_t i = 0; i < stores.size(); ++i) {
        if (stores[i]->live_.docs.empty() || stores[i]->written_.empty()) {
            out[i] = fail("nothing was written to put back");
            continue;
        }
        puts.push_back(stores[i]->restorePut());
        which.push_back(i);
    }
    // Every restore is tried, whatever became of the others: no stop.
    auto answers = api_.putRoutes(puts, nullptr);
    for (std::size_t k = 0; k < which.size(); ++k) {
        const std::size_t i = which[k];
        out[i] = answers[k] ? stores[i]->restored(std::move(*answers[k]))
                            : Status(fail("the restore was not sent", kExitApi));
    }
    return out;
}

}  // namespace shift::stores
