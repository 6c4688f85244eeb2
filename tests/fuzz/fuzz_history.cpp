// The history and rollout-mark annotations: anyone can edit them with kubectl annotate, so decoding
// must survive any value, and what it accepts must encode and decode to the same thing.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/history.hpp"

namespace {
void check(bool ok) {
    if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace shift::core;
    std::string value(reinterpret_cast<const char*>(data), size);
    if (auto h = decodeHistory(value)) {
        auto again = decodeHistory(encodeHistory(*h));
        check(again.ok() && encodeHistory(*again) == encodeHistory(*h));
        auto longer = appendRevision(*h, Revision{}, kDefaultHistoryLimit);
        check(longer.size() <= kDefaultHistoryLimit);
        check(longer.size() == 1 || encodeHistory(longer).size() <= kHistoryMaxBytes);
    }
    if (auto m = decodeRolloutMark(value)) {
        auto again = decodeRolloutMark(encodeRolloutMark(*m));
        check(again.ok() && encodeRolloutMark(*again) == encodeRolloutMark(*m));
    }
    if (auto t = parseTime(value)) check(parseTime(formatTime(*t)) == t);
    return 0;
}
