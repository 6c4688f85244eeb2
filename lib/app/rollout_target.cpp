// RolloutTarget's default for several writes: one after another.
#include "app/rollout.hpp"

namespace shift::app {

TargetWrites RolloutTarget::writeMany(const std::vector<TargetWrite>& writes,
                                      const std::optional<core::RolloutMark>& mark,
                                      const std::string& record) {
    TargetWrites out(writes.size());
    for (std::size_t i = 0; i < writes.size(); ++i) {
        out[i] = writes[i].target->write(*writes[i].basis, writes[i].request, mark, record);
        if (!*out[i]) break;
    }
    return out;
}

}  // namespace shift::app
