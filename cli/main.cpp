// shift: parse the command line, validate it, hand over to file or cluster mode.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "complete.hpp"
#include "options.hpp"
#include "report.hpp"
#include "version.hpp"

namespace {

using shift::cli::Options;

void declare(CLI::App& app, Options& o) {
    // Missing positionals are reported by validate() and parseRequest(), with an example.
    app.add_option("NAME", o.name, "VirtualService to shift");
    app.add_option("KEY=WEIGHT", o.weights,
                   "New split as KEY=WEIGHT (KEY: subset, host, or HOST/SUBSET; WEIGHT: 0-100)");
    app.add_option(
        "-f,--filename", o.filename,
        "Read manifests from FILE, DIR (its *.yaml, *.yml, *.json) or - (stdin) instead of the cluster");
    app.add_flag("-R,--recursive", o.recursive, "With -f DIR: read its subdirectories' manifests too");
    app.add_flag("-i,--in-place", o.inPlace,
                 "With -f: rewrite the file atomically, changing only the values that shift");
    app.add_option("-o,--output", o.output, "Print the resulting object as yaml or json")
        ->check(CLI::IsMember({"yaml", "json"}))
        ->option_text("yaml|json");
    app.add_flag("--diff", o.diff, "Print a unified diff of the change");
    app.add_flag(
           "--dry-run{client}", o.dryRun,
           "client: show the diff, change nothing; server: also have the API server validate it (dryRun=All)")
        ->check(CLI::IsMember({"none", "client", "server"}))
        ->option_text("[=client|server]");
    app.add_flag("--exit-code", o.exitCode, "Exit 1 when the request changes (or would change) something");
    // One value per --route, as kubectl's repeated flags: `--route a NAME ...` must not eat NAME.
    app.add_option("--route", o.shift.routes,
                   "Rule to shift: NAME, INDEX (of http), or LIST:INDEX (http:1, tcp:0, tls:0); repeatable")
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->option_text("RULE");
    app.add_flag("--keep-zero", o.shift.split.keepZero,
                 "Keep destinations at weight 0 instead of removing them");
    app.add_flag("--explicit-weights", o.shift.split.explicitWeights,
                 "Write weight: 100 on a lone destination (Istio's samples omit it)");
    app.add_flag(
        "--no-validate", o.noValidate,
        "Skip the checks of new hosts and subsets against Services, ServiceEntries and DestinationRules");
    app.add_option("--color", o.color, "Colour output: auto, always or never (NO_COLOR is honoured)")
        ->transform(CLI::CheckedTransformer(
            std::map<std::string, shift::term::ColorMode>{{"auto", shift::term::ColorMode::Auto},
                                                          {"always", shift::term::ColorMode::Always},
                                                          {"never", shift::term::ColorMode::Never}},
            CLI::ignore_case))
        ->option_text("auto|always|never");
    app.add_flag("-v,--verbose", o.verbosity,
                 "Print each API request (method, URL, status, time); repeatable");
    auto* cluster = "Cluster";
    app.add_option("-n,--namespace", o.cluster.ns, "Namespace (default: the context's, else default)")
        ->group(cluster);
    app.add_option("--context", o.cluster.context, "kubeconfig context to use")->group(cluster);
    app.add_option("--kubeconfig", o.cluster.kubeconfig, "Path to the kubeconfig file")->group(cluster);
    app.add_option("--request-timeout", o.cluster.timeoutSeconds,
                   "Seconds to wait for each API request (default 30)")
        ->group(cluster)
        ->check(CLI::NonNegativeNumber)
        ->option_text("SECONDS");
    app.add_option("--as", o.cluster.as, "User to impersonate (a user or system:serviceaccount:NS:NAME)")
        ->group(cluster)
        ->option_text("USER");
    app.add_option("--as-group", o.cluster.asGroups, "Group to impersonate; repeatable")
        ->group(cluster)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->option_text("GROUP");
    app.add_option("--as-uid", o.cluster.asUid, "UID to impersonate")->group(cluster)->option_text("UID");
}

// Validate: reject contradictions before any file or network is touched.
shift::Status validate(const Options& o) {
    if (o.name.empty()) {
        return shift::fail(
            "name the VirtualService and the new split, e.g. `kubectl shift reviews v1=50 v3=50`");
    }
    if (o.inPlace && o.filename.empty()) {
        return shift::fail(
            "--in-place rewrites a file; give it with -f FILE (the cluster is changed without it)");
    }
    if (o.inPlace && o.filename == "-") {
        return shift::fail("--in-place needs a file, not standard input; give -f FILE");
    }
    if (o.inPlace && !o.output.empty()) {
        return shift::fail("-o prints the object and --in-place rewrites the file; choose one");
    }
    if (!o.filename.empty() && o.dryRun == "server") {
        return shift::fail("--dry-run=server needs the cluster; drop -f, or use --dry-run=client with files");
    }
    return shift::okStatus();
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    CLI::App app{
        "shift: move live traffic between versions of a service in an Istio mesh.\n"
        "Reads a VirtualService (from the cluster, or files with -f), computes the new split, shows the "
        "change, "
        "applies it.\n\n"
        "  kubectl shift -n istio-demo reviews v1=50 v3=50\n"
        "  kubectl shift reviews v3=100 --dry-run --exit-code\n"
        "  shift -f reviews.yaml --in-place reviews v1=90 v3=10\n",
        "shift"};
    app.set_version_flag("--version", fmt::format("shift {} ({})", SHIFT_VERSION, SHIFT_GIT_COMMIT));
    app.footer(
        "Also: kubectl shift completion bash|zsh|fish prints a completion script. Exit codes: 0 done or no "
        "change, 1 "
        "changed (--exit-code), 2 bad input, 3 API error, 4 conflict. See man shift.");
    declare(app, o);
    // `completion` and the hidden `__complete` come before the parse, which would take them for a name.
    if (argc > 1 && std::string_view(argv[1]) == "completion") {
        return shift::cli::printCompletionScript({argv + 2, argv + argc});
    }
    if (argc > 1 && std::string_view(argv[1]) == "__complete")
        return shift::cli::complete(app, {argv + 2, argv + argc});
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "error: {}; see shift --help\n", e.what());
        return shift::kExitInput;
    }
    if (auto st = validate(o); !st) return shift::cli::report(st.error());
    return o.filename.empty() ? shift::cli::runCluster(o) : shift::cli::runFiles(o);
}
