#include "cmd_history.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "core/annotations.hpp"
#include "core/history_report.hpp"
#include "doc/emit.hpp"
#include "doc/parse.hpp"
#include "kube/istio_api.hpp"
#include "report.hpp"
#include "stores/kube_store.hpp"
#include "term/table.hpp"

namespace shift::cli {

std::string historyTable(const std::vector<core::Revision>& history) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : history) {
        // Revision 1, the state shift found, was made by someone shift does not know.
        rows.push_back({std::to_string(r.number), core::formatTime(r.time), r.user.empty() ? "-" : r.user,
                        r.command, core::describeRules(r.rules)});
    }
    return term::table({"REVISION", "TIME", "USER", "COMMAND", "SPLIT"}, rows);
}

Result<std::vector<core::Revision>> historyIn(kube::Api& api, const std::string& ns,
                                              const core::ObjectRef& ref) {
    auto object = api.getRoute(stores::routeResource(ref.kind), ns, ref.name);
    if (!object) return object.error();
    auto parsed =
        doc::parseJson(std::move(object->json), fmt::format("the server's {}", core::kindName(ref.kind)));
    if (!parsed) return parsed.error();
    if (parsed->docs.empty()) return fail("the server answered with an empty VirtualService", kExitApi);
    return core::historyOf(parsed->docs.front());
}

Error historyNeedsCluster(const std::string& command) {
    return fail(
        fmt::format("`shift {}` reads the history from the {} annotation of the VirtualService in the "
                    "cluster; manifest files (-f) carry none",
                    command, core::kHistoryAnnotation));
}

void HistoryCommand::declare(CLI::App& app) {
    app.add_option("NAME", options.name,
                   "VirtualService whose history to show, or TYPE/NAME (httproute/NAME)");
    app.add_option("-f,--filename", options.filename,
                   "Not available: the history lives on the cluster's object");
}

Status HistoryCommand::complete(const Globals&) { return okStatus(); }

Status HistoryCommand::validate() const {
    if (!options.filename.empty()) return historyNeedsCluster("history");
    if (options.name.empty()) return fail("name the VirtualService, e.g. `kubectl shift history reviews`");
    return okStatus();
}

int HistoryCommand::run(const Globals& g) {
    if (g.contexts.size() > 1) return historyMany(options, g);
    auto target = core::parseObjectRef(options.name);
    if (!target) return report(target.error());
    auto cluster = kube::loadCluster(g.cluster);
    if (!cluster) return report(cluster.error());
    auto client = kube::connect(*cluster, g.verbosity);
    kube::Api api(*client, cluster->contextName);
    auto history = historyIn(api, cluster->ns, *target);
    if (!history) return report(history.error());
    if (g.output != app::Output::None) {
        auto node = core::historyNode(cluster->ns, target->name, *history);
        emit(stdout, g.output == app::Output::Json ? doc::toJson(node) + "\n" : doc::toYaml(node));
        return kExitOk;
    }
    if (history->empty()) {
        emit(stdout, fmt::format("no history: shift has not changed {} yet\n", options.name));
        return kExitOk;
    }
    emit(stdout, historyTable(*history));
    return kExitOk;
}

Candidates HistoryCommand::completeArgs(const completion::Scope& scope, const std::vector<std::string>& args,
                                        const std::string&) const {
    Candidates c;
    if (args.empty()) c.words = completion::virtualServiceNames(scope);
    return c;
}

}  // namespace shift::cli
