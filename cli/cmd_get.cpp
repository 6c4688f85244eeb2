#include "cmd_get.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include "core/split_report.hpp"
#include "doc/emit.hpp"
#include "doc/parse.hpp"
#include "get_table.hpp"
#include "kube/istio_api.hpp"
#include "report.hpp"
#include "term/charset.hpp"

namespace shift::cli {

// With --route, an object without the rule is left out: the question is "where is this rule, and
// how is it split".
Result<std::vector<core::SplitReport>> reportsOfList(const doc::Stream& list, const GetOptions& o) {
    std::vector<core::SplitReport> reports;
    for (const auto* object : doc::objects(list)) {
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

Result<std::vector<core::SplitReport>> readReports(kube::Api& api, const std::string& ns,
                                                   const GetOptions& o) {
    if (!o.name.empty()) {
        auto object = api.getVirtualService(ns, o.name);
        if (!object) return object.error();
        auto parsed = doc::parseJson(std::move(object->json), "the server's VirtualService");
        if (!parsed) return parsed.error();
        if (parsed->docs.empty()) return fail("the server answered with an empty VirtualService", kExitApi);
        auto r = core::reportOf(parsed->docs.front(), o.routes);
        if (!r) return r.error();
        return std::vector<core::SplitReport>{std::move(*r)};
    }
    auto body = api.listVirtualServices(o.allNamespaces ? std::string() : ns);
    if (!body) return body.error();
    auto list = doc::parseJson(std::move(*body), "the server's VirtualService list");
    if (!list) return list.error();
    return reportsOfList(*list, o);
}

std::string printed(const std::vector<core::SplitReport>& reports, const GetOptions& o, app::Output output) {
    doc::Node node = o.name.empty() ? core::toListNode(reports) : core::toNode(reports.front());
    return output == app::Output::Json ? doc::toJson(node) + "\n" : doc::toYaml(node);
}

}  // namespace

void GetCommand::declare(CLI::App& app) {
    auto& o = options;
    app.add_option("NAME", o.name, "VirtualService to show (default: every one in the namespace)");
    app.add_flag("-A,--all-namespaces", o.allNamespaces, "Show the VirtualServices of every namespace");
    app.add_option("--route", o.routes,
                   "Rule to show: NAME, INDEX (of http), or LIST:INDEX (http:1, tcp:0, tls:0); repeatable")
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->option_text("RULE");
    app.add_option(
        "-f,--filename", o.filename,
        "Read manifests from FILE, DIR (its *.yaml, *.yml, *.json) or - (stdin) instead of the cluster");
    app.add_flag("-R,--recursive", o.recursive, "With -f DIR: read its subdirectories' manifests too");
    app.add_flag("-w,--watch", o.watch,
                 "After the current state, print each change as it happens, until interrupted (exit 0)");
}

Status GetCommand::complete(const Globals&) { return okStatus(); }

Status GetCommand::validate() const {
    if (options.recursive && options.filename.empty())
        return fail("-R reads a directory's subdirectories; give the directory with -f DIR");
    if (options.watch && !options.filename.empty())
        return fail(
            "-w follows changes in the cluster through its watch API; drop -f, or drop -w to read the files");
    if (options.allNamespaces && !options.name.empty()) {
        return fail(
            fmt::format("-A lists every VirtualService; drop NAME, or drop -A and give -n NAMESPACE to "
                        "show {}",
                        options.name));
    }
    return okStatus();
}

namespace {

// The cluster's reports; ns is where they were looked for.
Result<std::vector<core::SplitReport>> clusterReports(const GetOptions& o, const Globals& g,
                                                      std::string& ns) {
    auto cluster = kube::loadCluster(g.cluster);
    if (!cluster) return cluster.error();
    ns = cluster->ns;
    auto client = kube::connect(*cluster, g.verbosity);
    kube::Api api(*client, cluster->contextName);
    return readReports(api, cluster->ns, o);
}

}  // namespace

int GetCommand::run(const Globals& g) {
    if (options.watch) return watchCluster(options, g);
    std::string ns;
    auto reports = options.filename.empty() ? clusterReports(options, g, ns) : fileReports(options);
    if (!reports) return report(reports.error());
    if (g.output != app::Output::None) {
        emit(stdout, printed(*reports, options, g.output));
        return kExitOk;
    }
    if (reports->empty()) {
        emit(stderr, options.allNamespaces || ns.empty()
                         ? std::string("No resources found\n")
                         : fmt::format("No resources found in {} namespace.\n", ns));
        return kExitOk;
    }
    SplitTableStyle style{options.allNamespaces, term::isTerminal(fileno(stdout)), term::unicodeOutput()};
    emit(stdout, splitTable(*reports, style));
    return kExitOk;
}

Candidates GetCommand::completeArgs(const completion::Scope& scope, const std::vector<std::string>& args,
                                    const std::string&) const {
    Candidates c;
    if (args.empty()) c.words = completion::virtualServiceNames(scope);
    return c;
}

}  // namespace shift::cli
