#pragma once
// shift's records on the object itself, as annotations under one prefix: the history of the splits
// it wrote (for `shift history` and `shift undo`) and the mark of a rollout in progress. Both stay
// small: a bounded number of revisions, and never more than kHistoryMaxBytes, far under the API
// server's 256 KiB limit on all annotations together.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace shift::core {

inline constexpr const char* kAnnotationPrefix = "traffic-shift.dev/";
inline constexpr const char* kHistoryAnnotation = "traffic-shift.dev/history";
inline constexpr const char* kRolloutAnnotation = "traffic-shift.dev/rollout";
inline constexpr std::size_t kDefaultHistoryLimit = 10;
inline constexpr std::size_t kHistoryMaxBytes = 32 * 1024;
// Past this, a revision records only the rules its change touched (a VirtualService with thousands).
inline constexpr std::size_t kRevisionMaxBytes = 4 * 1024;
inline constexpr std::size_t kCommandMaxChars = 200;

using Clock = std::chrono::system_clock;

struct RuleRecord {
    std::string rule;   // "http[0]"
    std::string split;  // "v1=90,v3=10", keys as requests name them
};

struct Revision {
    long long number = 0;  // 1 is the state before shift's first change
    Clock::time_point time;
    std::string user;     // the kubeconfig user, or the impersonated one
    std::string command;  // e.g. "set reviews v1=90 v3=10", "rollout reviews --to v3 (step 2 of 4)"
    std::vector<RuleRecord> rules;
};

// The annotation's value: compact JSON, oldest revision first.
std::string encodeHistory(const std::vector<Revision>& history);
// A value that is not shift's (edited by hand, truncated) is an error naming the annotation.
Result<std::vector<Revision>> decodeHistory(const std::string& value);

// Appends a revision numbered after the last one and drops the oldest past `limit` revisions or
// kHistoryMaxBytes. The command is cut to kCommandMaxChars.
std::vector<Revision> appendRevision(std::vector<Revision> history, Revision next, std::size_t limit);

// The mark of a rollout in progress: who holds the object and whether they are still alive.
struct RolloutMark {
    std::string holder;   // "user@host pid 1234"
    std::string command;  // the rollout command line
    long long step = 0;   // steps applied so far
    long long steps = 0;  // steps planned
    Clock::time_point started;
    Clock::time_point heartbeat;  // refreshed at every step and wait
};

std::string encodeRolloutMark(const RolloutMark& mark);
Result<RolloutMark> decodeRolloutMark(const std::string& value);
// A dead rollout's mark stops blocking others after a few missed heartbeats.
inline constexpr std::chrono::seconds kMarkStaleAfter{60};

// A mark whose heartbeat is older than `staleAfter` belongs to a rollout that died.
bool isFresh(const RolloutMark& mark, Clock::time_point now, std::chrono::seconds staleAfter);

// RFC 3339 in UTC to the second ("2026-12-01T03:00:00Z"), as Kubernetes writes times.
std::string formatTime(Clock::time_point t);
std::optional<Clock::time_point> parseTime(const std::string& text);

}  // namespace shift::core
