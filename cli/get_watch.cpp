// `shift get -w`: the watch loop of app/watch.hpp over the cluster, printing each change as it comes.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>

#include "app/watch.hpp"
#include "cmd_get.hpp"
#include "doc/emit.hpp"
#include "doc/parse.hpp"
#include "get_table.hpp"
#include "kube/istio_api.hpp"
#include "proc/signals.hpp"
#include "report.hpp"
#include "term/charset.hpp"

namespace shift::cli {

namespace {

// The server ends each stream after this long and the loop resumes it, as client-go's reflector
// asks for 5 to 10 minutes: a connection a proxy silently dropped is noticed then at the latest.
constexpr int kStreamSeconds = 300;

bool keepGoing() { return !proc::stopped(); }

class ClusterSource final : public app::WatchSource {
   public:
    ClusterSource(kube::Api& api, std::string ns, const GetOptions& o)
        : api_(api), ns_(std::move(ns)), o_(o) {}

    Result<app::Listing> list() override {
        auto body = api_.listVirtualServices(ns_, o_.name);
        if (!body) return body.error();
        auto parsed = doc::parseJson(std::move(*body), "the server's VirtualService list");
        if (!parsed) return parsed.error();
        app::Listing l;
        if (!parsed->docs.empty())
            if (const auto* rv = parsed->docs.front().at({"metadata", "resourceVersion"}))
                l.resourceVersion = rv->str();
        auto reports = reportsOfList(*parsed, o_);
        if (!reports) return reports.error();
        l.reports = std::move(*reports);
        // The first listing of a NAME that is not there: get's error, with the names that are.
        if (first_ && !o_.name.empty() && l.reports.empty()) {
            auto missing = api_.getVirtualService(ns_, o_.name);
            if (!missing) return missing.error();
        }
        first_ = false;
        return l;
    }

    Result<app::StreamOutcome> watch(const std::string& resourceVersion,
                                     const std::function<void(std::string_view)>& onLine) override {
        auto r = api_.watchVirtualServices(ns_, o_.name, resourceVersion, kStreamSeconds, onLine, keepGoing);
        if (!r) return app::StreamOutcome{app::StreamEnd::Broken, r.error().message};
        if (r->ok()) return app::StreamOutcome{app::StreamEnd::Closed, {}};
        if (r->status == 410) return app::StreamOutcome{app::StreamEnd::Gone, {}};
        Error e = api_.watchError(*r, ns_, o_.name);
        if (r->status == 429 || r->status >= 500)
            return app::StreamOutcome{app::StreamEnd::Broken, e.message};
        return e;
    }

   private:
    kube::Api& api_;
    std::string ns_;
    const GetOptions& o_;
    bool first_ = true;
};

// Each change as it comes, flushed: a table row per destination (the header once), or one compact
// Split per line with -o json, or one YAML document each with -o yaml.
class PrintSink final : public app::WatchSink {
   public:
    PrintSink(app::Output output, SplitTableStyle style, std::string emptyNote)
        : output_(output), style_(style), emptyNote_(std::move(emptyNote)) {}

    void initial(const std::vector<core::SplitReport>& reports) override {
        if (output_ == app::Output::None && !reports.empty()) {
            emit(stdout, splitTable(reports, style_));
            headerShown_ = true;
            return;
        }
        if (reports.empty()) emit(stderr, emptyNote_);
        for (const auto& r : reports) changed(r);
    }
    void changed(const core::SplitReport& r) override {
        if (output_ == app::Output::None) return row(splitRows(r, style_));
        document(core::toNode(r));
    }
    void deleted(const core::SplitReport& r) override {
        if (output_ == app::Output::None) return row(deletedRow(r, style_));
        doc::Node node = core::toNode(r);
        node.set("deleted", doc::Node::plain("true"));
        document(node);
    }
    void note(const std::string& message) override { emit(stderr, message + "\n"); }

   private:
    void row(const std::string& rows) {
        if (!headerShown_) {
            // The first rows after an empty start: the header they line up with comes first.
            emit(stdout, rows.empty() ? rows : headerLine() + rows);
            headerShown_ = true;
            return;
        }
        emit(stdout, rows);
    }
    std::string headerLine() const {
        SplitTableStyle s = style_;
        s.rollouts = true;
        std::string whole = splitTable({}, s);
        return whole.substr(0, whole.find('\n') + 1);
    }
    void document(const doc::Node& node) {
        if (output_ == app::Output::Json) return emit(stdout, doc::toJson(node, 0) + "\n");
        emit(stdout, (documents_++ ? "---\n" : "") + doc::toYaml(node));
    }

    app::Output output_;
    SplitTableStyle style_;
    std::string emptyNote_;
    bool headerShown_ = false;
    int documents_ = 0;
};

}  // namespace

int watchCluster(const GetOptions& o, const Globals& g) {
    auto cluster = kube::loadCluster(g.cluster);
    if (!cluster) return report(cluster.error());
    const std::string ns = o.allNamespaces ? std::string() : cluster->ns;
    // A first Ctrl-C (or SIGTERM) ends the watch between events; a second one at once.
    proc::watchSignals("shift: interrupted");
    auto client = kube::connect(*cluster, g.verbosity);
    kube::Api api(*client, cluster->contextName);
    ClusterSource source(api, ns, o);
    SplitTableStyle style{o.allNamespaces, term::isTerminal(fileno(stdout)), term::unicodeOutput(), true};
    PrintSink sink(g.output, style,
                   ns.empty() ? std::string("No resources found\n")
                              : fmt::format("No resources found in {} namespace.\n", ns));
    app::WatchControl control{
        keepGoing,
        [](double s) {
            return proc::sleepUnlessStopped(
                std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(s)));
        },
        o.routes};
    if (Status s = app::watchSplits(source, sink, control); !s) return report(s.error());
    return kExitOk;
}

}  // namespace shift::cli
