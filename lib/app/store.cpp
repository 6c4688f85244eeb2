// The Store's defaults for several objects: one write (or restore) after another.
#include "app/store.hpp"

namespace shift::app {

Writes Store::writeMany(const std::vector<WriteCall>& calls, DryRun dryRun,
                        const std::function<bool()>& stopped) {
    Writes out(calls.size());
    for (std::size_t i = 0; i < calls.size(); ++i) {
        if (stopped && stopped()) break;
        out[i] = calls[i].store->write(*calls[i].read, *calls[i].plan, dryRun);
        if (!*out[i]) break;
    }
    return out;
}

std::vector<Status> Store::restoreMany(const std::vector<Store*>& stores) {
    std::vector<Status> out;
    for (Store* s : stores) out.push_back(s->restore());
    return out;
}

}  // namespace shift::app
