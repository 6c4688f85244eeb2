#pragma once
// `get -w`: follow the splits of VirtualServices through the watch API until asked to stop. List
// first (the current state and the resourceVersion to watch from), then watch; a stream the server
// ends is resumed from the last resourceVersion seen (bookmarks included); a 410 Gone (the version
// was compacted away) lists again and prints only what changed meanwhile; a broken connection is
// retried with backoff, a few times. The world comes in through two small interfaces, so the
// decisions are tested without sockets or sleeping.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "core/split_report.hpp"

namespace shift::app {

struct Listing {
    std::vector<core::SplitReport> reports;
    std::string resourceVersion;  // of the list: where the watch starts
};

enum class StreamEnd {
    Closed,  // the server ended the stream (timeoutSeconds): resume
    Gone,    // HTTP 410: the resourceVersion is too old; list again
    Broken,  // the connection failed, or the server answered 429/5xx: retry after a while
};

struct StreamOutcome {
    StreamEnd end = StreamEnd::Closed;
    std::string detail;  // Broken: what went wrong, for the note and the final error
};

class WatchSource {
   public:
    virtual ~WatchSource() = default;
    // The objects watched, as they are now (an Error ends the watch on the first call, and counts as
    // a failure afterwards).
    virtual Result<Listing> list() = 0;
    // The events after resourceVersion, each line to onLine as it arrives, until the stream ends. An
    // Error is an answer that retrying cannot change (403, 404): the watch ends with it.
    virtual Result<StreamOutcome> watch(const std::string& resourceVersion,
                                        const std::function<void(std::string_view)>& onLine) = 0;
};

class WatchSink {
   public:
    virtual ~WatchSink() = default;
    virtual void initial(const std::vector<core::SplitReport>& reports) = 0;  // the state listed first
    virtual void changed(const core::SplitReport& report) = 0;
    virtual void deleted(const core::SplitReport& report) = 0;  // as last printed
    virtual void note(const std::string& message) = 0;          // on stderr: resyncs, retries
};

struct WatchControl {
    std::function<bool()> keepGoing;            // false once a signal asked to stop
    std::function<bool(double seconds)> sleep;  // false when interrupted
    std::vector<std::string> routes;            // --route: the rules reported
};

// Consecutive failures (broken streams, failed lists, ERROR events other than 410) before the watch
// gives up with the last one's error; the waits between them double from the first.
inline constexpr int kWatchAttempts = 5;
inline constexpr double kWatchBackoffSeconds = 0.5;

// Whether two reports print the same: the split of each rule and the rollout's progress. The
// resourceVersion and the rollout's heartbeat (refreshed while it waits) are not a change.
bool sameSplit(const core::SplitReport& a, const core::SplitReport& b);

// Runs until control.keepGoing() is false (ok), or an error that retrying did not cure.
Status watchSplits(WatchSource& source, WatchSink& sink, const WatchControl& control);

}  // namespace shift::app
