// Cluster mode: GET the VirtualService, plan, PUT it back with the
// resourceVersion read (never a blind overwrite), re-planning on 409 Conflict.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "core/apply.hpp"
#include "core/request.hpp"
#include "doc/emit.hpp"
#include "doc/parse.hpp"
#include "kube/api.hpp"
#include "kube/config.hpp"
#include "options.hpp"
#include "report.hpp"
#include "term/diff.hpp"
#include "validation_inputs.hpp"

namespace shift::cli {

namespace {

// Ten pipelines shifting one VirtualService at once all get through: each round at least one
// write wins, and the backoff below spreads the others out.
constexpr int kConflictAttempts = 8;

// Writers that just collided collide again if they all re-read at once: wait a random while
// (full jitter) of up to 100ms, 200ms, 400ms... 1.6s before re-reading, as client-go backs off.
void conflictBackoff(int attempt) {
    static std::minstd_rand rng{std::random_device{}()};
    std::uniform_int_distribution<int> ms(0, 100 << std::min(attempt - 1, 4));
    std::this_thread::sleep_for(std::chrono::milliseconds(ms(rng)));
}

// What a diff shows of an object: no status and no managedFields, as kubectl diff.
std::string diffView(doc::Node object) {
    object.erase("status");
    if (auto* meta = object.get("metadata")) meta->erase("managedFields");
    return doc::toYaml(object);
}

// The object as -o yaml|json prints it.
std::string printed(const doc::Node& object, const std::string& output) {
    return output == "json" ? doc::toJson(object) + "\n" : doc::toYaml(object);
}

bool addsDestinations(const core::ShiftPlan& plan) {
    for (const auto& rule : plan.rules) {
        for (const auto& d : rule.destinations) {
            if (d.action == core::DestinationPlan::Action::Add) return true;
        }
    }
    return false;
}

// Plans the request on the live object. New hosts and subsets are checked only when the plan adds
// a destination: those already routed to were checked when they were added, and skipping the
// reads keeps a weight change at one GET and one PUT.
Result<core::ShiftPlan> planLive(kube::Api& api, const doc::Node& live, const core::Request& request,
                                 const Options& o, std::vector<doc::Stream>& lists) {
    auto plan = core::planShift(live, request, o.shift, nullptr);
    if (!plan || o.noValidate || !addsDestinations(*plan)) return plan;
    auto mesh = readMesh(api, *plan, lists);
    if (!mesh) return mesh.error();
    auto warnings = core::checkDestinations(*plan, *mesh);
    if (!warnings) return warnings.error();
    plan->warnings.insert(plan->warnings.end(), warnings->begin(), warnings->end());
    return plan;
}

}  // namespace

int runCluster(const Options& o) {
    auto request = core::parseRequest(o.weights);
    if (!request) return report(request.error());
    auto cluster = kube::loadCluster(o.cluster);
    if (!cluster) return report(cluster.error());
    auto client = kube::connect(*cluster, o.verbosity);
    kube::Api api(*client, cluster->contextName);
    const std::string& ns = cluster->ns;

    // With -o, stdout carries the object; everything else goes to stderr.
    std::FILE* info = o.output.empty() ? stdout : stderr;
    bool color = term::useColor(o.color, fileno(info));
    for (int attempt = 1; attempt <= kConflictAttempts; ++attempt) {
        auto object = api.getVirtualService(ns, o.name);
        if (!object) return report(object.error());
        auto stream = doc::parseJson(std::move(object->json), "the server's VirtualService");
        if (!stream) return report(stream.error());
        const doc::Node& live = stream->docs.at(0);
        std::vector<doc::Stream> lists;
        auto plan = planLive(api, live, *request, o, lists);
        if (!plan) return report(plan.error());
        for (const auto& w : plan->warnings) warn(w);
        if (!plan->changed) {
            emit(info, summaryText(*plan, term::isTerminal(fileno(info)), color));
            emit(info, fmt::format("{}: no change\n", core::qualifiedName(plan->vs)));
            if (!o.output.empty()) emit(stdout, printed(live, o.output));
            return kExitOk;
        }
        doc::Node merged = core::applyToTree(live, plan->vs, plan->rules);
        std::string label =
            fmt::format("networking.istio.io.{}.VirtualService.{}.{}", object->version, ns, o.name);
        std::string shown = diffView(merged);
        std::string result = "shifted";
        if (o.dryRun != "client") {
            bool serverDry = o.dryRun == "server";
            auto put = api.putVirtualService(ns, o.name, object->version, doc::toJson(merged, 0), serverDry);
            if (!put) return report(put.error());
            if (put->recovered) {
                warn(
                    "the connection broke before the server answered the PUT; reading the object again shows "
                    "the change in place");
            }
            if (put->conflict) {
                if (attempt < kConflictAttempts) {
                    warn(fmt::format(
                        "virtualservice \"{}\" changed on the server while shifting (409 Conflict); "
                        "re-reading it and planning again (attempt {} of {})",
                        o.name, attempt + 1, kConflictAttempts));
                    conflictBackoff(attempt);
                }
                continue;
            }
            auto answer = doc::parseJson(std::move(put->json), "the server's answer");
            if (!answer) return report(answer.error());
            merged = std::move(answer->docs.at(0));
            // The server's answer shows what admission and defaulting made of it.
            if (serverDry) shown = diffView(merged);
            result = serverDry ? "shifted (server dry run)" : "shifted";
        } else {
            result = "shifted (dry run)";
        }
        emit(info, term::unifiedDiff(diffView(live), shown, "live/" + label, "merged/" + label, color));
        emit(info, summaryText(*plan, term::isTerminal(fileno(info)), color));
        emit(info, fmt::format("virtualservice.networking.istio.io/{} {}\n", o.name, result));
        if (!o.output.empty()) emit(stdout, printed(merged, o.output));
        return o.exitCode ? kExitChanged : kExitOk;
    }
    return report(
        fail(fmt::format("virtualservice \"{}\" in namespace \"{}\" kept changing on the server: gave up "
                         "after {} attempts, nothing applied; retry when other writers are done",
                         o.name, ns, kConflictAttempts),
             kExitConflict));
}

}  // namespace shift::cli
