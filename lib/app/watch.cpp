#include "app/watch.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "core/watch_event.hpp"

namespace shift::app {

namespace {

std::string keyOf(const core::SplitReport& r) { return r.ns + "/" + r.name; }

std::string keyOf(const doc::Node& object) {
    const doc::Node* ns = object.at({"metadata", "namespace"});
    const doc::Node* name = object.at({"metadata", "name"});
    return (ns ? ns->str() : std::string()) + "/" + (name ? name->str() : std::string());
}

// The loop's state between streams: what was printed last for each object, and where to resume.
class Watcher {
   public:
    Watcher(WatchSource& source, WatchSink& sink, const WatchControl& control)
        : source_(source), sink_(sink), control_(control) {}

    Status run() {
        auto first = source_.list();
        if (!first) return first.error();
        sink_.initial(first->reports);
        for (auto& r : first->reports) shown_[keyOf(r)] = std::move(r);
        rv_ = first->resourceVersion;
        while (control_.keepGoing()) {
            Status s = needList_ ? relist() : follow();
            if (!s) return s;
        }
        return okStatus();
    }

   private:
    // One stream, and what its end calls for.
    Status follow() {
        gone_ = false;
        eventError_.reset();
        auto out = source_.watch(rv_, [this](std::string_view line) { onLine(line); });
        if (!control_.keepGoing()) return okStatus();
        if (!out) return out.error();
        if (out->end == StreamEnd::Gone || gone_) {
            needList_ = true;
            return okStatus();
        }
        if (out->end == StreamEnd::Broken) return backoff(out->detail);
        if (eventError_) return backoff(*eventError_);
        failures_ = 0;  // the server ended a healthy stream: resume from rv_ at once
        return okStatus();
    }

    void onLine(std::string_view line) {
        auto e = core::decodeWatchEvent(line);
        if (!e) {
            eventError_ = e.error().message;
            return;
        }
        switch (e->type) {
            case core::WatchEventType::Error:
                // kube-apiserver's answer to a watch from a compacted resourceVersion.
                if (e->code == 410)
                    gone_ = true;
                else
                    eventError_ =
                        fmt::format("the server's watch stream reported {}: {}", e->code, e->message);
                return;
            case core::WatchEventType::Bookmark:
                rv_ = e->resourceVersion;
                return;
            case core::WatchEventType::Deleted:
                rv_ = e->resourceVersion;
                forget(keyOf(e->object));
                return;
            case core::WatchEventType::Added:
            case core::WatchEventType::Modified:
                rv_ = e->resourceVersion;
                if (auto r = core::reportOf(e->object, control_.routes)) {
                    show(std::move(*r));
                } else if (control_.routes.empty()) {
                    sink_.note(fmt::format("warning: {}", r.error().message));
                }
                return;
        }
    }

    void show(core::SplitReport r) {
        const std::string key = keyOf(r);
        auto it = shown_.find(key);
        if (it == shown_.end() || !sameSplit(it->second, r)) sink_.changed(r);
        shown_[key] = std::move(r);
    }

    void forget(const std::string& key) {
        auto it = shown_.find(key);
        if (it == shown_.end()) return;
        sink_.deleted(it->second);
        shown_.erase(it);
    }

    // After a 410: the current state, printed only where it differs from what was printed.
    Status relist() {
        auto listing = source_.list();
        if (!listing) return backoff(listing.error().message);
        sink_.note(
            fmt::format("watch resynced: resourceVersion {} had expired (410 Gone); listed again", rv_));
        std::set<std::string> present;
        for (auto& r : listing->reports) {
            present.insert(keyOf(r));
            show(std::move(r));
        }
        std::vector<std::string> gone;
        for (const auto& [key, report] : shown_)
            if (!present.count(key)) gone.push_back(key);
        for (const auto& key : gone) forget(key);
        rv_ = listing->resourceVersion;
        needList_ = false;
        failures_ = 0;
        return okStatus();
    }

    Status backoff(const std::string& detail) {
        if (++failures_ >= kWatchAttempts)
            return fail(fmt::format("{} (the watch gave up after {} attempts)", detail, failures_), kExitApi);
        const double delay = kWatchBackoffSeconds * std::pow(2.0, failures_ - 1);
        sink_.note(fmt::format("watch interrupted: {}; retrying in {:.1f}s", detail, delay));
        control_.sleep(delay);
        return okStatus();
    }

    WatchSource& source_;
    WatchSink& sink_;
    const WatchControl& control_;
    std::map<std::string, core::SplitReport> shown_;  // by namespace/name
    std::string rv_;
    bool needList_ = false;
    bool gone_ = false;                      // this stream ended with an ERROR 410
    std::optional<std::string> eventError_;  // this stream carried another ERROR, or a bad line
    int failures_ = 0;                       // in a row
};

}  // namespace

bool sameSplit(const core::SplitReport& a, const core::SplitReport& b) {
    if (a.rules != b.rules || a.rollout.has_value() != b.rollout.has_value()) return false;
    if (!a.rollout) return true;
    const auto &x = *a.rollout, &y = *b.rollout;
    return x.holder == y.holder && x.command == y.command && x.step == y.step && x.steps == y.steps;
}

Status watchSplits(WatchSource& source, WatchSink& sink, const WatchControl& control) {
    return Watcher(source, sink, control).run();
}

}  // namespace shift::app
