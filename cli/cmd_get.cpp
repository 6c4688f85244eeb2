#include "cmd_get.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "core/split_report.hpp"
#include "doc/emit.hpp"
#include "doc/parse.hpp"
#include "get_list.hpp"
#include "get_table.hpp"
#include "kube/istio_api.hpp"
#include "report.hpp"
#include "term/charset.hpp"

namespace shift::cli {

// With --route, an object without the rule is left out: the question is "where is this rule, and
// how is it split".
Result<std::vector<core::SplitReport>> reportsOfList(const doc::Stream& list, const GetOptions& o) {
    return reportsOf(doc::objects(list), o);
}

Result<std::vector<core::SplitReport>> reportsOf(const std::vector<const doc::Node*>& objects,
                                                 const GetOptions& o) {
    std::vector<core::SplitReport> reports;
    for (const auto* object : objects) {
        auto r = core::reportOf(*object, o.routes);
        if (r) {
            reports.push_back(std::move(*r));
        } else if (o.routes.empty()) {
            return r.error();
        }
    }
    return reports;
}

namespace {

// NAME: one GET, its Split.
std::string printed(const core::SplitReport& report, app::Output output) {
    doc::Node node = core::toNode(report);
    return output == app::Output::Json ? doc::toJson(node) + "\n" : doc::toYaml(node);
}

}  // namespace

void GetCommand::declare(CLI::App& app) {
    auto& o = options;
    app.add_option("NAME", o.selection.words,
                   "VirtualService to show, or TYPE/NAME (httproute/NAME), or several (default: every "
                   "VirtualService in the namespace)");
    app.add_flag("-A,--all-namespaces", o.allNamespaces, "Show the VirtualServices of every namespace");
    repeatable(app.add_option(
                   "--route", o.routes,
                   "Rule to show: NAME, INDEX (of http), or LIST:INDEX (http:1, tcp:0, tls:0); repeatable"),
               "RULE");
    repeatable(
        app.add_option("-f,--filename", o.filenames,
                       "Read manifests from FILE, DIR (its *.yaml, *.yml, *.json) or - (stdin) instead of "
                       "the cluster; repeatable"),
        "FILE");
    app.add_flag("-R,--recursive", o.recursive, "With -f DIR: read its subdirectories' manifests too");
    app.add_flag("-w,--watch", o.watch,
                 "After the current state, print each change as it happens, until interrupted (exit 0)");
    declareSelection(app, o.selection, "Show");
}

// One name: vs/NAME is NAME (the list and watch paths take a VirtualService's bare name); another
// kind keeps its TYPE/ for the paths that read it.
Status GetCommand::complete(const Globals& g) {
    auto& s = options.selection;
    options.filename = options.filenames.empty() ? std::string() : options.filenames[0];
    if (auto st = completeSelection(s); !st) return st;
    if (s.refs.size() == 1)
        options.name =
            s.refs[0].kind == core::RouteKind::VirtualService ? s.refs[0].name : core::describe(s.refs[0]);
    several_ = s.several() || g.contexts.size() > 1;
    if (several_ && g.output != app::Output::None && g.contexts.size() > 1)
        return fail("-o prints one cluster's objects; give one --context, or drop -o for the table");
    return okStatus();
}

Status GetCommand::validate() const {
    if (options.recursive && options.filename.empty())
        return fail("-R reads a directory's subdirectories; give the directory with -f DIR");
    if (options.watch && !options.filename.empty())
        return fail(
            "-w follows changes in the cluster through its watch API; drop -f, or drop -w to read the files");
    if (several_ && (options.watch || !options.filename.empty() || options.allNamespaces))
        return fail(
            "several names, -l and several contexts read the cluster's namespace: drop -w, -f and -A");
    if (options.allNamespaces && !options.name.empty()) {
        return fail(
            fmt::format("-A lists every VirtualService; drop NAME, or drop -A and give -n NAMESPACE to "
                        "show {}",
                        options.name));
    }
    // The watch follows VirtualServices; an HTTPRoute is shown once (a watch of it is not built yet).
    if (options.watch && !options.name.empty()) {
        auto target = core::parseObjectRef(options.name);
        if (!target) return target.error();
        if (target->kind != core::RouteKind::VirtualService)
            return fail("-w follows VirtualServices only; drop -w to show the HTTPRoute's split");
    }
    return okStatus();
}

namespace {

// What a list prints: with -o, the SplitList item by item as the reports come; without, the table
// once every report is in (its columns are as wide as the widest row), the reports small beside the
// objects they came from.
class ListPrinter {
   public:
    ListPrinter(const GetOptions& o, app::Output output) : o_(o), output_(output), writer_(stdout, output) {}

    void add(core::SplitReport&& r) {
        if (output_ == app::Output::None)
            reports_.push_back(std::move(r));
        else
            writer_.add(r);
    }

    int finish(const std::string& ns) {
        if (output_ != app::Output::None) {
            writer_.finish();
            return kExitOk;
        }
        if (reports_.empty()) {
            emit(stderr, o_.allNamespaces || ns.empty()
                             ? std::string("No resources found\n")
                             : fmt::format("No resources found in {} namespace.\n", ns));
            return kExitOk;
        }
        SplitTableStyle style{o_.allNamespaces, term::isTerminal(fileno(stdout)), term::unicodeOutput()};
        emit(stdout, splitTable(reports_, style));
        return kExitOk;
    }

   private:
    const GetOptions& o_;
    app::Output output_;
    SplitListWriter writer_;
    std::vector<core::SplitReport> reports_;
};

int runCluster(const GetOptions& o, const Globals& g) {
    auto cluster = kube::loadCluster(g.cluster);
    if (!cluster) return report(cluster.error());
    auto client = kube::connect(*cluster, g.verbosity);
    kube::Api api(*client, cluster->contextName);
    if (!o.name.empty()) {
        auto ref = core::parseObjectRef(o.name);
        if (!ref) return report(ref.error());
        auto r = namedReport(api, cluster->ns, *ref, o);
        if (!r) return report(r.error());
        if (g.output != app::Output::None) {
            emit(stdout, printed(*r, g.output));
            return kExitOk;
        }
        SplitTableStyle style{false, term::isTerminal(fileno(stdout)), term::unicodeOutput()};
        emit(stdout, splitTable({*r}, style));
        return kExitOk;
    }
    ListPrinter out(o, g.output);
    Status s = forEachListed(api, o.allNamespaces ? std::string() : cluster->ns, o, listChunk(),
                             [&](core::SplitReport&& r) { out.add(std::move(r)); });
    // With -o, items already written stay: the error follows them on stderr.
    if (!s) return report(s.error());
    return out.finish(cluster->ns);
}

int runFiles(const GetOptions& o, const Globals& g) {
    auto reports = fileReports(o);
    if (!reports) return report(reports.error());
    if (!o.name.empty() && g.output != app::Output::None) {
        emit(stdout, printed(reports->front(), g.output));
        return kExitOk;
    }
    ListPrinter out(o, g.output);
    for (auto& r : *reports) out.add(std::move(r));
    return out.finish("");
}

}  // namespace

int GetCommand::run(const Globals& g) {
    if (several_) return getMany(options, g);
    if (options.watch) return watchCluster(options, g);
    return options.filename.empty() ? runCluster(options, g) : runFiles(options, g);
}

Candidates GetCommand::completeArgs(const completion::Scope& scope, const std::vector<std::string>& args,
                                    const std::string&) const {
    Candidates c;
    if (args.empty()) c.words = completion::virtualServiceNames(scope);
    return c;
}

}  // namespace shift::cli
