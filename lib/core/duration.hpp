#pragma once
// Durations as kubectl writes them (Go's time.ParseDuration): "500ms", "30s", "2m", "1h30m", "0".
// A plain number is seconds, as kubectl's --request-timeout takes it ("5" is 5s).
#include <chrono>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace shift::core {

using Duration = std::chrono::nanoseconds;

// `flag` words the error: "invalid --request-timeout \"5x\": ...". Negative durations are refused.
Result<Duration> parseDuration(std::string_view text, std::string_view flag);

// Go's spelling of a duration: "1m30s", "500ms", "0s".
std::string formatDuration(Duration d);

}  // namespace shift::core
