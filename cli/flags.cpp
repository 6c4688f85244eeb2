// The flag groups every command shares, declared once: cluster, output, colour and verbosity.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "command.hpp"

namespace shift::cli {

namespace {

void declareCluster(CLI::App& app, kube::ConfigFlags& c) {
    auto* cluster = "Cluster";
    app.add_option("-n,--namespace", c.ns, "Namespace (default: the context's, else default)")
        ->group(cluster);
    app.add_option("--context", c.context, "kubeconfig context to use")->group(cluster);
    app.add_option("--kubeconfig", c.kubeconfig, "Path to the kubeconfig file")->group(cluster);
    app.add_option("--request-timeout", c.timeoutSeconds, "Seconds to wait for each API request (default 30)")
        ->group(cluster)
        ->check(CLI::NonNegativeNumber)
        ->option_text("SECONDS");
    app.add_option("--as", c.as, "User to impersonate (a user or system:serviceaccount:NS:NAME)")
        ->group(cluster)
        ->option_text("USER");
    app.add_option("--as-group", c.asGroups, "Group to impersonate; repeatable")
        ->group(cluster)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->option_text("GROUP");
    app.add_option("--as-uid", c.asUid, "UID to impersonate")->group(cluster)->option_text("UID");
}

}  // namespace

void declareGlobals(CLI::App& app, Globals& g) {
    app.add_option("-o,--output", g.output, "Print the resulting object as yaml or json")
        ->transform(CLI::CheckedTransformer(
            std::map<std::string, app::Output>{{"yaml", app::Output::Yaml}, {"json", app::Output::Json}}))
        ->option_text("yaml|json");
    app.add_option("--color", g.colorText, "Colour output: auto, always or never (NO_COLOR is honoured)")
        ->option_text("auto|always|never");
    app.add_flag("-v,--verbose", g.verbosity,
                 "Print each API request (method, URL, status, time); -vv also headers, -vvv bodies "
                 "(secrets masked)");
    declareCluster(app, g.cluster);
}

Status completeGlobals(Globals& g) {
    std::string lower = g.colorText;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    auto mode = term::parseColorMode(lower);
    if (!mode)
        return fail(fmt::format("invalid --color value \"{}\": use auto, always or never", g.colorText));
    g.color = *mode;
    return okStatus();
}

}  // namespace shift::cli
